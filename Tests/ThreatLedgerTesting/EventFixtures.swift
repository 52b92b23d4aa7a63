import ThreatLedgerCore

/// Valid events built in code, independent of the seed corpus.
public enum EventFixtures {
    public static let analyst = EventMetadata(recordedBy: "test analyst")

    /// A short Arabic article with non-breaking space, tatweel and a zero-width joiner, as real ones have.
    public static func articleText(_ n: Int = 0) -> String {
        "أعلنت الوزارة اليوم مقتل 11 جنديًا\u{00A0}في هجوم قرب العظيم، بحسب مصادر محلية ـ رقم \(n)\u{200D}.\n"
    }

    public static func sourceRegistered(id: String, text: String? = nil, eventID: EventID? = nil) -> ProposedEvent {
        let body = text ?? articleText()
        let payload: JSONValue = [
            "source_id": .string(id), "text": .string(body), "text_sha256": .string(SHA256Hash.of(text: body).hex),
            "file_name": nil, "title": "عنوان", "author": nil, "outlet": nil, "url": nil, "dateline": nil,
            "section": nil, "language": "ar",
            "published": [
                "start": "2023-02-24", "end": "2023-02-24", "precision": "day", "basis": "inferred",
                "words": "قبل أسبوعين", "evidence": nil, "note": nil,
            ],
        ]
        return ProposedEvent(
            id: eventID ?? EventID.derived(namespace: "fixture", name: "source-\(id)"),
            stream: try! StreamName.entity("source", id), type: "SourceRegistered", payload: payload,
            metadata: analyst)
    }

    /// Evidence for the first occurrence of `quote` in `text`.
    public static func evidence(_ quote: String, in text: String) -> JSONValue {
        let scalars = Array(text.unicodeScalars)
        let needle = Array(quote.unicodeScalars)
        var start = 0
        while start + needle.count <= scalars.count, Array(scalars[start..<start + needle.count]) != needle {
            start += 1
        }
        precondition(start + needle.count <= scalars.count, "quote not in text")
        let end = start + needle.count
        func slice(_ range: Range<Int>) -> String {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[range])
            return String(view)
        }
        return [
            "article_sha256": .string(SHA256Hash.of(text: text).hex),
            "quote": [
                "type": "TextQuoteSelector", "exact": .string(quote),
                "prefix": .string(slice(max(0, start - 32)..<start)),
                "suffix": .string(slice(end..<min(scalars.count, end + 32))),
            ],
            "position": ["type": "TextPositionSelector", "start": .number(Double(start)), "end": .number(Double(end))],
        ]
    }

    public static func claimPayload(id: String, sourceID: String, text: String? = nil, killed: Int = 11) -> JSONValue {
        let body = text ?? articleText()
        return [
            "claim_id": .string(id), "source_id": .string(sourceID), "kind": "attack", "scope": "incident",
            "summary": "An attack near al-Udhaim killed 11 soldiers.",
            "statement": evidence("مقتل 11 جنديًا", in: body),
            "actors": ["perpetrator": ["name": "ISIS", "name_as_written": nil, "type": "isis"], "target": nil, "authority": nil],
            "attribution": [
                "cited": "local sources", "cited_as_written": "مصادر محلية", "cited_type": "media", "hedged": true,
                "hedge_words": "بحسب", "evidence": evidence("بحسب مصادر محلية", in: body),
            ],
            "date": ["start": nil, "end": nil, "precision": "unknown", "basis": nil, "words": nil, "evidence": nil, "note": nil],
            "location": ["country": "IQ", "admin1": "Diyala", "place": ["as_written": "العظيم", "transliteration": "al-Udhaim"]],
            "figures": [
                [
                    "measure": "killed", "unit": "people", "currency": nil, "low": .number(Double(killed)),
                    "high": .number(Double(killed)), "qualifier": "exact", "basis": "stated", "note": nil,
                    "evidence": evidence("11", in: body),
                ]
            ],
            "notes": nil,
        ]
    }

    public static func claimRecorded(id: String, sourceID: String, eventID: EventID? = nil) -> ProposedEvent {
        ProposedEvent(
            id: eventID ?? EventID.derived(namespace: "fixture", name: "claim-\(id)"),
            stream: try! StreamName.entity("claim", id), type: "ClaimRecorded",
            payload: claimPayload(id: id, sourceID: sourceID), metadata: analyst)
    }

    public static func claimRetracted(id: String, reason: String = "duplicate of another claim") -> ProposedEvent {
        ProposedEvent(
            id: EventID.random(), stream: try! StreamName.entity("claim", id), type: "ClaimRetracted",
            payload: ["claim_id": .string(id), "reason": .string(reason)], metadata: analyst)
    }
}
