import ThreatLedgerCore

/// What a backend stores for the projections, beside its read index: a table of rows per
/// projection, its checkpoint, and the rebuild's shadow table, lock and swap. The rules (what to
/// re-render, when, and how a rebuild is put together) are written once, in
/// ``ProjectionEngine``; SQLite (``SQLiteProjector``) and PostgreSQL only execute these.
public protocol ProjectionRowStore: ClaimVersionIndex {
    /// The projection's checkpoint: its version and the index position its rows were rendered at.
    func rowsCheckpoint(_ definition: ProjectionDefinition) async throws(ProjectionError) -> IndexCheckpoint?
    /// Stored rows with the checkpoint they stand at, read as of one snapshot.
    func storedRows(_ definition: ProjectionDefinition, selection: RowSelection) async throws(ProjectionError) -> StoredRows
    /// Every stored key (for verify, which must find rows the index gives no key for).
    func storedKeys(_ definition: ProjectionDefinition) async throws(ProjectionError) -> [String]
    /// Writes `rows` (nil deletes a key) and moves the checkpoint from `expected` to `checkpoint`, in
    /// one transaction; returns false, writing nothing, when the checkpoint is no longer `expected`
    /// (another process caught up meanwhile).
    func commitRows(
        _ definition: ProjectionDefinition, _ rows: [String: JSONValue?], expected: IndexCheckpoint, checkpoint: IndexCheckpoint
    ) async throws(ProjectionError) -> Bool
    /// Holds the projection's rebuild lock, empties its shadow table, runs `fill` (which writes
    /// the shadow rows through the writer it is given), then in one transaction swaps the shadow
    /// in with `fill`'s checkpoint and records the rebuild. Readers see the old rows or the new.
    func rebuildRows(
        _ definition: ProjectionDefinition, takeOver: String?, fill: @Sendable (ShadowRowWriter) async throws -> RebuiltRows
    ) async throws(ProjectionError) -> RebuildRecord
    /// How this process's rebuilds of one projection take turns (one per store).
    var rebuildTurns: RebuildTurns { get }
    /// Every take-over of a rebuild lock, oldest first.
    func takeOvers(projection: String?) async throws(ProjectionError) -> [RebuildTakeOver]
    /// Every rebuild recorded, oldest first.
    func rebuilds(projection: String?) async throws(ProjectionError) -> [RebuildRecord]
}

/// Which stored rows a read takes.
public enum RowSelection: Sendable, Equatable {
    /// Every row.
    case all
    /// The rows of these groups (``ProjectionDefinition/group``): what serving a country needs.
    case groups([String])
    /// These keys alone: for rows served as they are stored (a division, `unplaced`, a source).
    case keys([String])
    /// The first `limit` rows in key order whose key sorts after `after` (all keys when nil), served
    /// as stored: a page of a projection whose rows stand alone (the sources' provenance).
    case page(after: String?, limit: Int)
}

/// Rows as stored, with the checkpoint they were read at (nil: never built).
public struct StoredRows: Sendable {
    public let checkpoint: IndexCheckpoint?
    public let rows: [String: JSONValue]

    public init(checkpoint: IndexCheckpoint?, rows: [String: JSONValue]) {
        self.checkpoint = checkpoint
        self.rows = rows
    }
}

/// How a rebuild writes its shadow rows (and keeps its lease while it does).
public struct ShadowRowWriter: Sendable {
    public let write: @Sendable ([String: JSONValue]) async throws -> Void

    public init(write: @escaping @Sendable ([String: JSONValue]) async throws -> Void) { self.write = write }
}

/// What a rebuild's fill produced: where its rows stand, how many events they cover, their digest.
public struct RebuiltRows: Sendable {
    public let checkpoint: IndexCheckpoint
    public let digest: SHA256Hash
}
