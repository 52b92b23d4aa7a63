/// What one source contributes to the picture, and how far it can be trusted: its claims by kind,
/// the regions they fall in, whom it cites and how often it hedges, the incidents it shares with
/// other sources (corroboration), where it disagrees with them, and every correction and retraction
/// made against its claims.
///
/// A typed read model: ``build(from:)`` derives it from the picture, ``json`` is the row the
/// `source-provenance` projection stores and every answer serves, and ``init(json:)`` reads a stored
/// row back for a terminal.
public struct SourceProvenance: Sendable, Equatable {
    /// Whom the source cites, and for which of its claims.
    public struct Citation: Sendable, Equatable {
        /// Who is cited, or nil for the article speaking for itself.
        public var cited: String?
        public var citedType: String
        public var claimIDs: [String]
        /// How many of those claims hedge.
        public var hedged: Int
    }

    /// An incident this source's claims belong to, and which other sources report it.
    public struct SharedIncident: Sendable, Equatable {
        public var incidentID: String
        public var label: String
        /// This source's claims in the incident.
        public var claimIDs: [String]
        public var corroboratedBy: [String]
    }

    /// A disagreement recorded on an incident that involves this source's claims.
    public struct Disagreement: Sendable, Equatable {
        public var incidentID: String
        public var disagreement: IncidentDisagreement
    }

    /// A correction or retraction of one of this source's claims.
    public struct Change: Sendable, Equatable {
        public var claimID: String
        public var change: ThreatPicture.Change
    }

    public var sourceID: String
    public var title: String?
    public var outlet: String?
    /// Set when the source is a conflict-dataset row (``DatasetRow``): its claims are the dataset's,
    /// not an article's, and their figures are the dataset's own fields.
    public var dataset: DatasetRowReference?
    public var articleSHA256: String
    public var published: CodedDate
    /// Current (not retracted) claims.
    public var claims: Int
    public var retractedClaims: Int
    public var claimsByKind: [String: Int]
    public var regions: [String]
    public var attributions: [Citation]
    public var sharedIncidents: [SharedIncident]
    public var disagreements: [Disagreement]
    public var changes: [Change]
    /// Whether the source is retracted: its claims stand on a retracted source and count in no figure.
    public var retracted: Bool = false
    /// The source's own corrections and retraction, in order.
    public var sourceChanges: [ThreatPicture.Change] = []

    /// Every source's provenance, keyed by source id. A pure function of the picture.
    public static func build(from picture: ThreatPicture) -> [String: SourceProvenance] {
        var result: [String: SourceProvenance] = [:]
        let allClaims = picture.claims.values.sorted { $0.position < $1.position }
        // Grouped once, so each source costs its own claims and incidents, not the whole picture's.
        let claimsBySource = Dictionary(grouping: allClaims, by: \.sourceID)
        var incidentIDsByClaim: [String: [String]] = [:]
        for incident in picture.incidents.values {
            for claimID in incident.claimIDs { incidentIDsByClaim[claimID, default: []].append(incident.id) }
        }
        for source in picture.sources.values.sorted(by: { $0.id < $1.id }) {
            let own = claimsBySource[source.id] ?? []
            let ownIDs = Set(own.map(\.id))
            let current = own.filter { !$0.retracted }
            var byKind: [String: Int] = [:]
            var regions = Set<String>()
            var citations: [String: Citation] = [:]
            for claim in current {
                byKind[claim.kind.rawValue, default: 0] += 1
                regions.formUnion(RegionSummaries.regions(country: claim.country, admin1: claim.admin1))
                let attribution = claim.coded.attribution
                let key = attribution.citedType + "|" + (attribution.cited ?? "")
                var entry = citations[key] ?? Citation(cited: attribution.cited, citedType: attribution.citedType, claimIDs: [], hedged: 0)
                if attribution.hedged { entry.hedged += 1 }
                entry.claimIDs.append(claim.id)
                citations[key] = entry
            }
            var shared: [SharedIncident] = []
            var disagreements: [Disagreement] = []
            let linked = Set(own.flatMap { incidentIDsByClaim[$0.id] ?? [] }).sorted().compactMap { picture.incidents[$0] }
            for incident in linked {
                let mine = incident.claimIDs.filter { ownIDs.contains($0) }
                guard !mine.isEmpty else { continue }
                let others = incident.claimIDs.filter { !mine.contains($0) }
                let otherSources = Set(others.compactMap { picture.claims[$0]?.sourceID }).subtracting([source.id]).sorted()
                shared.append(SharedIncident(incidentID: incident.id, label: incident.label, claimIDs: mine, corroboratedBy: otherSources))
                for disagreement in incident.disagreements where disagreement.values.contains(where: { mine.contains($0.claimID) }) {
                    disagreements.append(Disagreement(incidentID: incident.id, disagreement: disagreement))
                }
            }
            result[source.id] = SourceProvenance(
                retracted: source.retracted, sourceChanges: source.changes,
                sourceID: source.id, title: source.title, outlet: source.outlet, dataset: source.dataset?.reference,
                articleSHA256: source.sha256, published: source.published,
                claims: current.count, retractedClaims: own.count - current.count, claimsByKind: byKind, regions: regions.sorted(),
                attributions: citations.keys.sorted().map { citations[$0]! }, sharedIncidents: shared, disagreements: disagreements,
                changes: own.flatMap { claim in claim.changes.map { Change(claimID: claim.id, change: $0) } })
        }
        return result
    }

    /// The row as the projection stores it and every answer serves it.
    public var json: JSONValue {
        [
            "source_id": .string(sourceID), "title": .optional(title), "outlet": .optional(outlet),
            "dataset": .optional(dataset, \.json),
            "article_sha256": .string(articleSHA256), "published": published.json,
            "claims": .number(Double(claims)), "retracted_claims": .number(Double(retractedClaims)),
            "claims_by_kind": .object(JSONObject(claimsByKind.mapValues { .number(Double($0)) })),
            "regions": .array(regions.map(JSONValue.string)),
            "attributions": .array(
                attributions.map { entry in
                    [
                        "cited": .optional(entry.cited), "cited_type": .string(entry.citedType),
                        "claims": .number(Double(entry.claimIDs.count)), "hedged": .number(Double(entry.hedged)),
                        "claim_ids": .array(entry.claimIDs.map(JSONValue.string)),
                    ]
                }),
            "shared_incidents": .array(
                sharedIncidents.map { shared in
                    [
                        "incident_id": .string(shared.incidentID), "label": .string(shared.label),
                        "claim_ids": .array(shared.claimIDs.map(JSONValue.string)),
                        "corroborated_by": .array(shared.corroboratedBy.map(JSONValue.string)),
                    ]
                }),
            "disagreements": .array(
                disagreements.map { entry in
                    guard case .object(var object) = entry.disagreement.json else { return .null }
                    object["incident_id"] = .string(entry.incidentID)
                    return .object(object)
                }),
            "corrections_and_retractions": .array(
                changes.map { entry in
                    [
                        "claim_id": .string(entry.claimID), "type": .string(entry.change.type),
                        "position": .number(Double(entry.change.position)), "recorded_at": .string(entry.change.recordedAt.iso8601),
                        "recorded_by": .string(entry.change.recordedBy), "reason": .optional(entry.change.reason),
                    ]
                }),
            "retracted": .bool(retracted),
            "source_changes": .array(
                sourceChanges.map { change in
                    [
                        "type": .string(change.type), "position": .number(Double(change.position)), "recorded_at": .string(change.recordedAt.iso8601),
                        "recorded_by": .string(change.recordedBy), "reason": .optional(change.reason),
                    ]
                }),
        ]
    }

    /// Reads a stored row back; a row that does not fit names the field.
    public init(json: JSONValue) throws(ModelDecodingError) {
        let row = try ModelReader(json, path: "provenance")
        func strings(_ values: [JSONValue], _ path: String) throws(ModelDecodingError) -> [String] {
            var result: [String] = []
            for (index, value) in values.enumerated() {
                guard let text = value.stringValue else { throw ModelDecodingError(path: "\(path)[\(index)]", expected: "a string") }
                result.append(text)
            }
            return result
        }
        func objects(_ key: String) throws(ModelDecodingError) -> [ModelReader] {
            var result: [ModelReader] = []
            for (index, value) in try row.array(key).enumerated() { result.append(try ModelReader(value, path: "provenance.\(key)[\(index)]")) }
            return result
        }
        sourceID = try row.string("source_id")
        title = try row.optionalString("title")
        outlet = try row.optionalString("outlet")
        if let marked = try row.optionalObject("dataset") {
            dataset = DatasetRowReference(dataset: try marked.choice("dataset"), rowID: try marked.string("row_id"))
        }
        articleSHA256 = try row.string("article_sha256")
        published = try CodedDate(json: row.object["published"], path: "provenance.published")
        claims = Int(try row.integer("claims"))
        retractedClaims = Int(try row.integer("retracted_claims"))
        var byKind: [String: Int] = [:]
        for (kind, count) in try row.nested("claims_by_kind").object {
            guard let count = count.integerValue else { throw ModelDecodingError(path: "provenance.claims_by_kind.\(kind)", expected: "a count") }
            byKind[kind] = Int(count)
        }
        claimsByKind = byKind
        regions = try strings(try row.array("regions"), "provenance.regions")
        attributions = []
        for entry in try objects("attributions") {
            attributions.append(
                Citation(
                    cited: try entry.optionalString("cited"), citedType: try entry.string("cited_type"),
                    claimIDs: try strings(try entry.array("claim_ids"), "\(entry.path).claim_ids"), hedged: Int(try entry.integer("hedged"))))
        }
        sharedIncidents = []
        for entry in try objects("shared_incidents") {
            sharedIncidents.append(
                SharedIncident(
                    incidentID: try entry.string("incident_id"), label: try entry.string("label"),
                    claimIDs: try strings(try entry.array("claim_ids"), "\(entry.path).claim_ids"),
                    corroboratedBy: try strings(try entry.array("corroborated_by"), "\(entry.path).corroborated_by")))
        }
        disagreements = []
        for entry in try objects("disagreements") {
            disagreements.append(
                Disagreement(incidentID: try entry.string("incident_id"), disagreement: try IncidentDisagreement(json: .object(entry.object), path: entry.path))
            )
        }
        retracted = try row.bool("retracted")
        sourceChanges = []
        for entry in try objects("source_changes") {
            guard let recordedAt = RecordTime(iso8601: try entry.string("recorded_at")) else { throw entry.fail("recorded_at", "a time") }
            sourceChanges.append(
                ThreatPicture.Change(
                    type: try entry.string("type"), position: try entry.integer("position"), recordedAt: recordedAt,
                    recordedBy: try entry.string("recorded_by"), reason: try entry.optionalString("reason")))
        }
        changes = []
        for entry in try objects("corrections_and_retractions") {
            guard let recordedAt = RecordTime(iso8601: try entry.string("recorded_at")) else { throw entry.fail("recorded_at", "a time") }
            changes.append(
                Change(
                    claimID: try entry.string("claim_id"),
                    change: ThreatPicture.Change(
                        type: try entry.string("type"), position: try entry.integer("position"), recordedAt: recordedAt,
                        recordedBy: try entry.string("recorded_by"), reason: try entry.optionalString("reason"))))
        }
    }

    public init(
        retracted: Bool = false, sourceChanges: [ThreatPicture.Change] = [], sourceID: String, title: String?, outlet: String?,
        dataset: DatasetRowReference? = nil, articleSHA256: String, published: CodedDate, claims: Int,
        retractedClaims: Int,
        claimsByKind: [String: Int], regions: [String], attributions: [Citation], sharedIncidents: [SharedIncident],
        disagreements: [Disagreement], changes: [Change]
    ) {
        self.sourceID = sourceID
        self.title = title
        self.outlet = outlet
        self.dataset = dataset
        self.articleSHA256 = articleSHA256
        self.published = published
        self.claims = claims
        self.retractedClaims = retractedClaims
        self.claimsByKind = claimsByKind
        self.regions = regions
        self.attributions = attributions
        self.sharedIncidents = sharedIncidents
        self.disagreements = disagreements
        self.changes = changes
        self.retracted = retracted
        self.sourceChanges = sourceChanges
    }
}
