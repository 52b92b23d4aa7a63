import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import ThreatLedgerCore
import ThreatLedgerProjections
import ThreatLedgerServer

struct ScheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Rebuild projections on a schedule, until stopped (SIGTERM or SIGINT).",
        discussion: """
            A long-running process: logs one line when each run starts and ends (events folded, log head, digest), \
            keeps going when a run fails (the failure is logged and the next run happens on time), and on SIGTERM \
            lets a running rebuild finish and exits 0. Times are UTC. For systemd and cron instead, see scripts/systemd \
            and scripts/cron.
            """
    )

    @OptionGroup var log: LogOptions

    @Option(name: .long, help: ArgumentHelp("Run every interval: 6h, 30m, 90s, 1d.", valueName: "interval"))
    var every: String?

    @Option(name: .long, help: ArgumentHelp("Run at the minutes of a cron expression, e.g. \"0 */6 * * *\".", valueName: "expression"))
    var cron: String?

    @Option(name: .long, help: ArgumentHelp("Only this projection.", valueName: "name"))
    var projection: String?

    @Flag(name: .long, help: "Run once at start, then on the schedule.")
    var runNow = false

    func validate() throws {
        if (every == nil) == (cron == nil) { throw ValidationError("give exactly one of --every and --cron") }
    }

    func run() async throws {
        try await reportingFailures {
            let schedule: RebuildSchedule
            do throws(ScheduleError) {
                if let every {
                    schedule = try RebuildSchedule.interval(every)
                } else {
                    schedule = .cron(try CronExpression(cron!))
                }
            } catch {
                throw CommandFailure(error.description)
            }
            let definitions = try RebuildCommand.definitions(projection)
            let backend = try await log.backend(role: "threatledger schedule")
            let projector = backend.projector
            Terminal.error("schedule: \(schedule) for \(definitions.map(\.name).joined(separator: ", ")) on \(log.resolvedPath)")
            // The same service `serve` runs for its scheduled rebuilds, under a ServiceGroup that turns
            // SIGTERM and SIGINT into a graceful shutdown.
            let service = ScheduledRebuilds(schedule: schedule, projector: projector, definitions: definitions, runNow: runNow) { event in
                let clock = SystemRecordClock()
                switch event {
                case .waiting(let until): Terminal.error("schedule: next run at \(until.iso8601)")
                case .started(let run, let projection): Terminal.error("schedule: run \(run) \(projection) started at \(clock.now().iso8601)")
                case .rebuilt(let run, let record): Terminal.error("schedule: run \(run) \(RebuildsCommand.line(record))")
                case .failed(let run, let projection, let reason):
                    Terminal.error("schedule: run \(run) \(projection) failed: \(reason); the next run stays on schedule")
                case .stopped(let runs): Terminal.error("schedule: stopped by signal after \(runs) run(s)")
                }
            }
            var logger = Logger(label: "threatledger.schedule")
            logger.logLevel = .warning
            let group = ServiceGroup(
                configuration: .init(
                    // The backend's services first, so that its pool closes after the rebuilds stop.
                    services: backend.services.map { .init(service: $0) }
                        + [.init(service: service, successTerminationBehavior: .gracefullyShutdownGroup)],
                    gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            try await group.run()
        }
    }
}
