import Foundation
import ThreatLedgerCore
import ThreatLedgerStore

/// Builds and serves projections in the log's own SQLite file.
///
/// - **Catch-up** (``catchUp(_:)``): in one write transaction, folds the events after the checkpoint
///   into the stored picture, re-renders the rows, and moves the checkpoint (position and that event's
///   hash, re-checked each time so a rewritten log is noticed).
/// - **Rebuild** (``rebuild(_:progress:)``): takes the projection's rebuild lock, folds the whole log in
///   memory page by page, writes it into shadow tables (`<prefix>__next_*`), and in one transaction
///   drops the live tables, renames the shadows into place, sets the checkpoint and records the
///   rebuild. Readers see the old tables until that commit and the new ones after: never a half-built
///   projection. A rebuild killed at any point leaves the old tables serving; the next one drops the
///   leftover shadows and takes over the dead holder's lock.
/// - **Serving**: ``Projector/ensureServing(_:progress:)``.
public actor SQLiteProjector: Projector {
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

    // MARK: Serving

    public func checkpointVersion(_ definition: ProjectionDefinition) throws(ProjectionError) -> Int? {
        try readCheckpoint(definition)?.version
    }

    /// The live rows of a projection, keyed.
    public func rows(_ definition: ProjectionDefinition) throws(ProjectionError) -> [String: JSONValue] {
        try wrap { try readDocuments("\(definition.tablePrefix)_rows") }
    }

    /// The fold state the projection keeps (its picture), as of its checkpoint.
    public func picture(_ definition: ProjectionDefinition) throws(ProjectionError) -> ThreatPicture {
        try wrap {
            let documents = ThreatPicture.Documents(
                sources: try readDocuments("\(definition.tablePrefix)_sources"),
                claims: try readDocuments("\(definition.tablePrefix)_claims"),
                incidents: try readDocuments("\(definition.tablePrefix)_incidents"))
            return ThreatPicture(documents: documents, position: try readCheckpoint(definition)?.position ?? 0)
        }
    }

    /// Where a projection stands, with the digest of its live rows.
    public func status(_ definition: ProjectionDefinition) throws(ProjectionError) -> ProjectionStatus {
        let checkpoint = try readCheckpoint(definition)
        return ProjectionStatus(
            projection: definition.name, version: checkpoint?.version ?? 0, position: checkpoint?.position ?? 0,
            hash: checkpoint?.hash, digest: ProjectionDefinition.digest(of: try rows(definition)))
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

    // MARK: Catch-up

    /// Folds the events after the checkpoint into the projection, in one transaction.
    /// - Returns: how many events were applied.
    /// - Throws: ``ProjectionError/checkpointMismatch(projection:position:)`` when the log was rewritten.
    @discardableResult
    public func catchUp(_ definition: ProjectionDefinition) throws(ProjectionError) -> Int64 {
        try wrap {
            try connection.transaction {
                try createTables(prefix: definition.tablePrefix)
                guard let checkpoint = try readCheckpoint(definition) else {
                    throw ProjectionError.storage("\(definition.name) has never been built; rebuild it first")
                }
                if checkpoint.position > 0 {
                    let hash = try hashAt(position: checkpoint.position)
                    guard hash == checkpoint.hash else {
                        throw ProjectionError.checkpointMismatch(projection: definition.name, position: checkpoint.position)
                    }
                }
                let headPosition = try connection.scalarInt("SELECT MAX(position) FROM events") ?? 0
                guard headPosition > checkpoint.position else { return Int64(0) }
                let before = ThreatPicture.Documents(
                    sources: try readDocuments("\(definition.tablePrefix)_sources"),
                    claims: try readDocuments("\(definition.tablePrefix)_claims"),
                    incidents: try readDocuments("\(definition.tablePrefix)_incidents"))
                var picture = ThreatPicture(documents: before, position: checkpoint.position)
                var applied: Int64 = 0
                var last: RecordedEvent?
                try forEachEvent(after: checkpoint.position) { event in
                    try picture.apply(event)
                    applied += 1
                    last = event
                }
                let after = picture.documents
                try upsertChanged("\(definition.tablePrefix)_sources", before.sources, after.sources)
                try upsertChanged("\(definition.tablePrefix)_claims", before.claims, after.claims)
                try upsertChanged("\(definition.tablePrefix)_incidents", before.incidents, after.incidents)
                let oldRows = try readDocuments("\(definition.tablePrefix)_rows")
                let newRows = definition.render(picture)
                try upsertChanged("\(definition.tablePrefix)_rows", oldRows, newRows)
                for key in oldRows.keys where newRows[key] == nil {
                    let delete = try connection.statement("DELETE FROM \(definition.tablePrefix)_rows WHERE key = ?")
                    delete.bind(1, key)
                    _ = try delete.step()
                }
                try writeCheckpoint(definition, position: last!.position, hash: last!.hash)
                return applied
            }
        }
    }

    // MARK: Rebuild

    /// Rebuilds `definition` from the whole log into shadow tables and swaps them in atomically.
    /// - Parameter progress: called with (events folded, events in the log) as the fold goes.
    /// - Throws: ``ProjectionError/rebuildInProgress(projection:holder:since:)`` when another live
    ///   process holds the rebuild lock.
    public func rebuild(
        _ definition: ProjectionDefinition, takeOver: String?, progress: @Sendable (Int64, Int64) -> Void
    ) throws(ProjectionError) -> RebuildRecord {
        try acquireLock(definition, takeOver: takeOver)
        defer { try? releaseLock(definition) }
        return try wrap {
            let started = clock.now()
            let prefix = definition.tablePrefix
            let shadow = "\(prefix)__next"
            try connection.execute(dropTables(prefix: shadow))
            // Fold the whole log as of one snapshot.
            var picture = ThreatPicture()
            var folded: Int64 = 0
            var head: RecordedEvent?
            try connection.execute("BEGIN")
            do {
                let total = try connection.scalarInt("SELECT MAX(position) FROM events") ?? 0
                try forEachEvent(after: 0) { event in
                    try picture.apply(event)
                    folded += 1
                    head = event
                    if folded % 1_000 == 0 {
                        progress(folded, total)
                        try renewLease(definition)
                    }
                }
                progress(folded, total)
                try connection.execute("COMMIT")
            } catch {
                try? connection.execute("ROLLBACK")
                throw error
            }
            try renewLease(definition, force: true)
            let rows = definition.render(picture)
            let documents = picture.documents
            try connection.transaction {
                try createTables(prefix: shadow)
                try insertAll("\(shadow)_sources", documents.sources)
                try insertAll("\(shadow)_claims", documents.claims)
                try insertAll("\(shadow)_incidents", documents.incidents)
                try insertAll("\(shadow)_rows", rows)
            }
            let digest = ProjectionDefinition.digest(of: rows)
            let finished = clock.now()
            try renewLease(definition, force: true)
            return try connection.transaction {
                try checkStillHolding(definition, on: connection)
                try connection.execute(dropTables(prefix: prefix))
                for table in ["sources", "claims", "incidents", "rows"] {
                    try connection.execute("ALTER TABLE \(shadow)_\(table) RENAME TO \(prefix)_\(table)")
                }
                try writeCheckpoint(definition, position: head?.position ?? 0, hash: head?.hash)
                return try recordRebuild(
                    definition, started: started, finished: finished, folded: folded, headPosition: head?.position ?? 0,
                    headHash: head?.hash, digest: digest)
            }
        }
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

    private func createTables(prefix: String) throws {
        for table in ["sources", "claims", "incidents", "rows"] {
            let key = table == "rows" ? "key" : "id"
            try connection.execute("CREATE TABLE IF NOT EXISTS \(prefix)_\(table) (\(key) TEXT PRIMARY KEY, doc TEXT NOT NULL) STRICT")
        }
    }

    private func dropTables(prefix: String) -> String {
        ["sources", "claims", "incidents", "rows"].map { "DROP TABLE IF EXISTS \(prefix)_\($0);" }.joined(separator: " ")
    }

    private func readDocuments(_ table: String) throws -> [String: JSONValue] {
        let exists = try connection.statement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
        exists.bind(1, table)
        let found = try exists.step()
        exists.reset()
        guard found else { return [:] }
        let statement = try connection.statement("SELECT * FROM \(table)")
        defer { statement.reset() }
        var documents: [String: JSONValue] = [:]
        while try statement.step() {
            documents[statement.text(0) ?? ""] = try JSONParser().parse(statement.text(1) ?? "null")
        }
        return documents
    }

    private func insertAll(_ table: String, _ documents: [String: JSONValue]) throws {
        let insert = try connection.statement("INSERT INTO \(table) VALUES (?, ?)")
        for key in documents.keys.sorted() {
            insert.reset()
            insert.bind(1, key)
            insert.bind(2, CanonicalJSON.string(documents[key]!))
            _ = try insert.step()
        }
    }

    private func upsertChanged(_ table: String, _ before: [String: JSONValue], _ after: [String: JSONValue]) throws {
        let upsert = try connection.statement("INSERT OR REPLACE INTO \(table) VALUES (?, ?)")
        for key in after.keys.sorted() where before[key] != after[key] {
            upsert.reset()
            upsert.bind(1, key)
            upsert.bind(2, CanonicalJSON.string(after[key]!))
            _ = try upsert.step()
        }
    }

    private struct Checkpoint {
        let version: Int
        let position: Int64
        let hash: SHA256Hash?
    }

    private func readCheckpoint(_ definition: ProjectionDefinition) throws(ProjectionError) -> Checkpoint? {
        try wrap {
            let statement = try connection.statement(
                "SELECT version, position, hash FROM projection_checkpoints WHERE projection = ?")
            statement.bind(1, definition.name)
            defer { statement.reset() }
            guard try statement.step() else { return nil }
            return Checkpoint(
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

    /// Every event after `position`, in order, read a page at a time.
    func forEachEvent(after position: Int64, _ body: (RecordedEvent) throws -> Void) throws {
        var next = position
        while true {
            let statement = try connection.statement(
                "SELECT \(SQLiteEventLog.columns) FROM events WHERE position > ? ORDER BY position LIMIT 1000")
            statement.bind(1, next)
            var page: [RecordedEvent] = []
            while try statement.step() { page.append(try SQLiteEventLog.decodeRow(statement)) }
            statement.reset()
            for event in page { try body(event) }
            guard page.count == 1_000, let last = page.last else { return }
            next = last.position
        }
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
