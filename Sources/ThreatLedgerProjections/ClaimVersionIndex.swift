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
    /// Where the index stands, or nil when it was never built.
    func indexCheckpoint() async throws(ProjectionError) -> IndexCheckpoint?
    /// Applies the events after the checkpoint in one transaction (none when `seen` is still the
    /// head); throws ``ProjectionError/checkpointMismatch(projection:position:)`` when the log was
    /// rewritten under it.
    func catchUpIndex(from seen: IndexCheckpoint) async throws(ProjectionError) -> IndexCheckpoint
    /// Rebuilds the index from the whole log and swaps it in atomically.
    func rebuildIndex(progress: @Sendable (Int64, Int64) -> Void) async throws(ProjectionError) -> RebuildRecord
    /// The last log position recorded at or before `time` (0 when none).
    func position(recordedAtOrBefore time: RecordTime) async throws(ProjectionError) -> Int64
    /// The hash of the event at `position`, or nil.
    func hash(at position: Int64) async throws(ProjectionError) -> SHA256Hash?
    /// The region keys that have ever held a claim, sorted: all of them, or those of one country
    /// (the country's own key and its divisions'; `unplaced` for claims with no country).
    func regionKeys(country: String?) async throws(ProjectionError) -> [String]
    /// The picture as it stood at `position`, for one region key (`SY`, `SY-HA`, `SY/Region 7`, `unplaced`)
    /// or, with nil, for everything.
    func picture(region: String?, at position: Int64) async throws(ProjectionError) -> ThreatPicture
    /// The picture one selection reads as it stood at `position` (see ``IndexSelection``).
    func picture(of selection: IndexSelection, at position: Int64) async throws(ProjectionError) -> ThreatPicture
    /// Every version one region key's picture has held up to `position` (``PictureHistory``): what
    /// a timeline over record time folds, read at once instead of one picture per position.
    func history(region: String, through position: Int64) async throws(ProjectionError) -> PictureHistory
    /// Every source id registered up to `position`, sorted.
    func sourceIDs(at position: Int64) async throws(ProjectionError) -> [String]
    /// One page of the claims standing at `position` (``ClaimPageQuery``): up to `query.limit`
    /// claims in claim-id order after `query.after`, with their incidents and sources.
    func claimPage(_ query: ClaimPageQuery, at position: Int64) async throws(ProjectionError) -> ClaimPage
    /// The log's events after `position` and up to `through`, at most `limit` of them, in order.
    func events(after position: Int64, through: Int64, limit: Int) async throws(ProjectionError) -> [RecordedEvent]
    /// Re-derives the index from the log in scratch tables and compares it with the stored one, row
    /// by row; returns each difference found (at most `limit`), naming the table and the row.
    func verifyIndex(limit: Int, progress: @Sendable (Int64, Int64) -> Void) async throws(ProjectionError) -> [String]
}

/// What one read of the index picks out. Each picture holds the selected claims, every incident
/// that lists one of them with all of that incident's claims (an incident is placed where most of
/// its claims are, and reconciled over all of them), and the sources of every claim it holds.
public enum IndexSelection: Sendable, Hashable {
    /// The claims placed exactly at a place (a division; a country with no division; no country).
    case place(RegionPlace)
    /// The claims of one source; the picture holds that source (even with no claims) and, of the
    /// other sources, those of the claims its incidents share.
    case source(String)
    /// One incident's claims.
    case incident(String)
    /// One claim.
    case claim(String)
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
    /// Every region key that has ever held a claim, sorted.
    public func regionKeys() async throws(ProjectionError) -> [String] {
        try await regionKeys(country: nil)
    }

    /// Builds the index when it was never built (or by another code version, or behind a rewritten
    /// log) and catches it up otherwise; returns where it stands.
    public func ensureIndexCurrent(progress: @Sendable (Int64, Int64) -> Void) async throws(ProjectionError) -> IndexCheckpoint {
        if let checkpoint = try await indexCheckpoint(), checkpoint.version == ClaimVersionIndexLayout.version {
            do {
                return try await catchUpIndex(from: checkpoint)
            } catch {
                guard case .checkpointMismatch = error else { throw error }
            }
        }
        let record = try await rebuildIndex(progress: progress)
        return IndexCheckpoint(version: record.version, position: record.headPosition, hash: record.headHash)
    }
}

/// The index's name and version. Bump ``version`` whenever what a row holds changes: an index of
/// another version is rebuilt before it serves.
///
/// Version 2: a row's document is written from the typed model (``CodedClaim``, ``CodedDate``), which
/// names every field its schema defines, null where nothing was coded. Version 3 (issue 16): figures
/// name their `dataset_fields`, sources their `dataset_row`. Version 4: a claim's region columns hold
/// its division's ISO 3166-2 code, resolved by the gazetteer (``RegionPlace``), so an index built
/// with another gazetteer (``ProjectionDefinition/placedWithGazetteer``) is rebuilt too. Version 5
/// (issue 19): a claim version's kind has a column of its own, and claims are indexed by (kind,
/// claim id) and (country, claim id), so a page of the claims listing (``ClaimPageQuery``) filtered
/// by kind or country reads its own rows in cursor order; sources have versions like claims
/// (`SourceCorrected`, `SourceRetracted`), valid from the position that made them.
public enum ClaimVersionIndexLayout {
    public static let name = "claim-versions"
    public static let version = 5

    /// The index's tables, each with its columns in order and its key: what a rebuild digests and
    /// what verify compares, on every backend.
    public static let tables: [(name: String, columns: String, key: String)] = [
        ("sources", "source_id, valid_from, valid_to, published_start, published_end, retracted, doc", "source_id, valid_from"),
        ("claim_versions", "claim_id, valid_from, valid_to, country, admin1, source_id, kind, retracted, event_start, event_end, doc", "claim_id, valid_from"),
        ("incident_versions", "incident_id, valid_from, valid_to, doc", "incident_id, valid_from"),
        ("incident_members", "claim_id, incident_id, valid_from, valid_to", "claim_id, incident_id, valid_from"),
        ("regions", "region, country, admin1", "region"),
    ]

    /// What verify finds wrong with a stored checkpoint itself, given the log's hash at its position.
    public static func checkpointProblems(_ checkpoint: IndexCheckpoint, logHash: SHA256Hash?) -> [String] {
        var problems: [String] = []
        if checkpoint.version != version {
            problems.append("the read index is of version \(checkpoint.version); this code reads version \(version) (a rebuild makes it)")
        }
        if checkpoint.position > 0, logHash != checkpoint.hash {
            problems.append(
                "the read index's checkpoint (position \(checkpoint.position)) names hash \(checkpoint.hash?.hex ?? "none"), but the log's event there has \(logHash?.hex ?? "no event")"
            )
        }
        return problems
    }
}
