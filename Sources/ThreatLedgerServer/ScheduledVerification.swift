import Logging
import ServiceLifecycle
import ThreatLedgerCore
import ThreatLedgerProjections
import ThreatLedgerStore

/// Verifies the log on a schedule until graceful shutdown: the complete `verify` and `verify
/// --projections` (``LogVerification``), then, when both pass and a trail is configured, the log's
/// head signed (with its Merkle root) as the trail's next line (``HeadTrail``), so each run leaves
/// evidence that the log was whole then. `serve --verify-every` runs it beside the HTTP server
/// (a failure makes `/ready` unready and shows in `/metrics`); `schedule --verify` runs it alone.
/// A run that fails is reported with what failed; the next run stays on time.
public struct ScheduledVerification: Service {
    /// Where each run's signed head goes.
    public struct Trail: Sendable {
        public let path: String
        public let privateKey: [UInt8]

        public init(path: String, privateKey: [UInt8]) {
            self.path = path
            self.privateKey = privateKey
        }
    }

    public enum Event: Sendable {
        case waiting(until: RecordTime)
        case started(run: Int)
        /// The run passed; `head` is what it signed into the trail (nil without a trail);
        /// `projectionsChecked` is false while the read index has never been built.
        case passed(run: Int, events: Int64, projectionsChecked: Bool, at: RecordTime, head: SignedHead?)
        case failed(run: Int, reason: String)
        case stopped(runs: Int)
    }

    let schedule: RebuildSchedule
    let log: any EventLog
    let projector: any Projector
    let trail: Trail?
    let runNow: Bool
    let report: @Sendable (Event) -> Void
    let clock = SystemRecordClock()

    public init(
        schedule: RebuildSchedule, log: any EventLog, projector: any Projector, trail: Trail?, runNow: Bool = false,
        report: @escaping @Sendable (Event) -> Void
    ) {
        self.schedule = schedule
        self.log = log
        self.projector = projector
        self.trail = trail
        self.runNow = runNow
        self.report = report
    }

    /// The server's form: failures make the server unready and count in its metrics; each run is
    /// logged, a failure at `error` with a line an operator's tooling can match.
    init(
        schedule: RebuildSchedule, log: any EventLog, projector: any Projector, trail: Trail?, readiness: Readiness, metrics: ServerMetrics,
        logger: Logger
    ) {
        metrics.verificationScheduled()
        self.init(schedule: schedule, log: log, projector: projector, trail: trail, runNow: true) { event in
            switch event {
            case .passed(_, let events, _, let at, let head):
                metrics.verified(at: at)
                Task { await readiness.set(verificationFailure: nil) }
                logger.info(
                    "scheduled verification passed",
                    metadata: ["events": .stringConvertible(events), "signed_position": .string(head.map { String($0.position) } ?? "none")])
            case .failed(_, let reason):
                metrics.verificationFailed()
                Task { await readiness.set(verificationFailure: reason) }
                logger.error("scheduled verification failed", metadata: ["reason": .string(reason)])
            case .waiting, .started, .stopped:
                break
            }
        }
    }

    public func run() async throws {
        let runs = await runOnSchedule(
            schedule, runNow: runNow, clock: clock, waiting: { report(.waiting(until: $0)) },
            body: { run in
                report(.started(run: run))
                do {
                    let outcome = try await LogVerification.run(log: log, projector: projector, projections: true, skipUnbuilt: true)
                    if let problem = outcome.firstProblem {
                        report(.failed(run: run, reason: problem))
                        return
                    }
                    var head: SignedHead?
                    if let trail { head = try await HeadTrail.append(log, to: trail.path, privateKey: trail.privateKey) }
                    report(
                        .passed(run: run, events: outcome.report.eventsChecked, projectionsChecked: outcome.projectionsChecked, at: clock.now(), head: head))
                } catch {
                    report(.failed(run: run, reason: "\(error)"))
                }
            })
        report(.stopped(runs: runs))
    }
}
