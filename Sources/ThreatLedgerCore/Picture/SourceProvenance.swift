/// What one source contributes to the picture, and how far it can be trusted: its claims by kind,
/// the regions they fall in, whom it cites and how often it hedges, the incidents it shares with
/// other sources (corroboration), where it disagrees with them, and every correction and retraction
/// made against its claims.
public struct SourceProvenance: Sendable, Equatable {
    public var sourceID: String
    public var json: JSONValue

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
            var citations: [String: (cited: String?, type: String, hedged: Int, claims: [String])] = [:]
            for claim in current {
                byKind[claim.kind, default: 0] += 1
                regions.formUnion(RegionSummaries.regions(country: claim.country, admin1: claim.admin1))
                let attribution = claim.fields["attribution"]
                let cited = attribution?["cited"]?.stringValue
                let type = attribution?["cited_type"]?.stringValue ?? "unknown"
                let key = type + "|" + (cited ?? "")
                var entry = citations[key] ?? (cited, type, 0, [])
                if attribution?["hedged"]?.boolValue == true { entry.hedged += 1 }
                entry.claims.append(claim.id)
                citations[key] = entry
            }
            var shared: [JSONValue] = []
            var disagreements: [JSONValue] = []
            let linked = Set(own.flatMap { incidentIDsByClaim[$0.id] ?? [] }).sorted().compactMap { picture.incidents[$0] }
            for incident in linked {
                let mine = incident.claimIDs.filter { ownIDs.contains($0) }
                guard !mine.isEmpty else { continue }
                let others = incident.claimIDs.filter { !mine.contains($0) }
                let otherSources = Set(others.compactMap { picture.claims[$0]?.sourceID }).subtracting([source.id]).sorted()
                shared.append([
                    "incident_id": .string(incident.id), "label": .string(incident.label),
                    "claim_ids": .array(mine.map(JSONValue.string)),
                    "corroborated_by": .array(otherSources.map(JSONValue.string)),
                ])
                for disagreement in incident.disagreements.arrayValue ?? [] {
                    let values = disagreement["values"]?.arrayValue ?? []
                    guard values.contains(where: { mine.contains($0["claim_id"]?.stringValue ?? "") }) else { continue }
                    disagreements.append([
                        "incident_id": .string(incident.id), "field": disagreement["field"] ?? .null,
                        "note": disagreement["note"] ?? .null, "values": .array(values),
                    ])
                }
            }
            let changes: [JSONValue] = own.flatMap { claim in
                claim.changes.map { change in
                    [
                        "claim_id": .string(claim.id), "type": .string(change.type),
                        "position": .number(Double(change.position)), "recorded_at": .string(change.recordedAt.iso8601),
                        "recorded_by": .string(change.recordedBy), "reason": .optional(change.reason),
                    ]
                }
            }
            let attributionList: [JSONValue] = citations.keys.sorted().map { key in
                let entry = citations[key]!
                return [
                    "cited": .optional(entry.cited), "cited_type": .string(entry.type),
                    "claims": .number(Double(entry.claims.count)), "hedged": .number(Double(entry.hedged)),
                    "claim_ids": .array(entry.claims.map(JSONValue.string)),
                ]
            }
            let json: JSONValue = [
                "source_id": .string(source.id), "title": .optional(source.title), "outlet": .optional(source.outlet),
                "article_sha256": .string(source.sha256), "published": source.published,
                "claims": .number(Double(current.count)), "retracted_claims": .number(Double(own.count - current.count)),
                "claims_by_kind": .object(JSONObject(byKind.mapValues { .number(Double($0)) })),
                "regions": .array(regions.sorted().map(JSONValue.string)),
                "attributions": .array(attributionList),
                "shared_incidents": .array(shared), "disagreements": .array(disagreements),
                "corrections_and_retractions": .array(changes),
            ]
            result[source.id] = SourceProvenance(sourceID: source.id, json: json)
        }
        return result
    }
}
