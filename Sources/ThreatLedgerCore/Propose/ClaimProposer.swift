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
    /// - Parameter excluding: lexicon words (triggers, place names) to leave out, for the
    ///   leave-one-article-out measure (`propose --exclude`); empty in use.
    public static func propose(_ article: Article, gazetteer: Gazetteer = .standard, excluding: Set<String> = []) -> [JSONValue] {
        let folded = FoldedText(article.text)
        let sha = article.sha256
        var proposals: [JSONValue] = []
        for sentence in sentences(in: folded) {
            guard
                let proposal = proposeClaim(
                    in: sentence, of: folded, article: article, sha: sha, number: proposals.count + 1, gazetteer: gazetteer, excluding: excluding)
            else { continue }
            proposals.append(proposal)
        }
        return proposals
    }

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
        in sentence: Range<Int>, of text: FoldedText, article: Article, sha: String, number: Int, gazetteer: Gazetteer, excluding: Set<String>
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
        let date = self.date(in: sentence, of: text, article: article, sha: sha, cues: &cues)
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
        let kind = best.trigger.kind
        let scope: String
        switch kind {
        case .detention, .strengthEstimate, .financing, .territorial: scope = "situation"
        default: scope = "incident"
        }
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
            "claim_id": .string("\(article.sourceID)-p\(number < 10 ? "0" : "")\(number)"), "source_id": .string(article.sourceID),
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
        let tokens = words.map { text.string($0) }
        var figures: [JSONValue] = []
        var used = -1
        for (i, token) in tokens.enumerated() where i > used && ArabicQuantityReader.numberValue(token) != nil {
            // Decision: a number from 1900 to 2100 is read as a year (the date reader's), not a count.
            if let value = Int(token), (1900...2100).contains(value) { continue }
            var a = i
            while a > 0, i - a < 4, qualifierWords.contains(tokens[a - 1]) { a -= 1 }
            var b = i
            while b + 1 < tokens.count, b - i < 4, multiplierWords.contains(tokens[b + 1]) || ArabicQuantityReader.numberValue(tokens[b + 1]) != nil {
                b += 1
            }
            // Trim trailing joiners a range did not complete.
            while b > i, ["الي", "و"].contains(tokens[b]) { b -= 1 }
            if b + 1 < tokens.count, notCounts.contains(where: { tokens[b + 1].hasPrefix($0) }) { continue }
            var range = words[a].lowerBound..<words[b].upperBound
            var quote = evidence(range, of: text, sha: sha)
            let reading = ArabicQuantityReader.read(quote.exact)
            // The counted noun after the number, when the reading stays the same with it.
            if b + 1 < tokens.count {
                let longer = words[a].lowerBound..<words[b + 1].upperBound
                let withNoun = evidence(longer, of: text, sha: sha)
                if ArabicQuantityReader.read(withNoun.exact) == reading {
                    range = longer
                    quote = withNoun
                }
            }
            // Drop qualifier words the reader does not take as one (a stray «من» before the number).
            while a < i, case .quantity = reading,
                ArabicQuantityReader.read(evidence(words[a + 1].lowerBound..<range.upperBound, of: text, sha: sha).exact) == reading
            {
                a += 1
                range = words[a].lowerBound..<range.upperBound
                quote = evidence(range, of: text, sha: sha)
            }
            guard case .quantity(let low, let high, let qualifier) = reading else { continue }
            // The measure: the nearest words before the number that say one, then those after it.
            let before = original(words[max(0, a - 4)..<a], of: text)
            let after = original(words[(b + 1)..<min(words.count, b + 4)], of: text)
            guard let measure = self.measure(before: before, quote: quote, after: after, kind: kind) else { continue }
            let currency: String? = measure == "amount" ? currencyCode(in: quote.exact + " " + after) : nil
            if measure == "amount", currency == nil { continue }
            figures.append(figure(measure: measure, currency: currency, low: low, high: high, qualifier: qualifier, quote: quote))
            cues.append("figure \"\(quote.exact)\" → \(measure) \(reading)")
            used = b
        }
        if figures.isEmpty { figures = vagueFigures(in: words, tokens: tokens, of: text, sha: sha, kind: kind, cues: &cues) }
        return figures
    }

    /// The measure a number counts: the kind's own measure when the words near it say it, else the
    /// first the words just before it (with the number's own words) say, else the first the words
    /// after it say; always one the figure's selector window says, as ``FigureWords`` requires.
    static func measure(before: String, quote evidence: Evidence, after: String, kind: CodedClaim.Kind) -> String? {
        let quote = evidence.exact
        let window = evidence.prefix + " " + quote + " " + evidence.suffix
        let near = before + " " + quote + " " + after
        if let preferred = ProposalLexicon.preferredMeasures[kind]?.first(where: { MeasureWords.say($0, in: near) && MeasureWords.say($0, in: window) }) {
            return preferred
        }
        let measure =
            ProposalLexicon.measureOrder.first(where: { MeasureWords.say($0, in: before + " " + quote) })
            ?? ProposalLexicon.measureOrder.first(where: { MeasureWords.say($0, in: after) })
        return measure.flatMap { MeasureWords.say($0, in: window) ? $0 : nil }
    }

    /// Amounts with no number («عدد من الأشخاص», «العشرات»): figures of qualifier unknown.
    static let vagueStarts = ["عدد", "عشرات", "العشرات", "مئات", "المئات"]

    static func vagueFigures(
        in words: [Range<Int>], tokens: [String], of text: FoldedText, sha: String, kind: CodedClaim.Kind, cues: inout [String]
    ) -> [JSONValue] {
        var figures: [JSONValue] = []
        for (i, token) in tokens.enumerated() where vagueStarts.contains(where: { token.hasPrefix($0) }) {
            for length in [3, 2, 1] where i + length <= words.count {
                let quote = evidence(words[i].lowerBound..<words[i + length - 1].upperBound, of: text, sha: sha)
                guard case .vague = ArabicQuantityReader.read(quote.exact) else { continue }
                let before = original(words[max(0, i - 4)..<i], of: text)
                let after = original(words[(i + length)..<min(words.count, i + length + 3)], of: text)
                guard let measure = measure(before: before, quote: quote, after: after, kind: kind), measure != "amount" else { break }
                figures.append(figure(measure: measure, currency: nil, low: nil, high: nil, qualifier: "unknown", quote: quote))
                cues.append("figure \"\(quote.exact)\" → \(measure), an unknown amount")
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
        // Explicit: [day] month [year], or a year after عام.
        for (words:name, month) in ProposalLexicon.months {
            for found in matches(name, in: sentence, of: text) {
                let index = words.firstIndex { $0.lowerBound >= found.lowerBound } ?? words.count
                let nameWords = name.split(separator: " ").count
                let yearIndex = index + nameWords
                let year = yearIndex < tokens.count ? Int(tokens[yearIndex]).flatMap { (1900...2100).contains($0) ? $0 : nil } : nil
                let dayValue = index > 0 ? Int(tokens[index - 1]).flatMap { (1...31).contains($0) ? $0 : nil } : nil
                let resolvedYear = year ?? article.published.end?.year
                guard let resolvedYear else { continue }
                let first = (dayValue != nil ? words[index - 1] : words[index]).lowerBound
                let last = (year != nil ? words[yearIndex] : words[min(words.count - 1, index + nameWords - 1)]).upperBound
                let basis = year == nil ? "relative" : "stated"
                let note = year == nil ? "the year is the publication's (\(resolvedYear))" : nil
                if let dayValue, let day = CalendarDate(year: resolvedYear, month: month, day: dayValue) {
                    return dated(day, day, "day", basis, first..<last, note: note)
                }
                if let start = CalendarDate(year: resolvedYear, month: month, day: 1) {
                    return dated(start, start.lastDayOfMonth, "month", basis, first..<last, note: note)
                }
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
        for (i, token) in tokens.enumerated() where i > 0 && ["عام", "سنه", "العام"].contains(tokens[i - 1]) {
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
