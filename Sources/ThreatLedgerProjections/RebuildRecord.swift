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
}

/// Where a projection stands: what it has folded and what its rows digest to.
public struct ProjectionStatus: Sendable, Equatable {
    public let projection: String
    public let version: Int
    public let position: Int64
    public let hash: SHA256Hash?
    public let digest: SHA256Hash
}
