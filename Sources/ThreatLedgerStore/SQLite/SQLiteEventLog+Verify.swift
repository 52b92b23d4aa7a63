import ThreatLedgerCore

extension SQLiteEventLog {
    /// Walks the chain in one read transaction (a consistent snapshot, while writers go on), 
    /// re-hashing every event and re-hashing the text of every `SourceRegistered` article.
    /// Stops at the first problem and names its position.
    public func verify(progress: @Sendable (Int64) -> Void) async throws(StoreError) -> VerificationReport {
        do {
            try connection.execute("BEGIN")
            defer { try? connection.execute("COMMIT") }
            return try verifySnapshot(progress: progress)
        } catch {
            throw Self.storeError(error)
        }
    }

    private func verifySnapshot(progress: @Sendable (Int64) -> Void) throws -> VerificationReport {
        let statement = try connection.statement("SELECT \(Self.columns) FROM events ORDER BY position")
        defer { statement.reset() }
        var verifier = ChainVerifier()
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
            if position % 10_000 == 0 { progress(position) }
        }
        progress(verifier.checked)
        return verifier.report()
    }
}
