import Foundation

/// How many threads the pure steps of an append (parsing lines, validating, canonical encoding)
/// are spread over, and how a batch is cut for them.
///
/// One per active core, at most 8, unless `THREATLEDGER_WORKERS` names a number from 1 to 64:
/// `THREATLEDGER_WORKERS=1` keeps an append on one core, for a host that runs other work beside it.
/// Results never depend on it: work is split into contiguous chunks and put back in order.
public enum Workers {
    public static let count: Int = {
        if let text = ProcessInfo.processInfo.environment["THREATLEDGER_WORKERS"], let number = Int(text), (1...64).contains(number) {
            return number
        }
        return min(max(ProcessInfo.processInfo.activeProcessorCount, 1), 8)
    }()

    /// Batches smaller than this are worked on the caller's thread: starting workers would cost more
    /// than they save.
    public static let parallelThreshold = 64

    /// `items` cut into one contiguous chunk per worker, in order; nil when they are too few to be
    /// worth spreading, or there is one worker.
    public static func chunks(of items: Int, workers: Int = Workers.count) -> [Range<Int>]? {
        guard items >= parallelThreshold, workers > 1 else { return nil }
        let size = (items + workers - 1) / workers
        return stride(from: 0, to: items, by: size).map { $0..<min($0 + size, items) }
    }
}
