import Logging
import ServiceLifecycle
import ThreatLedgerCore
import ThreatLedgerProjections

/// Rebuilds projections on a schedule until graceful shutdown: the service `serve` runs beside the
/// HTTP server (`--rebuild-every`) and `schedule` runs alone, under one `ServiceGroup` each. With
/// several processes on one PostgreSQL database, each tries on its schedule and the rebuild lock
/// lets one at a time through: the others report that a rebuild is already running and wait for
/// their next turn. A run that fails is reported and the next one stays on time. Shutdown wakes a
/// waiting service at once; a rebuild already running finishes first (it swaps in whole or not at
/// all either way).
public struct ScheduledRebuilds: Service {
    /// What happens, as it happens: a run of a projection starts, ends with its record, or fails.
    public enum Event: Sendable {
        case waiting(until: RecordTime)
        case started(run: Int, projection: String)
        case rebuilt(run: Int, RebuildRecord)
        case failed(run: Int, projection: String, reason: String)
        case stopped(runs: Int)
    }

    let schedule: RebuildSchedule
    let projector: any Projector
    let definitions: [ProjectionDefinition]
    let runNow: Bool
    let report: @Sendable (Event) -> Void
    let clock = SystemRecordClock()

    public init(
        schedule: RebuildSchedule, projector: any Projector, definitions: [ProjectionDefinition] = ProjectionDefinition.all,
        runNow: Bool = false, report: @escaping @Sendable (Event) -> Void
    ) {
        self.schedule = schedule
        self.projector = projector
        self.definitions = definitions
        self.runNow = runNow
        self.report = report
    }

    /// The server's form: every projection, reported to its log and its metrics.
    init(schedule: RebuildSchedule, projector: any Projector, metrics: ServerMetrics, logger: Logger) {
        self.init(schedule: schedule, projector: projector) { event in
            switch event {
            case .rebuilt(_, let record):
                metrics.rebuilt(
                    projection: record.projection, duration: .microseconds(record.finishedAt.microsecondsSinceEpoch - record.startedAt.microsecondsSinceEpoch))
                logger.info(
                    "scheduled rebuild done",
                    metadata: [
                        "projection": .string(record.projection), "head": .stringConvertible(record.headPosition), "digest": .string(record.digest.hex),
                    ])
            case .failed(_, let projection, let reason):
                logger.notice("scheduled rebuild skipped", metadata: ["projection": .string(projection), "reason": .string(reason)])
            case .waiting, .started, .stopped:
                break
            }
        }
    }

    public func run() async throws {
        let runs = await runOnSchedule(
            schedule, runNow: runNow, clock: clock, waiting: { report(.waiting(until: $0)) },
            body: { run in
                for definition in definitions {
                    report(.started(run: run, projection: definition.name))
                    do {
                        report(.rebuilt(run: run, try await projector.rebuild(definition)))
                    } catch {
                        report(.failed(run: run, projection: definition.name, reason: "\(error)"))
                    }
                }
            })
        report(.stopped(runs: runs))
    }
}
