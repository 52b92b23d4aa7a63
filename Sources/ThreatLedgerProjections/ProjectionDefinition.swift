import ThreatLedgerCore

/// A named, versioned projection: rows kept per key in a table of its own (`<prefix>_rows`: key →
/// JSON document), each rendered from the read index (``ClaimVersionIndex``) for that key alone.
///
/// - **Stored rows** are keyed by what one read of the index can render: a place for the region
///   summaries (``ProjectionKeys/places``: a division, a country's own part, `unplaced`), a source
///   for provenance (``ProjectionKeys/sources``). ``renderKey`` renders one from the picture the
///   index gives for that key; a catch-up re-renders only the keys its events touched.
/// - **Served rows** are what readers see: ``serve`` puts the stored rows of whole groups together
///   (a country's summary is the sum of its places' parts; a source's row is served as stored).
/// - ``render`` gives the served rows from a whole picture: the reference a replay and
///   `verify --projections` use, equal to what the stored rows serve.
///
/// Bump ``version`` whenever a row changes what it says: a projection whose stored version differs
/// is rebuilt before it serves.
public struct ProjectionDefinition: Sendable {
    public let name: String
    public let version: Int
    public let tablePrefix: String
    public let keys: ProjectionKeys
    /// The served rows of a whole picture.
    public let render: @Sendable (ThreatPicture) -> [String: JSONValue]
    /// The stored row for one key, from the index's picture of that key; nil when there is none.
    public let renderKey: @Sendable (String, ThreatPicture) -> JSONValue?
    /// The group of stored rows a stored key belongs to: the rows ``serve`` needs together.
    public let group: @Sendable (String) -> String
    /// The served rows of the stored rows of whole groups.
    public let serve: @Sendable ([String: JSONValue]) throws -> [String: JSONValue]

    public init(
        name: String, version: Int, tablePrefix: String, keys: ProjectionKeys,
        render: @escaping @Sendable (ThreatPicture) -> [String: JSONValue],
        renderKey: @escaping @Sendable (String, ThreatPicture) -> JSONValue?,
        group: @escaping @Sendable (String) -> String = { $0 },
        serve: @escaping @Sendable ([String: JSONValue]) throws -> [String: JSONValue] = { $0 }
    ) {
        self.name = name
        self.version = version
        self.tablePrefix = tablePrefix
        self.keys = keys
        self.render = render
        self.renderKey = renderKey
        self.group = group
        self.serve = serve
    }

    /// Per-region threat summaries, served keyed by region (`SY`, `SY-HA`, `SY/Region 7`, `unplaced`) and
    /// stored keyed by place (``RegionPlace``): a division's row is its summary, a country's stored
    /// row is its own part (what is placed in the country with no division), and the served country
    /// row is the sum of its parts (``RegionSummaries/merged(country:parts:)``). Version 2 (issue 15):
    /// stored per place, rendered from the read index. Version 3 (issue 16): divisions keyed by their
    /// ISO 3166-2 code (``RegionPlace``), each row naming its places and the gazetteer that placed
    /// them; built with the gazetteer whose rows digest is ``placedWithGazetteer``. Version 4 (issue
    /// 17): each row says where a map draws it (`latitude`, `longitude`, from the gazetteer).
    public static let regionSummary = ProjectionDefinition(
        name: "region-summary", version: 4, tablePrefix: "pj_region_summary", keys: .places,
        render: { picture in RegionSummaries.build(from: picture).mapValues(\.json) },
        renderKey: { key, picture in RegionSummaries.part(at: RegionPlace(key: key), from: picture)?.json },
        group: { key in RegionPlace(key: key).country ?? key },
        serve: { parts in try RegionSummaries.servedRows(parts: parts) })

    /// Per-source provenance, keyed by source id (stored as served). Version 2 (issue 15): rendered
    /// per source from the read index. Version 3: rows written from the typed ``SourceProvenance``,
    /// whose `published` names every field of its schema. Version 4 (issue 16): each row says whether
    /// its source is a conflict-dataset row (`dataset`). Version 5 (issue 19): whether the source is
    /// retracted, and its own corrections and retraction (`retracted`, `source_changes`).
    public static let sourceProvenance = ProjectionDefinition(
        name: "source-provenance", version: 5, tablePrefix: "pj_source_provenance", keys: .sources,
        render: { picture in SourceProvenance.build(from: picture).mapValues(\.json) },
        renderKey: { id, picture in SourceProvenance.build(from: picture)[id]?.json })

    public static let all: [ProjectionDefinition] = [.regionSummary, .sourceProvenance]

    /// What one read of the index must pick out to render the row of `key`.
    public func selection(_ key: String) -> IndexSelection {
        switch keys {
        case .places: .place(RegionPlace(key: key))
        case .sources: .source(key)
        }
    }

    /// The digest of the gazetteer rows (``Gazetteer/version``) the region keys of
    /// ``regionSummary`` and the read index were placed with. A new gazetteer (scripts/gazetteer.py)
    /// changes where claims are placed, so it is a new projection version: a test fails until this
    /// digest and ``regionSummary``'s version (and the read index's) change with it, and the rebuild
    /// that follows is recorded like any other.
    public static let placedWithGazetteer = "d1e7bb8ce179f08d"

    public static func named(_ name: String) -> ProjectionDefinition? {
        all.first { $0.name == name }
    }

    /// The digest of a projection's served rows: SHA-256 of the RFC 8785 form of `{key: row, …}`.
    /// Equal rows give equal digests whichever way they were built (incrementally or by a rebuild).
    public static func digest(of rows: [String: JSONValue]) -> SHA256Hash {
        SHA256Hash.of(CanonicalJSON.bytes(.object(JSONObject(rows))))
    }
}

/// What a projection's stored rows are keyed by, and so which read of the index renders one.
public enum ProjectionKeys: Sendable {
    /// Region keys naming places (``RegionPlace``): rendered from ``IndexSelection/place(_:)``.
    case places
    /// Source ids: rendered from ``IndexSelection/source(_:)``.
    case sources
}

/// ``ProjectionDefinition/digest(of:)`` computed a row at a time, for rows given in canonical key
/// order (``CanonicalJSON/sortedKeys(_:)``): a rebuild digests its rows as it writes them, without
/// holding them all.
public struct RowDigest {
    private var hasher = SHA256Hasher()
    private var first = true

    public init() { hasher.update([UInt8(ascii: "{")]) }

    public mutating func add(key: String, row: JSONValue) {
        var bytes: [UInt8] = first ? [] : [UInt8(ascii: ",")]
        first = false
        CanonicalJSON.writeString(key, into: &bytes)
        bytes.append(UInt8(ascii: ":"))
        CanonicalJSON.write(row, into: &bytes)
        hasher.update(bytes)
    }

    public func finalize() -> SHA256Hash {
        var copy = hasher
        copy.update([UInt8(ascii: "}")])
        return copy.finalize()
    }
}
