import Foundation
import Logging
import PostgresNIO
import ThreatLedgerCore
import ThreatLedgerPostgres

/// The PostgreSQL floor: the same rows inserted with one `INSERT … SELECT * FROM unnest(…)` per batch
/// into a table shaped like the event log's (same columns, same keys), with no validation, no
/// hashing and no ordering lock; and scanned back with one streaming `SELECT`.
struct PostgresFloor {
    let client: PostgresClient
    let table: String
    let logger: Logger

    static func prepare(client: PostgresClient, schema: String, logger: Logger) async throws -> PostgresFloor {
        let table = "\(schema).raw"
        try await client.query("CREATE SCHEMA IF NOT EXISTS \(unescaped: schema)", logger: logger)
        try await client.query(
            """
            CREATE TABLE IF NOT EXISTS \(unescaped: table) (position bigint PRIMARY KEY, event_id uuid NOT NULL UNIQUE,
                stream text NOT NULL, stream_version bigint NOT NULL, type text NOT NULL, schema_version integer NOT NULL,
                payload text NOT NULL, recorded_at bigint NOT NULL, recorded_by text NOT NULL, correlation_id text,
                causation_id text, previous_hash bytea NOT NULL, hash bytea NOT NULL, UNIQUE (stream, stream_version, position))
            """, logger: logger)
        return PostgresFloor(client: client, table: table, logger: logger)
    }

    /// Inserts `rows` in one statement (one implicit transaction); returns the seconds it took.
    func insert(_ rows: [RawSQLiteFloor.Row]) async throws -> Double {
        let positions = rows.map(\.position)
        let ids = rows.map(\.id)
        let streams = rows.map(\.stream)
        let types = rows.map(\.type)
        let payloads = rows.map(\.payload)
        let start = ContinuousClock.now
        try await client.query(
            """
            INSERT INTO \(unescaped: table) (position, event_id, stream, stream_version, type, schema_version, payload, recorded_at,
                recorded_by, previous_hash, hash)
            SELECT p, i::uuid, s, 1, t, 1, d, 0, 'bench', '\\x00'::bytea, '\\x00'::bytea
            FROM unnest(\(positions)::bigint[], \(ids)::text[], \(streams)::text[], \(types)::text[], \(payloads)::text[]) AS u(p, i, s, t, d)
            """, logger: logger)
        return (ContinuousClock.now - start).seconds
    }

    /// Reads every row and its payload; returns (rows, seconds).
    func scan() async throws -> (Int64, Double) {
        let start = ContinuousClock.now
        var count: Int64 = 0
        var bytes = 0
        let rows = try await client.query("SELECT position, event_id, stream, type, payload, hash FROM \(unescaped: table) ORDER BY position", logger: logger)
        for try await (_, _, _, _, payload, _) in rows.decode((Int64, UUID, String, String, String, ByteBuffer).self) {
            count += 1
            bytes &+= payload.utf8.count
        }
        return (count, (ContinuousClock.now - start).seconds)
    }
}
