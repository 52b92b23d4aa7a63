import Foundation

/// How many threads the pure steps of an append (parsing lines, validating, canonical encoding)
/// are spread over.
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
}
