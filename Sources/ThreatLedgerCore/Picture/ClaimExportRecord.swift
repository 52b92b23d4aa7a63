/// One claim as the public export describes it (`schemas/claim-export.schema.json`): the claim as
/// coded, with its article's hash, the incidents it belongs to, its revision, when it was recorded
/// and last changed, and its totals per measure. `claims`, `GET /v1/claims` and the CSV export all
/// read it; ``json`` is the one JSON encoding they share.
public struct ClaimExportRecord: Sendable, Equatable {
    public var coded: CodedClaim
    public var articleSHA256: String?
    public var incidentIDs: [String]
    public var revision: Int64
    public var recordedAt: RecordTime
    public var lastChangedAt: RecordTime
    /// For each measure the claim states, its figures added up (``FigureTotals``).
    public var totals: [String: FigureTotals]
    /// The claim's source, as its article describes itself (nil only when the log lacks it).
    public var source: ThreatPicture.Source?
    /// Where the gazetteer puts the claim's location.
    public var placed: PlacedLocation

    public init(
        coded: CodedClaim, articleSHA256: String?, incidentIDs: [String], revision: Int64, recordedAt: RecordTime, lastChangedAt: RecordTime,
        totals: [String: FigureTotals], source: ThreatPicture.Source?, placed: PlacedLocation
    ) {
        self.coded = coded
        self.articleSHA256 = articleSHA256
        self.incidentIDs = incidentIDs
        self.revision = revision
        self.recordedAt = recordedAt
        self.lastChangedAt = lastChangedAt
        self.totals = totals
        self.source = source
        self.placed = placed
    }

    /// The dataset the claim was imported from, nil for a claim coded from an article.
    public var importedFrom: DatasetRow.Dataset? { source?.dataset?.dataset }

    public var json: JSONValue {
        guard case .object(var record) = coded.json else { return coded.json }
        record["article_sha256"] = .optional(articleSHA256)
        record["incident_ids"] = .array(incidentIDs.map(JSONValue.string))
        record["revision"] = .number(Double(revision))
        record["recorded_at"] = .string(recordedAt.iso8601)
        record["last_changed_at"] = .string(lastChangedAt.iso8601)
        record["totals"] = .object(JSONObject(totals.mapValues(\.json)))
        record["source"] = .optional(source) { source in
            [
                "title": .optional(source.title), "outlet": .optional(source.outlet), "url": .optional(source.url),
                "published": source.published.json,
                "dataset": .optional(source.dataset?.reference, \.json),
            ]
        }
        record["placed"] = placed.json
        return .object(record)
    }
}
