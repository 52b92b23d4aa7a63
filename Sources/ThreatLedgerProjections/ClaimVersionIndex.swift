import ThreatLedgerCore

/// The bitemporal read index: every version of every claim and incident as a row valid from the
/// log position that made it until the position that replaced it, with its region keys, its event
/// date range and its source's publication date range in columns of their own.
///
/// It is what a read about part of the log reads instead of folding the whole log:
/// - **record time** ("as of T") is a position bound: the rows with `valid_from ≤ P < valid_to`,
///   where P is the last position recorded at or before T;
/// - **one region** is an indexed bound on the region columns: a region's picture holds the claims
///   placed there, the incidents that list them, every other claim of those incidents (an incident
///   is placed where most of its claims are) and their sources;
/// - **report and event time** are then applied to that picture by the same rules as ever
///   (``AuditClocks/reportRule``, ``AuditClocks/eventRule``).
///
/// The index is maintained incrementally (a catch-up applies only the events after its checkpoint,
/// touching only the rows they change, in one transaction with the checkpoint) and rebuilt in
/// bounded memory (the rows are written as the log is read). Each version is made by folding its
/// event into the version before it with ``ThreatPicture/apply(_:)``, so it says exactly what the
/// whole-log fold says at that position.
public protocol ClaimVersionIndex: Sendable {
    /// Builds the index when it was never built (or by another code version, or behind a rewritten
    /// log) and catches it up otherwise; returns where it stands.
    func ensureIndexCurrent(progress: @Sendable (Int64, Int64) -> Void) async throws(ProjectionError) -> IndexCheckpoint
    /// Rebuilds the index from the whole log and swaps it in atomically.
    func rebuildIndex(progress: @Sendable (Int64, Int64) -> Void) async throws(ProjectionError) -> RebuildRecord
    /// The last log position recorded at or before `time` (0 when none).
    func position(recordedAtOrBefore time: RecordTime) async throws(ProjectionError) -> Int64
    /// The hash of the event at `position`, or nil.
    func hash(at position: Int64) async throws(ProjectionError) -> SHA256Hash?
    /// The region keys that have ever held a claim.
    func regionKeys() async throws(ProjectionError) -> [String]
    /// The picture as it stood at `position`, for one region key (`SY`, `SY/Al-Hasakah`, `unplaced`)
    /// or, with nil, for everything.
    func picture(region: String?, at position: Int64) async throws(ProjectionError) -> ThreatPicture
    /// The picture holding one claim (with its incidents and their claims) as it stood at `position`.
    func picture(claim: String, at position: Int64) async throws(ProjectionError) -> ThreatPicture
    /// Re-derives the index from the log in scratch tables and compares it with the stored one, row
    /// by row; returns each difference found (at most `limit`), naming the table and the row.
    func verifyIndex(limit: Int, progress: @Sendable (Int64, Int64) -> Void) async throws(ProjectionError) -> [String]
}

/// Where the read index stands: the last event applied.
public struct IndexCheckpoint: Sendable, Equatable {
    public let version: Int
    public let position: Int64
    public let hash: SHA256Hash?

    public init(version: Int, position: Int64, hash: SHA256Hash?) {
        self.version = version
        self.position = position
        self.hash = hash
    }
}

extension ClaimVersionIndex {
    /// The index's name in checkpoints and rebuild records.
    public static var indexName: String { ClaimVersionIndexLayout.name }
}

/// The index's name and version. Bump ``version`` whenever what a row holds changes: an index of
/// another version is rebuilt before it serves.
public enum ClaimVersionIndexLayout {
    public static let name = "claim-versions"
    public static let version = 1
}
