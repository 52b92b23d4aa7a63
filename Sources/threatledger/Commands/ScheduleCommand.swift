import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import ThreatLedgerBackends
import ThreatLedgerCore
import ThreatLedgerProjections
import ThreatLedgerServer

struct ScheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Rebuild projections (or, with --verify, verify the log) on a schedule, until stopped (SIGTERM or SIGINT).",
        discussion: """
            A long-running process: logs one line when each run starts and ends (events folded, log head, digest), \
            keeps going when a run fails (the failure is logged and the next run happens on time), and on SIGTERM \
            lets a running rebuild finish and exits 0. Times are UTC. For systemd and cron instead, see scripts/systemd \
            and scripts/cron.
            With --verify, each run is the complete verify and verify --projections instead; a run that passes signs the \
            log's head (with its Merkle root) into the trail --heads FILE with --sign-with KEY, each head naming the one \
            before it (check the trail with verify --against FILE); a run that fails logs a line starting \
            "schedule: error: verification failed" and the next run stays on time.
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

    @Flag(name: .long, help: "Verify the log and its projections on the schedule instead of rebuilding.")
    var verify = false

    @Option(name: .long, help: ArgumentHelp("With --verify: append each passing run's signed head to this trail.", valueName: "file"))
    var heads: String?

    @Option(name: .customLong("sign-with"), help: ArgumentHelp("With --heads: the private key (threatledger keygen) that signs them.", valueName: "file"))
    var signWith: String?

    func validate() throws {
        if (every == nil) == (cron == nil) { throw ValidationError("give exactly one of --every and --cron") }
        if (heads == nil) != (signWith == nil) { throw ValidationError("--heads and --sign-with go together: the trail and the key that signs it") }
        if heads != nil, !verify { throw ValidationError("--heads needs --verify: heads are signed after each passing verification") }
        if verify, projection != nil { throw ValidationError("--projection is for rebuilds; --verify checks every projection") }
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
            let backend = try await log.backend(role: "threatledger schedule")
            if verify {
                try await runVerification(schedule, backend: backend)
                return
            }
            let definitions = try RebuildCommand.definitions(projection)
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
            try await Self.runUntilSignalled(service, beside: backend)
        }
    }
}

extension ScheduleCommand {
    /// `schedule --verify`: the service `serve --verify-every` runs, alone, reporting to standard error.
    func runVerification(_ schedule: RebuildSchedule, backend: Backend) async throws {
        let trail = try heads.map { ScheduledVerification.Trail(path: $0, privateKey: try SignedHeadFiles.privateKey(signWith!)) }
        Terminal.error("schedule: verification \(schedule) on \(log.resolvedPath)" + (heads.map { "; signed heads into \($0)" } ?? ""))
        let service = ScheduledVerification(schedule: schedule, log: backend.log, projector: backend.projector, trail: trail, runNow: runNow) { event in
            switch event {
            case .waiting(let until): Terminal.error("schedule: next verification at \(until.iso8601)")
            case .started(let run): Terminal.error("schedule: verification run \(run) started at \(SystemRecordClock().now().iso8601)")
            case .passed(let run, let events, let projections, _, let head):
                Terminal.error(
                    "schedule: verification run \(run) passed: \(events) event(s), chain, content, guards"
                        + (projections ? " and projections" : " (projections not built yet: nothing stored to check)")
                        + (head.map { "; signed head at position \($0.position) appended to \(heads!)" } ?? ""))
            case .failed(let run, let reason):
                Terminal.error("schedule: error: verification failed (run \(run)): \(reason); the next run stays on schedule")
            case .stopped(let runs): Terminal.error("schedule: stopped by signal after \(runs) verification run(s)")
            }
        }
        try await Self.runUntilSignalled(service, beside: backend)
    }

    /// Runs a scheduled service under a ServiceGroup that turns SIGTERM and SIGINT into a graceful
    /// shutdown, the backend's services first, so that its pool closes after the service stops.
    static func runUntilSignalled(_ service: some Service, beside backend: Backend) async throws {
        var logger = Logger(label: "threatledger.schedule")
        logger.logLevel = .warning
        let group = ServiceGroup(
            configuration: .init(
                services: backend.services.map { .init(service: $0) } + [.init(service: service, successTerminationBehavior: .gracefullyShutdownGroup)],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
