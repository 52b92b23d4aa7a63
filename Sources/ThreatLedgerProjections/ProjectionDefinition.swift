import ThreatLedgerCore

/// A named, versioned fold of the log into tables of its own.
///
/// Every projection here folds events into a ``ThreatPicture`` (kept in `<prefix>_sources`,
/// `<prefix>_claims`, `<prefix>_incidents` so that catching up applies only new events) and renders
/// it into rows (`<prefix>_rows`: key → JSON document). Bump ``version`` whenever ``render`` or the
/// fold changes what a row says: a projection whose stored version differs is rebuilt before it serves.
public struct ProjectionDefinition: Sendable {
    public let name: String
    public let version: Int
    public let tablePrefix: String
    public let render: @Sendable (ThreatPicture) -> [String: JSONValue]

    public init(name: String, version: Int, tablePrefix: String, render: @escaping @Sendable (ThreatPicture) -> [String: JSONValue]) {
        self.name = name
        self.version = version
        self.tablePrefix = tablePrefix
        self.render = render
    }

    /// Per-region threat summaries, keyed by region (`SY`, `SY/Al-Hasakah`, `unplaced`).
    public static let regionSummary = ProjectionDefinition(name: "region-summary", version: 1, tablePrefix: "pj_region_summary") {
        picture in RegionSummaries.build(from: picture).mapValues(\.json)
    }

    /// Per-source provenance, keyed by source id.
    public static let sourceProvenance = ProjectionDefinition(
        name: "source-provenance", version: 1, tablePrefix: "pj_source_provenance"
    ) { picture in SourceProvenance.build(from: picture).mapValues(\.json) }

    public static let all: [ProjectionDefinition] = [.regionSummary, .sourceProvenance]

    public static func named(_ name: String) -> ProjectionDefinition? {
        all.first { $0.name == name }
    }

    /// The digest of a projection's rows: SHA-256 of the RFC 8785 form of `{key: row, …}`. Equal rows give
    /// equal digests whichever way they were built (incrementally or by a full rebuild).
    public static func digest(of rows: [String: JSONValue]) -> SHA256Hash {
        SHA256Hash.of(CanonicalJSON.bytes(.object(JSONObject(rows))))
    }
}
