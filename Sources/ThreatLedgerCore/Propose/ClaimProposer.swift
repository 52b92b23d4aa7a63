/// Proposes claims from a new Arabic article, each bound to its exact words (issue 18).
///
/// Per sentence (split at . ! ? ؟ ؛ and line ends), the proposer looks for a kind trigger
/// (``ProposalLexicon/triggers``); a sentence with one becomes a proposed claim whose statement is
/// the sentence, with:
/// - **figures** read by ``ArabicQuantityReader`` (the reader every write path checks figures with,
///   so a proposed figure passes ``FigureWords`` by construction), each with the measure its nearest
///   words say (``MeasureWords``) and its own selectors; a number with no measure word near it is
///   not proposed;
/// - **the date**: an explicit day, month or year (both digit scripts, Gregorian and Syriac month
///   names) as `stated`; «أمس», «اليوم», a weekday («الخميس», «الخميس الماضي») resolved against a
///   day-precise publication date as `relative`, with a note saying how; otherwise unknown;
/// - **the place**: the most populous gazetteer place whose Arabic name the sentence holds (its
///   country and division), else a country named in Arabic; otherwise none;
/// - **actors** (ISIS under its Arabic names) and **attribution** with hedges.
///
/// Every proposal carries `proposal` (status `proposed`, the cues that produced it, a confidence),
/// which the log refuses until a review accepts it. Matching tolerates spelling variants
/// (``FoldedText``); quotes are always the article's own code points.
public enum ClaimProposer {
    public static let proposerName = "threatledger propose 1"

    /// A new article to propose claims from.
    public struct Article: Sendable {
        public var text: String
        public var published: CodedDate
        public var title: String?
        public var outlet: String?
        public var url: String?

        public init(text: String, published: CodedDate, title: String? = nil, outlet: String? = nil, url: String? = nil) {
            self.text = text
            self.published = published
            self.title = title
            self.outlet = outlet
            self.url = url
        }

        /// The article's SHA-256, hex.
        public var sha256: String { SHA256Hash.of(text: text).hex }
        /// Its source id: the first 16 hex digits of its SHA-256, so proposing it again gives the same ids.
        public var sourceID: String { String(sha256.prefix(16)) }
    }

    /// The `SourceRegistered` payload of the article, byte for byte.
    public static func sourcePayload(_ article: Article) -> JSONValue {
        [
            "source_id": .string(article.sourceID), "text": .string(article.text), "text_sha256": .string(article.sha256),
            "title": .optional(article.title), "author": nil, "outlet": .optional(article.outlet), "url": .optional(article.url),
            "dateline": nil, "section": nil, "language": "ar", "published": article.published.json,
        ]
    }

    /// The proposed claims' payloads, in the article's order.
    ///
    /// Decision: by default a proposal must be anchored, holding a figure, a date or a place
    /// besides its trigger. On the seeds, the sentences with a trigger and none of these are mostly
    /// commentary («يجب أن يكون الاعتداء بمثابة جرس إنذار», «لإلحاق الهزيمة الدائمة»): leaving them out
    /// raised precision from 61% to 73% for 89% → 82% of incidents found (README). An analyst who
    /// wants every trigger asks for them (`includeUnanchored`, `propose --include-unanchored`). A
    /// sentence repeated word for word (a headline echoed in the body) is proposed once.
    /// - Parameters:
    ///   - includeUnanchored: propose sentences with a trigger but no figure, date or place too.
    ///   - excluding: lexicon words (triggers, place names) to leave out, for the
    ///     leave-one-article-out measure (`propose --exclude`); empty in use.
    public static func propose(
        _ article: Article, gazetteer: Gazetteer = .standard, includeUnanchored: Bool = false, excluding: Set<String> = []
    ) -> [JSONValue] {
        let folded = FoldedText(article.text)
        let sha = article.sha256
        var proposals: [JSONValue] = []
        // The last proposal's statement, while the next sentence may continue it.
        var open: Range<Int>?
        for sentence in sentences(in: folded) {
            // The date the sentence before stated, for a sentence that continues it.
            let carried = open.flatMap { _ in proposals.last?["date"] }.flatMap { $0["precision"]?.stringValue == "unknown" ? nil : $0 }
            if let proposal = proposeClaim(
                in: sentence, of: folded, article: article, sha: sha, number: proposals.count + 1, gazetteer: gazetteer, excluding: excluding,
                carriedDate: carried)
            {
                proposals.append(proposal)
                open = sentence
                continue
            }
            // A sentence with no trigger that opens with «و» or «ف» in the same paragraph continues
            // the claim before it («… مقتل 16 شخصًا. وفيما أُفرج عن 25 شخصًا …»): when it adds
            // figures, the proposal's statement runs on over it.
            defer { if open?.upperBound != sentence.upperBound { open = nil } }
            guard let previous = open, "وف".unicodeScalars.contains(folded.scalars[sentence.lowerBound]),
                !folded.scalars[previous.upperBound..<sentence.lowerBound].contains("\n"),
                let merged = proposeClaim(
                    in: previous.lowerBound..<sentence.upperBound, of: folded, article: article, sha: sha, number: proposals.count,
                    gazetteer: gazetteer, excluding: excluding),
                (merged["figures"]?.arrayValue?.count ?? 0) > (proposals.last?["figures"]?.arrayValue?.count ?? 0)
            else { continue }
            proposals[proposals.count - 1] = merged
            open = previous.lowerBound..<sentence.upperBound
        }
        var seen = Set<String>()
        let kept = proposals.filter { proposal in
            let statement = proposal["statement"]?["quote"]?["exact"]?.stringValue ?? ""
            let anchored =
                !(proposal["figures"]?.arrayValue?.isEmpty ?? true) || proposal["date"]?["precision"]?.stringValue != "unknown"
                || proposal["location"]?["country"]?.isNull == false
            return (includeUnanchored || anchored) && seen.insert(String(String.UnicodeScalarView(FoldedText.folded(statement)))).inserted
        }
        // Numbered in the article's order, as kept.
        return kept.enumerated().map { index, proposal in
            guard case .object(var object) = proposal else { return proposal }
            object["claim_id"] = .string(claimID(article, index + 1))
            return .object(object)
        }
    }

    /// A proposal's claim id: the source id, `-p` and its number (two digits at least).
    static func claimID(_ article: Article, _ number: Int) -> String { "\(article.sourceID)-p\(number < 10 ? "0" : "")\(number)" }

    // MARK: Sentences

    /// The sentences, as folded ranges trimmed of spaces and list marks.
    static func sentences(in text: FoldedText) -> [Range<Int>] {
        let ends: Set<Unicode.Scalar> = [".", "!", "?", "\u{061F}", "\u{061B}", "\n"]
        var result: [Range<Int>] = []
        var start = 0
        func close(_ end: Int) {
            var a = start
            var b = end
            while a < b, " -•*\t\r:«»\"".unicodeScalars.contains(text.scalars[a]) { a += 1 }
            while b > a, " \t\r".unicodeScalars.contains(text.scalars[b - 1]) { b -= 1 }
            if b - a >= 15 { result.append(a..<b) }
        }
        for (index, scalar) in text.scalars.enumerated() where ends.contains(scalar) {
            // A full stop between digits is a decimal point, not an end.
            if scalar == ".", index > 0, index + 1 < text.scalars.count, ("0"..."9").contains(text.scalars[index - 1]),
                ("0"..."9").contains(text.scalars[index + 1])
            {
                continue
            }
            close(index)
            start = index + 1
        }
        close(text.scalars.count)
        return result
    }

    // MARK: Matching

    static let proclitics: Set<Unicode.Scalar> = ["و", "ف", "ب", "ل", "ك", "ا"]

    /// Where `words` (plain Arabic) occur in `range` at the start of a word, after at most three
    /// proclitic letters (و ف ب ل ك, and ال).
    static func matches(_ words: String, in range: Range<Int>, of text: FoldedText) -> [Range<Int>] {
        let pattern = FoldedText.folded(words)
        return text.find(pattern, in: range).compactMap { start in
            var wordStart = start
            while wordStart > range.lowerBound, text.isWordCharacter(wordStart - 1) { wordStart -= 1 }
            guard start - wordStart <= 3, text.scalars[wordStart..<start].allSatisfy(proclitics.contains) else { return nil }
            return start..<(start + pattern.count)
        }
    }

    /// The whole words around a folded range (extended to word boundaries).
    static func word(around range: Range<Int>, in text: FoldedText) -> Range<Int> {
        var a = range.lowerBound
        var b = range.upperBound
        while a > 0, text.isWordCharacter(a - 1) { a -= 1 }
        while b < text.scalars.count, text.isWordCharacter(b) { b += 1 }
        return a..<b
    }

    /// The words of a folded range: each word's folded range.
    static func words(in range: Range<Int>, of text: FoldedText) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var index = range.lowerBound
        while index < range.upperBound {
            guard text.isWordCharacter(index) || text.scalars[index] == "-" else {
                index += 1
                continue
            }
            var end = index
            while end < range.upperBound,
                text.isWordCharacter(end) || (text.scalars[end] == "," && end + 1 < range.upperBound && ("0"..."9").contains(text.scalars[end + 1]))
            {
                end += 1
            }
            if end == index { end += 1 }
            result.append(index..<end)
            index = end
        }
        return result
    }

    /// The original text of a folded range, and its anchor.
    static func evidence(_ range: Range<Int>, of text: FoldedText, sha: String) -> Evidence {
        let original = text.originalRange(range)
        return QuoteLocator.anchor(start: original.lowerBound, end: original.upperBound, in: text.original, sha256: sha)
    }

    // MARK: One claim

    static func proposeClaim(
        in sentence: Range<Int>, of text: FoldedText, article: Article, sha: String, number: Int, gazetteer: Gazetteer, excluding: Set<String>,
        carriedDate: JSONValue? = nil
    ) -> JSONValue? {
        var best: (trigger: ProposalLexicon.Trigger, range: Range<Int>)?
        for trigger in ProposalLexicon.triggers where !excluding.contains(trigger.words) {
            guard let found = matches(trigger.words, in: sentence, of: text).first else { continue }
            if let with = trigger.with, matches(with, in: sentence, of: text).isEmpty { continue }
            if best == nil || trigger.weight > best!.trigger.weight { best = (trigger, found) }
        }
        guard let best else { return nil }
        var cues = ["trigger \"\(text.string(best.range))\" (\(best.trigger.gloss); lexicon «\(best.trigger.words)») → \(best.trigger.kind.rawValue)"]
        var confidence = best.trigger.weight
        let statement = evidence(sentence, of: text, sha: sha)

        let figures = self.figures(in: sentence, of: text, sha: sha, kind: best.trigger.kind, cues: &cues)
        let kind = best.trigger.kind
        let scope: String
        switch kind {
        case .detention, .strengthEstimate, .financing, .territorial: scope = "situation"
        default: scope = "incident"
        }
        var date = self.date(in: sentence, of: text, article: article, sha: sha, cues: &cues)
        // An incident in a sentence that continues the one before it («وأضافت أن …») and names no
        // date of its own takes that sentence's date, marked inferred with the words it rests on.
        // (A situation — a strength, a detention — is not dated by the news around it.)
        if scope == "incident", date["precision"]?.stringValue == "unknown", var carried = carriedDate?.objectValue, let words = carried["words"]?.stringValue,
            "وف".unicodeScalars.contains(text.scalars[sentence.lowerBound])
        {
            carried["basis"] = "inferred"
            carried["note"] = .string("no date of its own: the date of the sentence before, which it continues (\"\(words)\")")
            date = .object(carried)
            cues.append("date carried from the sentence before (\"\(words)\")")
        }
        let location = self.location(in: sentence, of: text, sha: sha, gazetteer: gazetteer, excluding: excluding, cues: &cues)
        var perpetrator: JSONValue = nil
        for (words, gloss) in ProposalLexicon.isisNames {
            guard let found = matches(words, in: sentence, of: text).first else { continue }
            let written = evidence(word(around: found, in: text), of: text, sha: sha).exact
            perpetrator = ["name": "ISIS", "name_as_written": .string(written), "type": "isis"]
            cues.append("actor \"\(written)\" (\(gloss)) → ISIS")
            break
        }
        if perpetrator.isNull { confidence *= 0.8 }
        var hedge: String?
        for (words, gloss) in ProposalLexicon.hedges {
            guard let found = matches(words, in: sentence, of: text).first else { continue }
            hedge = evidence(word(around: found, in: text), of: text, sha: sha).exact
            cues.append("hedge \"\(hedge!)\" (\(gloss))")
            break
        }
        if figures.isEmpty { confidence *= 0.85 }
        let summaryFigures = figures.compactMap { f -> String? in
            guard let measure = f["measure"]?.stringValue else { return nil }
            let low = f["low"]?.integerValue.map(String.init) ?? "?"
            return "\(measure) \(low)"
        }
        let place = [location["admin1"]?.stringValue, location["country"]?.stringValue].compactMap { $0 }.joined(separator: ", ")
        let summary =
            "Proposed \(kind.rawValue.replacingOccurrences(of: "_", with: " "))" + (place.isEmpty ? "" : " in \(place)")
            + (summaryFigures.isEmpty ? "" : ": " + summaryFigures.joined(separator: ", ")) + " (machine proposal; review before accepting)."
        return [
            "claim_id": .string(claimID(article, number)), "source_id": .string(article.sourceID),
            "kind": .string(kind.rawValue), "scope": .string(scope), "summary": .string(summary), "statement": statement.json,
            "actors": ["perpetrator": perpetrator, "target": nil, "authority": nil],
            "attribution": [
                "cited": nil, "cited_as_written": nil, "cited_type": "article", "hedged": .bool(hedge != nil), "hedge_words": .optional(hedge),
                "evidence": nil,
            ],
            "date": date, "location": location, "figures": .array(figures), "notes": nil,
            "proposal": ClaimProposal(
                status: .proposed, proposer: proposerName, confidence: (confidence * 100).rounded() / 100, cues: cues
            ).json,
        ]
    }

    // MARK: Figures

    static let qualifierWords: Set<String> = [
        "ما", "لا", "يقل", "عن", "قرابه", "نحو", "حوالي", "يقارب", "يقرب", "من", "اكثر", "يزيد", "علي", "يصل", "الي", "بين",
    ]
    static let multiplierWords: Set<String> = ["الف", "الفا", "الفين", "الاف", "مليون", "مليونا", "مليوني", "ملايين", "مليار", "الي", "و"]
    static let notCounts: [String] = ["عام", "سنه", "سنوات", "ساعه", "يوم", "ايام", "شهر", "اشهر", "دقيقه", "بالمئه", "بالمائه", "%", "كيلومتر", "كلم", "متر"]

    static func figures(in sentence: Range<Int>, of text: FoldedText, sha: String, kind: CodedClaim.Kind, cues: inout [String]) -> [JSONValue] {
        let words = self.words(in: sentence, of: text)
        // The quantity reader's own normalization of each word (it keeps «ئ» in «مئة»).
        let tokens = words.indices.map { ArabicQuantityReader.normalize(original(words[$0...$0], of: text)) }
        var figures: [JSONValue] = []
        var covered = Set<Int>()
        var previous: (measure: String, last: Int)?
        var used = -1
        for (i, token) in tokens.enumerated() where i > used {
            // A number, or a number glued to «و» (وسبعة): the figure then starts after the «و».
            let glued = token.count > 1 && token.hasPrefix("و") && ArabicQuantityReader.numberValue(String(token.dropFirst())) != nil
            guard glued || ArabicQuantityReader.numberValue(token) != nil else { continue }
            // Decision: a number from 1900 to 2100 is read as a year (the date reader's), not a count.
            if let value = Int(token), (1900...2100).contains(value) { continue }
            func start(_ k: Int) -> Int { words[k].lowerBound + (k == i && glued ? 1 : 0) }
            var a = i
            while !glued, a > 0, i - a < 4, qualifierWords.contains(tokens[a - 1]) { a -= 1 }
            let isRange = tokens[a..<i].contains("بين")
            var b = i
            while b + 1 < tokens.count, b - i < 4 {
                let next = tokens[b + 1]
                if multiplierWords.contains(next) || ArabicQuantityReader.numberValue(next) != nil {
                    b += 1
                    continue
                }
                // «بين 2500 وأربعة آلاف», «خمسة وعشرون»: a number glued to «و» continues a range
                // or a number in words, never a count of something else («61 مدنيًا وسبعة جنود»).
                let rest = String(next.dropFirst())
                if next.hasPrefix("و"), ArabicQuantityReader.numberValue(rest) != nil || multiplierWords.contains(rest),
                    isRange || Int(tokens[b]) == nil
                {
                    b += 1
                    continue
                }
                break
            }
            // Trim trailing joiners a range did not complete.
            while b > i, ["الي", "و"].contains(tokens[b]) { b -= 1 }
            if b + 1 < tokens.count, notCounts.contains(where: { tokens[b + 1].hasPrefix($0) }) { continue }
            // A day before a month's name («11 فبراير») is a date.
            if b + 1 < tokens.count, ProposalLexicon.months.contains(where: { tokens[b + 1].hasPrefix($0.words.prefix { $0 != " " }) }) { continue }
            var range = start(a)..<words[b].upperBound
            var quote = evidence(range, of: text, sha: sha)
            var reading = ArabicQuantityReader.read(quote.exact)
            // Drop words before the number the reader does not take as a qualifier (a stray «من», an
            // «إلى» it would read as a range), and any that leave a quantity unread.
            while a < i {
                let shorter = evidence(start(a + 1)..<range.upperBound, of: text, sha: sha)
                let shorterReading = ArabicQuantityReader.read(shorter.exact)
                if case .quantity = reading, shorterReading != reading { break }
                a += 1
                range = start(a)..<range.upperBound
                quote = shorter
                reading = shorterReading
            }
            guard case .quantity(let low, let high, let qualifier) = reading else { continue }
            // The counted noun after the number, when the reading stays the same with it.
            if b + 1 < tokens.count, !qualifierWords.contains(tokens[b + 1]) {
                let longer = range.lowerBound..<words[b + 1].upperBound
                let withNoun = evidence(longer, of: text, sha: sha)
                if ArabicQuantityReader.read(withNoun.exact) == reading {
                    range = longer
                    quote = withNoun
                }
            }
            // The measure: a number joined by «و» to the figure just before it counts the same
            // («مقتل 61 مدنيًا وسبعة جنود»); otherwise the nearest words that say one.
            let window = quote.prefix + " " + quote.exact + " " + quote.suffix
            let inherited = previous.flatMap { p in
                (glued || tokens[a - (a > 0 ? 1 : 0)] == "و") && a - p.last <= 3 && MeasureWords.say(p.measure, in: window) ? p.measure : nil
            }
            let before = (max(0, a - 4)..<a).map { original(words[$0...$0], of: text) }
            let after = (min(words.count, b + 1)..<min(words.count, b + 5)).map { original(words[$0...$0], of: text) }
            // An amount needs its currency in the words; without one, the words' other measure.
            let currency = currencyCode(in: quote.exact + " " + after.prefix(3).joined(separator: " "))
            guard
                let measure = inherited
                    ?? self.measure(before: before, quote: quote, after: after, kind: kind, excluding: currency == nil ? ["amount"] : [])
            else { continue }
            figures.append(figure(measure: measure, currency: measure == "amount" ? currency : nil, low: low, high: high, qualifier: qualifier, quote: quote))
            cues.append("figure \"\(quote.exact)\" → \(measure) \(reading)")
            covered.formUnion(a...b)
            previous = (measure, b)
            used = b
        }
        figures += vagueFigures(in: words, tokens: tokens, skipping: covered, of: text, sha: sha, kind: kind, cues: &cues)
        return figures
    }

    /// The measure a number counts, from the nearest words that say one: the words just before it
    /// (one word, then two, up to four), then its own words with the four words after it. Where
    /// the same words say several, the kind's own measures come first (``ProposalLexicon/preferredMeasures``),
    /// and killing with wounding is `casualties`. Always one the figure's selector window says, as
    /// ``FigureWords`` requires.
    static func measure(before: [String], quote evidence: Evidence, after: [String], kind: CodedClaim.Kind, excluding: Set<String> = []) -> String? {
        let window = evidence.prefix + " " + evidence.exact + " " + evidence.suffix
        let preferred = ProposalLexicon.preferredMeasures[kind] ?? []
        func said(in text: String, among measures: [String] = ProposalLexicon.measureOrder) -> String? {
            let said = measures.filter {
                !excluding.contains($0) && MeasureWords.say($0, in: text) && MeasureWords.say($0, in: window)
            }
            if said.contains("killed"), said.contains("wounded"), MeasureWords.say("casualties", in: text), MeasureWords.say("casualties", in: window) {
                return "casualties"
            }
            // «إعادة القبض»: an arrest again is a recapture.
            if said.contains("recaptured"), ArabicQuantityReader.normalize(text).contains("اعاده") { return "recaptured" }
            return preferred.first(where: said.contains) ?? said.first
        }
        // «مقتل وجرح عدد»: killing and wounding said together, just before.
        if before.count >= 2, said(in: before.suffix(2).joined(separator: " ")) == "casualties" { return "casualties" }
        // What happened to them before who they are: in «اختطف مقاتلو داعش قرابة 75 صيادًا» the
        // fighters are the subject; the verb says the measure.
        for measures in [ProposalLexicon.eventMeasures, ProposalLexicon.measureOrder] {
            for count in 1...4 where count <= before.count {
                if let measure = said(in: before.suffix(count).joined(separator: " "), among: measures) { return measure }
            }
        }
        return said(in: ([evidence.exact] + after.prefix(4)).joined(separator: " "))
    }

    /// Amounts with no number («عدد من الأشخاص», «العشرات», «ملايين الدولارات»): figures of
    /// qualifier unknown, each with the measure its nearest words say.
    static let vagueStarts = ["عدد", "عددا", "عشرات", "العشرات", "مئات", "المئات", "ملايين", "الاف", "الالاف"]

    static func vagueFigures(
        in words: [Range<Int>], tokens: [String], skipping covered: Set<Int>, of text: FoldedText, sha: String, kind: CodedClaim.Kind,
        cues: inout [String]
    ) -> [JSONValue] {
        var figures: [JSONValue] = []
        var used = -1
        for (i, token) in tokens.enumerated() where i > used && !covered.contains(i) {
            // A conjunction or preposition glued on («وعدد», «بعشرات») starts the quote after it.
            let glued = token.count > 1 && "وفب".unicodeScalars.contains(token.unicodeScalars.first!) && vagueStarts.contains(String(token.dropFirst()))
            guard glued || vagueStarts.contains(token) else { continue }
            // «آلاف» right after a number is its multiplier, not an amount of its own.
            if i > 0, ArabicQuantityReader.numberValue(tokens[i - 1]) != nil { continue }
            // «عدد المقاتلين» (the number of the fighters) is vague unless the words go on to give
            // it: a number within the next six words (as «عدد من», «عدد غير معروف» never do).
            let bare = glued ? String(token.dropFirst()) : token
            if bare.hasPrefix("عدد"), i + 1 < tokens.count, !["من", "غير", "كبير", "قليل", "محدود"].contains(tokens[i + 1]),
                ((i + 1)...(i + 6)).contains(where: covered.contains)
            {
                continue
            }
            // The longest quote of up to three words that runs on without a comma or a glued «و».
            for length in [3, 2, 1]
            where i + length <= words.count && covered.isDisjoint(with: i..<(i + length))
                && ((i + 1)..<(i + length)).allSatisfy({ k in
                    !tokens[k].hasPrefix("و") && !text.scalars[words[k - 1].upperBound..<words[k].lowerBound].contains("،")
                })
            {
                let quote = evidence((words[i].lowerBound + (glued ? 1 : 0))..<words[i + length - 1].upperBound, of: text, sha: sha)
                guard case .vague = ArabicQuantityReader.read(quote.exact) else { continue }
                let before = (max(0, i - 4)..<i).map { original(words[$0...$0], of: text) }
                let after = ((i + length)..<min(words.count, i + length + 4)).map { original(words[$0...$0], of: text) }
                let currency = currencyCode(in: quote.exact + " " + after.prefix(2).joined(separator: " "))
                guard let measure = measure(before: before, quote: quote, after: after, kind: kind, excluding: currency == nil ? ["amount"] : []) else {
                    break
                }
                figures.append(
                    figure(measure: measure, currency: measure == "amount" ? currency : nil, low: nil, high: nil, qualifier: "unknown", quote: quote))
                cues.append("figure \"\(quote.exact)\" → \(measure), an unknown amount")
                used = i + length - 1
                break
            }
        }
        return figures
    }

    /// A stated figure as the schema writes it: people are counted in `people`, attacks in
    /// `attacks`, amounts in their currency.
    static func figure(measure: String, currency: String?, low: Int64?, high: Int64?, qualifier: String, quote: Evidence) -> JSONValue {
        let unit = currency ?? (measure == "attacks" ? "attacks" : "people")
        return [
            "measure": .string(measure), "unit": .string(unit), "currency": .optional(currency), "low": .optional(low), "high": .optional(high),
            "qualifier": .string(qualifier), "basis": "stated", "note": nil, "evidence": quote.json,
        ]
    }

    /// The article's own words of some folded words, joined by spaces.
    static func original(_ words: ArraySlice<Range<Int>>, of text: FoldedText) -> String {
        words.map { String(String.UnicodeScalarView(text.original[text.originalRange($0)])) }.joined(separator: " ")
    }

    static func currencyCode(in text: String) -> String? {
        let folded = String(String.UnicodeScalarView(FoldedText.folded(text)))
        for (word, code) in [
            ("دولار", "USD"), ("يورو", "EUR"), ("دينار عراقي", "IQD"), ("دينار", "IQD"), ("ليره سوريه", "SYP"), ("جنيه", "EGP"), ("ريال", "SAR"),
        ]
        where folded.contains(String(String.UnicodeScalarView(FoldedText.folded(word)))) {
            return code
        }
        return nil
    }

    // MARK: Dates

    static func date(in sentence: Range<Int>, of text: FoldedText, article: Article, sha: String, cues: inout [String]) -> JSONValue {
        let words = self.words(in: sentence, of: text)
        let tokens = words.map { text.string($0) }
        func dated(_ start: CalendarDate, _ end: CalendarDate, _ precision: String, _ basis: String, _ range: Range<Int>, note: String?) -> JSONValue {
            let quote = evidence(range, of: text, sha: sha)
            cues.append("date \"\(quote.exact)\" → \(start.iso8601)\(start == end ? "" : "..\(end.iso8601)") (\(basis))")
            return [
                "start": .string(start.iso8601), "end": .string(end.iso8601), "precision": .string(precision), "basis": .string(basis),
                "words": .string(quote.exact), "evidence": quote.json, "note": .optional(note),
            ]
        }
        // The publication's year and month, when its date says them.
        let publishedMonth: (year: Int, month: Int)? = article.published.start.flatMap { start in
            article.published.end.flatMap { end in start.year == end.year ? (start.year, end.month) : nil }
        }
        // Explicit: [day] month[/month] [year], the first month named; a month with no year is the
        // latest such month up to the publication (before it, with «الماضي»).
        let named = ProposalLexicon.months.flatMap { entry in matches(entry.words, in: sentence, of: text).map { (found: $0, entry: entry) } }
            .sorted { $0.found.lowerBound < $1.found.lowerBound }
        if let (found, entry) = named.first {
            let index = words.firstIndex { $0.lowerBound >= found.lowerBound } ?? words.count
            var next = index + entry.words.split(separator: " ").count
            // «يناير/كانون الثاني», «أغسطس/آب»: the other calendar's name for the same month.
            if next < tokens.count,
                let other = ProposalLexicon.months.first(where: { other in
                    other.month == entry.month && tokens[next...].prefix(other.words.split(separator: " ").count).joined(separator: " ") == other.words
                }) ?? (entry.month == 8 && tokens[next] == "اب" ? (words: "اب", month: 8) : nil)
            {
                next += other.words.split(separator: " ").count
            }
            let year = next < tokens.count ? Int(tokens[next]).flatMap { (1900...2100).contains($0) ? $0 : nil } : nil
            let past = year == nil && next < tokens.count && tokens[next] == "الماضي"
            let dayValue = index > 0 ? Int(tokens[index - 1]).flatMap { (1...31).contains($0) ? $0 : nil } : nil
            let resolvedYear =
                year
                ?? publishedMonth.map { published in
                    entry.month < published.month || (entry.month == published.month && !past) ? published.year : published.year - 1
                }
            if let resolvedYear {
                let first = (dayValue != nil ? words[index - 1] : words[index]).lowerBound
                let last = words[min(words.count, year != nil || past ? next + 1 : next) - 1].upperBound
                let basis = year == nil ? "relative" : "stated"
                let note =
                    year == nil ? "no year is written: the latest \(past ? "such month before" : "such month up to") the publication (\(resolvedYear))" : nil
                if let dayValue, let day = CalendarDate(year: resolvedYear, month: entry.month, day: dayValue) {
                    return dated(day, day, "day", basis, first..<last, note: note)
                }
                if let start = CalendarDate(year: resolvedYear, month: entry.month, day: 1) {
                    return dated(start, start.lastDayOfMonth, "month", basis, first..<last, note: note)
                }
            }
        }
        // Years relative to the publication's: «العام الماضي», «العام الجاري» (its start with
        // «مطلع»/«بداية»: the first three months), «قبل ثلاثة أعوام».
        if let published = publishedMonth {
            for (i, token) in tokens.enumerated() where ["العام", "عام", "السنه"].contains(token) && i + 1 < tokens.count {
                let offset: Int? = ["الماضي", "المنصرم", "السابق"].contains(tokens[i + 1]) ? -1 : ["الجاري", "الحالي"].contains(tokens[i + 1]) ? 0 : nil
                guard let offset, let start = CalendarDate(year: published.year + offset, month: 1, day: 1) else { continue }
                let opening = offset == 0 && i > 0 && ["مطلع", "بدايه", "اوائل", "ومطلع", "وبدايه", "واوائل"].contains(tokens[i - 1])
                let end = CalendarDate(year: published.year + offset, month: opening ? 3 : 12, day: 31)!
                return dated(
                    start, end, opening ? "month" : "year", "relative", words[opening ? i - 1 : i].lowerBound..<words[i + 1].upperBound,
                    note: opening
                        ? "the opening of the publication's year (\(published.year)), read as its first three months"
                        : "\(offset == 0 ? "the publication's year" : "the year before the publication's") (\(published.year))")
            }
            for (i, token) in tokens.enumerated() where token == "قبل" && i + 2 < tokens.count {
                let span = words[i + 1].lowerBound..<words[min(words.count - 1, i + 2)].upperBound
                let counted = ["اعوام", "سنوات", "عامين", "سنتين", "عام", "سنه"]
                var years: Int?
                if ["عامين", "سنتين"].contains(tokens[i + 1]) {
                    years = 2
                } else if counted.contains(tokens[i + 2]),
                    case .quantity(let low, let high, "exact") = ArabicQuantityReader.read(evidence(span, of: text, sha: sha).exact),
                    low == high, let low, (1...50).contains(low)
                {
                    years = Int(low)
                }
                guard let years, let start = CalendarDate(year: published.year - years, month: 1, day: 1),
                    let end = CalendarDate(year: published.year - years, month: 12, day: 31)
                else { continue }
                let last = tokens[i + 1] == "عامين" || tokens[i + 1] == "سنتين" ? i + 1 : i + 2
                return dated(
                    start, end, "year", "relative", words[i].lowerBound..<words[last].upperBound,
                    note: "\(years) year(s) before the publication's year (\(published.year))")
            }
        }
        // Relative to a day-precise publication date.
        if article.published.precision == .day, let published = article.published.start {
            for (words:name, offset) in [("امس", -1), ("اليوم", 0)] {
                if let found = matches(name, in: sentence, of: text).first {
                    let day = published.adding(days: offset)
                    return dated(
                        day, day, "day", "relative", word(around: found, in: text),
                        note: "\(name == "امس" ? "the day before" : "the day of") the publication date \(published.iso8601)")
                }
            }
            for (words:name, weekday) in ProposalLexicon.weekdays {
                guard let found = matches(name, in: sentence, of: text).first else { continue }
                var range = word(around: found, in: text)
                let next = words.firstIndex { $0.lowerBound >= range.upperBound }
                let past = next.map { tokens[$0] == "الماضي" } ?? false
                if past, let next { range = range.lowerBound..<words[next].upperBound }
                // The latest such weekday on or before publication (strictly before with «الماضي»).
                var back = (published.isoWeekday - weekday + 7) % 7
                if past && back == 0 { back = 7 }
                let day = published.adding(days: -back)
                return dated(
                    day, day, "day", "relative", range, note: "the \(past ? "last " : "")weekday before the publication date \(published.iso8601)")
            }
        }
        // A year after عام / سنه / في.
        for (i, token) in tokens.enumerated() where i > 0 && ["عام", "سنه", "العام", "خلال", "في"].contains(tokens[i - 1]) {
            guard let year = Int(token), (1900...2100).contains(year), let start = CalendarDate(year: year, month: 1, day: 1),
                let end = CalendarDate(year: year, month: 12, day: 31)
            else { continue }
            return dated(start, end, "year", "stated", words[i - 1].lowerBound..<words[i].upperBound, note: nil)
        }
        return ["start": nil, "end": nil, "precision": "unknown", "basis": nil, "words": nil, "evidence": nil, "note": nil]
    }

    // MARK: Places

    static func location(
        in sentence: Range<Int>, of text: FoldedText, sha: String, gazetteer: Gazetteer, excluding: Set<String>, cues: inout [String]
    ) -> JSONValue {
        let original = evidence(sentence, of: text, sha: sha).exact
        if let place = gazetteer.places(namedIn: original).first(where: { !excluding.contains($0.name) }) {
            // The words that named it, to quote.
            for name in place.arabicNames {
                guard let found = matches(name, in: sentence, of: text).first else { continue }
                let range = word(around: found, in: text)
                let quote = evidence(range, of: text, sha: sha)
                let division = place.division.flatMap { gazetteer.divisions[$0] }
                cues.append("place \"\(quote.exact)\" → \(place.name), \(division?.name ?? "?"), \(place.country) (gazetteer «\(place.name)»)")
                return [
                    "country": .string(place.country), "admin1": .optional(division?.name),
                    "place": ["as_written": .string(quote.exact), "transliteration": .string(place.name)], "coordinates": nil,
                    "evidence": quote.json, "note": nil,
                ]
            }
        }
        for country in gazetteer.countries.values.sorted(by: { $0.code < $1.code }) where !country.arabicName.isEmpty {
            guard let found = matches(country.arabicName, in: sentence, of: text).first else { continue }
            let quote = evidence(word(around: found, in: text), of: text, sha: sha)
            cues.append("country \"\(quote.exact)\" → \(country.code)")
            return ["country": .string(country.code), "admin1": nil, "place": nil, "coordinates": nil, "evidence": quote.json, "note": nil]
        }
        for (words, country) in ProposalLexicon.countryAdjectives {
            guard let found = matches(words, in: sentence, of: text).first else { continue }
            let quote = evidence(word(around: found, in: text), of: text, sha: sha)
            cues.append("country adjective \"\(quote.exact)\" → \(country)")
            return ["country": .string(country), "admin1": nil, "place": nil, "coordinates": nil, "evidence": quote.json, "note": nil]
        }
        return ["country": nil, "admin1": nil, "place": nil, "coordinates": nil, "evidence": nil, "note": nil]
    }
}
