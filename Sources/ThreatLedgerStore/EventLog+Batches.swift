import Synchronization
import ThreatLedgerCore

extension EventLog {
    /// Appends a stream of batches in order, each in its own transaction (all or nothing per batch),
    /// for bulk imports and replication: while one batch is in its transaction, the next is read and
    /// prepared (``prepare(_:)``: validated, encoded, its quotes checked against articles earlier in
    /// it), and a batch already appended is released on another thread, so the appending thread
    /// does nothing but append.
    ///
    /// - Parameters:
    ///   - next: gives the next batch, or nil at the end; called once at a time, in order.
    ///   - appended: called with each batch's result, in order, before the next batch is appended.
    /// - Returns: how many batches were appended.
    /// - Throws: the first error, from `next`, from preparing a batch or from appending it. The
    ///   batches before it stay appended; nothing of the failing batch or any later one is.
    @discardableResult
    public func appendBatches(
        _ next: @escaping @Sendable () async throws -> [ProposedEvent]?, appended: (AppendResult) throws -> Void = { _ in }
    ) async throws -> Int {
        @Sendable func prepareNext() async throws -> PreparedAppend? {
            guard let events = try await next() else { return nil }
            return try await prepare(events)
        }
        // Up to two batches are prepared ahead, one after the other: each task reads its batch only
        // once the one before has been prepared, so `next` is never called twice at once and the
        // batches keep their order.
        @Sendable func prepareAfter(_ previous: Task<PreparedAppend?, any Error>?) -> Task<PreparedAppend?, any Error> {
            Task {
                if let previous, try await previous.value == nil { return nil }
                try Task.checkCancellation()
                return try await prepareNext()
            }
        }
        let first = prepareAfter(nil)
        var ahead = [first, prepareAfter(first)]
        defer { for task in ahead { task.cancel() } }  // on any error, nothing more is read or prepared
        var count = 0
        while let prepared = try await ahead.removeFirst().value {
            ahead.append(prepareAfter(ahead.last!))
            let result = try await append(prepared)
            // The batch's parsed payloads are freed on another thread, not on the appending one.
            let spent = SpentBatch(consume prepared)
            Task.detached(priority: .utility) { spent.release() }
            count += 1
            try appended(result)
        }
        return count
    }
}

/// Holds an appended batch until another thread releases it.
private final class SpentBatch: Sendable {
    private let batch: Mutex<PreparedAppend?>

    init(_ batch: consuming PreparedAppend) { self.batch = Mutex(batch) }

    func release() { batch.withLock { $0 = nil } }
}
