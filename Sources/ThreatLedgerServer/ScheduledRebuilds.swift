import Logging
import ServiceLifecycle
import ThreatLedgerCore
import ThreatLedgerProjections

/// Rebuilds every projection on a schedule while the server runs. With several servers on one
/// PostgreSQL database, each tries on its schedule and the rebuild lock lets one at a time through:
/// the others log that a rebuild is already running and wait for their next turn. Stops at shutdown.
struct ScheduledRebuilds: Service {
    let schedule: RebuildSchedule
    let projector: any Projector
    let metrics: ServerMetrics
    let logger: Logger
    let clock = SystemRecordClock()

    func run() async throws {
        var next = schedule.next(after: clock.now())
        while !Task.isCancelledOrShuttingDown {
            let wait = max(0, next.microsecondsSinceEpoch - clock.now().microsecondsSinceEpoch)
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: .microseconds(wait)) }
            } catch {
                return
            }
            if Task.isCancelledOrShuttingDown { return }
            for definition in ProjectionDefinition.all {
                let start = ContinuousClock.now
                do {
                    let record = try await projector.rebuild(definition)
                    metrics.rebuilt(projection: definition.name, duration: ContinuousClock.now - start)
                    logger.info("scheduled rebuild done", metadata: [
                        "projection": .string(definition.name), "head": .stringConvertible(record.headPosition), "digest": .string(record.digest.hex),
                    ])
                } catch {
                    logger.notice("scheduled rebuild skipped", metadata: ["projection": .string(definition.name), "reason": .string(error.description)])
                }
            }
            next = schedule.next(after: max(next, clock.now()))
        }
    }
}

extension Task where Success == Never, Failure == Never {
    static var isCancelledOrShuttingDown: Bool { Task.isCancelled || Task.isShuttingDownGracefully }
}
