import ThreatLedgerCore

/// One rebuild, as recorded: an auditor sees from which log head any summary was built.
public struct RebuildRecord: Sendable, Equatable {
    public let id: Int64
    public let projection: String
    public let version: Int
    public let startedAt: RecordTime
    public let finishedAt: RecordTime
    public let eventsFolded: Int64
    public let headPosition: Int64
    public let headHash: SHA256Hash?
    public let digest: SHA256Hash
    public let holder: String

    package init(
        id: Int64, projection: String, version: Int, startedAt: RecordTime, finishedAt: RecordTime, eventsFolded: Int64,
        headPosition: Int64, headHash: SHA256Hash?, digest: SHA256Hash, holder: String
    ) {
        self.id = id
        self.projection = projection
        self.version = version
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.eventsFolded = eventsFolded
        self.headPosition = headPosition
        self.headHash = headHash
        self.digest = digest
        self.holder = holder
    }
}

/// Where a projection stands: what it has folded and what its rows digest to.
public struct ProjectionStatus: Sendable, Equatable {
    public let projection: String
    public let version: Int
    public let position: Int64
    public let hash: SHA256Hash?
    public let digest: SHA256Hash

    package init(projection: String, version: Int, position: Int64, hash: SHA256Hash?, digest: SHA256Hash) {
        self.projection = projection
        self.version = version
        self.position = position
        self.hash = hash
        self.digest = digest
    }
}
