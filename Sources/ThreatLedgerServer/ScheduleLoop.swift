import ServiceLifecycle
import ThreatLedgerCore

/// The loop every scheduled service runs (``ScheduledRebuilds``, ``ScheduledVerification``): wait
/// for the schedule's next moment (at once with `runNow`), run, repeat, until graceful shutdown,
/// which wakes a waiting loop at once and lets a running body finish. A late run does not pile up:
/// the next moment is taken after the later of the planned one and now.
/// - Parameters:
///   - waiting: told each moment waited for.
///   - body: one run, numbered from 1.
/// - Returns: how many runs were made.
func runOnSchedule(
    _ schedule: RebuildSchedule, runNow: Bool, clock: any RecordClock, waiting: (RecordTime) -> Void, body: (Int) async -> Void
) async -> Int {
    var runs = 0
    var next = runNow ? clock.now() : schedule.next(after: clock.now())
    while !Task.isCancelledOrShuttingDown {
        waiting(next)
        let wait = max(0, next.microsecondsSinceEpoch - clock.now().microsecondsSinceEpoch)
        do {
            try await cancelWhenGracefulShutdown { try await Task.sleep(for: .microseconds(wait)) }
        } catch {
            return runs
        }
        if Task.isCancelledOrShuttingDown { return runs }
        runs += 1
        await body(runs)
        next = schedule.next(after: max(next, clock.now()))
    }
    return runs
}

extension Task where Success == Never, Failure == Never {
    static var isCancelledOrShuttingDown: Bool { Task.isCancelled || Task.isShuttingDownGracefully }
}
