import ThreatLedgerCore

/// Where each event of an append landed.
public struct AppendResult: Sendable, Equatable {
    /// One entry per proposed event, in the order proposed.
    public let events: [AppendedEvent]
    /// The log's head after the append.
    public let head: ChainHead

    public init(events: [AppendedEvent], head: ChainHead) {
        self.events = events
        self.head = head
    }

    /// How many events this append added (duplicates of events already in the log are not counted).
    public var appendedCount: Int { events.filter { !$0.alreadyPresent }.count }
}

/// One event's place in the log.
public struct AppendedEvent: Sendable, Equatable {
    public let id: EventID
    public let position: Int64
    public let streamVersion: Int64
    public let hash: SHA256Hash
    /// True when the id was already in the log: nothing was appended and this is the first position.
    public let alreadyPresent: Bool

    public init(id: EventID, position: Int64, streamVersion: Int64, hash: SHA256Hash, alreadyPresent: Bool) {
        self.id = id
        self.position = position
        self.streamVersion = streamVersion
        self.hash = hash
        self.alreadyPresent = alreadyPresent
    }
}

/// The last link of the chain: what an auditor writes down to prove later that the log only grew.
public struct ChainHead: Sendable, Equatable, CustomStringConvertible {
    public let position: Int64
    public let hash: SHA256Hash
    public let recordedAt: RecordTime

    public init(position: Int64, hash: SHA256Hash, recordedAt: RecordTime) {
        self.position = position
        self.hash = hash
        self.recordedAt = recordedAt
    }

    public var description: String { "position \(position), hash \(hash.hex)" }
}
