import CSQLite
import ThreatLedgerCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The event log in one SQLite file (through the system libsqlite3): the embedded default.
///
/// Durability: WAL with `synchronous = FULL`, read back after opening, so an acknowledged append
/// survives power loss. A busy timeout lets the command-line tool and a server share the file;
/// appends take the write lock up front (`BEGIN IMMEDIATE`), so two writers queue instead of
/// failing half-way.
///
/// Why the C API rather than GRDB: a measurement on this kind of machine (in the team's style notes,
/// not repeated here) found it about 1.5 times faster per inserted row; it builds in seconds; and the
/// store needs only a handful of prepared statements.
public actor SQLiteEventLog: EventLog {
    public nonisolated let path: String
    let connection: SQLiteConnection
    let clock: any RecordClock
    let validator: EventValidator
    /// Validation and encoding of a batch over the machine's cores, outside the actor so that it can
    /// run while another batch is being appended.
    nonisolated let preparation: AppendPreparation

    /// Opens the log at `path`, creating it when `create` is set and there is none.
    /// - Parameters:
    ///   - create: whether a missing file, or an empty database, becomes a new log. Commands that only
    ///     read pass false, so a mistyped path is refused instead of answering for an empty log.
    ///   - clock: where record times come from; injected for reproducible tests.
    ///   - busyTimeoutMilliseconds: how long to wait for another writer's lock.
    /// - Throws: ``StoreError/unusableDatabase(path:reason:)`` when the file cannot be opened, is
    ///   another kind of database, or was written by a newer ThreatLedger.
    public init(
        path: String, create: Bool = true, clock: any RecordClock = SystemRecordClock(), validator: EventValidator = .standard,
        busyTimeoutMilliseconds: Int = 10_000
    ) throws(StoreError) {
        self.path = path
        self.clock = clock
        self.validator = validator
        self.preparation = AppendPreparation(validator: validator)
        do {
            connection = try Self.connect(path: path, create: create)
            try connection.execute("PRAGMA busy_timeout = \(busyTimeoutMilliseconds)")
            // A page cache of 64 MiB (SQLite's default is 2 MiB): an append looks up every event id
            // and stream in indexes that soon outgrow 2 MiB (an id entry is about 45 bytes, so by
            // estimate near 45,000 events), and each miss is a read from the operating system
            // (measured at 100,000 events: 27,300 → 33,500 events/s). Memory is taken only as pages
            // are used.
            try connection.execute("PRAGMA cache_size = -65536")
            let mode = try connection.scalarText("PRAGMA journal_mode = WAL")
            guard mode?.lowercased() == "wal" else {
                throw StoreError.unusableDatabase(path: path, reason: "cannot switch to WAL (journal_mode is \(mode ?? "?"))")
            }
            try connection.execute("PRAGMA synchronous = FULL")
            let synchronous = try connection.scalarInt("PRAGMA synchronous")
            guard synchronous == 2 else {
                throw StoreError.unusableDatabase(
                    path: path, reason: "synchronous is \(synchronous ?? -1) after asking for FULL (2)")
            }
            try Self.migrate(connection, path: path, create: create)
        } catch let error as StoreError {
            throw error
        } catch let error as SQLiteError {
            throw .unusableDatabase(path: path, reason: error.message)
        } catch {
            throw .unusableDatabase(path: path, reason: "\(error)")
        }
    }

    /// A connection to `path`; a missing file when `create` is off is "no log here". A new file is
    /// made readable and writable by its owner alone (0600) before SQLite opens it, and SQLite gives
    /// its write-ahead log and shared-memory files the same mode.
    private static func connect(path: String, create: Bool) throws -> SQLiteConnection {
        if create, path != ":memory:", !path.isEmpty {
            let descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
            if descriptor >= 0 { close(descriptor) }
        }
        do {
            return try SQLiteConnection(path: path, create: create)
        } catch {
            if !create && error.code & 0xFF == SQLITE_CANTOPEN {
                throw StoreError.unusableDatabase(path: path, reason: StoreError.noLogHere)
            }
            throw error
        }
    }

    private static func migrate(_ connection: SQLiteConnection, path: String, create: Bool) throws {
        let applicationID = try connection.scalarInt("PRAGMA application_id") ?? 0
        let version = try connection.scalarInt("PRAGMA user_version") ?? 0
        if applicationID == 0 {
            let tables = try connection.scalarInt("SELECT COUNT(*) FROM sqlite_master") ?? 0
            guard tables == 0 else {
                throw StoreError.unusableDatabase(path: path, reason: "it is a SQLite database, but not a ThreatLedger log")
            }
            guard create else { throw StoreError.unusableDatabase(path: path, reason: StoreError.noLogHere) }
            try connection.transaction {
                try connection.execute(SQLiteSchema.version1)
                try connection.execute("PRAGMA application_id = \(SQLiteSchema.applicationID)")
                try connection.execute("PRAGMA user_version = \(SQLiteSchema.currentVersion)")
            }
        } else if applicationID != SQLiteSchema.applicationID {
            throw StoreError.unusableDatabase(path: path, reason: "it belongs to another application (id \(applicationID))")
        } else if version > SQLiteSchema.currentVersion {
            throw StoreError.unusableDatabase(
                path: path,
                reason: "its layout version \(version) is newer than this ThreatLedger knows (\(SQLiteSchema.currentVersion)); upgrade")
        }
    }

    // MARK: Append

    public nonisolated func prepare(_ events: [ProposedEvent]) async throws(StoreError) -> PreparedAppend {
        try await preparation.prepareAppend(events)
    }

    /// Appends `events` in one transaction. A batch of ``Workers/parallelThreshold`` events or more
    /// is prepared in pieces (``AppendPreparation/stage(_:)``) while the transaction plans the
    /// pieces before: the write overlaps the preparation instead of following it. Smaller batches
    /// are prepared whole first, as ``append(_:)-(PreparedAppend)`` does. Either way the same
    /// events are appended, with the same hashes, or the same error is thrown.
    public func append(_ events: [ProposedEvent]) async throws(StoreError) -> AppendResult {
        guard let staged = preparation.stage(events) else { return try await append(prepare(events)) }
        do {
            return try await inWriteTransaction(ofBatch: events.count) { transaction in
                try await AppendPlanner.append(events, staged: staged, in: transaction, clock: clock, validator: validator)
            }
        } catch {
            // Prepared whole, a bad event would have refused the batch before anything else was
            // tried: its error wins over whatever the transaction met first.
            if let failure = await staged.firstFailure() { throw failure }
            throw Self.storeError(error)
        }
    }

    public func append(_ prepared: PreparedAppend) async throws(StoreError) -> AppendResult {
        let prepared = try await preparation.ensure(prepared)
        do {
            return try await inWriteTransaction(ofBatch: prepared.events.count) { transaction in
                try await AppendPlanner.append(prepared.events, prepared: prepared.batch, in: transaction, clock: clock, validator: validator)
            }
        } catch {
            throw Self.storeError(error)
        }
    }

    /// Runs `plan` in the log's turn (``takeTurn()``) inside a `BEGIN IMMEDIATE` transaction:
    /// committed when it returns, rolled back when it throws.
    private func inWriteTransaction(
        ofBatch count: Int, _ plan: nonisolated(nonsending) (SQLiteAppendTransaction) async throws -> AppendResult
    ) async throws -> AppendResult {
        await takeTurn()
        defer { endTurn() }
        try setCheckpointInterval(forBatchOf: count)
        try connection.execute("BEGIN IMMEDIATE")
        do {
            let result = try await plan(SQLiteAppendTransaction(connection: connection))
            try connection.execute("COMMIT")
            return result
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }

    /// Every batch in one `BEGIN IMMEDIATE` transaction, each prepared as it is read and the next
    /// while the one before is written, so memory holds two batches however many there are; the
    /// first failure rolls back every batch.
    public func appendAllOrNothing(
        _ next: @escaping @Sendable () async throws -> [ProposedEvent]?, appended: @Sendable (AppendResult) -> Void
    ) async throws -> (appended: Int, head: ChainHead?) {
        let preparation = preparation
        @Sendable func prepareNext() -> Task<PreparedAppend?, any Error> {
            Task {
                guard let events = try await next() else { return nil }
                return try await preparation.prepareAppend(events)
            }
        }
        var ahead = prepareNext()
        defer { ahead.cancel() }
        await takeTurn()
        defer { endTurn() }
        try setCheckpointInterval(forBatchOf: Workers.parallelThreshold)
        try connection.execute("BEGIN IMMEDIATE")
        do {
            var count = 0
            var head: ChainHead? = nil
            while let ready = try await ahead.value {
                ahead = prepareNext()
                let prepared = try await preparation.ensure(ready)
                let result = try await AppendPlanner.append(
                    prepared.events, prepared: prepared.batch, in: SQLiteAppendTransaction(connection: connection), clock: clock,
                    validator: validator)
                count += result.appendedCount
                head = result.head
                appended(result)
            }
            try connection.execute("COMMIT")
            return (count, try head ?? connection.readHead())
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }

    // MARK: Turns

    /// Whether a call holds the connection (``takeTurn()``), and the calls waiting for it, in order.
    private var turnTaken = false
    private var turnQueue: [CheckedContinuation<Void, Never>] = []

    /// Waits until no other call holds the connection, then holds it until ``endTurn()``.
    ///
    /// Calls on an actor interleave wherever one of them suspends. A large append awaits the pieces
    /// of its batch inside its write transaction (``StagedPreparation``), and
    /// ``appendAllOrNothing(_:appended:)`` awaits each next batch inside its own: another call
    /// arriving then would find the transaction open (its `BEGIN` refused, or its read seeing events
    /// not yet committed). So every call that uses the connection takes a turn, first come first
    /// served; one that never suspends takes and ends it without waiting when nobody holds it.
    func takeTurn() async {
        guard turnTaken else {
            turnTaken = true
            return
        }
        await withCheckedContinuation { turnQueue.append($0) }
    }

    /// Hands the connection to the next waiting call, or frees it.
    func endTurn() {
        if turnQueue.isEmpty { turnTaken = false } else { turnQueue.removeFirst().resume() }
    }

    /// How many write-ahead-log pages the connection lets build up before it checkpoints them into
    /// the database file, as last set.
    private var checkpointInterval = 1_000

    /// The checkpoint interval, in pages, for a batch of `count` events (`threatledger-bench
    /// --id-cost` measures with the same).
    ///
    /// Large batches checkpoint every 16,384 pages (64 MiB) rather than SQLite's 1,000: they touch
    /// index pages scattered by random event ids, and a page changed by many batches is then copied
    /// into the file once per checkpoint instead of about once per batch (measured: 1.2× on batches
    /// of 1,000). Single events keep 1,000: each commit is synced, and a write-ahead log that keeps
    /// growing makes every sync also commit the file's new size (measured: 2× slower). Durability
    /// is the same either way.
    package static func checkpointInterval(forBatchOf count: Int) -> Int {
        count >= Workers.parallelThreshold ? 16_384 : 1_000
    }

    private func setCheckpointInterval(forBatchOf count: Int) throws {
        let wanted = Self.checkpointInterval(forBatchOf: count)
        guard wanted != checkpointInterval else { return }
        try connection.execute("PRAGMA wal_autocheckpoint = \(wanted)")
        checkpointInterval = wanted
    }

    fileprivate func streamVersionInTransaction(_ stream: StreamName) throws -> Int64 { try connection.streamVersion(stream) }

    fileprivate func readHead() throws -> ChainHead? { try connection.readHead() }

    public func importRecorded(_ events: [RecordedEvent]) async throws(StoreError) {
        await takeTurn()
        defer { endTurn() }
        do {
            try connection.execute("BEGIN IMMEDIATE")
            do {
                try await AppendPlanner.importRecorded(events, in: SQLiteAppendTransaction(connection: connection), validator: validator)
                try connection.execute("COMMIT")
            } catch {
                try? connection.execute("ROLLBACK")
                throw error
            }
        } catch {
            throw Self.storeError(error)
        }
    }

    // MARK: Read

    package static let columns = """
        position, event_id, stream, stream_version, type, schema_version, payload, recorded_at, recorded_by, \
        correlation_id, causation_id, previous_hash, hash
        """

    package static func decodeRow(_ row: SQLiteStatement) throws(StoreError) -> RecordedEvent {
        let position = row.int64(0)
        guard let idText = row.text(1), let id = EventID(idText) else {
            throw .corruptRow(position: position, reason: "event_id is not a UUID")
        }
        guard let streamText = row.text(2), let stream = try? StreamName(streamText) else {
            throw .corruptRow(position: position, reason: "stream name is invalid")
        }
        guard let previous = SHA256Hash(bytes: row.blob(11)), let hash = SHA256Hash(bytes: row.blob(12)) else {
            throw .corruptRow(position: position, reason: "a hash is not 32 bytes")
        }
        return RecordedEvent(
            position: position, id: id, stream: stream, streamVersion: row.int64(3), type: row.text(4) ?? "",
            schemaVersion: Int(row.int64(5)), payloadJSON: row.text(6) ?? "",
            metadata: EventMetadata(recordedBy: row.text(8) ?? "", correlationID: row.text(9), causationID: row.text(10)),
            recordedAt: RecordTime(microsecondsSinceEpoch: row.int64(7)), previousHash: previous, hash: hash)
    }

    public func head() async throws(StoreError) -> ChainHead? {
        await takeTurn()
        defer { endTurn() }
        do { return try readHead() } catch { throw Self.storeError(error) }
    }

    public func read(from position: Int64, limit: Int) async throws(StoreError) -> [RecordedEvent] {
        await takeTurn()
        defer { endTurn() }
        do {
            let statement = try connection.statement(
                "SELECT \(Self.columns) FROM events WHERE position >= ? ORDER BY position LIMIT ?")
            statement.bind(1, position)
            statement.bind(2, Int64(limit))
            defer { statement.reset() }
            var events: [RecordedEvent] = []
            events.reserveCapacity(min(limit, 10_000))
            while try statement.step() { events.append(try Self.decodeRow(statement)) }
            return events
        } catch {
            throw Self.storeError(error)
        }
    }

    public func hashes(from position: Int64, limit: Int) async throws(StoreError) -> [SHA256Hash] {
        await takeTurn()
        defer { endTurn() }
        do {
            let statement = try connection.statement("SELECT position, hash FROM events WHERE position >= ? ORDER BY position LIMIT ?")
            statement.bind(1, position)
            statement.bind(2, Int64(limit))
            defer { statement.reset() }
            var hashes: [SHA256Hash] = []
            hashes.reserveCapacity(min(limit, 100_000))
            while try statement.step() {
                guard let hash = SHA256Hash(bytes: statement.blob(1)) else {
                    throw StoreError.corruptRow(position: statement.int64(0), reason: "its hash is not 32 bytes")
                }
                hashes.append(hash)
            }
            return hashes
        } catch {
            throw Self.storeError(error)
        }
    }

    public func readStream(_ stream: StreamName, fromVersion version: Int64, limit: Int) async throws(StoreError)
        -> [RecordedEvent]
    {
        await takeTurn()
        defer { endTurn() }
        do {
            let statement = try connection.statement(
                "SELECT \(Self.columns) FROM events WHERE stream = ? AND stream_version >= ? ORDER BY stream_version LIMIT ?")
            statement.bind(1, stream.rawValue)
            statement.bind(2, version)
            statement.bind(3, Int64(limit))
            defer { statement.reset() }
            var events: [RecordedEvent] = []
            while try statement.step() { events.append(try Self.decodeRow(statement)) }
            return events
        } catch {
            throw Self.storeError(error)
        }
    }

    public func event(id: EventID) async throws(StoreError) -> RecordedEvent? {
        await takeTurn()
        defer { endTurn() }
        do { return try connection.storedEvent(id: id) } catch { throw Self.storeError(error) }
    }

    public func streamVersion(_ stream: StreamName) async throws(StoreError) -> Int64 {
        await takeTurn()
        defer { endTurn() }
        do { return try streamVersionInTransaction(stream) } catch { throw Self.storeError(error) }
    }

    public func statistics() async throws(StoreError) -> LogStatistics {
        await takeTurn()
        defer { endTurn() }
        do {
            let count = try connection.scalarInt("SELECT COUNT(*) FROM events") ?? 0
            let streams = try connection.scalarInt("SELECT COUNT(DISTINCT stream) FROM events") ?? 0
            let first = try connection.scalarInt("SELECT recorded_at FROM events ORDER BY position LIMIT 1")
            var byType: [String: Int64] = [:]
            let statement = try connection.statement("SELECT type, COUNT(*) FROM events GROUP BY type")
            defer { statement.reset() }
            while try statement.step() { byType[statement.text(0) ?? ""] = statement.int64(1) }
            let pages = try connection.scalarInt("PRAGMA page_count") ?? 0
            let pageSize = try connection.scalarInt("PRAGMA page_size") ?? 0
            return LogStatistics(
                eventCount: count, streamCount: streams, countsByType: byType, head: try readHead(),
                firstRecordedAt: first.map(RecordTime.init(microsecondsSinceEpoch:)),
                storageDescription: "SQLite file \(path), \(pages * pageSize) bytes, WAL, synchronous=FULL")
        } catch {
            throw Self.storeError(error)
        }
    }

    package static func storeError(_ error: any Error) -> StoreError {
        switch error {
        case let error as StoreError: error
        case let error as SQLiteError: StoreError(error)
        default: .database("\(error)")
        }
    }
}

/// The SQLite side of an append: the log's own connection, inside its `BEGIN IMMEDIATE` transaction.
/// Its calls run on the caller's executor (the log's actor) and never suspend, so nothing interleaves.
struct SQLiteAppendTransaction: AppendTransaction {
    let connection: SQLiteConnection

    nonisolated(nonsending) func head() async throws -> ChainHead? { try connection.readHead() }
    nonisolated(nonsending) func storedEvent(id: EventID) async throws -> RecordedEvent? { try connection.storedEvent(id: id) }
    nonisolated(nonsending) func streamVersion(_ stream: StreamName) async throws -> Int64 { try connection.streamVersion(stream) }
    nonisolated(nonsending) func insert(_ event: RecordedEvent) async throws { try connection.insert(event) }
    nonisolated(nonsending) func firstEvent(of stream: StreamName) async throws -> RecordedEvent? {
        let statement = try connection.statement("SELECT \(SQLiteEventLog.columns) FROM events WHERE stream = ? AND stream_version = 1")
        statement.bind(1, stream.rawValue)
        defer { statement.reset() }
        guard try statement.step() else { return nil }
        return try SQLiteEventLog.decodeRow(statement)
    }
    nonisolated(nonsending) func events(of stream: StreamName, before position: Int64) async throws -> [RecordedEvent] {
        let statement = try connection.statement(
            "SELECT \(SQLiteEventLog.columns) FROM events WHERE stream = ? AND position < ? ORDER BY stream_version")
        statement.bind(1, stream.rawValue)
        statement.bind(2, position)
        defer { statement.reset() }
        var events: [RecordedEvent] = []
        while try statement.step() { events.append(try SQLiteEventLog.decodeRow(statement)) }
        return events
    }
}

/// The statements of the events table, on one connection.
extension SQLiteConnection {
    func readHead() throws -> ChainHead? {
        let statement = try statement("SELECT position, hash, recorded_at FROM events ORDER BY position DESC LIMIT 1")
        defer { statement.reset() }
        guard try statement.step() else { return nil }
        guard let hash = SHA256Hash(bytes: statement.blob(1)) else {
            throw StoreError.corruptRow(position: statement.int64(0), reason: "hash is not 32 bytes")
        }
        return ChainHead(position: statement.int64(0), hash: hash, recordedAt: RecordTime(microsecondsSinceEpoch: statement.int64(2)))
    }

    func storedEvent(id: EventID) throws -> RecordedEvent? {
        let statement = try statement("SELECT \(SQLiteEventLog.columns) FROM events WHERE event_id = ?")
        statement.bind(1, id.rawValue)
        defer { statement.reset() }
        guard try statement.step() else { return nil }
        return try SQLiteEventLog.decodeRow(statement)
    }

    func streamVersion(_ stream: StreamName) throws -> Int64 {
        let statement = try statement("SELECT MAX(stream_version) FROM events WHERE stream = ?")
        statement.bind(1, stream.rawValue)
        defer { statement.reset() }
        guard try statement.step(), !statement.isNull(0) else { return 0 }
        return statement.int64(0)
    }

    func insert(_ event: RecordedEvent) throws {
        let insert = try statement(
            """
            INSERT INTO events (position, event_id, stream, stream_version, type, schema_version, payload,
                recorded_at, recorded_by, correlation_id, causation_id, previous_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insert.bind(1, event.position)
        insert.bind(2, event.id.rawValue)
        insert.bind(3, event.stream.rawValue)
        insert.bind(4, event.streamVersion)
        insert.bind(5, event.type)
        insert.bind(6, Int64(event.schemaVersion))
        insert.bind(7, event.payloadJSON)
        insert.bind(8, event.recordedAt.microsecondsSinceEpoch)
        insert.bind(9, event.metadata.recordedBy)
        insert.bind(10, event.metadata.correlationID)
        insert.bind(11, event.metadata.causationID)
        insert.bind(12, bytes: event.previousHash.bytes)
        insert.bind(13, bytes: event.hash.bytes)
        _ = try insert.step()
        insert.reset()
    }
}
