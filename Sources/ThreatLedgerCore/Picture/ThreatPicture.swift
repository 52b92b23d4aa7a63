/// Everything the log says about sources, claims and incidents, folded event by event: the state
/// behind `claims`, the region summaries and the provenance views, and behind every replay.
///
/// A pure fold: ``apply(_:)`` takes events in log order. `ClaimRecorded` adds a claim;
/// `ClaimCorrected` replaces the fields in its `changes` and updates the bounds of the figures of
/// each measure in `figure_updates`; `ClaimRetracted` withdraws the claim (it stays in the log and in
/// every replay before the retraction); `IncidentLinked` ties claims to an incident and
/// `IncidentUnlinked` takes some out of it again; `SourceCorrected` replaces a source's metadata and
/// `SourceRetracted` withdraws a source, and with it every claim citing it (``stands(_:)``). Every change is
/// kept in the claim's history with who made it, when and why.
public struct ThreatPicture: Sendable, Equatable {
    public struct Source: Sendable, Equatable {
        public var id: String
        public var sha256: String
        public var title: String?
        public var outlet: String?
        /// The article's URL, where the article gives it.
        public var url: String?
        /// The publication date as coded (start, end, precision, basis).
        public var published: CodedDate
        public var recordedAt: RecordTime
        /// The conflict-dataset row the source was imported from; nil for an article.
        public var dataset: DatasetRow?
        /// Whether the source is retracted (`SourceRetracted`): none of its claims counts from then on.
        public var retracted: Bool = false
        /// Its corrections and retraction, in order, with who made them, when and why.
        public var changes: [Change] = []

        public init(
            id: String, sha256: String, title: String?, outlet: String?, url: String? = nil, published: CodedDate, recordedAt: RecordTime,
            dataset: DatasetRow? = nil
        ) {
            self.id = id
            self.sha256 = sha256
            self.title = title
            self.outlet = outlet
            self.url = url
            self.published = published
            self.recordedAt = recordedAt
            self.dataset = dataset
        }
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
        /// The claim as it stands now (the original, with corrections applied).
        public var coded: CodedClaim
        public var revision: Int64
        public var recordedAt: RecordTime
        public var lastChangedAt: RecordTime
        public var retracted: Bool
        /// Corrections and retraction, in order.
        public var changes: [Change]
        /// Position of the `ClaimRecorded` event: orders claims as they entered the log.
        public var position: Int64

        public var sourceID: String { coded.sourceID }
        public var kind: CodedClaim.Kind { coded.kind }
        public var scope: CodedClaim.Scope { coded.scope }
        public var figures: [ClaimFigure] { coded.figures }
        public var country: String? { coded.location.country }
        /// The claim's division as regions key it: its ISO 3166-2 code when the gazetteer places
        /// its `admin1`, else `admin1` as coded (``RegionPlace/division(of:in:)``).
        public var admin1: String? { RegionPlace.division(of: coded.location.admin1, in: coded.location.country) }
    }

    public struct Incident: Sendable, Equatable {
        public var id: String
        public var label: String
        public var kind: CodedClaim.Kind
        public var claimIDs: [String]
        public var disagreements: [IncidentDisagreement]
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
    ///
    /// The log's rules accepted every event before it was stored, so a payload that does not decode
    /// names a log written around them: the error says at which position and which field.
    public mutating func apply(_ event: RecordedEvent) throws(PictureFoldError) {
        position = event.position
        guard let type = EventType(rawValue: event.type) else { return }
        // A recorded claim written at its type's current version (no upcast) is read straight from
        // its bytes by the typed decoders; anything they do not take goes the general way below,
        // which gives the same claim or the same error.
        if type == .claimRecorded, event.schemaVersion >= SchemaVersions.standard.current(type), let coded = CodedClaim(typedText: event.payloadJSON) {
            record(coded, of: event)
            return
        }
        let payload: JSONValue
        do { payload = try event.payload() } catch { throw .unreadable(position: event.position, error) }
        do {
            try apply(type, payload: payload, of: event)
        } catch {
            throw .malformed(position: event.position, error)
        }
    }

    /// The claim `event` (a `ClaimRecorded`) records, as its first version.
    private mutating func record(_ coded: CodedClaim, of event: RecordedEvent) {
        claims[coded.claimID] = Claim(
            id: coded.claimID, coded: coded, revision: event.streamVersion, recordedAt: event.recordedAt, lastChangedAt: event.recordedAt,
            retracted: false, changes: [], position: event.position)
        index(claims[coded.claimID]!)
    }

    private mutating func apply(_ type: EventType, payload: JSONValue, of event: RecordedEvent) throws(ModelDecodingError) {
        let reader = try ModelReader(payload, path: "payload")
        switch type {
        case .sourceRegistered:
            let id = try reader.string("source_id")
            sources[id] = Source(
                id: id, sha256: try reader.string("text_sha256"), title: try reader.optionalString("title"),
                outlet: try reader.optionalString("outlet"), url: try reader.optionalString("url"),
                published: try CodedDate(json: payload["published"], path: "payload.published"),
                recordedAt: event.recordedAt, dataset: try reader.optional("dataset_row", DatasetRow.init(json:path:)))
        case .sourceCorrected, .sourceRetracted:
            let id = try reader.string("source_id")
            guard var source = sources[id] else { return }
            if type == .sourceCorrected {
                let changes = try ModelReader(payload["changes"], path: "payload.changes")
                if changes.object["title"] != nil { source.title = try changes.optionalString("title") }
                if changes.object["outlet"] != nil { source.outlet = try changes.optionalString("outlet") }
                if changes.object["url"] != nil { source.url = try changes.optionalString("url") }
                if let published = changes.object["published"] { source.published = try CodedDate(json: published, path: "payload.changes.published") }
            } else {
                source.retracted = true
            }
            source.changes.append(
                Change(
                    type: event.type, position: event.position, recordedAt: event.recordedAt, recordedBy: event.metadata.recordedBy,
                    reason: try reader.optionalString("reason")))
            sources[id] = source
        case .claimRecorded:
            record(try CodedClaim(json: payload, path: "payload"), of: event)
        case .claimCorrected, .claimRetracted:
            let id = try reader.string("claim_id")
            guard var claim = claims[id] else { return }
            if type == .claimCorrected {
                claim.coded = try CodedClaim(json: ClaimEditRules.corrected(claim.coded.json, by: payload), path: "payload (applied to claim \(id))")
            } else {
                claim.retracted = true
            }
            claim.revision = event.streamVersion
            claim.lastChangedAt = event.recordedAt
            claim.changes.append(
                Change(
                    type: event.type, position: event.position, recordedAt: event.recordedAt,
                    recordedBy: event.metadata.recordedBy, reason: try reader.optionalString("reason")))
            claims[id] = claim
            index(claim)
        case .incidentLinked:
            let id = try reader.string("incident_id")
            var claimIDs: [String] = []
            for (index, item) in try reader.array("claim_ids").enumerated() {
                guard let claimID = item.stringValue else { throw ModelDecodingError(path: "payload.claim_ids[\(index)]", expected: "a claim id") }
                claimIDs.append(claimID)
            }
            incidents[id] = Incident(
                id: id, label: try reader.string("label"), kind: try reader.choice("kind"), claimIDs: claimIDs,
                disagreements: try IncidentDisagreement.list(json: payload["disagreements"], path: "payload.disagreements"))
            index(incidents[id]!)
        case .incidentUnlinked:
            // The claims leave the incident, and so do their values in its disagreements (a
            // disagreement left with one value is no longer one).
            let id = try reader.string("incident_id")
            guard var incident = incidents[id] else { return }
            var leaving = Set<String>()
            for (index, item) in try reader.array("claim_ids").enumerated() {
                guard let claimID = item.stringValue else { throw ModelDecodingError(path: "payload.claim_ids[\(index)]", expected: "a claim id") }
                leaving.insert(claimID)
            }
            incident.claimIDs.removeAll { leaving.contains($0) }
            incident.disagreements = incident.disagreements.compactMap { disagreement in
                var kept = disagreement
                kept.values.removeAll { leaving.contains($0.claimID) }
                return kept.values.count > 1 ? kept : nil
            }
            incidents[id] = incident
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

    /// Whether a claim counts: it is not retracted, and neither is its source.
    public func stands(_ claim: Claim) -> Bool {
        !claim.retracted && sources[claim.sourceID]?.retracted != true
    }

    /// Claims that stand (``stands(_:)``), in the order they entered the log.
    public var currentClaims: [Claim] {
        // One copy of each claim (a claim is some thirty strings): gathered, then sorted in place.
        var current: [Claim] = []
        current.reserveCapacity(claims.count)
        for claim in claims.values where stands(claim) { current.append(claim) }
        current.sort { $0.position < $1.position }
        return current
    }

    /// The incidents each claim belongs to.
    public var incidentsByClaim: [String: [String]] {
        var result: [String: [String]] = [:]
        for incident in incidents.values.sorted(by: { $0.id < $1.id }) {
            for claim in incident.claimIDs { result[claim, default: []].append(incident.id) }
        }
        return result
    }

    /// The claim as the public export describes it (`schemas/claim-export.schema.json`): its coded
    /// fields, with its article's hash, its incidents, its revision and its totals per measure.
    public func exportRecord(_ claim: Claim, incidents: [String]) -> ClaimExportRecord {
        var totals: [String: FigureTotals] = [:]
        for measure in Set(claim.figures.map(\.measure)) {
            let total = FigureTotals.of(measure: measure, in: claim.figures)
            if total.figureCount > 0 { totals[measure] = total }
        }
        return ClaimExportRecord(
            coded: claim.coded, articleSHA256: sources[claim.sourceID]?.sha256, incidentIDs: incidents, revision: claim.revision,
            recordedAt: claim.recordedAt, lastChangedAt: claim.lastChangedAt, totals: totals, source: sources[claim.sourceID],
            placed: Gazetteer.standard.place(claim.coded.location))
    }
}
