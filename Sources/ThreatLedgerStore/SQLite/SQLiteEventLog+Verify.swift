import ThreatLedgerCore

extension SQLiteEventLog {
    /// Walks the chain in one read transaction (a consistent snapshot, while writers go on),
    /// re-hashing every event and the text of every `SourceRegistered` article, and re-checking every
    /// event against the rules an append applies (``RecordedEventRules``).
    /// Stops at the first problem and names its position.
    public func verify(progress: @Sendable (Int64) -> Void) async throws(StoreError) -> VerificationReport {
        await takeTurn()
        defer { endTurn() }
        do {
            try connection.execute("BEGIN")
            defer { try? connection.execute("COMMIT") }
            return try await verifySnapshot(progress: progress)
        } catch {
            throw Self.storeError(error)
        }
    }

    private func verifySnapshot(progress: @Sendable (Int64) -> Void) async throws -> VerificationReport {
        let statement = try connection.statement("SELECT \(Self.columns) FROM events ORDER BY position")
        defer { statement.reset() }
        var verifier = ChainVerifier()
        var rules = RecordedEventRules(validator: validator)
        let lookup = SQLiteAppendTransaction(connection: connection)
        while try statement.step() {
            let position = statement.int64(0)
            let event: RecordedEvent
            do throws(StoreError) {
                event = try Self.decodeRow(statement)
            } catch {
                if case .corruptRow(_, let reason) = error { return verifier.report(failureAt: position, .malformedRow(reason)) }
                throw error
            }
            if let problem = verifier.check(event) { return verifier.report(failureAt: position, problem) }
            if let broken = try await rules.problem(with: event, lookup: lookup) {
                return verifier.report(failureAt: position, .ruleBroken(broken))
            }
            if position % 10_000 == 0 { progress(position) }
        }
        progress(verifier.checked)
        return verifier.report()
    }

    /// Compares the file's `events` table and triggers with the ones this version creates, as
    /// SQLite itself records them (the layout is created in a scratch in-memory database and both
    /// `sqlite_master` listings compared, statement text included).
    public func layoutProblems() async throws(StoreError) -> [String] {
        await takeTurn()
        defer { endTurn() }
        do {
            let scratch = try SQLiteConnection(path: ":memory:")
            try scratch.execute(SQLiteSchema.version1)
            let expected = try Self.schemaObjects(scratch)
            let found = try Self.schemaObjects(connection)
            var problems: [String] = []
            for (name, object) in expected.sorted(by: { $0.key < $1.key }) {
                guard let stored = found[name] else {
                    problems.append("\(object.type) \(name) is missing: it was dropped, so the log no longer refuses what it guarded against")
                    continue
                }
                if Self.folded(stored.sql) != Self.folded(object.sql) {
                    problems.append("\(object.type) \(name) was altered: it no longer reads as this version of ThreatLedger created it")
                }
            }
            for name in found.keys.sorted() where expected[name] == nil && found[name]!.type == "trigger" {
                problems.append("trigger \(name) on events is not one ThreatLedger creates")
            }
            let version = try connection.scalarInt("PRAGMA user_version") ?? 0
            if version != SQLiteSchema.currentVersion {
                problems.append("layout version \(version) is not one this ThreatLedger knows (\(SQLiteSchema.currentVersion))")
            }
            return problems
        } catch {
            throw Self.storeError(error)
        }
    }

    /// The `events` table, its triggers and indexes, by name: type and SQL text.
    private static func schemaObjects(_ connection: SQLiteConnection) throws -> [String: (type: String, sql: String)] {
        let statement = try connection.statement("SELECT name, type, COALESCE(sql, '') FROM sqlite_master WHERE tbl_name = 'events'")
        defer { statement.reset() }
        var objects: [String: (type: String, sql: String)] = [:]
        while try statement.step() {
            objects[statement.text(0) ?? ""] = (statement.text(1) ?? "", statement.text(2) ?? "")
        }
        return objects
    }

    private static func folded(_ sql: String) -> String {
        sql.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).joined(separator: " ")
    }
}
