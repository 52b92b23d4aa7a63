#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Where the log reads "now" from. Injected, so tests and reproducible ingests control time.
public protocol RecordClock: Sendable {
    func now() -> RecordTime
}

/// The machine's wall clock, in UTC.
public struct SystemRecordClock: RecordClock {
    public init() {}

    public func now() -> RecordTime {
        RecordTime(microsecondsSinceEpoch: Int64((Date().timeIntervalSince1970 * 1_000_000).rounded()))
    }
}

/// A clock that always answers the same moment (tests, reproducible imports).
public struct FixedRecordClock: RecordClock {
    public let time: RecordTime

    public init(_ time: RecordTime) {
        self.time = time
    }

    public func now() -> RecordTime { time }
}
