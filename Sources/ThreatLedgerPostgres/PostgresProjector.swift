import Foundation
import Logging
import NIOCore
import PostgresNIO
import ThreatLedgerCore
import ThreatLedgerProjections
import ThreatLedgerStore

/// Projections and the read index on PostgreSQL, beside the log in its schema: the storage of
/// ``ProjectionRowStore`` and ``ClaimVersionIndex``, with the rules written once in
/// `ProjectionEngine` (the same as on SQLite). Rows are written with their checkpoint in one
/// transaction (the checkpoint row locked, so concurrent servers catch up one at a time); a
/// rebuild fills a shadow table and swaps it in with its checkpoint in one transaction
/// (PostgreSQL's DDL is transactional: readers see old or new rows, never half), and every rebuild
/// is recorded.
///
/// **One rebuild at a time**, across every process and server on the database: a session-level advisory
/// lock held on a dedicated connection for the rebuild's length (PostgreSQL releases it when that
/// connection ends, so a killed rebuilder never leaves it stale), and a lease row that names the holder
/// and since when, for the message a second rebuilder gets.
public actor PostgresProjector: Projector, ProjectionRowStore {
    let log: PostgresEventLog
    let clock: any RecordClock
    let logger = Logger(label: "threatledger.projector")
    public nonisolated let holder: String
    nonisolated var schema: String { log.location.schema }
    nonisolated var client: PostgresClient { log.client }

    public init(log: PostgresEventLog, clock: any RecordClock = SystemRecordClock(), role: String = "threatledger") async throws(ProjectionError) {
        self.log = log
        self.clock = clock
        self.holder = ProcessIdentity.holder(role: role)
        do {
            let schema = log.location.schema
            try await log.client.withTransaction(logger: logger) { connection in
                try await connection.run("SELECT pg_advisory_xact_lock(hashtextextended(\("threatledger.migrate." + schema), 0))")
                try await connection.run(
                    "CREATE TABLE IF NOT EXISTS \(unescaped: schema).projection_checkpoints (projection text PRIMARY KEY, version integer NOT NULL, position bigint NOT NULL, hash bytea, updated_at bigint NOT NULL)"
                )
                try await connection.run(
                    "CREATE TABLE IF NOT EXISTS \(unescaped: schema).projection_rebuilds (id bigserial PRIMARY KEY, projection text NOT NULL, version integer NOT NULL, started_at bigint NOT NULL, finished_at bigint NOT NULL, events_folded bigint NOT NULL, head_position bigint NOT NULL, head_hash bytea, digest bytea NOT NULL, holder text NOT NULL)"
                )
                try await connection.run(
                    "CREATE TABLE IF NOT EXISTS \(unescaped: schema).projection_leases (projection text PRIMARY KEY, holder text NOT NULL, since bigint NOT NULL)"
                )
                // The lease (issue 14): when the holder last renewed it, and its lock connection's backend.
                try await connection.run("ALTER TABLE \(unescaped: schema).projection_leases ADD COLUMN IF NOT EXISTS renewed_at bigint")
                try await connection.run("ALTER TABLE \(unescaped: schema).projection_leases ADD COLUMN IF NOT EXISTS backend_pid integer")
                try await connection.run(
                    "CREATE TABLE IF NOT EXISTS \(unescaped: schema).projection_takeovers (id bigserial PRIMARY KEY, projection text NOT NULL, at bigint NOT NULL, holder text NOT NULL, previous_holder text NOT NULL, previous_since bigint NOT NULL, reason text NOT NULL)"
                )
            }
        } catch {
            throw .storage(Self.describe(error))
        }
    }

    /// The table a projection's rows live in (`shadow`: the one a rebuild fills). Its name is new
    /// with version 2 of the projections, so tables of version 1 are never read as if they were it.
    nonisolated func rowsTable(_ definition: ProjectionDefinition, shadow: Bool = false) -> String {
        "\(schema).\(definition.tablePrefix)\(shadow ? "__next" : "")_keyed_rows"
    }

    // MARK: Rows

    public func rowsCheckpoint(_ definition: ProjectionDefinition) async throws(ProjectionError) -> IndexCheckpoint? {
        try await wrap { try await self.checkpoint(definition, on: nil) }
    }

    public func storedRows(_ definition: ProjectionDefinition, selection: RowSelection) async throws(ProjectionError) -> StoredRows {
        try await wrap {
            try await self.client.withTransaction(logger: self.logger) { connection in
                try await self.lockCheckpoint(definition, "FOR SHARE", on: connection)
                let checkpoint = try await self.checkpoint(definition, on: connection)
                guard checkpoint?.version == definition.version, try await self.tableExists(self.rowsTable(definition), on: connection) else {
                    return StoredRows(checkpoint: checkpoint, rows: [:])
                }
                let table = self.rowsTable(definition)
                let rows =
                    switch selection {
                    case .all: try await connection.run("SELECT key, doc FROM \(unescaped: table)")
                    case .groups(let groups): try await connection.run("SELECT key, doc FROM \(unescaped: table) WHERE grp = ANY(\(groups))")
                    case .keys(let keys): try await connection.run("SELECT key, doc FROM \(unescaped: table) WHERE key = ANY(\(keys))")
                    case .page(let after, let limit):
                        try await connection.run("SELECT key, doc FROM \(unescaped: table) WHERE key > \(after ?? "") ORDER BY key LIMIT \(limit)")
                    }
                var result: [String: JSONValue] = [:]
                for try await (key, doc) in rows.decode((String, String).self) { result[key] = try JSONParser().parse(doc) }
                return StoredRows(checkpoint: checkpoint, rows: result)
            }
        }
    }

    public func storedKeys(_ definition: ProjectionDefinition) async throws(ProjectionError) -> [String] {
        try await wrap {
            try await self.client.withTransaction(logger: self.logger) { connection in
                guard try await self.tableExists(self.rowsTable(definition), on: connection) else { return [] }
                var keys: [String] = []
                for try await key in try await connection.run("SELECT key FROM \(unescaped: self.rowsTable(definition))").decode(String.self) {
                    keys.append(key)
                }
                return keys.sorted()
            }
        }
    }

    public func commitRows(
        _ definition: ProjectionDefinition, _ rows: [String: JSONValue?], expected: IndexCheckpoint, checkpoint: IndexCheckpoint
    ) async throws(ProjectionError) -> Bool {
        try await wrap {
            try await self.client.withTransaction(logger: self.logger) { connection in
                try await self.lockCheckpoint(definition, "FOR UPDATE", on: connection)
                guard try await self.checkpoint(definition, on: connection) == expected else { return false }
                try await self.createRowsTable(self.rowsTable(definition), on: connection)
                try await self.insert(definition, rows.compactMapValues { $0 }, into: self.rowsTable(definition), on: connection)
                let deleted = rows.filter { $0.value == nil }.map(\.key).sorted()
                if !deleted.isEmpty {
                    try await connection.run("DELETE FROM \(unescaped: self.rowsTable(definition)) WHERE key = ANY(\(deleted))")
                }
                try await self.writeCheckpoint(definition, position: checkpoint.position, hash: checkpoint.hash, on: connection)
                return true
            }
        }
    }

    public func rebuilds(projection: String?) async throws(ProjectionError) -> [RebuildRecord] {
        try await wrap {
            let rows = try await self.client.query(
                "SELECT id, projection, version, started_at, finished_at, events_folded, head_position, head_hash, digest, holder FROM \(unescaped: self.schema).projection_rebuilds WHERE \(projection)::text IS NULL OR projection = \(projection) ORDER BY id"
            )
            var records: [RebuildRecord] = []
            for try await (id, name, version, started, finished, folded, head, headHash, digest, holder) in rows.decode(
                (Int64, String, Int32, Int64, Int64, Int64, Int64, ByteBuffer?, ByteBuffer, String).self)
            {
                records.append(
                    RebuildRecord(
                        id: id, projection: name, version: Int(version), startedAt: RecordTime(microsecondsSinceEpoch: started),
                        finishedAt: RecordTime(microsecondsSinceEpoch: finished), eventsFolded: folded, headPosition: head,
                        headHash: headHash.flatMap { SHA256Hash(bytes: Array(buffer: $0)) },
                        digest: SHA256Hash(bytes: Array(buffer: digest)) ?? .genesis, holder: holder))
            }
            return records
        }
    }

    // MARK: Rebuild

    public nonisolated let rebuildTurns = RebuildTurns()

    /// Takes the rebuild lock (a session advisory lock on a connection of its own, PostgreSQL's
    /// proof that the holder is alive) and its lease row, fills the shadow table in short
    /// transactions, swaps it in with the checkpoint and the rebuild record in one transaction
    /// (PostgreSQL's DDL is transactional: readers see the old rows or the new), and lets the lock
    /// go. A lock held by a session whose lease expired, or any lock when `takeOver` gives an
    /// operator's reason, is taken over: the holder's lock connection is terminated
    /// (`pg_terminate_backend`), which frees the advisory lock, and the take-over is recorded. The
    /// old holder finds at its swap that the lease is no longer its own and stops.
    public func rebuildRows(
        _ definition: ProjectionDefinition, takeOver: String?, fill: @Sendable (ShadowRowWriter) async throws -> RebuiltRows
    ) async throws(ProjectionError) -> RebuildRecord {
        return try await withRebuildLock(definition, takeOver: takeOver) { renew in
            let started = self.clock.now()
            let shadow = self.rowsTable(definition, shadow: true)
            try await self.client.withTransaction(logger: self.logger) { connection in
                try await connection.run("DROP TABLE IF EXISTS \(unescaped: shadow)")
                try await self.createRowsTable(shadow, on: connection)
            }
            let filled = try await withoutActuallyEscaping(renew) { renew in
                try await fill(
                    ShadowRowWriter { rows in
                        try await self.client.withTransaction(logger: self.logger) { connection in
                            try await self.insert(definition, rows, into: shadow, on: connection)
                        }
                        try await renew()
                    })
            }
            let finished = self.clock.now()
            return try await self.client.withTransaction(logger: self.logger) { connection in
                try await self.lockCheckpoint(definition, "FOR UPDATE", on: connection)
                try await self.checkStillHolding(definition, on: connection)
                // The tables of version 1 (a fold's documents and its rendered rows) go too.
                for part in ["sources", "claims", "incidents", "rows", "keyed_rows"] {
                    try await connection.run("DROP TABLE IF EXISTS \(unescaped: "\(self.schema).\(definition.tablePrefix)_\(part)")")
                }
                try await connection.run("ALTER TABLE \(unescaped: shadow) RENAME TO \(unescaped: "\(definition.tablePrefix)_keyed_rows")")
                try await self.writeCheckpoint(definition, position: filled.checkpoint.position, hash: filled.checkpoint.hash, on: connection)
                return try await self.recordRebuild(
                    definition, started: started, finished: finished, folded: filled.checkpoint.position,
                    headPosition: filled.checkpoint.position, headHash: filled.checkpoint.hash, digest: filled.digest, on: connection)
            }
        }
    }

    /// Runs `body` holding `definition`'s rebuild lock and lease; `body` calls `renew` as it goes
    /// (it renews the lease when a quarter of it has passed).
    func withRebuildLock(
        _ definition: ProjectionDefinition, takeOver: String?,
        _ body: (_ renew: @Sendable () async throws -> Void) async throws -> RebuildRecord
    ) async throws(ProjectionError) -> RebuildRecord {
        do {
            return try await client.withConnection { lockConnection in
                let key = "threatledger.rebuild.\(self.schema).\(definition.name)"
                let leases = "\(self.schema).projection_leases"
                func tryLock() async throws -> Bool {
                    for try await got in try await lockConnection.run("SELECT pg_try_advisory_lock(hashtextextended(\(key), 0))").decode(Bool.self) {
                        return got
                    }
                    return false
                }
                var previous: (holder: String, since: Int64, reason: String)?
                if try await !tryLock() {
                    var lease: (holder: String, since: Int64, renewed: Int64, pid: Int32?)?
                    for try await (h, since, renewed, pid) in try await lockConnection.run(
                        "SELECT holder, since, COALESCE(renewed_at, since), backend_pid FROM \(unescaped: leases) WHERE projection = \(definition.name)"
                    ).decode((String, Int64, Int64, Int32?).self) {
                        lease = (h, since, renewed, pid)
                    }
                    let expired = lease.map { RebuildLease.expired(renewed: RecordTime(microsecondsSinceEpoch: $0.renewed), now: self.clock.now()) } ?? false
                    guard takeOver != nil || expired, let lease, let pid = lease.pid else {
                        throw ProjectionError.rebuildInProgress(
                            projection: definition.name, holder: lease?.holder ?? "another process",
                            since: RecordTime(microsecondsSinceEpoch: lease?.since ?? 0))
                    }
                    try await lockConnection.run("SELECT pg_terminate_backend(\(pid))")
                    var got = false
                    for _ in 0..<100 where !got {
                        got = try await tryLock()
                        if !got { try await Task.sleep(for: .milliseconds(50)) }
                    }
                    guard got else {
                        throw ProjectionError.rebuildInProgress(
                            projection: definition.name, holder: lease.holder, since: RecordTime(microsecondsSinceEpoch: lease.since))
                    }
                    let renewed = RecordTime(microsecondsSinceEpoch: lease.renewed)
                    previous = (
                        lease.holder, lease.since,
                        takeOver.map { "taken over: \($0)" }
                            ?? "its lease expired (last renewed \(renewed.iso8601), lease \(RebuildLease.seconds) s)"
                    )
                }
                do {
                    let now = self.clock.now().microsecondsSinceEpoch
                    try await lockConnection.run(
                        """
                        INSERT INTO \(unescaped: leases) (projection, holder, since, renewed_at, backend_pid)
                        VALUES (\(definition.name), \(self.holder), \(now), \(now), pg_backend_pid())
                        ON CONFLICT (projection) DO UPDATE SET holder = EXCLUDED.holder, since = EXCLUDED.since,
                            renewed_at = EXCLUDED.renewed_at, backend_pid = EXCLUDED.backend_pid
                        """)
                    if let previous {
                        try await lockConnection.run(
                            """
                            INSERT INTO \(unescaped: self.schema).projection_takeovers (projection, at, holder, previous_holder, previous_since, reason)
                            VALUES (\(definition.name), \(now), \(self.holder), \(previous.holder), \(previous.since), \(previous.reason))
                            """)
                    }
                    self.lastRenewal = now
                    let record = try await body { @Sendable in
                        try await self.renewLease(definition, leases: leases, on: lockConnection)
                    }
                    try await lockConnection.run(
                        "DELETE FROM \(unescaped: leases) WHERE projection = \(definition.name) AND holder = \(self.holder) AND backend_pid = pg_backend_pid()")
                    try await lockConnection.run("SELECT pg_advisory_unlock(hashtextextended(\(key), 0))")
                    return record
                } catch {
                    _ = try? await lockConnection.run("SELECT pg_advisory_unlock(hashtextextended(\(key), 0))")
                    throw error
                }
            }
        } catch let error as ProjectionError {
            throw error
        } catch {
            throw .storage(Self.describe(error))
        }
    }

    /// When this process last renewed its rebuild lease (microseconds).
    private var lastRenewal: Int64 = 0

    /// Renews the lease when a quarter of it has passed since the last renewal.
    private func renewLease(_ definition: ProjectionDefinition, leases: String, on lockConnection: PostgresConnection) async throws {
        let time = clock.now().microsecondsSinceEpoch
        guard time - lastRenewal >= RebuildLease.renewalMicroseconds else { return }
        lastRenewal = time
        try await lockConnection.run(
            "UPDATE \(unescaped: leases) SET renewed_at = \(time) WHERE projection = \(definition.name) AND holder = \(holder) AND backend_pid = pg_backend_pid()"
        )
    }

    /// Every take-over of a rebuild lock, oldest first.
    public func takeOvers(projection: String?) async throws(ProjectionError) -> [RebuildTakeOver] {
        do {
            var result: [RebuildTakeOver] = []
            let rows = try await client.query(
                "SELECT projection, at, holder, previous_holder, previous_since, reason FROM \(unescaped: schema).projection_takeovers WHERE \(projection)::text IS NULL OR projection = \(projection) ORDER BY id",
                logger: logger)
            for try await (name, at, holder, previous, since, reason) in rows.decode((String, Int64, String, String, Int64, String).self) {
                result.append(
                    RebuildTakeOver(
                        projection: name, at: RecordTime(microsecondsSinceEpoch: at), holder: holder, previousHolder: previous,
                        previousSince: RecordTime(microsecondsSinceEpoch: since), reason: reason))
            }
            return result
        } catch {
            throw .storage(Self.describe(error))
        }
    }

    /// Throws ``ProjectionError/rebuildTakenOver(projection:by:)`` unless the rebuild lease is still
    /// this process's (locking the lease row for the swap's transaction): a rebuild whose lock was
    /// taken over swaps nothing in.
    func checkStillHolding(_ definition: ProjectionDefinition, on connection: PostgresConnection) async throws {
        var current = "nobody"
        for try await holder in try await connection.run(
            "SELECT holder FROM \(unescaped: schema).projection_leases WHERE projection = \(definition.name) FOR UPDATE"
        ).decode(String.self) {
            current = holder
        }
        guard current == holder else { throw ProjectionError.rebuildTakenOver(projection: definition.name, by: current) }
    }

    /// Records a finished rebuild (in the swap's transaction) and returns the record.
    func recordRebuild(
        _ definition: ProjectionDefinition, started: RecordTime, finished: RecordTime, folded: Int64, headPosition: Int64,
        headHash: SHA256Hash?, digest: SHA256Hash, on connection: PostgresConnection
    ) async throws -> RebuildRecord {
        var id: Int64 = 0
        for try await value in try await connection.run(
            """
            INSERT INTO \(unescaped: schema).projection_rebuilds (projection, version, started_at, finished_at, events_folded, head_position, head_hash, digest, holder)
            VALUES (\(definition.name), \(Int32(definition.version)), \(started.microsecondsSinceEpoch), \(finished.microsecondsSinceEpoch), \(folded),
                \(headPosition), \(headHash.map { ByteBuffer(bytes: $0.bytes) }), \(ByteBuffer(bytes: digest.bytes)), \(holder)) RETURNING id
            """
        ).decode(Int64.self) {
            id = value
        }
        return RebuildRecord(
            id: id, projection: definition.name, version: definition.version, startedAt: started, finishedAt: finished,
            eventsFolded: folded, headPosition: headPosition, headHash: headHash, digest: digest, holder: holder)
    }

    // MARK: Tables

    private func createRowsTable(_ table: String, on connection: PostgresConnection) async throws {
        try await connection.run("CREATE TABLE IF NOT EXISTS \(unescaped: table) (key text PRIMARY KEY, grp text NOT NULL, doc text NOT NULL)")
        // The index is named after the table's own (unqualified) name, which a rename keeps, so the
        // next shadow's index needs a name of its own: a token makes it.
        let token = String(UInt64(Date().timeIntervalSince1970 * 1_000_000), radix: 36)
        let bare = String(table.split(separator: ".").last ?? "")
        try await connection.run("CREATE INDEX IF NOT EXISTS \(unescaped: "\(bare)_grp_\(token)") ON \(unescaped: table) (grp)")
    }

    private func tableExists(_ table: String, on connection: PostgresConnection) async throws -> Bool {
        for try await value in try await connection.run("SELECT to_regclass(\(table)) IS NOT NULL").decode(Bool.self) { return value }
        return false
    }

    /// Writes rows 500 at a time with `unnest`, replacing rows whose key exists.
    private func insert(
        _ definition: ProjectionDefinition, _ rows: [String: JSONValue], into table: String, on connection: PostgresConnection
    ) async throws {
        let keys = rows.keys.sorted()
        for start in stride(from: 0, to: keys.count, by: 500) {
            let chunk = Array(keys[start..<min(start + 500, keys.count)])
            let groups = chunk.map(definition.group)
            let docs = chunk.map { CanonicalJSON.string(rows[$0]!) }
            try await connection.run(
                """
                INSERT INTO \(unescaped: table) (key, grp, doc) SELECT * FROM unnest(\(chunk)::text[], \(groups)::text[], \(docs)::text[])
                ON CONFLICT (key) DO UPDATE SET grp = EXCLUDED.grp, doc = EXCLUDED.doc
                """)
        }
    }

    func checkpoint(_ definition: ProjectionDefinition, on connection: PostgresConnection?) async throws -> IndexCheckpoint? {
        let query = "SELECT version, position, hash FROM \(unescaped: schema).projection_checkpoints WHERE projection = \(definition.name)" as PostgresQuery
        let rows: PostgresRowSequence
        if let connection { rows = try await connection.run(query) } else { rows = try await client.query(query) }
        for try await (version, position, hash) in rows.decode((Int32, Int64, ByteBuffer?).self) {
            return IndexCheckpoint(version: Int(version), position: position, hash: hash.flatMap { SHA256Hash(bytes: Array(buffer: $0)) })
        }
        return nil
    }

    /// Every transaction that touches a projection's tables locks its checkpoint row first (readers
    /// FOR SHARE, catch-up and swap FOR UPDATE): one lock order, so a reader waits out a swap and then
    /// sees the new tables, and a catch-up and a swap never deadlock.
    func lockCheckpoint(_ definition: ProjectionDefinition, _ mode: String, on connection: PostgresConnection) async throws {
        try await connection.run("SELECT 1 FROM \(unescaped: schema).projection_checkpoints WHERE projection = \(definition.name) \(unescaped: mode)")
    }

    func writeCheckpoint(_ definition: ProjectionDefinition, position: Int64, hash: SHA256Hash?, on connection: PostgresConnection) async throws {
        try await connection.run(
            """
            INSERT INTO \(unescaped: schema).projection_checkpoints VALUES (\(definition.name), \(Int32(definition.version)), \(position),
                \(hash.map { ByteBuffer(bytes: $0.bytes) }), \(clock.now().microsecondsSinceEpoch))
            ON CONFLICT (projection) DO UPDATE SET version = EXCLUDED.version, position = EXCLUDED.position, hash = EXCLUDED.hash, updated_at = EXCLUDED.updated_at
            """)
    }

    func wrap<T>(_ body: () async throws -> T) async throws(ProjectionError) -> T {
        do { return try await body() } catch let error as ProjectionError { throw error } catch {
            if let error = error as? PostgresTransactionError, let inner = error.closureError as? ProjectionError { throw inner }
            throw .storage(Self.describe(error))
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? PostgresTransactionError, let inner = error.closureError { return describe(inner) }
        if let error = error as? PSQLError { return error.serverInfo?[.message].map { "PostgreSQL: \($0)" } ?? "PostgreSQL error \(error.code)" }
        return "\(error)"
    }
}

extension PostgresConnection {
    /// Runs a query through the async API (the one without `logger:` is postgres-nio's older future API).
    /// Statements that return no rows (DDL, inserts) may leave the sequence unread.
    @discardableResult
    func run(_ query: PostgresQuery) async throws -> PostgresRowSequence {
        try await self.query(query, logger: projectorLogger)
    }
}

private let projectorLogger = Logger(label: "threatledger.projector")
