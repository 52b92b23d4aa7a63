import ThreatLedgerCore

/// A deterministic generator of realistic logs for benchmarks: tens of thousands of sources with Arabic
/// article text, claims across 30 countries (a third in Syria) and divisions that grow with the log, with figures of every qualifier, incidents reported by several
/// sources, corrections and retractions. Events come batch by batch, so memory stays flat for any size;
/// the same seed always gives the same events, every one valid (evidence at exact code-point offsets).
struct SyntheticLog {
    static let claimsPerSource = 10
    static let countries = [
        "SY", "IQ", "AF", "NG", "ML", "SO", "YE", "LY", "EG", "BF", "NE", "TD", "CM", "MZ", "CD",
        "PH", "ID", "PK", "IN", "TJ", "UZ", "TR", "LB", "JO", "SA", "TN", "DZ", "MA", "KE", "ET",
    ]
    /// The words of a figure, by qualifier; the measure's own word stands just before them in the
    /// sentence (``lead(claim:measure:)``), so every figure says what it counts (``FigureWords``).
    static let qualifiers: [(String, @Sendable (Int) -> String)] = [
        ("exact", { "\($0) شخصا" }), ("about", { "قرابة \($0) شخصا" }), ("at_least", { "ما لا يقل عن \($0)" }),
        ("more_than", { "أكثر من \($0)" }), ("up_to", { "ما يصل إلى \($0)" }), ("range", { "ما بين \($0) إلى \($0 + 9)" }),
        ("unknown", { _ in "عدد من الأشخاص" }),
    ]

    /// Every fourth claim is an arrest; the others are attacks that killed.
    static func measure(ofClaim c: Int) -> String { c % 4 == 3 ? "arrested" : "killed" }

    /// The start of a claim's sentence, ending in the word of its measure.
    static func lead(claim c: Int, measure: String) -> String {
        measure == "arrested" ? "أفادت مصادر محلية بحملة رقم \(c) أسفرت عن اعتقال " : "أفادت مصادر محلية بهجوم رقم \(c) أسفر عن مقتل "
    }

    var random: SplitMix64
    let metadata = EventMetadata(recordedBy: "bench")
    var source = 0

    /// Divisions per country: they grow with the log (one per 3,000 events, at least 10), so a
    /// division holds about as many claims at N/10 as at N, as in real archives.
    let divisionsPerCountry: Int

    /// Where the generated events' ids come from.
    enum IDs: String, Sendable {
        /// Name-based (version 8, from SHA-256 of a name), as imports and the corpus compiler make
        /// them so that a second run appends nothing: scattered over the id index.
        case derived
        /// Time-ordered (version 7), as the log mints them for lines and requests that give none
        /// (``EventID/random()``): one every 50 µs of a clock that starts in November 2023.
        case minted
    }

    let ids: IDs
    /// For minted ids: how many were made, and their random bits (apart from `random`, so that both
    /// kinds of id come with the same payloads).
    private var minted: UInt64 = 0
    private var idBits: SplitMix64

    init(seed: UInt64, events: Int = 30_000, ids: IDs = .derived) {
        random = SplitMix64(seed: seed)
        idBits = SplitMix64(seed: seed ^ 0x1D5)
        divisionsPerCountry = max(10, events / 3_000)
        self.ids = ids
    }

    /// The id of the event named `name` in this log.
    private mutating func makeID(_ name: String) -> EventID {
        switch ids {
        case .derived:
            return EventID.derived(namespace: "bench", name: name)
        case .minted:
            minted += 1
            return Self.mintedID(number: minted, random: idBits.next())
        }
    }

    /// The `number`th time-ordered id of a generated log: one every 50 µs (205 ticks of 1/4096 ms)
    /// of a clock that starts in November 2023, with 62 of `random`'s bits.
    static func mintedID(number: UInt64, random: UInt64) -> EventID {
        EventID.timeOrdered(stamp: (1_700_000_000_000 << 12) + number * 205, random: random)
    }

    /// The events of the next source: its article, its claims, incidents linking them to the previous
    /// source's claims, and now and then a correction or a retraction of an earlier claim.
    mutating func nextSource() -> [ProposedEvent] {
        defer { source += 1 }
        let s = source
        var text = String.UnicodeScalarView()
        func append(_ piece: String) -> (Int, Int) {
            let start = text.count
            text.append(contentsOf: piece.unicodeScalars)
            return (start, text.count)
        }
        _ = append("تقرير رقم \(s) عن نشاط التنظيم في المنطقة\n")
        var specs: [(statement: (Int, Int), figure: (Int, Int), words: String, qualifier: String, n: Int, sentence: String)] = []
        for c in 0..<Self.claimsPerSource {
            let n = 1 + random.below(300)
            let (qualifier, words) = Self.qualifiers[random.below(Self.qualifiers.count)]
            let phrase = words(n)
            let lead = Self.lead(claim: c, measure: Self.measure(ofClaim: c))
            let sentence = lead + phrase + " في ريف المدينة."
            let (start, end) = append(sentence)
            let figureStart = start + lead.unicodeScalars.count
            specs.append(((start, end), (figureStart, figureStart + phrase.unicodeScalars.count), phrase, qualifier, n, sentence))
            _ = append("\n")
        }
        // Every third source revises the toll of a killed figure of the source before: the correction
        // cites this article's words (a later report), as an analyst's would.
        var revision: (target: String, n: Int, words: (Int, Int))?
        if s > 0, s % 3 == 0 {
            let target = "b\(s - 1)-\(random.below(Self.claimsPerSource) / 4 * 4)"
            let n = 1 + random.below(300)
            let lead = "وفي تحديث لاحق ارتفعت حصيلة الهجوم \(target) إلى مقتل "
            let (start, _) = append(lead + "\(n) شخصا.\n")
            let figureStart = start + lead.unicodeScalars.count
            revision = (target, n, (figureStart, figureStart + "\(n) شخصا".unicodeScalars.count))
        }
        let article = String(text)
        let sha = SHA256Hash.of(text: article).hex
        let scalars = Array(article.unicodeScalars)
        func slice(_ a: Int, _ b: Int) -> String {
            var v = String.UnicodeScalarView()
            v.append(contentsOf: scalars[max(0, a)..<min(scalars.count, b)])
            return String(v)
        }
        func evidence(_ span: (Int, Int)) -> JSONValue {
            [
                "article_sha256": .string(sha),
                "quote": [
                    "type": "TextQuoteSelector", "exact": .string(slice(span.0, span.1)), "prefix": .string(slice(span.0 - 32, span.0)),
                    "suffix": .string(slice(span.1, span.1 + 32)),
                ],
                "position": ["type": "TextPositionSelector", "start": .number(Double(span.0)), "end": .number(Double(span.1))],
            ]
        }
        let published = CalendarDate(daysSinceEpoch: 16_436 + Int64(random.below(3_650)))  // 2015 … 2024
        let sourceID = "b\(s)"
        var events: [ProposedEvent] = [
            ProposedEvent(
                id: makeID("source-\(s)"), stream: try! StreamName.entity("source", sourceID),
                type: "SourceRegistered",
                payload: [
                    "source_id": .string(sourceID), "text": .string(article), "text_sha256": .string(sha), "title": .string("تقرير \(s)"),
                    "author": nil, "outlet": nil, "url": nil, "dateline": nil, "section": nil, "language": "ar",
                    "published": ["start": .string(published.iso8601), "end": .string(published.iso8601), "precision": "day", "basis": "stated", "words": nil],
                ],
                metadata: metadata)
        ]
        for (c, spec) in specs.enumerated() {
            let claimID = "b\(s)-\(c)"
            // About a third of the claims are in Syria, as in the seeds.
            let country = random.below(3) == 0 ? "SY" : Self.countries[random.below(Self.countries.count)]
            let admin1 = "Region \(random.below(divisionsPerCountry))"
            let (low, high): (Int64?, Int64?) =
                switch spec.qualifier {
                case "exact", "about": (Int64(spec.n), Int64(spec.n))
                case "at_least", "more_than": (Int64(spec.n), nil)
                case "up_to": (nil, Int64(spec.n))
                case "range": (Int64(spec.n), Int64(spec.n + 9))
                default: (nil, nil)
                }
            let day = published.adding(days: -random.below(60)).iso8601
            events.append(
                ProposedEvent(
                    id: makeID("claim-\(claimID)"), stream: try! StreamName.entity("claim", claimID),
                    type: "ClaimRecorded",
                    payload: [
                        "claim_id": .string(claimID), "source_id": .string(sourceID), "kind": c % 4 == 3 ? "arrest" : "attack", "scope": "incident",
                        "summary": .string("Synthetic claim \(c) of source \(s)."), "statement": evidence(spec.statement),
                        "actors": ["perpetrator": ["name": "ISIS", "name_as_written": nil, "type": "isis"], "target": nil, "authority": nil],
                        "attribution": ["cited": "local sources", "cited_as_written": nil, "cited_type": "media", "hedged": false, "hedge_words": nil],
                        "date": ["start": .string(day), "end": .string(day), "precision": "day", "basis": "stated", "words": nil],
                        "location": ["country": .string(country), "admin1": .string(admin1), "place": nil],
                        "figures": [
                            [
                                "measure": .string(Self.measure(ofClaim: c)), "unit": "people", "currency": nil, "low": .optional(low),
                                "high": .optional(high), "qualifier": .string(spec.qualifier), "basis": "stated", "note": nil,
                                "evidence": evidence(spec.figure),
                            ]
                        ],
                        "notes": nil,
                    ],
                    metadata: metadata))
        }
        if s > 0 {
            for c in stride(from: 0, to: Self.claimsPerSource, by: 3) {
                events.append(
                    ProposedEvent(
                        id: makeID("incident-\(s)-\(c)"), stream: try! StreamName.entity("incident", "bi\(s)-\(c)"),
                        type: "IncidentLinked",
                        payload: [
                            "incident_id": .string("bi\(s)-\(c)"), "label": "synthetic incident", "kind": "attack",
                            "claim_ids": [.string("b\(s)-\(c)"), .string("b\(s - 1)-\(c)")], "disagreements": [], "note": nil,
                        ],
                        metadata: metadata))
            }
        }
        if let revision {
            let n = Double(revision.n)
            events.append(
                ProposedEvent(
                    id: makeID("correct-\(s)"), stream: try! StreamName.entity("claim", revision.target),
                    type: "ClaimCorrected",
                    payload: [
                        "claim_id": .string(revision.target), "reason": "later reports", "changes": [:],
                        "figure_updates": [
                            [
                                "measure": "killed", "index": 0, "low": .number(n), "high": .number(n), "qualifier": "exact",
                                "source_id": .string(sourceID), "evidence": evidence(revision.words),
                            ]
                        ],
                    ],
                    metadata: metadata))
        }
        if s > 1, s % 10 == 0 {
            let target = "b\(s - 2)-\(1 + random.below(2))"
            events.append(
                ProposedEvent(
                    id: makeID("retract-\(s)"), stream: try! StreamName.entity("claim", target),
                    type: "ClaimRetracted", payload: ["claim_id": .string(target), "reason": "duplicate"], metadata: metadata))
        }
        return events
    }

    /// The next `count` events (whole sources; may run a few over).
    mutating func next(_ count: Int) -> [ProposedEvent] {
        var events: [ProposedEvent] = []
        events.reserveCapacity(count + 20)
        while events.count < count { events += nextSource() }
        return events
    }
}

/// SplitMix64: a small, fast, deterministic generator.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}
