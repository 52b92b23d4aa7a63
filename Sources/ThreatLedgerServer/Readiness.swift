import Logging
import ServiceLifecycle
import ThreatLedgerProjections

/// Whether the server is ready: only once every projection has caught up with the log (rebuilt first
/// when it was never built or was built by another version). `/health` answers from the start.
public actor Readiness {
    public private(set) var state: (ready: Bool, detail: String) = (false, "projections are catching up with the log")

    func set(ready: Bool, detail: String) {
        state = (ready, detail)
    }
}

/// Catches the projections up at start, marks the server ready, then waits for shutdown.
struct ProjectionWarmUp: Service {
    let projector: any Projector
    let readiness: Readiness
    let logger: Logger

    func run() async throws {
        do {
            var positions: [String] = []
            for definition in ProjectionDefinition.all {
                let status = try await projector.ensureServing(definition)
                positions.append("\(definition.name) at log position \(status.position)")
            }
            // The read index serves every region, clocked and trace read: ready only once it is built.
            if let index = projector as? any ClaimVersionIndex {
                let checkpoint = try await index.ensureIndexCurrent(progress: { _, _ in })
                positions.append("\(ClaimVersionIndexLayout.name) at log position \(checkpoint.position)")
            }
            await readiness.set(ready: true, detail: positions.joined(separator: ", "))
            logger.info("projections caught up; ready", metadata: ["projections": .string(positions.joined(separator: "; "))])
        } catch {
            await readiness.set(ready: false, detail: "projections failed to catch up: \(error)")
            logger.error("projections failed to catch up", metadata: ["error": .string("\(error)")])
        }
        try? await gracefulShutdown()
    }
}
