/// The picture as JSON documents, one per source, claim and incident: how a projection keeps its
/// fold state between catch-ups, so that catching up applies only the new events.
extension ThreatPicture {
    public struct Documents: Sendable, Equatable {
        public var sources: [String: JSONValue]
        public var claims: [String: JSONValue]
        public var incidents: [String: JSONValue]

        public init(sources: [String: JSONValue] = [:], claims: [String: JSONValue] = [:], incidents: [String: JSONValue] = [:]) {
            self.sources = sources
            self.claims = claims
            self.incidents = incidents
        }
    }

    public var documents: Documents {
        Documents(
            sources: sources.mapValues(Self.document(of:)), claims: claims.mapValues(Self.document(of:)),
            incidents: incidents.mapValues(Self.document(of:)))
    }

    /// A picture restored from its documents, as of `position`.
    public init(documents: Documents, position: Int64) throws(ModelDecodingError) {
        var sources: [Source] = []
        for (id, doc) in documents.sources { sources.append(try Self.source(id: id, document: doc)) }
        var claims: [Claim] = []
        for (id, doc) in documents.claims { claims.append(try Self.claim(id: id, document: doc)) }
        var incidents: [Incident] = []
        for (id, doc) in documents.incidents { incidents.append(try Self.incident(id: id, document: doc)) }
        self.init(sources: sources, claims: claims, incidents: incidents, position: position)
    }

    /// A picture holding exactly these sources, claims and incidents, as of `position`: how a read
    /// that needs part of the log (one region, one source) assembles what it reads.
    public init(sources: [Source], claims: [Claim], incidents: [Incident], position: Int64) {
        self.init()
        for source in sources { self.sources[source.id] = source }
        for claim in claims {
            self.claims[claim.id] = claim
            index(claim)
        }
        for incident in incidents {
            self.incidents[incident.id] = incident
            index(incident)
        }
        self.position = position
    }

    // MARK: One document each

    public static func document(of source: Source) -> JSONValue {
        [
            "sha256": .string(source.sha256), "title": .optional(source.title), "outlet": .optional(source.outlet), "url": .optional(source.url),
            "published": source.published.json, "recorded_at": .number(Double(source.recordedAt.microsecondsSinceEpoch)),
            "dataset_row": .optional(source.dataset, \.json), "retracted": .bool(source.retracted), "changes": changes(source.changes),
        ]
    }

    private static func changes(_ changes: [Change]) -> JSONValue {
        .array(
            changes.map { change in
                [
                    "type": .string(change.type), "position": .number(Double(change.position)),
                    "recorded_at": .number(Double(change.recordedAt.microsecondsSinceEpoch)),
                    "recorded_by": .string(change.recordedBy), "reason": .optional(change.reason),
                ]
            })
    }

    private static func changes(_ doc: JSONValue?, path: String) throws(ModelDecodingError) -> [Change] {
        var changes: [Change] = []
        for (index, change) in (doc?.arrayValue ?? []).enumerated() {
            let c = try ModelReader(change, path: "\(path)[\(index)]")
            changes.append(
                Change(
                    type: try c.string("type"), position: try c.integer("position"), recordedAt: time(change["recorded_at"]),
                    recordedBy: try c.string("recorded_by"), reason: try c.optionalString("reason")))
        }
        return changes
    }

    public static func document(of claim: Claim) -> JSONValue {
        [
            "fields": claim.coded.json, "revision": .number(Double(claim.revision)),
            "recorded_at": .number(Double(claim.recordedAt.microsecondsSinceEpoch)),
            "last_changed_at": .number(Double(claim.lastChangedAt.microsecondsSinceEpoch)),
            "retracted": .bool(claim.retracted), "position": .number(Double(claim.position)), "changes": changes(claim.changes),
        ]
    }

    public static func document(of incident: Incident) -> JSONValue {
        [
            "label": .string(incident.label), "kind": .string(incident.kind.rawValue),
            "claim_ids": .array(incident.claimIDs.map(JSONValue.string)), "disagreements": .array(incident.disagreements.map(\.json)),
        ]
    }

    private static func time(_ value: JSONValue?) -> RecordTime { RecordTime(microsecondsSinceEpoch: value?.integerValue ?? 0) }

    /// A source from its stored document; a document that does not fit names the field.
    public static func source(id: String, document doc: JSONValue) throws(ModelDecodingError) -> Source {
        let reader = try ModelReader(doc, path: "source \(id)")
        var source = Source(
            id: id, sha256: try reader.string("sha256"), title: try reader.optionalString("title"),
            outlet: try reader.optionalString("outlet"), url: try reader.optionalString("url"),
            published: try CodedDate(json: doc["published"], path: "source \(id).published"),
            recordedAt: time(doc["recorded_at"]), dataset: try reader.optional("dataset_row", DatasetRow.init(json:path:)))
        source.retracted = doc["retracted"]?.boolValue ?? false
        source.changes = try changes(doc["changes"], path: "source \(id).changes")
        return source
    }

    /// A claim version from its stored document; a document that does not fit names the field.
    public static func claim(id: String, document doc: JSONValue) throws(ModelDecodingError) -> Claim {
        let reader = try ModelReader(doc, path: "claim \(id)")
        let changes = try changes(doc["changes"], path: "claim \(id).changes")
        return Claim(
            id: id, coded: try CodedClaim(json: doc["fields"], path: "claim \(id).fields"), revision: try reader.integer("revision"),
            recordedAt: time(doc["recorded_at"]), lastChangedAt: time(doc["last_changed_at"]), retracted: try reader.bool("retracted"),
            changes: changes, position: try reader.integer("position"))
    }

    /// An incident version from its stored document; a document that does not fit names the field.
    public static func incident(id: String, document doc: JSONValue) throws(ModelDecodingError) -> Incident {
        let reader = try ModelReader(doc, path: "incident \(id)")
        var claimIDs: [String] = []
        for (index, item) in try reader.array("claim_ids").enumerated() {
            guard let claimID = item.stringValue else { throw ModelDecodingError(path: "incident \(id).claim_ids[\(index)]", expected: "a claim id") }
            claimIDs.append(claimID)
        }
        return Incident(
            id: id, label: try reader.string("label"), kind: try reader.choice("kind"), claimIDs: claimIDs,
            disagreements: try IncidentDisagreement.list(json: doc["disagreements"], path: "incident \(id).disagreements"))
    }
}
