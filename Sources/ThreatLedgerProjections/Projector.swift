import ThreatLedgerCore

/// Where projections are built and served: SQLite (``SQLiteProjector``) or PostgreSQL
/// (``PostgresProjector``), with the same rules and the same digests.
public protocol Projector: Sendable {
    /// The projection's checkpoint version, or nil when it was never built.
    func checkpointVersion(_ definition: ProjectionDefinition) async throws(ProjectionError) -> Int?
    /// Folds the events after the checkpoint, in one transaction; returns how many were applied.
    func catchUp(_ definition: ProjectionDefinition) async throws(ProjectionError) -> Int64
    /// Rebuilds from the whole log into shadow tables and swaps them in atomically. With
    /// `takeOver`, a rebuild lock held by another live holder is taken over for that reason (see
    /// ``RebuildLease``); without it, such a lock refuses the rebuild.
    func rebuild(
        _ definition: ProjectionDefinition, takeOver: String?, progress: @Sendable (Int64, Int64) -> Void
    ) async throws(ProjectionError) -> RebuildRecord
    /// Every take-over of a rebuild lock, oldest first.
    func takeOvers(projection: String?) async throws(ProjectionError) -> [RebuildTakeOver]
    func rows(_ definition: ProjectionDefinition) async throws(ProjectionError) -> [String: JSONValue]
    func picture(_ definition: ProjectionDefinition) async throws(ProjectionError) -> ThreatPicture
    func status(_ definition: ProjectionDefinition) async throws(ProjectionError) -> ProjectionStatus
    func rebuilds(projection: String?) async throws(ProjectionError) -> [RebuildRecord]
}

extension Projector {
    /// Makes `definition` current: rebuilt when never built, built by another code version, or behind
    /// a rewritten log; caught up otherwise.
    @discardableResult
    public func ensureServing(
        _ definition: ProjectionDefinition, progress: @Sendable (Int64, Int64) -> Void = { _, _ in }
    ) async throws(ProjectionError) -> ProjectionStatus {
        let version = try await checkpointVersion(definition)
        if version != definition.version {
            _ = try await rebuild(definition, progress: progress)
        } else {
            do {
                _ = try await catchUp(definition)
            } catch {
                guard case .checkpointMismatch = error else { throw error }
                _ = try await rebuild(definition, progress: progress)
            }
        }
        return try await status(definition)
    }

    public func rebuild(_ definition: ProjectionDefinition) async throws(ProjectionError) -> RebuildRecord {
        try await rebuild(definition, takeOver: nil, progress: { _, _ in })
    }

    public func rebuild(
        _ definition: ProjectionDefinition, progress: @Sendable (Int64, Int64) -> Void
    ) async throws(ProjectionError) -> RebuildRecord {
        try await rebuild(definition, takeOver: nil, progress: progress)
    }

    public func rebuilds() async throws(ProjectionError) -> [RebuildRecord] {
        try await rebuilds(projection: nil)
    }
}
