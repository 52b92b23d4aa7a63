import ThreatLedgerCore

/// A deterministic generator of realistic logs: sources with Arabic article text, incident claims with
/// figures of every qualifier across regions, incidents reported by several sources, corrections and
/// retractions. The same seed always gives the same events.
public struct GeneratedLog {
    public struct RandomNumbers {
        var state: UInt64
        public init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
        /// SplitMix64.
        public mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    static let places: [(country: String, admin1: String?)] = [
        ("SY", "Al-Hasakah"), ("SY", "Deir ez-Zor"), ("SY", "Homs"), ("SY", nil), ("IQ", "Diyala"), ("IQ", "Kirkuk"),
        ("IQ", nil), ("AF", "Kabul"), ("NG", nil), ("ML", nil),
    ]
    static let qualifiers: [(words: @Sendable (Int) -> String, qualifier: String)] = [
        ({ "مقتل \($0) شخصا" }, "exact"), ({ "قرابة \($0) قتيلا" }, "about"), ({ "ما لا يقل عن \($0)" }, "at_least"),
        ({ "أكثر من \($0)" }, "more_than"), ({ "ما يصل إلى \($0)" }, "up_to"), ({ _ in "عدد من القتلى" }, "unknown"),
    ]

    /// Batches of events in log order: sources and claims first, then incidents, corrections and retractions.
    public static func batches(seed: UInt64, sources: Int, claimsPerSource: Int, batchSize: Int = 50) -> [[ProposedEvent]] {
        var random = RandomNumbers(seed: seed)
        var events: [ProposedEvent] = []
        let by = EventMetadata(recordedBy: "generator")
        var claimIDs: [String] = []
        for s in 0..<sources {
            let sourceID = "gen-s\(s)"
            var sentences: [String] = []
            var specs: [(place: (String, String?), figureWords: String, qualifier: String, n: Int)] = []
            for c in 0..<claimsPerSource {
                let n = 1 + random.below(90)
                let q = qualifiers[random.below(qualifiers.count)]
                let words = q.words(n)
                let place = places[random.below(places.count)]
                sentences.append("هجوم رقم \(c) في \(s) أسفر عن مقتل: \(words) حسب المصادر.")
                specs.append((place, words, q.qualifier, n))
            }
            let text = "مقال \(s)\n" + sentences.joined(separator: "\n") + "\n"
            events.append(EventFixtures.sourceRegistered(id: sourceID, text: text))
            let published = CalendarDate(year: 2019 + s % 5, month: 1 + s % 12, day: 1 + s % 28)!
            for (c, spec) in specs.enumerated() {
                let claimID = "gen-s\(s)-c\(c)"
                claimIDs.append(claimID)
                let (low, high): (Int64?, Int64?) =
                    switch spec.qualifier {
                    case "exact", "about": (Int64(spec.n), Int64(spec.n))
                    case "at_least", "more_than": (Int64(spec.n), nil)
                    case "up_to": (nil, Int64(spec.n))
                    default: (nil, nil)
                    }
                let statement = sentences[c]
                let day = published.adding(days: -random.below(30))
                let payload: JSONValue = [
                    "claim_id": .string(claimID), "source_id": .string(sourceID), "kind": "attack", "scope": "incident",
                    "summary": .string("Generated attack \(c) of source \(s)."),
                    "statement": EventFixtures.evidence(statement, in: text),
                    "actors": ["perpetrator": ["name": "ISIS", "name_as_written": nil, "type": "isis"], "target": nil, "authority": nil],
                    "attribution": ["cited": nil, "cited_as_written": nil, "cited_type": "article", "hedged": false, "hedge_words": nil],
                    "date": ["start": .string(day.iso8601), "end": .string(day.iso8601), "precision": "day", "basis": "stated", "words": nil],
                    "location": ["country": .string(spec.place.0), "admin1": .optional(spec.place.1), "place": nil],
                    "figures": [
                        [
                            "measure": "killed", "unit": "people", "currency": nil, "low": .optional(low), "high": .optional(high),
                            "qualifier": .string(spec.qualifier), "basis": "stated", "note": nil,
                            "evidence": evidenceInside(spec.figureWords, statement: statement, text: text),
                        ]
                    ],
                    "notes": nil,
                ]
                events.append(
                    ProposedEvent(
                        id: EventID.derived(namespace: "generator", name: claimID), stream: try! StreamName.entity("claim", claimID),
                        type: "ClaimRecorded", payload: payload, metadata: by))
            }
        }
        // Incidents: pairs of claims from different sources.
        for i in 0..<(claimIDs.count / 6) {
            let a = claimIDs[random.below(claimIDs.count)]
            let b = claimIDs[random.below(claimIDs.count)]
            guard a != b else { continue }
            events.append(
                ProposedEvent(
                    id: EventID.derived(namespace: "generator", name: "incident-\(i)"), stream: try! StreamName.entity("incident", "gen-i\(i)"),
                    type: "IncidentLinked",
                    payload: [
                        "incident_id": .string("gen-i\(i)"), "label": .string("Generated incident \(i)"), "kind": "attack",
                        "claim_ids": [.string(a), .string(b)], "disagreements": [], "note": nil,
                    ],
                    metadata: by))
        }
        // Corrections and retractions.
        // Nothing follows a retraction (ClaimEditRules), so a retracted claim is not picked again.
        var retracted = Set<String>()
        for i in 0..<(claimIDs.count / 5) {
            let id = claimIDs[random.below(claimIDs.count)]
            guard !retracted.contains(id) else { continue }
            let stream = try! StreamName.entity("claim", id)
            if i % 3 == 0 {
                retracted.insert(id)
                events.append(
                    ProposedEvent(
                        id: EventID.derived(namespace: "generator", name: "retract-\(i)"), stream: stream, type: "ClaimRetracted",
                        payload: ["claim_id": .string(id), "reason": .string("generated retraction \(i)")], metadata: by))
            } else {
                let n = Double(1 + random.below(200))
                events.append(
                    ProposedEvent(
                        id: EventID.derived(namespace: "generator", name: "correct-\(i)"), stream: stream, type: "ClaimCorrected",
                        payload: [
                            "claim_id": .string(id), "reason": .string("generated correction \(i)"), "changes": [:],
                            "figure_updates": [
                                [
                                    "measure": "killed", "low": .number(n), "high": .number(n), "qualifier": "exact",
                                    "basis": "inferred", "note": .string("generated: a later count of \(Int(n))"),
                                ]
                            ],
                        ],
                        metadata: EventMetadata(recordedBy: "corrector")))
            }
        }
        return stride(from: 0, to: events.count, by: batchSize).map { Array(events[$0..<min($0 + batchSize, events.count)]) }
    }

    /// Evidence for `words` inside `statement` (the statement's first occurrence in `text`).
    static func evidenceInside(_ words: String, statement: String, text: String) -> JSONValue {
        let whole = EventFixtures.evidence(statement, in: text)
        let statementStart = Int(whole["position"]!["start"]!.integerValue!)
        let offset = Array(statement.unicodeScalars).indices.first { i in
            Array(statement.unicodeScalars)[i...].starts(with: Array(words.unicodeScalars))
        }!
        let start = statementStart + offset
        let scalars = Array(text.unicodeScalars)
        let end = start + words.unicodeScalars.count
        func slice(_ r: Range<Int>) -> String {
            var v = String.UnicodeScalarView()
            v.append(contentsOf: scalars[r])
            return String(v)
        }
        return [
            "article_sha256": .string(SHA256Hash.of(text: text).hex),
            "quote": [
                "type": "TextQuoteSelector", "exact": .string(words), "prefix": .string(slice(max(0, start - 32)..<start)),
                "suffix": .string(slice(end..<min(scalars.count, end + 32))),
            ],
            "position": ["type": "TextPositionSelector", "start": .number(Double(start)), "end": .number(Double(end))],
        ]
    }
}
