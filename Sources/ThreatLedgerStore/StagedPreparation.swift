import Synchronization
import ThreatLedgerCore

/// A large batch prepared piece by piece, in order, by background workers, so that the log can
/// plan and write the first pieces while the later ones are still being validated and encoded.
///
/// Why: an append of a large batch used to prepare all of it (on every core) and then write it (on
/// one), so the two halves added up. Measured before this type, at 200,000 events on two cores,
/// preparation was about 54 µs of CPU per event and the write transaction 19–27 µs; in pieces the
/// write of one piece overlaps the preparation of the next.
///
/// The outcome is the same as preparing the batch whole: the same canonical payloads, and when an
/// event is bad, the error of the first bad one by index (``firstFailure()``: a log that meets
/// another error while pieces are still being prepared asks it first, since a whole preparation
/// would have refused the batch before the transaction began).
package final class StagedPreparation: Sendable {
    /// The contiguous ranges of the batch's indexes, in order, each prepared as one piece.
    package let pieces: [Range<Int>]
    private let outcomes: [Eventual<Result<AppendPreparation.Batch, StoreError>>]

    /// Starts preparing `events` in pieces: `workers` detached tasks, worker `w` taking pieces
    /// `w`, `w + workers`, … in turn and yielding between pieces, so that the log's own work (on
    /// the cooperative pool too) gets a thread as soon as a piece it waits for is ready.
    init(
        _ events: [ProposedEvent], pieceSize: Int, validators: [EventValidator], sources: BatchSources
    ) {
        pieces = stride(from: 0, to: events.count, by: pieceSize).map { $0..<min($0 + pieceSize, events.count) }
        let outcomes = pieces.map { _ in Eventual<Result<AppendPreparation.Batch, StoreError>>() }
        self.outcomes = outcomes
        let pieces = pieces
        let priority = Task.currentPriority
        for (worker, validator) in validators.enumerated() {
            Task.detached(priority: priority) {
                for number in stride(from: worker, to: pieces.count, by: validators.count) {
                    let chunk = events[pieces[number]]
                    outcomes[number].resolve(
                        Result { () throws(StoreError) -> AppendPreparation.Batch in
                            try AppendPreparation.prepare(chunk, with: validator, sources: sources)
                        })
                    await Task.yield()
                }
            }
        }
    }

    /// Piece `number`'s payloads and evidence flags, once prepared.
    /// - Throws: the piece's first invalid event, as ``StoreError/invalidEvent(index:id:_:)``.
    nonisolated(nonsending) package func piece(_ number: Int) async throws(StoreError) -> AppendPreparation.Batch {
        try await outcomes[number].wait().get()
    }

    /// The error of the first bad event of the whole batch, by index, once every piece is prepared;
    /// nil when every event is valid.
    nonisolated(nonsending) package func firstFailure() async -> StoreError? {
        for outcome in outcomes {
            if case .failure(let error) = await outcome.wait() { return error }
        }
        return nil
    }
}

/// A value set once, by one task, and awaited by others.
private final class Eventual<Value: Sendable>: Sendable {
    private struct State {
        var value: Value?
        var waiting: [CheckedContinuation<Value, Never>] = []
    }
    private let state = Mutex(State())

    /// Sets the value and wakes everyone waiting for it; called once.
    func resolve(_ value: Value) {
        let waiting = state.withLock { state in
            state.value = value
            defer { state.waiting = [] }
            return state.waiting
        }
        for continuation in waiting { continuation.resume(returning: value) }
    }

    /// The value, once set; on the caller's executor, suspending only while it is not set yet.
    nonisolated(nonsending) func wait() async -> Value {
        if let value = state.withLock({ $0.value }) { return value }
        return await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Value? in
                if let value = state.value { return value }
                state.waiting.append(continuation)
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
