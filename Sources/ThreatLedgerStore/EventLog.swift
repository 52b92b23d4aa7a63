import ThreatLedgerCore

/// The append-only, hash-chained event log. SQLite implements it today; PostgreSQL will implement
/// the same protocol and pass the same conformance tests.
///
/// Every implementation promises:
/// - ``append(_:)`` is all or nothing: one transaction, or nothing at all;
/// - positions are 1, 2, 3, … with no gaps, in commit order, and each event's hash chains to the one
///   before it;
/// - an event id already in the log appends nothing and answers its first position;
/// - no event is ever updated or deleted.
public protocol EventLog: Sendable {
    /// Appends `events` in order, in one transaction.
    /// - Throws: ``StoreError``; when it throws, nothing was appended.
    func append(_ events: [ProposedEvent]) async throws(StoreError) -> AppendResult

    /// Validates and encodes `events` without touching the log: the first half of ``append(_:)-([ProposedEvent])``,
    /// which can run while the log appends another batch.
    /// - Throws: ``StoreError/invalidEvent(index:id:_:)`` for the first invalid event.
    func prepare(_ events: [ProposedEvent]) async throws(StoreError) -> PreparedAppend

    /// Appends a batch this log prepared, in one transaction (a batch prepared elsewhere is
    /// prepared again).
    /// - Throws: ``StoreError``; when it throws, nothing was appended.
    func append(_ prepared: PreparedAppend) async throws(StoreError) -> AppendResult

    /// Appends a stream of batches in one transaction: every batch or none. Each batch is prepared
    /// (validated, encoded, its quotes checked) as it is read, the next while the one before is
    /// written, so only a batch or two are held at a time where the backend can keep a transaction
    /// open across batches (SQLite); elsewhere the default reads every batch first and appends them
    /// together. For imports that must be all or nothing per file, however large the file. Other
    /// calls on the same log wait until it ends (SQLite), so `next` must not call this log.
    /// - Parameters:
    ///   - next: gives the next batch, or nil at the end; called once at a time, in order.
    ///   - appended: called after each batch is written inside the transaction (for progress).
    /// - Returns: how many events were appended (not already in the log) and the head after them.
    /// - Throws: the first error, from `next` or from a batch; nothing at all is appended then.
    func appendAllOrNothing(
        _ next: @escaping @Sendable () async throws -> [ProposedEvent]?, appended: @Sendable (AppendResult) -> Void
    ) async throws -> (appended: Int, head: ChainHead?)

    /// Appends events recorded by another log exactly as they are, in one transaction, after checking
    /// that they continue this log's chain (``AppendPlanner/importRecorded(_:in:validator:)``), and that each passes every rule an append applies.
    func importRecorded(_ events: [RecordedEvent]) async throws(StoreError)

    /// The last event's position and hash, or nil for an empty log.
    func head() async throws(StoreError) -> ChainHead?

    /// Up to `limit` events from `position` on, in position order.
    func read(from position: Int64, limit: Int) async throws(StoreError) -> [RecordedEvent]

    /// The chain hashes of up to `limit` events from `position` on, in position order: the leaves
    /// of the log's Merkle tree (``MerkleTree``), read without the payloads.
    func hashes(from position: Int64, limit: Int) async throws(StoreError) -> [SHA256Hash]

    /// Up to `limit` events of one stream from `version` on, in version order.
    func readStream(_ stream: StreamName, fromVersion version: Int64, limit: Int) async throws(StoreError)
        -> [RecordedEvent]

    /// The event with this id, or nil when the log has none.
    func event(id: EventID) async throws(StoreError) -> RecordedEvent?

    /// The stream's last version; 0 when it has no events.
    func streamVersion(_ stream: StreamName) async throws(StoreError) -> Int64

    /// Walks the whole chain, re-hashing every event and every stored article.
    /// - Parameter progress: called now and then with the number of events checked so far.
    func verify(progress: @Sendable (Int64) -> Void) async throws(StoreError) -> VerificationReport

    /// What is wrong with the log's own schema objects, each in words: a trigger that guards the
    /// events (refusing updates, deletions, out-of-order inserts) missing, altered or disabled, or
    /// the table itself altered. Empty when the layout is exactly what this version creates.
    func layoutProblems() async throws(StoreError) -> [String]

    /// Counts by type and stream, the head, and the record-time span.
    func statistics() async throws(StoreError) -> LogStatistics
}

extension EventLog {
    /// Prepares `events` (``prepare(_:)``), then appends them in one transaction: what every backend's
    /// plain append is.
    public func append(_ events: [ProposedEvent]) async throws(StoreError) -> AppendResult {
        try await append(prepare(events))
    }

    /// The default of ``appendAllOrNothing(_:appended:)``: every batch read, then one append.
    public func appendAllOrNothing(
        _ next: @escaping @Sendable () async throws -> [ProposedEvent]?, appended: @Sendable (AppendResult) -> Void
    ) async throws -> (appended: Int, head: ChainHead?) {
        var events: [ProposedEvent] = []
        while let batch = try await next() { events += batch }
        guard !events.isEmpty else { return (0, try await head()) }
        let result = try await append(events)
        appended(result)
        return (result.appendedCount, result.head)
    }

    /// Appends `events` to one stream, checking `expected` before the first of them.
    public func append(
        _ events: [ProposedEvent], to stream: StreamName, expected: ExpectedVersion
    ) async throws(StoreError) -> AppendResult {
        var batch = events
        for index in batch.indices {
            batch[index].stream = stream
            batch[index].expectedVersion = index == 0 ? expected : nil
        }
        return try await append(batch)
    }

    /// The whole log from `position` on, fetched `pageSize` events at a time: memory stays bounded
    /// by one page however long the log is.
    public func pages(from position: Int64 = 1, pageSize: Int = 1_000) -> EventPages {
        EventPages(log: self, start: position, pageSize: pageSize)
    }

    /// Every event of one stream, in version order.
    public func readWholeStream(_ stream: StreamName) async throws(StoreError) -> [RecordedEvent] {
        var events: [RecordedEvent] = []
        while true {
            let page = try await readStream(stream, fromVersion: Int64(events.count) + 1, limit: 1_000)
            events += page
            if page.count < 1_000 { return events }
        }
    }
}

/// The log, page by page, as an async sequence. Each page holds at most `pageSize` events.
public struct EventPages: AsyncSequence, Sendable {
    public typealias Element = [RecordedEvent]
    let log: any EventLog
    let start: Int64
    let pageSize: Int

    public struct AsyncIterator: AsyncIteratorProtocol {
        let log: any EventLog
        var next: Int64
        let pageSize: Int
        var finished = false

        public mutating func next() async throws -> [RecordedEvent]? {
            guard !finished else { return nil }
            let page = try await log.read(from: next, limit: pageSize)
            if page.count < pageSize { finished = true }
            guard let last = page.last else { return nil }
            next = last.position + 1
            return page
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(log: log, next: start, pageSize: pageSize)
    }
}
