import Logging
import ServiceLifecycle
import ThreatLedgerProjections

/// Whether the server is ready: only once every projection has caught up with the log (rebuilt first
/// when it was never built or was built by another version), and never while the last scheduled
/// verification failed (`serve --verify-every`). `/health` answers from the start.
public actor Readiness {
    private var projections: (ready: Bool, detail: String) = (false, "projections are catching up with the log")
    private var verificationFailure: String?

    public var state: (ready: Bool, detail: String) {
        if let verificationFailure { return (false, "the last scheduled verification failed: \(verificationFailure)") }
        return projections
    }

    func set(ready: Bool, detail: String) {
        projections = (ready, detail)
    }

    var projectionsReady: Bool { projections.ready }

    func set(verificationFailure failure: String?) {
        verificationFailure = failure
    }
}

/// Runs the server's ``ProjectionFollower``: the read index and every projection are caught up in
/// the background (at start, after every append this server makes, and every poll interval), so no
/// read catches up or waits for a catch-up's write transaction. The server is ready once the first
/// pass succeeds; a failed pass makes it unready (with the reason) until one succeeds again.
struct ProjectionFollowing: Service {
    let follower: ProjectionFollower
    let readiness: Readiness
    let metrics: ServerMetrics
    let logger: Logger

    func run() async throws {
        let (readiness, metrics, logger) = (self.readiness, self.metrics, self.logger)
        await cancelWhenGracefulShutdown {
            await follower.run { outcome in
                switch outcome {
                case .caughtUp(let position, let checkpoints):
                    metrics.caughtUp(position: position)
                    let detail = checkpoints.keys.sorted().map { "\($0) at log position \(checkpoints[$0]!)" }.joined(separator: ", ")
                    // Not ready: the first pass, or the first since one failed.
                    if await !readiness.projectionsReady {
                        logger.info("projections caught up; ready", metadata: ["projections": .string(detail)])
                    }
                    await readiness.set(ready: true, detail: detail)
                case .failed(let error):
                    metrics.catchUpFailed()
                    await readiness.set(ready: false, detail: "projections failed to catch up: \(error)")
                    logger.error("projections failed to catch up", metadata: ["error": .string("\(error)")])
                }
            }
        }
    }
}
