import ThreatLedgerCore

/// Where projections are built and served: SQLite (``SQLiteProjector``) or PostgreSQL
/// (`PostgresProjector`), with the same rules (``ProjectionEngine``) and the same digests.
public protocol Projector: Sendable {
    /// The projection's checkpoint (its version, and the log position its rows stand at), or nil
    /// when it was never built.
    func rowsCheckpoint(_ definition: ProjectionDefinition) async throws(ProjectionError) -> IndexCheckpoint?
    /// Brings the rows up to the read index's head, re-rendering only the keys the new events
    /// touched, in one transaction with the checkpoint; returns how many events that covered.
    func catchUp(_ definition: ProjectionDefinition) async throws(ProjectionError) -> Int64
    /// Rebuilds from the read index into a shadow table and swaps it in atomically. With
    /// `takeOver`, a rebuild lock held by another live holder is taken over for that reason (see
    /// ``RebuildLease``); without it, such a lock refuses the rebuild.
    func rebuild(
        _ definition: ProjectionDefinition, takeOver: String?, progress: @Sendable (Int64, Int64) -> Void
    ) async throws(ProjectionError) -> RebuildRecord
    /// Every take-over of a rebuild lock, oldest first.
    func takeOvers(projection: String?) async throws(ProjectionError) -> [RebuildTakeOver]
    /// The rows as served (all of them; those of some groups, as a country's summary and its
    /// divisions; or some keys served as stored), with the checkpoint they stand at.
    func servedRows(_ definition: ProjectionDefinition, selection: RowSelection) async throws(ProjectionError) -> StoredRows
    func rebuilds(projection: String?) async throws(ProjectionError) -> [RebuildRecord]
}

extension Projector {
    /// The projection's checkpoint version, or nil when it was never built.
    public func checkpointVersion(_ definition: ProjectionDefinition) async throws(ProjectionError) -> Int? {
        try await rowsCheckpoint(definition)?.version
    }

    /// Every served row, keyed.
    public func rows(_ definition: ProjectionDefinition) async throws(ProjectionError) -> [String: JSONValue] {
        try await servedRows(definition, selection: .all).rows
    }

    /// Where a projection stands, with the digest of every served row (it reads them all).
    public func status(_ definition: ProjectionDefinition) async throws(ProjectionError) -> ProjectionStatus {
        let served = try await servedRows(definition, selection: .all)
        return ProjectionStatus(
            projection: definition.name, version: served.checkpoint?.version ?? 0, position: served.checkpoint?.position ?? 0,
            hash: served.checkpoint?.hash, digest: ProjectionDefinition.digest(of: served.rows))
    }

    /// Makes `definition` current: rebuilt when never built, built by another code version, or behind
    /// a rewritten log; caught up otherwise. Returns where it stands (no digest: that reads every row).
    @discardableResult
    public func ensureCurrent(
        _ definition: ProjectionDefinition, progress: @Sendable (Int64, Int64) -> Void = { _, _ in }
    ) async throws(ProjectionError) -> IndexCheckpoint {
        let checkpoint = try await rowsCheckpoint(definition)
        if checkpoint?.version == definition.version {
            do {
                _ = try await catchUp(definition)
                if let current = try await rowsCheckpoint(definition) { return current }
            } catch {
                guard case .checkpointMismatch = error else { throw error }
            }
        }
        let record = try await rebuild(definition, progress: progress)
        return IndexCheckpoint(version: record.version, position: record.headPosition, hash: record.headHash)
    }

    /// ``ensureCurrent(_:progress:)``, then the status with the digest of every row.
    @discardableResult
    public func ensureServing(
        _ definition: ProjectionDefinition, progress: @Sendable (Int64, Int64) -> Void = { _, _ in }
    ) async throws(ProjectionError) -> ProjectionStatus {
        try await ensureCurrent(definition, progress: progress)
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
