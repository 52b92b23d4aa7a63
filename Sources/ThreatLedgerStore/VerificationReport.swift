import ThreatLedgerCore

/// What ``EventLog/verify(progress:)`` found.
public struct VerificationReport: Sendable, Equatable {
    public let eventsChecked: Int64
    public let articlesChecked: Int64
    /// The head as recomputed (nil for an empty log).
    public let head: ChainHead?
    /// The first problem, or nil when the whole log verifies.
    public let failure: VerificationFailure?

    public init(eventsChecked: Int64, articlesChecked: Int64, head: ChainHead?, failure: VerificationFailure?) {
        self.eventsChecked = eventsChecked
        self.articlesChecked = articlesChecked
        self.head = head
        self.failure = failure
    }

    public var isValid: Bool { failure == nil }
}

/// The first position at which the log is not what its chain says, and what is wrong there.
public struct VerificationFailure: Sendable, Equatable, CustomStringConvertible {
    public enum Problem: Sendable, Equatable {
        /// A position is missing or out of order: rows were deleted or inserted.
        case positionGap(expected: Int64)
        /// The stored previous hash is not the hash of the event before.
        case previousHashMismatch(expected: SHA256Hash, stored: SHA256Hash)
        /// Re-hashing the stored event gives another hash: its content was edited.
        case hashMismatch(computed: SHA256Hash, stored: SHA256Hash)
        /// A stream's versions skip or repeat.
        case streamVersionGap(stream: String, expected: Int64, found: Int64)
        /// Record time went backwards.
        case recordTimeDecreased(previous: RecordTime, found: RecordTime)
        /// A stored article's text no longer has the SHA-256 it was registered with.
        case articleHashMismatch(sourceID: String, stated: String, actual: String)
        /// A stored row cannot be read as an event at all.
        case malformedRow(String)
        /// The event is well chained but could never have been appended: it breaks a rule every
        /// append applies (schema, domain rules, a figure against its words, a quote not where it
        /// says in its article, a reference to a later event, a correction after a retraction).
        case ruleBroken(String)
    }

    public let position: Int64
    public let problem: Problem

    public init(position: Int64, problem: Problem) {
        self.position = position
        self.problem = problem
    }

    public var description: String {
        let what: String
        switch problem {
        case .positionGap(let expected):
            what = "expected position \(expected) here: events were deleted, inserted or reordered"
        case .previousHashMismatch(let expected, let stored):
            what = "previous_hash is \(stored.hex) but the event before hashes to \(expected.hex)"
        case .hashMismatch(let computed, let stored):
            what = "the stored hash is \(stored.hex) but the event's content hashes to \(computed.hex): it was altered"
        case .streamVersionGap(let stream, let expected, let found):
            what = "stream \(stream) jumps to version \(found) where \(expected) was expected"
        case .recordTimeDecreased(let previous, let found):
            what = "recorded_at \(found) is earlier than the event before (\(previous))"
        case .articleHashMismatch(let source, let stated, let actual):
            what = "the stored text of source \(source) hashes to \(actual), not its registered SHA-256 \(stated)"
        case .malformedRow(let reason):
            what = "the row cannot be read: \(reason)"
        case .ruleBroken(let reason):
            what = "the event breaks a rule no append could have passed: \(reason)"
        }
        return "verification failed at position \(position): \(what)"
    }
}

/// Counts that describe a log.
public struct LogStatistics: Sendable, Equatable {
    public let eventCount: Int64
    public let streamCount: Int64
    public let countsByType: [String: Int64]
    public let head: ChainHead?
    public let firstRecordedAt: RecordTime?
    public let storageDescription: String

    public init(
        eventCount: Int64, streamCount: Int64, countsByType: [String: Int64], head: ChainHead?,
        firstRecordedAt: RecordTime?, storageDescription: String
    ) {
        self.eventCount = eventCount
        self.streamCount = streamCount
        self.countsByType = countsByType
        self.head = head
        self.firstRecordedAt = firstRecordedAt
        self.storageDescription = storageDescription
    }
}
