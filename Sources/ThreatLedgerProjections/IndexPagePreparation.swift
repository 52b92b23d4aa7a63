import Dispatch
import Synchronization
import ThreatLedgerCore

/// A page of events read for the read index, whose stand-alone changes
/// (``ClaimVersionFold/standsAlone(_:)``: registrations, recorded claims, links) background workers
/// work out piece by piece, in order, while the caller writes the pieces before.
///
/// Why: a rebuild of the index applied each event on one thread, and about 40% of that thread's
/// time went to work that needs no database: parsing the payload, folding it into a claim and
/// encoding the claim version's document (measured with `perf` on a rebuild of 100,000 events).
/// On a machine with more than one core that work now runs beside the writes.
///
/// Nothing the index stores depends on it: the writer takes every event in position order, an event
/// that needs the current version of what it edits is applied by the writer as before, and an event
/// whose payload does not fold gives its error when the writer reaches it, the same error at the
/// same event as without this step.
final class IndexPagePreparation: Sendable {
    typealias Outcome = Result<[ClaimVersionFold.PreparedChange]?, any Error>

    /// Pages smaller than ``Workers/parallelThreshold`` (a catch-up's few events) are applied
    /// without workers; so is every page when there is one worker.
    static func start(_ events: [RecordedEvent], workers: Int = Workers.count) -> IndexPagePreparation? {
        guard events.count >= Workers.parallelThreshold, workers > 1 else { return nil }
        return IndexPagePreparation(events, pieceSize: 128, workers: workers)
    }

    private let pieceSize: Int
    private let pieces: [Slot]
    private let events: [RecordedEvent]

    /// Starts `workers` workers; worker `w` prepares pieces `w`, `w + workers`, … of `pieceSize`
    /// events, each piece it claims first (``Slot/claim()``).
    init(_ events: [RecordedEvent], pieceSize: Int, workers: Int) {
        self.pieceSize = pieceSize
        self.events = events
        let pieces = stride(from: 0, to: events.count, by: pieceSize).map { Slot(range: $0..<min($0 + pieceSize, events.count)) }
        self.pieces = pieces
        for worker in 0..<min(workers, pieces.count) {
            DispatchQueue.global(qos: .userInitiated).async {
                for number in stride(from: worker, to: pieces.count, by: workers) where pieces[number].claim() {
                    pieces[number].fill(Self.prepare(events, pieces[number].range))
                }
            }
        }
    }

    /// The outcomes of the events of `range`: prepared changes, nil for an event left to the writer.
    private static func prepare(_ events: [RecordedEvent], _ range: Range<Int>) -> [Outcome] {
        range.map { index in
            let event = events[index]
            guard ClaimVersionFold.standsAlone(event) else { return .success(nil) }
            return Result { try ClaimVersionFold.preparedChanges(ofStandAlone: event) }
        }
    }

    /// The prepared changes of the event at `index` in the page, once its piece is ready; nil when
    /// the event needs the index's current rows and is applied by the caller.
    /// - Throws: the error its payload gave when folded.
    ///
    /// A piece no worker has started yet is prepared here, by the caller: the writer never waits
    /// for a worker that has not been given a thread (on a loaded machine, every thread of the pool
    /// may be busy), only for one that is running.
    func changes(at index: Int) throws -> [ClaimVersionFold.PreparedChange]? {
        let piece = pieces[index / pieceSize]
        if piece.claim() { piece.fill(Self.prepare(events, piece.range)) }
        return try piece.wait()[index % pieceSize].get()
    }

    /// One piece's outcomes, set once by a worker and awaited by the writer.
    private final class Slot: Sendable {
        let range: Range<Int>
        private let claimed = Atomic<Bool>(false)
        private let outcomes = Mutex<[Outcome]?>(nil)
        private let ready = DispatchSemaphore(value: 0)

        init(range: Range<Int>) { self.range = range }

        /// True for the one caller (a worker or the writer) that is to prepare this piece.
        func claim() -> Bool {
            claimed.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
        }

        func fill(_ value: [Outcome]) {
            outcomes.withLock { $0 = value }
            ready.signal()
        }

        /// Blocks until the piece is filled (the writer's thread, which blocks on SQLite anyway);
        /// the semaphore is signalled again so later waits pass.
        func wait() -> [Outcome] {
            if let value = outcomes.withLock({ $0 }) { return value }
            ready.wait()
            ready.signal()
            return outcomes.withLock { $0! }
        }
    }
}
