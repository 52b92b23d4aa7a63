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
            sources: sources.mapValues { source in
                [
                    "sha256": .string(source.sha256), "title": .optional(source.title), "outlet": .optional(source.outlet),
                    "published": source.published, "recorded_at": .number(Double(source.recordedAt.microsecondsSinceEpoch)),
                ]
            },
            claims: claims.mapValues { claim in
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
            },
            incidents: incidents.mapValues { incident in
                [
                    "label": .string(incident.label), "kind": .string(incident.kind),
                    "claim_ids": .array(incident.claimIDs.map(JSONValue.string)), "disagreements": incident.disagreements,
                ]
            })
    }

    /// A picture restored from its documents, as of `position`.
    public init(documents: Documents, position: Int64) {
        self.init()
        func time(_ value: JSONValue?) -> RecordTime { RecordTime(microsecondsSinceEpoch: value?.integerValue ?? 0) }
        for (id, doc) in documents.sources {
            sources[id] = Source(
                id: id, sha256: doc["sha256"]?.stringValue ?? "", title: doc["title"]?.stringValue,
                outlet: doc["outlet"]?.stringValue, published: doc["published"] ?? .null, recordedAt: time(doc["recorded_at"]))
        }
        for (id, doc) in documents.claims {
            claims[id] = Claim(
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
            index(claims[id]!)
        }
        for (id, doc) in documents.incidents {
            incidents[id] = Incident(
                id: id, label: doc["label"]?.stringValue ?? id, kind: doc["kind"]?.stringValue ?? "",
                claimIDs: (doc["claim_ids"]?.arrayValue ?? []).compactMap(\.stringValue),
                disagreements: doc["disagreements"] ?? .array([]))
            index(incidents[id]!)
        }
        self.position = position
    }
}
