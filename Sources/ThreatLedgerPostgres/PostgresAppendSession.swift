import Logging
import NIOCore
import PostgresNIO
import ThreatLedgerCore
import ThreatLedgerStore

/// An append on PostgreSQL in three round trips, whatever the batch's size:
///
/// 1. `SELECT * FROM <schema>.begin_append(lock_name, ids, streams, first_of)`: a PL/pgSQL function that takes
///    the log's append lock (the same advisory lock key every writer takes, here at session level)
///    and only then reads, each query with a snapshot of its own taken after the lock: the head,
///    the batch's ids already stored, its streams' versions, and the first event of each source
///    whose article the planner will need (its claims' evidence was not already checked against an
///    article earlier in the batch).
/// 2. One `INSERT … SELECT FROM unnest(…)` of the whole batch, a statement of its own: atomic.
/// 3. `SELECT pg_advisory_unlock(…)`.
///
/// Ordering is what the transactional path gives (see ``PostgresEventLog``): a position is assigned
/// under the lock after every earlier insert committed, and the lock is released only after this
/// insert committed. Reads a rule needs beyond these (a claim's history, for a correction or a
/// retraction) are queries of their own between 1 and 2, still under the lock.
///
/// A session-level advisory lock is not released by an error or a rollback, so every path releases
/// it, and when the release itself fails the connection is closed, which releases it on the server.
struct PostgresAppendSession: AppendTransaction {
    let connection: PostgresConnection
    let schema: String
    let logger: Logger
    /// What step 1 read.
    let start: Start
    /// Where the inserted rows are told, for the log's ``AppendKnowledge``.
    let learned: LearnedFromAppend?

    struct Start: Sendable {
        var head: ChainHead?
        var lookups = AppendLookups()
        var keys: (ids: [EventID], streams: [StreamName])
        var firstEvents: [StreamName: RecordedEvent] = [:]
        var firstOf: Set<StreamName>
    }

    /// The name of the log's append lock, taken by every writer on either path.
    static func lockName(schema: String) -> String { "threatledger.append." + schema }

    /// `begin_append`'s signature, as `to_regprocedure` names it.
    static func functionSignature(schema: String) -> String { schema + ".begin_append(text,uuid[],text[],text[])" }

    /// The function step 1 calls; created with the log, and on opening a log made before it existed.
    /// Its queries are planned for each call's arrays (`force_custom_plan`): PL/pgSQL would otherwise
    /// settle on a generic plan after five calls, which can scan the table comparing every row with
    /// the whole array (measured: appends in batches of 100 fell from 2,916 to 834 events/s).
    static func functionDefinition(schema: String) -> String {
        """
        CREATE OR REPLACE FUNCTION \(schema).begin_append(lock_name text, ids uuid[], streams text[], first_of text[])
        RETURNS TABLE (r_kind text, r_position bigint, r_event_id text, r_stream text, r_stream_version bigint, r_type text,
            r_schema_version integer, r_payload text, r_recorded_at bigint, r_recorded_by text, r_correlation_id text,
            r_causation_id text, r_previous_hash bytea, r_hash bytea)
        LANGUAGE plpgsql VOLATILE SET plan_cache_mode = force_custom_plan AS $$
        BEGIN
            -- The lock first; each query below then takes its snapshot after it (READ COMMITTED, VOLATILE).
            PERFORM pg_advisory_lock(hashtextextended(lock_name, 0));
            RETURN QUERY SELECT 'head'::text, e.position, NULL::text, NULL::text, NULL::bigint, NULL::text, NULL::integer,
                NULL::text, e.recorded_at, NULL::text, NULL::text, NULL::text, NULL::bytea, e.hash
                FROM \(schema).events e ORDER BY e.position DESC LIMIT 1;
            RETURN QUERY SELECT 'stored'::text, e.position, e.event_id::text, e.stream, e.stream_version, e.type, e.schema_version,
                e.payload, e.recorded_at, e.recorded_by, e.correlation_id, e.causation_id, e.previous_hash, e.hash
                FROM \(schema).events e WHERE e.event_id = ANY(ids);
            RETURN QUERY SELECT 'version'::text, NULL::bigint, NULL::text, e.stream, MAX(e.stream_version), NULL::text, NULL::integer,
                NULL::text, NULL::bigint, NULL::text, NULL::text, NULL::text, NULL::bytea, NULL::bytea
                FROM \(schema).events e WHERE e.stream = ANY(streams) GROUP BY e.stream;
            RETURN QUERY SELECT 'first'::text, e.position, e.event_id::text, e.stream, e.stream_version, e.type, e.schema_version,
                e.payload, e.recorded_at, e.recorded_by, e.correlation_id, e.causation_id, e.previous_hash, e.hash
                FROM \(schema).events e WHERE e.stream = ANY(first_of) AND e.stream_version = 1;
        END $$
        """
    }

    /// Appends `events` (prepared by the log's ``AppendPreparation``) on `connection`.
    nonisolated(nonsending) static func append(
        _ events: [ProposedEvent], prepared: AppendPreparation.Batch, on connection: PostgresConnection, schema: String,
        clock: any RecordClock, validator: EventValidator, logger: Logger, learned: LearnedFromAppend? = nil
    ) async throws -> AppendResult {
        let lock = lockName(schema: schema)
        let references = events.map { validator.references(of: $0) }
        let keys = AppendPlanner.lookupKeys(of: events, references: references)
        var firstOf = Set<StreamName>()
        for (index, event) in events.enumerated() where event.type == EventType.claimRecorded.rawValue && !prepared.evidenceChecked[index] {
            for reference in references[index] { firstOf.insert(reference.stream) }
        }
        let outcome: Result<AppendResult, any Error>
        do {
            let start = try await begin(connection: connection, schema: schema, lockName: lock, keys: keys, firstOf: firstOf, logger: logger)
            learned?.read(start)
            let session = PostgresAppendSession(connection: connection, schema: schema, logger: logger, start: start, learned: learned)
            outcome = .success(try await AppendPlanner.append(events, prepared: prepared, in: session, clock: clock, validator: validator))
        } catch {
            outcome = .failure(error)
        }
        do {
            try await connection.query("SELECT pg_advisory_unlock(hashtextextended(\(lock), 0))", logger: logger)
        } catch {
            try? await connection.close()  // the server releases a closed session's locks
        }
        return try outcome.get()
    }

    /// Step 1: the lock, then every read the plan needs, in one call.
    nonisolated(nonsending) private static func begin(
        connection: PostgresConnection, schema: String, lockName: String, keys: (ids: [EventID], streams: [StreamName]),
        firstOf: Set<StreamName>, logger: Logger
    ) async throws -> Start {
        var start = Start(keys: keys, firstOf: firstOf)
        let ids = keys.ids.map(\.rawValue)
        let streams = keys.streams.map(\.rawValue)
        let first = firstOf.map(\.rawValue)
        let rows = try await connection.query(
            "SELECT * FROM \(unescaped: schema).begin_append(\(lockName), \(ids)::text[]::uuid[], \(streams)::text[], \(first)::text[])",
            logger: logger)
        typealias Row = (
            String, Int64?, String?, String?, Int64?, String?, Int32?, String?, Int64?, String?, String?, String?, ByteBuffer?, ByteBuffer?
        )
        for try await row in rows.decode(Row.self) {
            switch row.0 {
            case "head":
                guard let position = row.1, let recordedAt = row.8, let hash = row.13.flatMap({ SHA256Hash(bytes: Array(buffer: $0)) }) else {
                    throw StoreError.corruptRow(position: row.1 ?? 0, reason: "the head's hash is malformed")
                }
                start.head = ChainHead(position: position, hash: hash, recordedAt: RecordTime(microsecondsSinceEpoch: recordedAt))
            case "version":
                if let name = row.3, let version = row.4, let stream = try? StreamName(name) { start.lookups.versions[stream] = version }
            default:
                let event = try recordedEvent(row)
                if row.0 == "stored" { start.lookups.stored[event.id] = event } else { start.firstEvents[event.stream] = event }
            }
        }
        return start
    }

    private static func recordedEvent(
        _ row: (String, Int64?, String?, String?, Int64?, String?, Int32?, String?, Int64?, String?, String?, String?, ByteBuffer?, ByteBuffer?)
    ) throws -> RecordedEvent {
        guard let position = row.1, let id = row.2, let stream = row.3, let streamVersion = row.4, let type = row.5, let schemaVersion = row.6,
            let payload = row.7, let recordedAt = row.8, let recordedBy = row.9, let previous = row.12, let hash = row.13
        else { throw StoreError.corruptRow(position: row.1 ?? 0, reason: "an event row has a null column") }
        return try PostgresEventLog.event(
            (position, id, stream, streamVersion, type, schemaVersion, payload, recordedAt, recordedBy, row.10, row.11, previous, hash))
    }

    // MARK: AppendTransaction

    private var reader: PostgresAppendTransaction { PostgresAppendTransaction(connection: connection, schema: schema, logger: logger) }

    nonisolated(nonsending) func head() async throws -> ChainHead? { start.head }

    nonisolated(nonsending) func lookUp(ids: [EventID], streams: [StreamName]) async throws -> AppendLookups {
        guard ids == start.keys.ids, streams == start.keys.streams else { return try await reader.lookUp(ids: ids, streams: streams) }
        return start.lookups
    }

    nonisolated(nonsending) func storedEvent(id: EventID) async throws -> RecordedEvent? {
        try await reader.storedEvent(id: id)
    }

    nonisolated(nonsending) func streamVersion(_ stream: StreamName) async throws -> Int64 {
        try await reader.streamVersion(stream)
    }

    nonisolated(nonsending) func firstEvent(of stream: StreamName) async throws -> RecordedEvent? {
        if start.firstOf.contains(stream) { return start.firstEvents[stream] }
        return try await reader.firstEvent(of: stream)
    }

    nonisolated(nonsending) func events(of stream: StreamName, before position: Int64) async throws -> [RecordedEvent] {
        try await reader.events(of: stream, before: position)
    }

    /// The batch in one statement, so all or nothing without a transaction around the session.
    nonisolated(nonsending) func insert(_ events: [RecordedEvent]) async throws {
        try await reader.insert(events)
        learned?.inserted(events)
    }

    /// Not used by an append (the planner inserts its batch at once); one event is one statement.
    nonisolated(nonsending) func insert(_ event: RecordedEvent) async throws {
        try await reader.insert([event])
    }
}
