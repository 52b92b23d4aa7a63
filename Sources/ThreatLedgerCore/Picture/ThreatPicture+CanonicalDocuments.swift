/// The stored documents' canonical bytes written straight from the typed values
/// (``CanonicalWriter``): byte for byte ``CanonicalJSON/bytes(_:)`` of ``ThreatPicture/document(of:)``
/// (pinned by `CanonicalDocumentTests`), without building the tree. The read index writes these.
extension ThreatPicture {
    /// The canonical text of `claim`'s document.
    public static func canonicalDocument(of claim: Claim) -> String {
        var writer = CanonicalWriter()
        writer.object { w in
            w.key("changes")
            w.changes(claim.changes)
            w.key("fields")
            w.claim(claim.coded)
            w.key("last_changed_at")
            w.integer(claim.lastChangedAt.microsecondsSinceEpoch)
            w.key("position")
            w.integer(claim.position)
            w.key("recorded_at")
            w.integer(claim.recordedAt.microsecondsSinceEpoch)
            w.key("retracted")
            w.bool(claim.retracted)
            w.key("revision")
            w.integer(claim.revision)
        }
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// The canonical text of `source`'s document.
    public static func canonicalDocument(of source: Source) -> String {
        var writer = CanonicalWriter(capacity: 512)
        writer.object { w in
            w.key("changes")
            w.changes(source.changes)
            w.key("dataset_row")
            w.optional(source.dataset) { w, row in w.value(row.json) }
            w.key("outlet")
            w.optionalString(source.outlet)
            w.key("published")
            w.date(source.published)
            w.key("recorded_at")
            w.integer(source.recordedAt.microsecondsSinceEpoch)
            w.key("retracted")
            w.bool(source.retracted)
            w.key("sha256")
            w.string(source.sha256)
            w.key("title")
            w.optionalString(source.title)
            w.key("url")
            w.optionalString(source.url)
        }
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// The canonical text of `incident`'s document.
    public static func canonicalDocument(of incident: Incident) -> String {
        var writer = CanonicalWriter(capacity: 256)
        writer.object { w in
            w.key("claim_ids")
            w.array(incident.claimIDs) { w, id in w.string(id) }
            w.key("disagreements")
            w.array(incident.disagreements) { w, disagreement in w.value(disagreement.json) }
            w.key("kind")
            w.string(incident.kind.rawValue)
            w.key("label")
            w.string(incident.label)
        }
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}

extension CanonicalWriter {
    mutating func changes(_ changes: [ThreatPicture.Change]) {
        array(changes) { w, change in
            w.object { w in
                w.key("position")
                w.integer(change.position)
                w.key("reason")
                w.optionalString(change.reason)
                w.key("recorded_at")
                w.integer(change.recordedAt.microsecondsSinceEpoch)
                w.key("recorded_by")
                w.string(change.recordedBy)
                w.key("type")
                w.string(change.type)
            }
        }
    }

    mutating func claim(_ claim: CodedClaim) {
        object { w in
            w.key("actors")
            w.object { w in
                w.key("authority")
                w.optional(claim.actors.authority) { $0.actor($1) }
                w.key("perpetrator")
                w.optional(claim.actors.perpetrator) { $0.actor($1) }
                w.key("target")
                w.optional(claim.actors.target) { $0.actor($1) }
            }
            w.key("attribution")
            w.object { w in
                let attribution = claim.attribution
                w.key("cited")
                w.optionalString(attribution.cited)
                w.key("cited_as_written")
                w.optionalString(attribution.citedAsWritten)
                w.key("cited_type")
                w.string(attribution.citedType)
                w.key("evidence")
                w.optional(attribution.evidence) { $0.evidence($1) }
                w.key("hedge_words")
                w.optionalString(attribution.hedgeWords)
                w.key("hedged")
                w.bool(attribution.hedged)
            }
            w.key("claim_id")
            w.string(claim.claimID)
            w.key("date")
            w.date(claim.date)
            w.key("figures")
            w.array(claim.figures) { $0.figure($1) }
            w.key("kind")
            w.string(claim.kind.rawValue)
            w.key("location")
            w.location(claim.location)
            w.key("notes")
            w.optionalString(claim.notes)
            if let proposal = claim.proposal {
                w.key("proposal")
                w.object { w in
                    w.key("accepted_by")
                    w.optionalString(proposal.acceptedBy)
                    w.key("confidence")
                    w.number(proposal.confidence)
                    w.key("cues")
                    w.array(proposal.cues) { $0.string($1) }
                    w.key("proposer")
                    w.string(proposal.proposer)
                    w.key("status")
                    w.string(proposal.status.rawValue)
                }
            }
            w.key("scope")
            w.string(claim.scope.rawValue)
            w.key("source_id")
            w.string(claim.sourceID)
            w.key("statement")
            w.evidence(claim.statement)
            w.key("summary")
            w.string(claim.summary)
        }
    }

    mutating func actor(_ actor: Actor) {
        object { w in
            w.key("name")
            w.string(actor.name)
            w.key("name_as_written")
            w.optionalString(actor.nameAsWritten)
            w.key("type")
            w.string(actor.type)
        }
    }

    mutating func evidence(_ evidence: Evidence) {
        object { w in
            w.key("article_sha256")
            w.string(evidence.articleSHA256)
            w.key("position")
            w.object { w in
                w.key("end")
                w.integer(Int64(evidence.end))
                w.key("start")
                w.integer(Int64(evidence.start))
                w.key("type")
                w.string("TextPositionSelector")
            }
            w.key("quote")
            w.object { w in
                w.key("exact")
                w.string(evidence.exact)
                w.key("prefix")
                w.string(evidence.prefix)
                w.key("suffix")
                w.string(evidence.suffix)
                w.key("type")
                w.string("TextQuoteSelector")
            }
        }
    }

    mutating func date(_ date: CodedDate) {
        object { w in
            w.key("basis")
            w.optionalString(date.basis?.rawValue)
            w.key("end")
            w.optionalString(date.end?.iso8601)
            w.key("evidence")
            w.optional(date.evidence) { $0.evidence($1) }
            w.key("note")
            w.optionalString(date.note)
            w.key("precision")
            w.string(date.precision.rawValue)
            w.key("start")
            w.optionalString(date.start?.iso8601)
            w.key("words")
            w.optionalString(date.words)
        }
    }

    mutating func location(_ location: ClaimLocation) {
        object { w in
            w.key("admin1")
            w.optionalString(location.admin1)
            w.key("coordinates")
            w.optional(location.coordinates) { w, coordinates in
                w.object { w in
                    w.key("lat")
                    w.number(coordinates.lat)
                    w.key("lon")
                    w.number(coordinates.lon)
                    w.key("precision")
                    w.string(coordinates.precision.rawValue)
                }
            }
            w.key("country")
            w.optionalString(location.country)
            w.key("evidence")
            w.optional(location.evidence) { $0.evidence($1) }
            w.key("note")
            w.optionalString(location.note)
            w.key("place")
            w.optional(location.place) { w, place in
                w.object { w in
                    w.key("as_written")
                    w.string(place.asWritten)
                    w.key("transliteration")
                    w.optionalString(place.transliteration)
                }
            }
        }
    }

    mutating func figure(_ figure: ClaimFigure) {
        object { w in
            w.key("basis")
            w.string(figure.basis.rawValue)
            w.key("currency")
            w.optionalString(figure.currency)
            w.key("dataset_fields")
            w.optional(figure.datasetFields) { w, fields in
                w.object { w in
                    w.key("high")
                    w.optionalString(fields.high)
                    w.key("low")
                    w.optionalString(fields.low)
                }
            }
            w.key("evidence")
            w.evidence(figure.evidence)
            w.key("high")
            w.optionalInteger(figure.high)
            w.key("low")
            w.optionalInteger(figure.low)
            w.key("measure")
            w.string(figure.measure)
            w.key("note")
            w.optionalString(figure.note)
            w.key("part_of")
            w.optionalInteger(figure.partOf.map { Int64($0) })
            w.key("qualifier")
            w.string(figure.qualifier.rawValue)
            w.key("source_id")
            w.optionalString(figure.sourceID)
            w.key("unit")
            w.optionalString(figure.unit)
        }
    }
}
