import Foundation
import ThreatLedgerCore
import ThreatLedgerStore

/// Projections and the read index in the log's own SQLite file: the storage of
/// ``ProjectionRowStore`` (rows per key in `<prefix>_keyed_rows`, checkpoints, the rebuild's shadow
/// table, lock and swap) and of ``ClaimVersionIndex``. What to store and when is decided once, for
/// every backend, by ``ProjectionEngine``.
///
/// - **Catch-up** writes the re-rendered rows and moves the checkpoint in one write transaction,
///   only if the checkpoint is still the one the catch-up started from.
/// - **Rebuild** takes the projection's rebuild lock, fills the shadow table (`<prefix>__next_keyed_rows`)
///   in short transactions, and in one transaction drops the live table, renames the shadow into
///   place, sets the checkpoint and records the rebuild. Readers see the old rows until that commit
///   and the new ones after: never a half-built projection. A rebuild killed at any point leaves the
///   old rows serving; the next one drops the leftover shadow and takes over the dead holder's lock.
/// - **Serving**: ``Projector/servedRows(_:selection:)``, after ``Projector/ensureCurrent(_:progress:)``
///   in a one-shot command; a server's ``ProjectionFollower`` catches up in the background instead.
public actor SQLiteProjector: Projector, ProjectionRowStore {
    let connection: SQLiteConnection
    /// A second connection for the rebuild lock, so its lease can be renewed while the main one
    /// holds the fold's read snapshot.
    let lockConnection: SQLiteConnection
    let clock: any RecordClock
    public nonisolated let path: String
    /// Who this process is, as the rebuild lock records it.
    public nonisolated let holder: String

    public init(path: String, clock: any RecordClock = SystemRecordClock(), role: String = "threatledger") throws(ProjectionError) {
        self.path = path
        self.clock = clock
        self.holder = ProcessIdentity.holder(role: role)
        do {
            // Opening the log first creates and migrates the file if needed.
            _ = try SQLiteEventLog(path: path)
            connection = try SQLiteConnection(path: path)
            try connection.execute("PRAGMA busy_timeout = 10000")
            _ = try connection.scalarText("PRAGMA journal_mode = WAL")
            try connection.execute("PRAGMA synchronous = FULL")
            try connection.execute(
                """
                CREATE TABLE IF NOT EXISTS projection_checkpoints (
                    projection TEXT PRIMARY KEY, version INTEGER NOT NULL, position INTEGER NOT NULL,
                    hash BLOB, updated_at INTEGER NOT NULL) STRICT;
                CREATE TABLE IF NOT EXISTS projection_rebuilds (
                    id INTEGER PRIMARY KEY, projection TEXT NOT NULL, version INTEGER NOT NULL,
                    started_at INTEGER NOT NULL, finished_at INTEGER NOT NULL, events_folded INTEGER NOT NULL,
                    head_position INTEGER NOT NULL, head_hash BLOB, digest BLOB NOT NULL, holder TEXT NOT NULL) STRICT;
                CREATE TABLE IF NOT EXISTS projection_locks (
                    projection TEXT PRIMARY KEY, holder TEXT NOT NULL, pid INTEGER NOT NULL, host TEXT NOT NULL,
                    since INTEGER NOT NULL) STRICT;
                CREATE TABLE IF NOT EXISTS projection_takeovers (
                    id INTEGER PRIMARY KEY, projection TEXT NOT NULL, at INTEGER NOT NULL, holder TEXT NOT NULL,
                    previous_holder TEXT NOT NULL, previous_since INTEGER NOT NULL, reason TEXT NOT NULL) STRICT;
                """)
            // The lease column came with issue 14; a file made before gets it here (a missing value
            // counts as renewed when the lock was taken).
            let hasRenewed = try connection.scalarInt("SELECT COUNT(*) FROM pragma_table_info('projection_locks') WHERE name = 'renewed_at'") ?? 0
            if hasRenewed == 0 { try connection.execute("ALTER TABLE projection_locks ADD COLUMN renewed_at INTEGER") }
            lockConnection = try SQLiteConnection(path: path)
            try lockConnection.execute("PRAGMA busy_timeout = 10000")
        } catch {
            throw .storage("\(error)")
        }
    }

    // MARK: Rows

    /// The table a projection's rows live in (`shadow`: the one a rebuild fills). Its name is new
    /// with version 2 of the projections, so a file from before, whose tables had other columns,
    /// is never read as if it had these: its checkpoint's version sends it to a rebuild, which
    /// drops the old tables.
    nonisolated func rowsTable(_ definition: ProjectionDefinition, shadow: Bool = false) -> String {
        "\(definition.tablePrefix)\(shadow ? "__next" : "")_keyed_rows"
    }

    public func rowsCheckpoint(_ definition: ProjectionDefinition) throws(ProjectionError) -> IndexCheckpoint? {
        try readCheckpoint(definition)
    }

    public func storedRows(_ definition: ProjectionDefinition, selection: RowSelection) throws(ProjectionError) -> StoredRows {
        try wrap {
            try connection.transaction(immediate: false) {
                let checkpoint = try readCheckpoint(definition)
                guard checkpoint?.version == definition.version, try tableExists(rowsTable(definition)) else {
                    return StoredRows(checkpoint: checkpoint, rows: [:])
                }
                var rows: [String: JSONValue] = [:]
                if case .page(let after, let limit) = selection {
                    let select = try connection.statement("SELECT key, doc FROM \(rowsTable(definition)) WHERE key > ?1 ORDER BY key LIMIT ?2")
                    defer { select.reset() }
                    select.bind(1, after ?? "")
                    select.bind(2, Int64(limit))
                    while try select.step() { rows[select.text(0) ?? ""] = try JSONParser().parse(select.text(1) ?? "null") }
                    return StoredRows(checkpoint: checkpoint, rows: rows)
                }
                let (sql, values): (String, [String?]) =
                    switch selection {
                    case .all: ("SELECT key, doc FROM \(rowsTable(definition))", [nil])
                    case .groups(let groups): ("SELECT key, doc FROM \(rowsTable(definition)) WHERE grp = ?", groups)
                    case .keys(let keys): ("SELECT key, doc FROM \(rowsTable(definition)) WHERE key = ?", keys)
                    case .page: ("", [])
                    }
                let select = try connection.statement(sql)
                defer { select.reset() }
                for value in values {
                    select.reset()
                    if let value { select.bind(1, value) }
                    while try select.step() { rows[select.text(0) ?? ""] = try JSONParser().parse(select.text(1) ?? "null") }
                }
                return StoredRows(checkpoint: checkpoint, rows: rows)
            }
        }
    }

    public func storedKeys(_ definition: ProjectionDefinition) throws(ProjectionError) -> [String] {
        try wrap {
            guard try tableExists(rowsTable(definition)) else { return [] }
            let select = try connection.statement("SELECT key FROM \(rowsTable(definition)) ORDER BY key")
            defer { select.reset() }
            var keys: [String] = []
            while try select.step() { keys.append(select.text(0) ?? "") }
            return keys
        }
    }

    public func commitRows(
        _ definition: ProjectionDefinition, _ rows: [String: JSONValue?], expected: IndexCheckpoint, checkpoint: IndexCheckpoint
    ) throws(ProjectionError) -> Bool {
        try wrap {
            try connection.transaction {
                guard try readCheckpoint(definition) == expected else { return false }
                try createRowsTable(rowsTable(definition))
                let upsert = try connection.statement("INSERT OR REPLACE INTO \(rowsTable(definition)) (key, grp, doc) VALUES (?, ?, ?)")
                let delete = try connection.statement("DELETE FROM \(rowsTable(definition)) WHERE key = ?")
                for key in rows.keys.sorted() {
                    if let row = rows[key] ?? nil {
                        upsert.reset()
                        upsert.bind(1, key)
                        upsert.bind(2, definition.group(key))
                        upsert.bind(3, CanonicalJSON.string(row))
                        _ = try upsert.step()
                    } else {
                        delete.reset()
                        delete.bind(1, key)
                        _ = try delete.step()
                    }
                }
                upsert.reset()
                delete.reset()
                try writeCheckpoint(definition, position: checkpoint.position, hash: checkpoint.hash)
                return true
            }
        }
    }

    /// Every rebuild recorded, oldest first.
    public func rebuilds(projection: String?) throws(ProjectionError) -> [RebuildRecord] {
        try wrap {
            let statement = try connection.statement(
                """
                SELECT id, projection, version, started_at, finished_at, events_folded, head_position, head_hash, digest, holder
                FROM projection_rebuilds WHERE ?1 IS NULL OR projection = ?1 ORDER BY id
                """)
            statement.bind(1, projection)
            defer { statement.reset() }
            var records: [RebuildRecord] = []
            while try statement.step() {
                records.append(
                    RebuildRecord(
                        id: statement.int64(0), projection: statement.text(1) ?? "", version: Int(statement.int64(2)),
                        startedAt: RecordTime(microsecondsSinceEpoch: statement.int64(3)),
                        finishedAt: RecordTime(microsecondsSinceEpoch: statement.int64(4)), eventsFolded: statement.int64(5),
                        headPosition: statement.int64(6), headHash: SHA256Hash(bytes: statement.blob(7)),
                        digest: SHA256Hash(bytes: statement.blob(8)) ?? .genesis, holder: statement.text(9) ?? ""))
            }
            return records
        }
    }

    // MARK: Rebuild

    public nonisolated let rebuildTurns = RebuildTurns()

    public func rebuildRows(
        _ definition: ProjectionDefinition, takeOver: String?, fill: @Sendable (ShadowRowWriter) async throws -> RebuiltRows
    ) async throws(ProjectionError) -> RebuildRecord {
        try acquireLock(definition, takeOver: takeOver)
        defer { try? releaseLock(definition) }
        let started = clock.now()
        let shadow = rowsTable(definition, shadow: true)
        try wrap {
            try connection.execute("DROP TABLE IF EXISTS \(shadow)")
            try createRowsTable(shadow)
        }
        let filled: RebuiltRows
        do {
            filled = try await fill(ShadowRowWriter { rows in try await self.writeShadow(definition, rows) })
        } catch let error as ProjectionError {
            throw error
        } catch {
            throw .storage("\(error)")
        }
        return try wrap {
            try renewLease(definition, force: true)
            let finished = clock.now()
            return try connection.transaction {
                try checkStillHolding(definition, on: connection)
                // The tables of version 1 (a fold's documents and its rendered rows) go too.
                for table in ["sources", "claims", "incidents", "rows", "keyed_rows"] {
                    try connection.execute("DROP TABLE IF EXISTS \(definition.tablePrefix)_\(table)")
                }
                try connection.execute("ALTER TABLE \(shadow) RENAME TO \(rowsTable(definition))")
                try writeCheckpoint(definition, position: filled.checkpoint.position, hash: filled.checkpoint.hash)
                return try recordRebuild(
                    definition, started: started, finished: finished, folded: filled.checkpoint.position,
                    headPosition: filled.checkpoint.position, headHash: filled.checkpoint.hash, digest: filled.digest)
            }
        }
    }

    /// Writes rows into the rebuild's shadow table in one short transaction, and keeps the lease.
    func writeShadow(_ definition: ProjectionDefinition, _ rows: [String: JSONValue]) throws {
        try connection.transaction {
            let insert = try connection.statement("INSERT OR REPLACE INTO \(rowsTable(definition, shadow: true)) (key, grp, doc) VALUES (?, ?, ?)")
            for key in rows.keys.sorted() {
                insert.reset()
                insert.bind(1, key)
                insert.bind(2, definition.group(key))
                insert.bind(3, CanonicalJSON.string(rows[key]!))
                _ = try insert.step()
            }
            insert.reset()
        }
        try renewLease(definition)
    }

    /// Records a finished rebuild (in the swap's transaction) and returns the record.
    func recordRebuild(
        _ definition: ProjectionDefinition, started: RecordTime, finished: RecordTime, folded: Int64, headPosition: Int64,
        headHash: SHA256Hash?, digest: SHA256Hash
    ) throws -> RebuildRecord {
        let insert = try connection.statement(
            """
            INSERT INTO projection_rebuilds (projection, version, started_at, finished_at, events_folded,
                head_position, head_hash, digest, holder) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insert.bind(1, definition.name)
        insert.bind(2, Int64(definition.version))
        insert.bind(3, started.microsecondsSinceEpoch)
        insert.bind(4, finished.microsecondsSinceEpoch)
        insert.bind(5, folded)
        insert.bind(6, headPosition)
        if let headHash { insert.bind(7, bytes: headHash.bytes) } else { insert.bind(7, nil as String?) }
        insert.bind(8, bytes: digest.bytes)
        insert.bind(9, holder)
        _ = try insert.step()
        let id = try connection.scalarInt("SELECT last_insert_rowid()") ?? 0
        return RebuildRecord(
            id: id, projection: definition.name, version: definition.version, startedAt: started, finishedAt: finished,
            eventsFolded: folded, headPosition: headPosition, headHash: headHash, digest: digest, holder: holder)
    }

    // MARK: Lock

    /// Takes the projection's rebuild lock: free, or held by a holder that is gone or whose lease
    /// expired, or (with `takeOver`, an operator's reason) held by anyone. Every lock that passes from
    /// a holder that did not release it is recorded as a take-over.
    func acquireLock(_ definition: ProjectionDefinition, takeOver: String?) throws(ProjectionError) {
        try wrap {
            try lockConnection.transaction {
                let now = clock.now()
                let select = try lockConnection.statement(
                    "SELECT holder, pid, host, since, COALESCE(renewed_at, since) FROM projection_locks WHERE projection = ?")
                select.bind(1, definition.name)
                var previous: (holder: String, since: RecordTime, reason: String)?
                if try select.step() {
                    let holder = select.text(0) ?? "?"
                    let pid = Int32(truncatingIfNeeded: select.int64(1))
                    let host = select.text(2) ?? ""
                    let since = RecordTime(microsecondsSinceEpoch: select.int64(3))
                    let renewed = RecordTime(microsecondsSinceEpoch: select.int64(4))
                    select.reset()
                    let alive = Self.isAlive(pid: pid, host: host)
                    let expired = RebuildLease.expired(renewed: renewed, now: now)
                    if let takeOver {
                        previous = (holder, since, "taken over: \(takeOver)")
                    } else if !alive {
                        previous = (holder, since, "its holder's process is gone")
                    } else if expired {
                        previous = (holder, since, "its lease expired (last renewed \(renewed.iso8601), lease \(RebuildLease.seconds) s)")
                    } else {
                        throw ProjectionError.rebuildInProgress(projection: definition.name, holder: holder, since: since)
                    }
                } else {
                    select.reset()
                }
                let insert = try lockConnection.statement(
                    "INSERT OR REPLACE INTO projection_locks (projection, holder, pid, host, since, renewed_at) VALUES (?, ?, ?, ?, ?, ?)")
                insert.bind(1, definition.name)
                insert.bind(2, holder)
                insert.bind(3, Int64(getpid()))
                insert.bind(4, ProcessIdentity.hostName)
                insert.bind(5, now.microsecondsSinceEpoch)
                insert.bind(6, now.microsecondsSinceEpoch)
                _ = try insert.step()
                insert.reset()
                lastRenewal = now
                if let previous {
                    let record = try lockConnection.statement(
                        "INSERT INTO projection_takeovers (projection, at, holder, previous_holder, previous_since, reason) VALUES (?, ?, ?, ?, ?, ?)")
                    record.bind(1, definition.name)
                    record.bind(2, now.microsecondsSinceEpoch)
                    record.bind(3, holder)
                    record.bind(4, previous.holder)
                    record.bind(5, previous.since.microsecondsSinceEpoch)
                    record.bind(6, previous.reason)
                    _ = try record.step()
                    record.reset()
                }
            }
        }
    }

    /// When this process last renewed its lease.
    private var lastRenewal = RecordTime(microsecondsSinceEpoch: 0)

    /// Renews this process's lease when a quarter of it has passed (or at once with `force`); stops
    /// the rebuild when the lock is no longer this process's.
    func renewLease(_ definition: ProjectionDefinition, force: Bool = false) throws {
        let now = clock.now()
        guard force || now.microsecondsSinceEpoch - lastRenewal.microsecondsSinceEpoch >= RebuildLease.renewalMicroseconds else { return }
        let update = try lockConnection.statement(
            "UPDATE projection_locks SET renewed_at = ? WHERE projection = ? AND holder = ? AND pid = ?")
        update.bind(1, now.microsecondsSinceEpoch)
        update.bind(2, definition.name)
        update.bind(3, holder)
        update.bind(4, Int64(getpid()))
        _ = try update.step()
        update.reset()
        if lockConnection.changes == 0 { try checkStillHolding(definition, on: lockConnection) }
        lastRenewal = now
    }

    /// Throws ``ProjectionError/rebuildTakenOver(projection:by:)`` unless the lock is still this process's.
    func checkStillHolding(_ definition: ProjectionDefinition, on connection: SQLiteConnection) throws {
        let select = try connection.statement("SELECT holder, pid FROM projection_locks WHERE projection = ?")
        select.bind(1, definition.name)
        defer { select.reset() }
        let current = try select.step() ? (select.text(0) ?? "?", select.int64(1)) : ("nobody", 0)
        if current.0 != holder || current.1 != Int64(getpid()) {
            throw ProjectionError.rebuildTakenOver(projection: definition.name, by: current.0)
        }
    }

    func releaseLock(_ definition: ProjectionDefinition) throws {
        let delete = try lockConnection.statement("DELETE FROM projection_locks WHERE projection = ? AND pid = ? AND holder = ?")
        delete.bind(1, definition.name)
        delete.bind(2, Int64(getpid()))
        delete.bind(3, holder)
        _ = try delete.step()
        delete.reset()
    }

    /// Every take-over of a rebuild lock, oldest first.
    public func takeOvers(projection: String?) throws(ProjectionError) -> [RebuildTakeOver] {
        try wrap {
            let select = try connection.statement(
                "SELECT projection, at, holder, previous_holder, previous_since, reason FROM projection_takeovers WHERE ? IS NULL OR projection = ? ORDER BY id"
            )
            select.bind(1, projection)
            select.bind(2, projection)
            defer { select.reset() }
            var result: [RebuildTakeOver] = []
            while try select.step() {
                result.append(
                    RebuildTakeOver(
                        projection: select.text(0) ?? "", at: RecordTime(microsecondsSinceEpoch: select.int64(1)), holder: select.text(2) ?? "",
                        previousHolder: select.text(3) ?? "", previousSince: RecordTime(microsecondsSinceEpoch: select.int64(4)),
                        reason: select.text(5) ?? ""))
            }
            return result
        }
    }

    /// A lock holder on this host is alive while its process exists; one on another host (a shared
    /// file system) is taken to be alive, since its process cannot be checked from here.
    static func isAlive(pid: Int32, host: String) -> Bool {
        guard host == ProcessIdentity.hostName else { return true }
        if pid == getpid() { return true }
        return kill(pid, 0) == 0 || errno == EPERM
    }

    // MARK: Tables

    private func createRowsTable(_ table: String) throws {
        guard try !tableExists(table) else { return }
        // The index's name carries a token: a shadow's index keeps its name when the shadow is
        // renamed into place, so the next shadow needs a name of its own.
        let token = String(UInt64(Date().timeIntervalSince1970 * 1_000_000), radix: 36)
        try connection.execute(
            """
            CREATE TABLE \(table) (key TEXT PRIMARY KEY, grp TEXT NOT NULL, doc TEXT NOT NULL) STRICT;
            CREATE INDEX \(table)_grp_\(token) ON \(table) (grp);
            """)
    }

    private func tableExists(_ table: String) throws -> Bool {
        let exists = try connection.statement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
        exists.bind(1, table)
        defer { exists.reset() }
        return try exists.step()
    }

    private func readCheckpoint(_ definition: ProjectionDefinition) throws(ProjectionError) -> IndexCheckpoint? {
        try wrap {
            let statement = try connection.statement(
                "SELECT version, position, hash FROM projection_checkpoints WHERE projection = ?")
            statement.bind(1, definition.name)
            defer { statement.reset() }
            guard try statement.step() else { return nil }
            return IndexCheckpoint(
                version: Int(statement.int64(0)), position: statement.int64(1), hash: SHA256Hash(bytes: statement.blob(2)))
        }
    }

    private func writeCheckpoint(_ definition: ProjectionDefinition, position: Int64, hash: SHA256Hash?) throws {
        let statement = try connection.statement(
            "INSERT OR REPLACE INTO projection_checkpoints (projection, version, position, hash, updated_at) VALUES (?, ?, ?, ?, ?)")
        statement.bind(1, definition.name)
        statement.bind(2, Int64(definition.version))
        statement.bind(3, position)
        if let hash { statement.bind(4, bytes: hash.bytes) } else { statement.bind(4, nil as String?) }
        statement.bind(5, clock.now().microsecondsSinceEpoch)
        _ = try statement.step()
    }

    func hashAt(position: Int64) throws -> SHA256Hash? {
        let statement = try connection.statement("SELECT hash FROM events WHERE position = ?")
        statement.bind(1, position)
        defer { statement.reset() }
        guard try statement.step() else { return nil }
        return SHA256Hash(bytes: statement.blob(0))
    }

    func wrap<T>(_ body: () throws -> T) throws(ProjectionError) -> T {
        do {
            return try body()
        } catch let error as ProjectionError {
            throw error
        } catch {
            throw .storage("\(error)")
        }
    }
}
