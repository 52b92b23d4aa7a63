import ThreatLedgerCore
import ThreatLedgerStore

/// The complete verification of a log, as `verify` runs it and scheduled verification repeats it:
/// every event (chain, content, rules, quotes), the log's guards (triggers and table), the
/// projections' witnesses of the tail, and, when asked, every stored projection and the read index
/// re-derived from the log and compared.
public enum LogVerification {
    /// What a verification found.
    public struct Outcome: Sendable {
        public let report: VerificationReport
        /// Problems around the events (guards, witnesses, projection differences), each in words.
        public let findings: [String]
        /// Whether the stored projections and read index were re-derived and compared.
        public let projectionsChecked: Bool

        public var isValid: Bool { report.isValid && findings.isEmpty }

        /// The first problem in words, or nil.
        public var firstProblem: String? { report.failure.map(\.description) ?? findings.first }
    }

    /// - Parameter skipUnbuilt: with `projections`, a read index never built is no failure (nothing
    ///   stored to check): scheduled verification, which may run before a server's first catch-up.
    public static func run(
        log: any EventLog, projector: any Projector, projections: Bool, skipUnbuilt: Bool = false,
        progress: @escaping @Sendable (Int64) -> Void = { _ in },
        projectionProgress: @escaping @Sendable (Int64, Int64) -> Void = { _, _ in }
    ) async throws -> Outcome {
        // The guards first, then the events: a tamperer who drops a guard and edits a row in one
        // transaction is then always named at the row's position. The other way round, an edit
        // committed while the events were being walked (a snapshot taken before it) would show
        // only as the missing guard; a scheduled verification checking every second met that.
        var findings = try await log.layoutProblems()
        let report = try await log.verify(progress: progress)
        if let contradiction = try await TailWitnesses.contradiction(log: log, projector: projector) { findings.append(contradiction) }
        var built = true
        if skipUnbuilt, let store = projector as? any ProjectionRowStore { built = try await store.indexCheckpoint() != nil }
        if projections, built, report.isValid, findings.isEmpty {
            findings += try await ProjectionCheck.differences(log: log, projector: projector, progress: projectionProgress)
        }
        return Outcome(report: report, findings: findings, projectionsChecked: projections && built && report.isValid)
    }
}
