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
    public init(documents: Documents, position: Int64) {
        self.init(
            sources: documents.sources.map { Self.source(id: $0.key, document: $0.value) },
            claims: documents.claims.map { Self.claim(id: $0.key, document: $0.value) },
            incidents: documents.incidents.map { Self.incident(id: $0.key, document: $0.value) }, position: position)
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
            "sha256": .string(source.sha256), "title": .optional(source.title), "outlet": .optional(source.outlet),
            "published": source.published, "recorded_at": .number(Double(source.recordedAt.microsecondsSinceEpoch)),
        ]
    }

    public static func document(of claim: Claim) -> JSONValue {
        [
            "fields": claim.fields, "revision": .number(Double(claim.revision)),
            "recorded_at": .number(Double(claim.recordedAt.microsecondsSinceEpoch)),
            "last_changed_at": .number(Double(claim.lastChangedAt.microsecondsSinceEpoch)),
            "retracted": .bool(claim.retracted), "position": .number(Double(claim.position)),
            "changes": .array(
                claim.changes.map { change in
                    [
                        "type": .string(change.type), "position": .number(Double(change.position)),
                        "recorded_at": .number(Double(change.recordedAt.microsecondsSinceEpoch)),
                        "recorded_by": .string(change.recordedBy), "reason": .optional(change.reason),
                    ]
                }),
        ]
    }

    public static func document(of incident: Incident) -> JSONValue {
        [
            "label": .string(incident.label), "kind": .string(incident.kind),
            "claim_ids": .array(incident.claimIDs.map(JSONValue.string)), "disagreements": incident.disagreements,
        ]
    }

    private static func time(_ value: JSONValue?) -> RecordTime { RecordTime(microsecondsSinceEpoch: value?.integerValue ?? 0) }

    public static func source(id: String, document doc: JSONValue) -> Source {
        Source(
            id: id, sha256: doc["sha256"]?.stringValue ?? "", title: doc["title"]?.stringValue,
            outlet: doc["outlet"]?.stringValue, published: doc["published"] ?? .null, recordedAt: time(doc["recorded_at"]))
    }

    public static func claim(id: String, document doc: JSONValue) -> Claim {
        Claim(
            id: id, fields: doc["fields"] ?? .null, revision: doc["revision"]?.integerValue ?? 1,
            recordedAt: time(doc["recorded_at"]), lastChangedAt: time(doc["last_changed_at"]),
            retracted: doc["retracted"]?.boolValue ?? false,
            changes: (doc["changes"]?.arrayValue ?? []).map { change in
                Change(
                    type: change["type"]?.stringValue ?? "", position: change["position"]?.integerValue ?? 0,
                    recordedAt: time(change["recorded_at"]), recordedBy: change["recorded_by"]?.stringValue ?? "",
                    reason: change["reason"]?.stringValue)
            },
            position: doc["position"]?.integerValue ?? 0)
    }

    public static func incident(id: String, document doc: JSONValue) -> Incident {
        Incident(
            id: id, label: doc["label"]?.stringValue ?? id, kind: doc["kind"]?.stringValue ?? "",
            claimIDs: (doc["claim_ids"]?.arrayValue ?? []).compactMap(\.stringValue),
            disagreements: doc["disagreements"] ?? .array([]))
    }
}
