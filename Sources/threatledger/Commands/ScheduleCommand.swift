import ArgumentParser
import Foundation
import ThreatLedgerCore
import ThreatLedgerProjections

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
            let projector = try await Serving.projector(log, role: "threatledger schedule")
            let clock = SystemRecordClock()
            let stop = StopSignal()
            Terminal.error("schedule: \(schedule) for \(definitions.map(\.name).joined(separator: ", ")) on \(log.resolvedPath)")
            var runs = 0
            var next = runNow ? clock.now() : schedule.next(after: clock.now())
            while !stop.requested {
                Terminal.error("schedule: next run at \(next.iso8601)")
                let wait = max(0, next.microsecondsSinceEpoch - clock.now().microsecondsSinceEpoch)
                if await stop.sleep(microseconds: wait) { break }
                runs += 1
                for definition in definitions {
                    Terminal.error("schedule: run \(runs) \(definition.name) started at \(clock.now().iso8601)")
                    do throws(ProjectionError) {
                        let record = try await projector.rebuild(definition)
                        Terminal.error("schedule: run \(runs) \(RebuildsCommand.line(record))")
                    } catch {
                        Terminal.error("schedule: run \(runs) \(definition.name) failed: \(error); the next run stays on schedule")
                    }
                }
                next = schedule.next(after: max(next, clock.now()))
            }
            Terminal.error("schedule: stopped by signal after \(runs) run(s)")
        }
    }
}

/// SIGTERM and SIGINT, turned into a flag and a wake-up for a sleeping loop.
///
/// Each ``sleep(microseconds:)`` has its own token: a timer that fires before the sleeper has
/// registered still counts (no lost wake-up), and a late timer of an earlier sleep wakes nothing.
final class StopSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false
    private var currentSleep = 0
    private var timerFired = false
    private var waiter: CheckedContinuation<Bool, Never>?
    private var sources: [any DispatchSourceSignal] = []

    init() {
        for number in [SIGTERM, SIGINT] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.fire() }
            source.resume()
            sources.append(source)
        }
    }

    var requested: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }

    private func fire() {
        lock.lock()
        stopped = true
        let waiting = waiter
        waiter = nil
        lock.unlock()
        waiting?.resume(returning: true)
    }

    /// Sleeps up to `microseconds`; returns true when a stop signal cut it short (or came before).
    func sleep(microseconds: Int64) async -> Bool {
        let token = beginSleep()
        let timer = Task {
            try? await Task.sleep(for: .microseconds(microseconds))
            self.timerElapsed(token)
        }
        let stopped = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            lock.lock()
            if self.stopped || timerFired {
                let result = self.stopped
                lock.unlock()
                continuation.resume(returning: result)
            } else {
                waiter = continuation
                lock.unlock()
            }
        }
        timer.cancel()
        return stopped
    }

    private func beginSleep() -> Int {
        lock.withLock {
            currentSleep += 1
            timerFired = false
            return currentSleep
        }
    }

    private func timerElapsed(_ token: Int) {
        lock.lock()
        guard token == currentSleep else {
            lock.unlock()
            return
        }
        timerFired = true
        let waiting = waiter
        waiter = nil
        lock.unlock()
        waiting?.resume(returning: false)
    }
}
