import Foundation
import Logging
import NIOCore
import PostgresNIO
import ThreatLedgerCore
import ThreatLedgerStore

/// The event log on PostgreSQL, for teams that outgrow one SQLite file: the same envelope, canonical
/// bytes, hash chain and rules (through ``AppendPlanner`` and ``ChainVerifier``), so a log copied
/// across has the same head hash.
///
/// **Ordering.** Appends are serialized by an advisory lock taken before the head is read (held by
/// the session across the three round trips of ``PostgresAppendSession``, by the one statement of
/// ``PostgresOptimisticAppend``'s function for its transaction, or by the transaction on the
/// transactional path). A position is therefore assigned only after every earlier position has committed, and
/// positions become visible in commit order: a reader that has seen position N never later finds a
/// committed event below N that it skipped (the silent-skip trap of sequence-based stores, where a
/// later sequence value can commit first). The price is that appends from many writers queue; the
/// chain is linear anyway, since each hash needs the one before.
public actor PostgresEventLog: EventLog {
    public nonisolated let location: PostgresLocation
    public nonisolated let client: PostgresClient
    let clock: any RecordClock
    let validator: EventValidator
    /// Validation and encoding of a batch over the machine's cores, outside the actor so that it can
    /// run while another batch is being appended.
    nonisolated let preparation: AppendPreparation
    let logger: Logger
    private var runner: Task<Void, Never>?
    /// Whether the log's schema has `begin_append` (``PostgresAppendSession``): appends then take three
    /// round trips; without it (a role that may not create functions opened a log made before it
    /// existed) they take the transactional path.
    private var hasAppendFunction = false
    /// What this log's own appends have learned (the head, stream versions, articles), for appends
    /// in one round trip (``PostgresOptimisticAppend``).
    private var knowledge = AppendKnowledge()
    /// Appends still to take the three round trips before trying one again, after a try found the
    /// log changed by another writer: with several writers at once most tries would, and each
    /// costs a round trip.
    private var optimisticPause = 0
    /// Appends made in one statement, and tries that found the log changed (for tests and figures).
    package private(set) var appendsInOneStatement = 0
    package private(set) var triesFoundChanged = 0
    /// Whether appends try one statement first; off only to measure the three round trips alone.
    private var triesOneStatement = true
    package func setTriesOneStatement(_ on: Bool) { triesOneStatement = on }
    nonisolated var table: String { "\(location.schema).events" }

    /// Connects, starts the client, and creates the schema and tables if needed.
    public static func connect(
        _ location: PostgresLocation, create: Bool = true, clock: any RecordClock = SystemRecordClock(),
        validator: EventValidator = .standard,
        logger: Logger = {
            var logger = Logger(label: "threatledger.postgres")
            logger.logLevel = .error
            return logger
        }()
    ) async throws(StoreError) -> PostgresEventLog {
        let log = PostgresEventLog(location: location, clock: clock, validator: validator, logger: logger)
        await log.start()
        do {
            try await log.migrate(create: create)
            await log.ensureAppendFunction()
        } catch let error as StoreError {
            await log.close()
            throw error
        } catch {
            await log.close()
            throw .unusableDatabase(path: location.description, reason: PostgresEventLog.describe(error))
        }
        return log
    }

    init(location: PostgresLocation, clock: any RecordClock, validator: EventValidator, logger: Logger) {
        self.location = location
        self.clock = clock
        self.validator = validator
        self.preparation = AppendPreparation(validator: validator)
        self.logger = logger
        self.client = PostgresClient(
            configuration: .init(
                host: location.host, port: location.port, username: location.user, password: location.password,
                database: location.database, tls: .disable),
            backgroundLogger: logger)
    }

    private func start() {
        let client = self.client
        runner = Task { await client.run() }
    }

    /// Stops the client's connections.
    public func close() {
        runner?.cancel()
        runner = nil
    }

    /// Creates the log's schema, table and triggers when there is no log yet and `create` is set.
    /// An existing log is left exactly as it is: in particular its triggers are not re-created, so a
    /// trigger dropped or disabled behind the log's back stays that way for `verify` to report.
    private func migrate(create: Bool) async throws {
        let schema = location.schema
        let description = location.description
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(hashtextextended(\("threatledger.migrate." + schema), 0))", logger: logger)
            let existing = try await connection.query("SELECT to_regclass(\(schema + ".events"))::text", logger: logger)
            for try await name in existing.decode(String?.self) where name != nil { return }
            guard create else { throw StoreError.unusableDatabase(path: description, reason: StoreError.noLogHere) }
            try await connection.query("CREATE SCHEMA IF NOT EXISTS \(unescaped: schema)", logger: logger)
            try await connection.query(
                """
                CREATE TABLE IF NOT EXISTS \(unescaped: schema).events (
                    position       bigint  PRIMARY KEY CHECK (position >= 1),
                    event_id       uuid    NOT NULL UNIQUE,
                    stream         text    NOT NULL,
                    stream_version bigint  NOT NULL CHECK (stream_version >= 1),
                    type           text    NOT NULL,
                    schema_version integer NOT NULL,
                    payload        text    NOT NULL,
                    recorded_at    bigint  NOT NULL,
                    recorded_by    text    NOT NULL,
                    correlation_id text,
                    causation_id   text,
                    previous_hash  bytea   NOT NULL,
                    hash           bytea   NOT NULL,
                    UNIQUE (stream, stream_version)
                )
                """, logger: logger)
            try await connection.query(
                """
                CREATE OR REPLACE FUNCTION \(unescaped: schema).refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'threatledger: events are append-only; % is refused', TG_OP; END $$
                """, logger: logger)
            try await connection.query(
                "CREATE OR REPLACE TRIGGER events_refuse_change BEFORE UPDATE OR DELETE ON \(unescaped: schema).events FOR EACH ROW EXECUTE FUNCTION \(unescaped: schema).refuse_change()",
                logger: logger)
            try await connection.query(
                "CREATE OR REPLACE TRIGGER events_refuse_truncate BEFORE TRUNCATE ON \(unescaped: schema).events FOR EACH STATEMENT EXECUTE FUNCTION \(unescaped: schema).refuse_change()",
                logger: logger)
        }
    }

    /// Creates `begin_append` when the schema lacks it (a log made before it existed); leaves the
    /// transactional append path in use when that is not allowed.
    private func ensureAppendFunction() async {
        let schema = location.schema
        let logger = self.logger
        do {
            hasAppendFunction = try await client.withTransaction(logger: logger) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(hashtextextended(\("threatledger.migrate." + schema), 0))", logger: logger)
                for (signature, definition) in [
                    (PostgresAppendSession.functionSignature(schema: schema), PostgresAppendSession.functionDefinition(schema: schema))
                ] + PostgresOptimisticAppend.functions(schema: schema) {
                    var exists = false
                    for try await name in try await connection.query("SELECT to_regprocedure(\(signature))::text", logger: logger).decode(String?.self) {
                        exists = name != nil
                    }
                    if !exists { try await connection.query(PostgresQuery(unsafeSQL: definition), logger: logger) }
                }
                return true
            }
        } catch {
            logger.warning(
                "appends take the transactional path: \(schema).begin_append or the one-statement append functions could not be created (\(Self.describe(error)))"
            )
            hasAppendFunction = false
        }
    }

    // MARK: Append

    public nonisolated func prepare(_ events: [ProposedEvent]) async throws(StoreError) -> PreparedAppend {
        try await preparation.prepareAppend(events)
    }

    public func append(_ prepared: PreparedAppend) async throws(StoreError) -> AppendResult {
        let prepared = try await preparation.ensure(prepared)
        let events = prepared.events
        let schema = location.schema
        let clock = self.clock
        let validator = self.validator
        let logger = self.logger
        do {
            if hasAppendFunction {
                if optimisticPause > 0 {
                    optimisticPause -= 1
                } else if triesOneStatement, knowledge.head != nil {
                    let knowledge = self.knowledge
                    let learned = LearnedFromAppend()
                    let outcome = try await client.withConnection { connection in
                        await PostgresOptimisticAppend.append(
                            events, prepared: prepared.batch, knowledge: knowledge, on: connection, schema: schema, clock: clock,
                            validator: validator, logger: logger, learned: learned)
                    }
                    switch outcome {
                    case .appended(let result):
                        self.knowledge.learn(head: result.head, inserted: learned.rows, read: nil)
                        appendsInOneStatement += 1
                        return result
                    case .changed:
                        triesFoundChanged += 1
                        optimisticPause = 16
                    case .notTried: break
                    }
                }
                let learned = LearnedFromAppend()
                let result = try await client.withConnection { connection in
                    try await PostgresAppendSession.append(
                        events, prepared: prepared.batch, on: connection, schema: schema, clock: clock, validator: validator, logger: logger,
                        learned: learned)
                }
                knowledge.learn(head: result.head, inserted: learned.rows, read: learned.start)
                return result
            }
            return try await client.withTransaction(logger: logger) { connection in
                try await connection.query(
                    "SELECT pg_advisory_xact_lock(hashtextextended(\(PostgresAppendSession.lockName(schema: schema)), 0))", logger: logger)
                return try await AppendPlanner.append(
                    events, prepared: prepared.batch, in: PostgresAppendTransaction(connection: connection, schema: schema, logger: logger), clock: clock,
                    validator: validator)
            }
        } catch {
            throw Self.storeError(error)
        }
    }

    public func importRecorded(_ events: [RecordedEvent]) async throws(StoreError) {
        let schema = location.schema
        let logger = self.logger
        do {
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query(
                    "SELECT pg_advisory_xact_lock(hashtextextended(\(PostgresAppendSession.lockName(schema: schema)), 0))", logger: logger)
                try await AppendPlanner.importRecorded(
                    events, in: PostgresAppendTransaction(connection: connection, schema: schema, logger: logger), validator: validator)
            }
        } catch {
            throw Self.storeError(error)
        }
    }

    // MARK: Read

    package static let columns = """
        position, event_id::text, stream, stream_version, type, schema_version, payload, recorded_at, recorded_by, \
        correlation_id, causation_id, previous_hash, hash
        """

    public func head() async throws(StoreError) -> ChainHead? {
        do {
            let rows = try await client.query("SELECT position, hash, recorded_at FROM \(unescaped: table) ORDER BY position DESC LIMIT 1", logger: logger)
            for try await (position, hash, recordedAt) in rows.decode((Int64, ByteBuffer, Int64).self) {
                return ChainHead(
                    position: position, hash: SHA256Hash(bytes: Array(buffer: hash)) ?? .genesis, recordedAt: RecordTime(microsecondsSinceEpoch: recordedAt))
            }
            return nil
        } catch {
            throw Self.storeError(error)
        }
    }

    public func read(from position: Int64, limit: Int) async throws(StoreError) -> [RecordedEvent] {
        try await select("WHERE position >= \(position) ORDER BY position LIMIT \(limit)")
    }

    public func hashes(from position: Int64, limit: Int) async throws(StoreError) -> [SHA256Hash] {
        do {
            let rows = try await client.query(
                "SELECT position, hash FROM \(unescaped: table) WHERE position >= \(position) ORDER BY position LIMIT \(Int64(limit))", logger: logger)
            var hashes: [SHA256Hash] = []
            for try await (at, bytes) in rows.decode((Int64, ByteBuffer).self) {
                guard let hash = SHA256Hash(bytes: Array(buffer: bytes)) else { throw StoreError.corruptRow(position: at, reason: "its hash is not 32 bytes") }
                hashes.append(hash)
            }
            return hashes
        } catch {
            throw Self.storeError(error)
        }
    }

    public func readStream(_ stream: StreamName, fromVersion version: Int64, limit: Int) async throws(StoreError) -> [RecordedEvent] {
        do {
            let rows = try await client.query(
                "SELECT \(unescaped: Self.columns) FROM \(unescaped: table) WHERE stream = \(stream.rawValue) AND stream_version >= \(version) ORDER BY stream_version LIMIT \(Int64(limit))",
                logger: logger)
            return try await Self.decode(rows)
        } catch {
            throw Self.storeError(error)
        }
    }

    public func event(id: EventID) async throws(StoreError) -> RecordedEvent? {
        do {
            let rows = try await client.query(
                "SELECT \(unescaped: Self.columns) FROM \(unescaped: table) WHERE event_id = \(id.rawValue)::uuid", logger: logger)
            return try await Self.decode(rows).first
        } catch {
            throw Self.storeError(error)
        }
    }

    public func streamVersion(_ stream: StreamName) async throws(StoreError) -> Int64 {
        do {
            let rows = try await client.query(
                "SELECT COALESCE(MAX(stream_version), 0) FROM \(unescaped: table) WHERE stream = \(stream.rawValue)", logger: logger)
            for try await version in rows.decode(Int64.self) { return version }
            return 0
        } catch {
            throw Self.storeError(error)
        }
    }

    private func select(_ clause: String) async throws(StoreError) -> [RecordedEvent] {
        do {
            let rows = try await client.query("SELECT \(unescaped: Self.columns) FROM \(unescaped: table) \(unescaped: clause)", logger: logger)
            return try await Self.decode(rows)
        } catch {
            throw Self.storeError(error)
        }
    }

    package static func decode(_ rows: PostgresRowSequence) async throws -> [RecordedEvent] {
        var events: [RecordedEvent] = []
        for try await row in rows {
            events.append(try decodeRow(row))
        }
        return events
    }

    /// An event row's columns, in the order of ``columns``.
    package typealias Columns = (Int64, String, String, Int64, String, Int32, String, Int64, String, String?, String?, ByteBuffer, ByteBuffer)

    package static func decodeRow(_ row: PostgresRow) throws -> RecordedEvent {
        try event(try row.decode(Columns.self))
    }

    /// The event a row's columns hold, its id, stream name and hashes checked.
    package static func event(_ columns: Columns) throws -> RecordedEvent {
        let (position, id, stream, streamVersion, type, schemaVersion, payload, recordedAt, recordedBy, correlation, causation, previous, hash) =
            columns
        guard let eventID = EventID(id), let streamName = try? StreamName(stream),
            let previousHash = SHA256Hash(bytes: Array(buffer: previous)), let eventHash = SHA256Hash(bytes: Array(buffer: hash))
        else { throw StoreError.corruptRow(position: position, reason: "an id, stream name or hash is malformed") }
        return RecordedEvent(
            position: position, id: eventID, stream: streamName, streamVersion: streamVersion, type: type,
            schemaVersion: Int(schemaVersion), payloadJSON: payload,
            metadata: EventMetadata(recordedBy: recordedBy, correlationID: correlation, causationID: causation),
            recordedAt: RecordTime(microsecondsSinceEpoch: recordedAt), previousHash: previousHash, hash: eventHash)
    }

    // MARK: Verify and statistics

    public func verify(progress: @Sendable (Int64) -> Void) async throws(StoreError) -> VerificationReport {
        var verifier = ChainVerifier()
        var rules = RecordedEventRules(validator: validator)
        do {
            return try await client.withConnection { connection in
                let lookup = PostgresAppendTransaction(connection: connection, schema: location.schema, logger: logger)
                var from: Int64 = 1
                while true {
                    let rows = try await connection.query(
                        "SELECT \(unescaped: Self.columns) FROM \(unescaped: table) WHERE position >= \(from) ORDER BY position LIMIT 1000", logger: logger)
                    var page: [(Int64, Result<RecordedEvent, any Error>)] = []
                    for try await row in rows {
                        let position = try row.decode(Int64.self, context: .default)
                        page.append((position, Result { try Self.decodeRow(row) }))
                    }
                    for (position, decoded) in page {
                        let event: RecordedEvent
                        switch decoded {
                        case .success(let decodedEvent): event = decodedEvent
                        case .failure(let error): return verifier.report(failureAt: position, .malformedRow("\(error)"))
                        }
                        if let problem = verifier.check(event) { return verifier.report(failureAt: position, problem) }
                        if let broken = try await rules.problem(with: event, lookup: lookup) {
                            return verifier.report(failureAt: position, .ruleBroken(broken))
                        }
                        from = position + 1
                    }
                    progress(verifier.checked)
                    if page.count < 1000 { break }
                }
                return verifier.report()
            }
        } catch {
            throw Self.storeError(error)
        }
    }

    /// The guards PostgreSQL keeps on `events`: both triggers present and enabled, and the function
    /// they call still refusing. A superuser can drop or disable them (`ALTER TABLE … DISABLE
    /// TRIGGER`) just as the `sqlite3` tool can drop SQLite's.
    public func layoutProblems() async throws(StoreError) -> [String] {
        let schema = location.schema
        do {
            var triggers: [String: String] = [:]
            let rows = try await client.query(
                """
                SELECT t.tgname::text, t.tgenabled::text FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = \(schema) AND c.relname = 'events' AND NOT t.tgisinternal
                """, logger: logger)
            for try await (name, enabled) in rows.decode((String, String).self) { triggers[name] = enabled }
            var problems: [String] = []
            for name in ["events_refuse_change", "events_refuse_truncate"] {
                switch triggers[name] {
                case nil: problems.append("trigger \(name) is missing: it was dropped, so the log no longer refuses what it guarded against")
                case "D"?: problems.append("trigger \(name) is disabled: the log no longer refuses what it guarded against")
                default: break
                }
            }
            for name in triggers.keys.sorted() where name != "events_refuse_change" && name != "events_refuse_truncate" {
                problems.append("trigger \(name) on events is not one ThreatLedger creates")
            }
            let source = try await client.query(
                """
                SELECT p.prosrc FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname = \(schema) AND p.proname = 'refuse_change'
                """, logger: logger)
            var body: String?
            for try await text in source.decode(String.self) { body = text }
            if body?.contains("RAISE EXCEPTION") != true {
                problems.append("function \(schema).refuse_change is \(body == nil ? "missing" : "altered: it no longer raises an exception")")
            }
            return problems
        } catch {
            throw Self.storeError(error)
        }
    }

    public func statistics() async throws(StoreError) -> LogStatistics {
        do {
            var count: Int64 = 0
            var streams: Int64 = 0
            var first: Int64?
            for try await (c, s, f) in try await client.query(
                "SELECT COUNT(*), COUNT(DISTINCT stream), MIN(recorded_at) FROM \(unescaped: table)", logger: logger
            ).decode((Int64, Int64, Int64?).self) {
                count = c
                streams = s
                first = f
            }
            var byType: [String: Int64] = [:]
            for try await (type, n) in try await client.query("SELECT type, COUNT(*) FROM \(unescaped: table) GROUP BY type", logger: logger)
                .decode((String, Int64).self)
            {
                byType[type] = n
            }
            return LogStatistics(
                eventCount: count, streamCount: streams, countsByType: byType, head: try await head(),
                firstRecordedAt: first.map(RecordTime.init(microsecondsSinceEpoch:)),
                storageDescription: "PostgreSQL \(location.description), appends serialized by an advisory lock")
        } catch let error as StoreError {
            throw error
        } catch {
            throw Self.storeError(error)
        }
    }

    static func storeError(_ error: any Error) -> StoreError {
        if let error = error as? StoreError { return error }
        if let error = error as? PostgresTransactionError {
            if let inner = error.closureError { return storeError(inner) }
        }
        return .database(describe(error))
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            return error.serverInfo?[.message].map { "PostgreSQL: \($0)" } ?? "PostgreSQL error: \(error.code)"
        }
        return "\(error)"
    }
}

/// The PostgreSQL side of an append: one connection, inside a transaction that holds the append lock.
struct PostgresAppendTransaction: AppendTransaction {
    let connection: PostgresConnection
    let schema: String
    let logger: Logger

    nonisolated(nonsending) func head() async throws -> ChainHead? {
        let rows = try await connection.query(
            "SELECT position, hash, recorded_at FROM \(unescaped: schema).events ORDER BY position DESC LIMIT 1", logger: logger)
        for try await (position, hash, recordedAt) in rows.decode((Int64, ByteBuffer, Int64).self) {
            return ChainHead(
                position: position, hash: SHA256Hash(bytes: Array(buffer: hash)) ?? .genesis, recordedAt: RecordTime(microsecondsSinceEpoch: recordedAt))
        }
        return nil
    }

    nonisolated(nonsending) func storedEvent(id: EventID) async throws -> RecordedEvent? {
        let rows = try await connection.query(
            "SELECT \(unescaped: PostgresEventLog.columns) FROM \(unescaped: schema).events WHERE event_id = \(id.rawValue)::uuid", logger: logger)
        return try await PostgresEventLog.decode(rows).first
    }

    nonisolated(nonsending) func streamVersion(_ stream: StreamName) async throws -> Int64 {
        let rows = try await connection.query(
            "SELECT COALESCE(MAX(stream_version), 0) FROM \(unescaped: schema).events WHERE stream = \(stream.rawValue)", logger: logger)
        for try await version in rows.decode(Int64.self) { return version }
        return 0
    }

    nonisolated(nonsending) func firstEvent(of stream: StreamName) async throws -> RecordedEvent? {
        let rows = try await connection.query(
            "SELECT \(unescaped: PostgresEventLog.columns) FROM \(unescaped: schema).events WHERE stream = \(stream.rawValue) AND stream_version = 1",
            logger: logger)
        return try await PostgresEventLog.decode(rows).first
    }

    nonisolated(nonsending) func events(of stream: StreamName, before position: Int64) async throws -> [RecordedEvent] {
        let rows = try await connection.query(
            "SELECT \(unescaped: PostgresEventLog.columns) FROM \(unescaped: schema).events WHERE stream = \(stream.rawValue) AND position < \(position) ORDER BY stream_version",
            logger: logger)
        return try await PostgresEventLog.decode(rows)
    }

    nonisolated(nonsending) func insert(_ event: RecordedEvent) async throws {
        try await connection.query(
            """
            INSERT INTO \(unescaped: schema).events (position, event_id, stream, stream_version, type, schema_version, payload,
                recorded_at, recorded_by, correlation_id, causation_id, previous_hash, hash)
            VALUES (\(event.position), \(event.id.rawValue)::uuid, \(event.stream.rawValue), \(event.streamVersion), \(event.type),
                \(Int32(event.schemaVersion)), \(event.payloadJSON), \(event.recordedAt.microsecondsSinceEpoch), \(event.metadata.recordedBy),
                \(event.metadata.correlationID), \(event.metadata.causationID), \(ByteBuffer(bytes: event.previousHash.bytes)),
                \(ByteBuffer(bytes: event.hash.bytes)))
            """, logger: logger)
    }
}

extension PostgresAppendTransaction {
    /// Two queries for the whole batch: stored events among its ids, and its streams' versions.
    nonisolated(nonsending) func lookUp(ids: [EventID], streams: [StreamName]) async throws -> AppendLookups {
        var lookups = AppendLookups()
        let idTexts = ids.map(\.rawValue)
        let stored = try await connection.query(
            "SELECT \(unescaped: PostgresEventLog.columns) FROM \(unescaped: schema).events WHERE event_id = ANY(\(idTexts)::text[]::uuid[])",
            logger: logger)
        for event in try await PostgresEventLog.decode(stored) { lookups.stored[event.id] = event }
        let names = streams.map(\.rawValue)
        let rows = try await connection.query(
            "SELECT stream, MAX(stream_version) FROM \(unescaped: schema).events WHERE stream = ANY(\(names)::text[]) GROUP BY stream",
            logger: logger)
        for try await (name, version) in rows.decode((String, Int64).self) {
            if let stream = try? StreamName(name) { lookups.versions[stream] = version }
        }
        return lookups
    }

    /// One `INSERT … SELECT FROM unnest(…)` for the whole batch.
    nonisolated(nonsending) func insert(_ events: [RecordedEvent]) async throws {
        guard !events.isEmpty else { return }
        let rows = PostgresRows(events)
        try await connection.query(
            """
            INSERT INTO \(unescaped: schema).events (position, event_id, stream, stream_version, type, schema_version, payload,
                recorded_at, recorded_by, correlation_id, causation_id, previous_hash, hash)
            SELECT p, i::uuid, s, v, t, sv, d, ra, rb, CASE WHEN hc THEN c END, CASE WHEN hk THEN k END, ph, h
            FROM unnest(\(rows.positions)::bigint[], \(rows.ids)::text[], \(rows.streams)::text[], \(rows.versions)::bigint[],
                \(rows.types)::text[], \(rows.schemaVersions)::integer[], \(rows.payloads)::text[], \(rows.recordedAt)::bigint[],
                \(rows.recordedBy)::text[], \(rows.correlations)::text[], \(rows.hasCorrelation)::boolean[], \(rows.causations)::text[],
                \(rows.hasCausation)::boolean[], \(rows.previous)::bytea[], \(rows.hashes)::bytea[])
                AS u(p, i, s, v, t, sv, d, ra, rb, c, hc, k, hk, ph, h)
            ORDER BY p
            """, logger: logger)
    }
}

/// Events as the column arrays an `unnest` insert takes (a null correlation or causation id is an
/// empty string beside a false flag, since PostgresNIO binds no arrays of optionals).
struct PostgresRows {
    let positions: [Int64]
    let ids: [String]
    let streams: [String]
    let versions: [Int64]
    let types: [String]
    let schemaVersions: [Int32]
    let payloads: [String]
    let recordedAt: [Int64]
    let recordedBy: [String]
    let correlations: [String]
    let hasCorrelation: [Bool]
    let causations: [String]
    let hasCausation: [Bool]
    let previous: [ByteBuffer]
    let hashes: [ByteBuffer]

    init(_ events: [RecordedEvent]) {
        positions = events.map(\.position)
        ids = events.map(\.id.rawValue)
        streams = events.map(\.stream.rawValue)
        versions = events.map(\.streamVersion)
        types = events.map(\.type)
        schemaVersions = events.map { Int32($0.schemaVersion) }
        payloads = events.map(\.payloadJSON)
        recordedAt = events.map(\.recordedAt.microsecondsSinceEpoch)
        recordedBy = events.map(\.metadata.recordedBy)
        correlations = events.map { $0.metadata.correlationID ?? "" }
        hasCorrelation = events.map { $0.metadata.correlationID != nil }
        causations = events.map { $0.metadata.causationID ?? "" }
        hasCausation = events.map { $0.metadata.causationID != nil }
        previous = events.map { ByteBuffer(bytes: $0.previousHash.bytes) }
        hashes = events.map { ByteBuffer(bytes: $0.hash.bytes) }
    }
}
