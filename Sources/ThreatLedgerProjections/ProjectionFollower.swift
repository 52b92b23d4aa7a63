import ThreatLedgerCore

/// Keeps the read index and every projection caught up with the log in the background, so that a
/// read never catches up (nor waits for the write transaction a catch-up takes): it serves the rows
/// as of their checkpoint and says which position that is.
///
/// One follower runs per server (``run(onPass:)``, as a Service there). It makes a pass — the index
/// first, then each projection (``Projector/ensureCurrent(_:progress:)``: rebuilt when never built,
/// caught up otherwise) — whenever it is woken (``wake()``, called after every append this process
/// makes) and at least every `poll` interval, which is how appends made by other processes (another
/// server, the command line) are picked up on either backend.
///
/// Read-your-writes: a read that must see a given position (its own append's) calls
/// ``waitUntil(_:timeout:)``, which returns once every projection stands at that position or later,
/// or reports that the timeout passed first.
public actor ProjectionFollower {
    /// What one pass left behind: the position every projection stands at (the lowest of their
    /// checkpoints), or why the pass failed.
    public enum PassOutcome: Sendable {
        case caughtUp(position: Int64, checkpoints: [String: Int64])
        case failed(ProjectionError)
    }

    let projector: any Projector
    let definitions: [ProjectionDefinition]
    let poll: Duration
    /// The least time between two passes when nobody waits for one: appends that arrive meanwhile
    /// are caught up together, each pass paying its transactions once for all of them.
    let gap: Duration
    /// The position every projection has reached (nil before the first pass succeeds).
    public private(set) var reached: Int64?
    private var woken = false
    private var sleeper: CheckedContinuation<Void, Never>?
    /// Reads waiting for a position, each with the timer that ends its wait.
    private var waiters: [Int: (position: Int64, continuation: CheckedContinuation<Bool, Never>, timer: Task<Void, Never>)] = [:]
    private var nextWaiter = 0
    /// How many times the follower has dozed: a timer ends only the doze it was set for.
    private var dozes = 0
    /// The timer of the current doze, cancelled when something else ends it.
    private var dozeTimer: Task<Void, Never>?

    /// - Parameters:
    ///   - projector: where the projections live; a server gives the follower a projector of its own
    ///     (on SQLite, a connection of its own), so catch-ups never queue behind reads.
    ///   - poll: the longest a pass waits when nobody wakes the follower.
    ///   - gap: the least time between passes while no read waits for one.
    public init(
        projector: any Projector, definitions: [ProjectionDefinition] = ProjectionDefinition.all, poll: Duration = .milliseconds(250),
        gap: Duration = .milliseconds(50)
    ) {
        self.projector = projector
        self.definitions = definitions
        self.poll = poll
        self.gap = gap
    }

    /// Catches everything up once: each projection (whose catch-up brings the read index to the
    /// head first). Returns the position every projection stands at after it, and each
    /// checkpoint, the index's included.
    @discardableResult
    public func pass() async throws(ProjectionError) -> (position: Int64, checkpoints: [String: Int64]) {
        var checkpoints: [String: Int64] = [:]
        var lowest = Int64.max
        for definition in definitions {
            let checkpoint = try await projector.ensureCurrent(definition)
            checkpoints[definition.name] = checkpoint.position
            lowest = min(lowest, checkpoint.position)
        }
        if let index = projector as? any ClaimVersionIndex, let checkpoint = try await index.indexCheckpoint() {
            checkpoints[ClaimVersionIndexLayout.name] = checkpoint.position
        }
        let position = definitions.isEmpty ? 0 : lowest
        reached = max(reached ?? 0, position)
        settleWaiters()
        return (position, checkpoints)
    }

    /// Makes passes until the task is cancelled: one at once, then one whenever woken or when the
    /// poll interval has passed. `onPass` hears each pass's outcome (a server logs failures and
    /// says whether it is ready); a failed pass is tried again at the next wake or poll.
    public func run(onPass: @Sendable (PassOutcome) async -> Void) async {
        while !Task.isCancelled {
            woken = false
            do {
                let (position, checkpoints) = try await pass()
                await onPass(.caughtUp(position: position, checkpoints: checkpoints))
            } catch {
                await onPass(.failed(error))
            }
            await doze()
            // A read waiting for a position is served at once; otherwise appends gather for a gap.
            if waiters.isEmpty, gap > .zero { await pause(gap) }
        }
        for (_, waiter) in waiters {
            waiter.timer.cancel()
            waiter.continuation.resume(returning: false)
        }
        waiters = [:]
    }

    /// Sleeps for `gap`, ending early when a read starts waiting for a position.
    private func pause(_ gap: Duration) async {
        let deadline = ContinuousClock.now + gap
        while waiters.isEmpty, !Task.isCancelled, ContinuousClock.now < deadline {
            try? await Task.sleep(for: min(.milliseconds(5), deadline - ContinuousClock.now))
        }
    }

    /// Asks for a pass as soon as the current one (if any) ends: called after an append.
    public func wake() {
        woken = true
        endDoze()
    }

    /// Waits until every projection stands at `position` or later; false when `timeout` passed first.
    public func waitUntil(_ position: Int64, timeout: Duration) async -> Bool {
        if let reached, reached >= position { return true }
        let id = nextWaiter
        nextWaiter += 1
        wake()
        return await withCheckedContinuation { continuation in
            let timer = Task {
                try? await Task.sleep(for: timeout)
                guard !Task.isCancelled else { return }
                self.expire(id)
            }
            waiters[id] = (position, continuation, timer)
        }
    }

    private func expire(_ id: Int) {
        waiters.removeValue(forKey: id)?.continuation.resume(returning: false)
    }

    private func settleWaiters() {
        guard let reached else { return }
        for (id, waiter) in waiters where waiter.position <= reached {
            waiters.removeValue(forKey: id)
            waiter.timer.cancel()
            waiter.continuation.resume(returning: true)
        }
    }

    /// Sleeps until woken, the poll interval passes, or the task is cancelled.
    private func doze() async {
        guard !woken, !Task.isCancelled else { return }
        dozes += 1
        let (poll, doze) = (self.poll, dozes)
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                sleeper = continuation
                dozeTimer = Task {
                    try? await Task.sleep(for: poll)
                    guard !Task.isCancelled else { return }
                    self.rouse(doze)
                }
            }
        } onCancel: {
            Task { await self.wake() }
        }
    }

    /// Ends doze number `doze` from its timer, unless it ended already (a later doze is left alone).
    private func rouse(_ doze: Int) {
        guard doze == dozes else { return }
        endDoze()
    }

    private func endDoze() {
        dozeTimer?.cancel()
        dozeTimer = nil
        sleeper?.resume()
        sleeper = nil
    }
}
