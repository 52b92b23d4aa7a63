/// Everything the log says about sources, claims and incidents, folded event by event: the state
/// behind `claims`, the region summaries and the provenance views, and behind every replay.
///
/// A pure fold: ``apply(_:)`` takes events in log order. `ClaimRecorded` adds a claim;
/// `ClaimCorrected` replaces the fields in its `changes` and updates the bounds of the figures of
/// each measure in `figure_updates`; `ClaimRetracted` withdraws the claim (it stays in the log and in
/// every replay before the retraction); `IncidentLinked` ties claims to an incident. Every change is
/// kept in the claim's history with who made it, when and why.
public struct ThreatPicture: Sendable, Equatable {
    public struct Source: Sendable, Equatable {
        public var id: String
        public var sha256: String
        public var title: String?
        public var outlet: String?
        /// The publication date as coded (start, end, precision, basis).
        public var published: JSONValue
        public var recordedAt: RecordTime
    }

    public struct Change: Sendable, Equatable {
        public var type: String
        public var position: Int64
        public var recordedAt: RecordTime
        public var recordedBy: String
        public var reason: String?
    }

    public struct Claim: Sendable, Equatable {
        public var id: String
        /// The claim's fields as they stand now (the original, with corrections applied).
        public var fields: JSONValue
        public var revision: Int64
        public var recordedAt: RecordTime
        public var lastChangedAt: RecordTime
        public var retracted: Bool
        /// Corrections and retraction, in order.
        public var changes: [Change]
        /// Position of the `ClaimRecorded` event: orders claims as they entered the log.
        public var position: Int64

        public var sourceID: String { fields["source_id"]?.stringValue ?? "" }
        public var kind: String { fields["kind"]?.stringValue ?? "" }
        public var scope: String { fields["scope"]?.stringValue ?? "" }
        public var figures: [JSONValue] { fields["figures"]?.arrayValue ?? [] }
        public var country: String? { fields["location"]?["country"]?.stringValue }
        public var admin1: String? { fields["location"]?["admin1"]?.stringValue }
    }

    public struct Incident: Sendable, Equatable {
        public var id: String
        public var label: String
        public var kind: String
        public var claimIDs: [String]
        public var disagreements: JSONValue
    }

    public internal(set) var sources: [String: Source] = [:]
    public internal(set) var claims: [String: Claim] = [:]
    public internal(set) var incidents: [String: Incident] = [:]
    /// The last event folded in.
    public internal(set) var position: Int64 = 0
    /// For each region key (``RegionSummaries/regions(country:admin1:)``), the claims that have been
    /// placed in it, so that a trace or a region's units look at that region's claims rather than at
    /// every claim. A superset: a claim later moved by a correction, or dropped from a replayed
    /// picture, stays listed, so every use checks the claim itself again.
    var claimIDsByRegion: [String: Set<String>] = [:]
    /// For each claim, the incidents that have listed it (a superset in the same way).
    var incidentIDsByClaim: [String: Set<String>] = [:]

    public init() {}

    /// Folds one event in. Events of other types are skipped.
    public mutating func apply(_ event: RecordedEvent) throws(JSONParseError) {
        position = event.position
        guard let type = EventType(rawValue: event.type) else { return }
        let payload = try event.payload()
        switch type {
        case .sourceRegistered:
            let id = payload["source_id"]!.stringValue!
            sources[id] = Source(
                id: id, sha256: payload["text_sha256"]!.stringValue!, title: payload["title"]?.stringValue,
                outlet: payload["outlet"]?.stringValue, published: payload["published"] ?? .null,
                recordedAt: event.recordedAt)
        case .claimRecorded:
            let id = payload["claim_id"]!.stringValue!
            claims[id] = Claim(
                id: id, fields: payload, revision: event.streamVersion, recordedAt: event.recordedAt,
                lastChangedAt: event.recordedAt, retracted: false, changes: [], position: event.position)
            index(claims[id]!)
        case .claimCorrected, .claimRetracted:
            let id = payload["claim_id"]!.stringValue!
            guard var claim = claims[id] else { return }
            if type == .claimCorrected {
                claim.fields = Self.corrected(claim.fields, by: payload)
            } else {
                claim.retracted = true
            }
            claim.revision = event.streamVersion
            claim.lastChangedAt = event.recordedAt
            claim.changes.append(
                Change(
                    type: event.type, position: event.position, recordedAt: event.recordedAt,
                    recordedBy: event.metadata.recordedBy, reason: payload["reason"]?.stringValue))
            claims[id] = claim
            index(claim)
        case .incidentLinked:
            let id = payload["incident_id"]!.stringValue!
            incidents[id] = Incident(
                id: id, label: payload["label"]?.stringValue ?? id, kind: payload["kind"]?.stringValue ?? "",
                claimIDs: payload["claim_ids"]!.arrayValue!.compactMap(\.stringValue),
                disagreements: payload["disagreements"] ?? .array([]))
            index(incidents[id]!)
        }
    }

    /// Pictures are equal when they hold the same sources, claims and incidents as of the same
    /// position; the look-up indexes (supersets that depend on the path taken) do not count.
    public static func == (a: ThreatPicture, b: ThreatPicture) -> Bool {
        a.position == b.position && a.sources == b.sources && a.claims == b.claims && a.incidents == b.incidents
    }

    /// Lists a claim under the regions it is placed in now.
    mutating func index(_ claim: Claim) {
        for region in RegionSummaries.regions(country: claim.country, admin1: claim.admin1) {
            claimIDsByRegion[region, default: []].insert(claim.id)
        }
    }

    /// Lists an incident under each of its claims.
    mutating func index(_ incident: Incident) {
        for claimID in incident.claimIDs { incidentIDsByClaim[claimID, default: []].insert(incident.id) }
    }

    /// The claims that may be in `region`: every claim that is, and perhaps some that were. Check
    /// each with ``RegionSummaries/isIn(_:country:admin1:)``.
    public func claims(possiblyIn region: String) -> [Claim] {
        (claimIDsByRegion[region] ?? []).compactMap { claims[$0] }
    }

    /// The region keys any claim has been placed in (a superset, like ``claims(possiblyIn:)``).
    public var regionKeys: [String] { claimIDsByRegion.keys.sorted() }

    /// The incidents that list any of `claimIDs`.
    public func incidents(listing claimIDs: Set<String>) -> [Incident] {
        var ids = Set<String>()
        for claimID in claimIDs { ids.formUnion(incidentIDsByClaim[claimID] ?? []) }
        return ids.compactMap { incidents[$0] }.filter { $0.claimIDs.contains(where: claimIDs.contains) }
    }

    /// A claim with a correction's changes applied.
    public static func corrected(_ claim: JSONValue, by correction: JSONValue) -> JSONValue {
        ClaimEditRules.corrected(claim, by: correction)
    }

    /// Claims that are not retracted, in the order they entered the log.
    public var currentClaims: [Claim] {
        claims.values.filter { !$0.retracted }.sorted { $0.position < $1.position }
    }

    /// The incidents each claim belongs to.
    public var incidentsByClaim: [String: [String]] {
        var result: [String: [String]] = [:]
        for incident in incidents.values.sorted(by: { $0.id < $1.id }) {
            for claim in incident.claimIDs { result[claim, default: []].append(incident.id) }
        }
        return result
    }

    /// The claim as the public export describes it (`schemas/claim-export.schema.json`).
    public func exportRecord(_ claim: Claim, incidents: [String]) -> JSONValue {
        guard var record = claim.fields.objectValue else { return claim.fields }
        record["article_sha256"] = .optional(sources[claim.sourceID]?.sha256)
        record["incident_ids"] = .array(incidents.map(JSONValue.string))
        record["revision"] = .number(Double(claim.revision))
        record["recorded_at"] = .string(claim.recordedAt.iso8601)
        record["last_changed_at"] = .string(claim.lastChangedAt.iso8601)
        let figures = claim.figures
        var totals: [String: JSONValue] = [:]
        for measure in Set(figures.compactMap { $0["measure"]?.stringValue }) {
            let total = FigureTotals.of(measure: measure, in: figures)
            if total.figureCount > 0 { totals[measure] = total.json }
        }
        record["totals"] = .object(JSONObject(totals))
        return .object(record)
    }
}
