/// Reads the number an Arabic phrase states: `قرابة 75` is about 75, `ما بين 14 إلى 18 ألف` is 14,000 to
/// 18,000, `نحو مليوني دولار` about 2,000,000, `المئات` an unknown amount.
///
/// Ingest uses it to check every stated figure against its own words, so a figure coded 61 whose
/// words say 16 is refused. The reader:
/// - folds Arabic-Indic and Extended Arabic-Indic digits to ASCII, and ignores tatweel, diacritics,
///   zero-width and bidirectional marks, and the alef, yeh and teh marbuta variants;
/// - reads digits (with `,` or `٬` grouping) and number words: units, tens, hundreds (مئة، مائة،
///   مئتين …), and the multipliers ألف، ألفًا، ألفين، آلاف، مليون، مليونا، مليوني، ملايين، مليار, joined by و;
/// - knows the qualifiers قرابة، نحو، حوالي، ما يقارب، ما يقرب من (about), ما لا يقل عن (at least),
///   أكثر من، ما يزيد على (more than), ما يصل إلى (up to), and ranges ما بين/بين … و/إلى …;
/// - in a range whose multiplier is written once at its end (`14 إلى 18 ألف`), applies it to the
///   low end as well, when that keeps low ≤ high;
/// - reads a range that runs backwards (low end above high end) as no quantity;
/// - answers ``Reading/vague`` for amounts with no number (عدد من، العشرات، المئات، آلاف، ملايين، غير معروف).
public enum ArabicQuantityReader {
    /// What a phrase says about a quantity.
    public enum Reading: Sendable, Equatable, CustomStringConvertible {
        /// A stated number: bounds and qualifier as a figure codes them.
        case quantity(low: Int64?, high: Int64?, qualifier: String)
        /// An amount without a number; the word that makes it vague.
        case vague(String)
        /// No quantity at all in the words.
        case none

        public var description: String {
            switch self {
            case .quantity(let low, let high, let qualifier):
                "\(qualifier) (low \(low.map(String.init) ?? "null"), high \(high.map(String.init) ?? "null"))"
            case .vague(let word): "an unknown amount (\(word))"
            case .none: "no number"
            }
        }
    }

    public static func read(_ phrase: String) -> Reading {
        read(normalized: normalizedUTF8(phrase))
    }

    /// Reads text already normalized (``normalizedUTF8(_:)``): as bytes when it is plain
    /// (``UTF8Word/isPlain(_:)``), else as Strings.
    static func read(normalized: [UInt8]) -> Reading {
        read(normalized: normalized, asBytes: UTF8Word.isPlain(normalized))
    }

    /// Reads normalized text as bytes when `asBytes` (only for plain text), else as Strings. The two
    /// readings of plain text are the same (``QuantityToken``); tests compare them.
    package static func read(normalized: [UInt8], asBytes: Bool) -> Reading {
        if asBytes {
            return read(normalized.split(separator: 0x20).map(UTF8Word.init), in: byteVocabulary)
        }
        return read(String(decoding: normalized, as: UTF8.self).split(separator: " ").map(String.init), in: stringVocabulary)
    }

    private static func read<Token: QuantityToken>(_ tokens: [Token], in vocabulary: Vocabulary<Token>) -> Reading {
        var tokens = tokens
        var qualifier: String?
        for (words, name) in vocabulary.qualifierPhrases {
            if let range = find(words, in: tokens, vocabulary) {
                qualifier = name
                tokens.removeSubrange(range)
                break
            }
        }
        var isRange = false
        if let index = tokens.firstIndex(of: vocabulary.between) {
            tokens.remove(at: index)
            isRange = true
        }
        // Split at the range separator: a standalone إلى or -, or a و glued to a number after بين.
        var left = tokens
        var right: [Token] = []
        if let index = tokens.firstIndex(where: { vocabulary.rangeSeparators.contains($0) }),
            qualifier != "up_to"
        {
            left = Array(tokens[..<index])
            right = Array(tokens[(index + 1)...])
            isRange = true
        } else if isRange,
            let index = tokens.indices.dropFirst().first(where: { i in
                tokens[i].hasPrefix(vocabulary.and) && vocabulary.numberValue(tokens[i].dropping(1)) != nil
            })
        {
            left = Array(tokens[..<index])
            right = [tokens[index].dropping(1)] + tokens[(index + 1)...]
        }

        if isRange, !right.isEmpty {
            guard let low = readNumber(left, vocabulary), let high = readNumber(right, vocabulary) else {
                return vagueWord(tokens, vocabulary).map(Reading.vague) ?? .none
            }
            var lowValue = low.value
            let shared = lowValue.multipliedReportingOverflow(by: high.multiplier)
            if low.multiplier == 1, high.multiplier > 1, !shared.overflow, shared.partialValue <= high.value {
                lowValue = shared.partialValue
            }
            // A range that runs backwards (524113 إلى 39056) contradicts itself: it states no
            // quantity a figure could be checked against. (Found by FuzzTests.)
            guard lowValue <= high.value else { return .none }
            return .quantity(low: lowValue, high: high.value, qualifier: "range")
        }
        guard let number = readNumber(tokens, vocabulary) else {
            return vagueWord(tokens, vocabulary).map(Reading.vague) ?? .none
        }
        switch qualifier {
        case "at_least", "more_than": return .quantity(low: number.value, high: nil, qualifier: qualifier!)
        case "up_to": return .quantity(low: nil, high: number.value, qualifier: "up_to")
        case "about": return .quantity(low: number.value, high: number.value, qualifier: "about")
        default: return .quantity(low: number.value, high: number.value, qualifier: "exact")
        }
    }

    // MARK: Normalization

    /// Folds what varies in writing but not in meaning, and separates numbers from glued prefixes.
    static func normalize(_ text: String) -> String {
        String(decoding: normalizedUTF8(text), as: UTF8.self)
    }

    /// ``normalize(_:)`` as UTF-8 bytes, written straight into one buffer (the reader and
    /// ``MeasureWords`` search these bytes; building a String scalar by scalar cost more than the
    /// reading itself). Every scalar written is a whole code point, so byte matches are code-point
    /// matches.
    static func normalizedUTF8(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        var text = text
        text.withUTF8 { bytes in
            out.reserveCapacity(bytes.count)
            var lastIsArabic = false  // whether the last scalar written lies in U+0600–U+06FF
            /// Writes one of the scalars folding maps to (all below U+0800).
            func write(_ value: UInt32) {
                if value < 0x80 {
                    out.append(UInt8(value))
                } else {
                    out.append(UInt8(0xC0 | value >> 6))
                    out.append(UInt8(0x80 | value & 0x3F))
                }
                lastIsArabic = value >= 0x0600 && value <= 0x06FF
            }
            var index = 0
            while index < bytes.count {
                // Decodes one scalar (the bytes of a String are valid UTF-8).
                let start = index
                let lead = bytes[index]
                var value = UInt32(lead)
                if lead < 0x80 {
                    index += 1
                } else {
                    let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
                    value = UInt32(lead & (0x7F >> length))
                    for offset in 1..<length { value = value << 6 | UInt32(bytes[start + offset] & 0x3F) }
                    index += length
                }
                switch value {
                case 0x0660...0x0669: write(value - 0x0660 + 0x30)
                case 0x06F0...0x06F9: write(value - 0x06F0 + 0x30)
                case 0x0640, 0x064B...0x065F, 0x0670, 0x200B...0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x061C, 0xFEFF:
                    continue
                case 0x0623, 0x0625, 0x0622, 0x0671: write(0x0627)  // ا
                case 0x0649: write(0x064A)  // ي
                case 0x0629: write(0x0647)  // ه
                case 0x00A0, 0x2009, 0x202F, 0x0009, 0x000A: write(0x20)
                case 0x066C, 0x002C: continue  // digit grouping
                case 0x066B: write(0x2E)
                default:
                    // A digit glued to a letter prefix (بـ10، و3) gets a space between them.
                    if (0x30...0x39).contains(value), lastIsArabic { write(0x20) }
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))  // the scalar as it is
                    lastIsArabic = value >= 0x0600 && value <= 0x06FF
                }
            }
        }
        return out
    }

    // MARK: Numbers

    private struct Number {
        var value: Int64
        /// The largest multiplier written (1 when none), for ranges that share one.
        var multiplier: Int64
    }

    private static let units: [String: Int64] = [
        "واحد": 1, "احد": 1, "واحده": 1, "احدي": 1, "اثنان": 2, "اثنين": 2, "اثنتان": 2, "اثنتين": 2,
        "ثلاث": 3, "ثلاثه": 3, "اربع": 4, "اربعه": 4, "خمس": 5, "خمسه": 5, "ست": 6, "سته": 6, "سبع": 7, "سبعه": 7,
        "ثمان": 8, "ثماني": 8, "ثمانيه": 8, "تسع": 9, "تسعه": 9, "عشر": 10, "عشره": 10,
        "عشرون": 20, "عشرين": 20, "ثلاثون": 30, "ثلاثين": 30, "اربعون": 40, "اربعين": 40, "خمسون": 50, "خمسين": 50,
        "ستون": 60, "ستين": 60, "سبعون": 70, "سبعين": 70, "ثمانون": 80, "ثمانين": 80, "تسعون": 90, "تسعين": 90,
    ]
    private static let hundreds: [String: Int64] = [
        "مئه": 100, "مائه": 100, "مئتين": 200, "مئتي": 200, "مئتان": 200, "مائتين": 200, "مائتي": 200, "مائتان": 200,
    ]
    /// Multipliers: (value, count it stands for alone: 1 singular, 2 dual, 0 plural needing a number).
    private static let multipliers: [String: (Int64, Int64)] = [
        "الف": (1_000, 1), "الفا": (1_000, 1), "الفين": (1_000, 2), "الفي": (1_000, 2), "الفان": (1_000, 2),
        "الاف": (1_000, 0), "مليون": (1_000_000, 1), "مليونا": (1_000_000, 1), "مليوني": (1_000_000, 2),
        "مليونين": (1_000_000, 2), "مليونان": (1_000_000, 2), "ملايين": (1_000_000, 0), "مليار": (1_000_000_000, 1),
        "مليارا": (1_000_000_000, 1), "مليارين": (1_000_000_000, 2), "مليارات": (1_000_000_000, 0),
    ]

    /// A unit glued to a hundred (ثلاثمئة، خمسمائة): every such spelling, made once.
    private static let compoundHundreds: [String: Int64] = {
        var compounds: [String: Int64] = [:]
        for (prefix, value) in units where value < 10 {
            for (hundred, count) in hundreds { compounds[prefix + hundred] = value * count }
        }
        return compounds
    }()

    private static let vague = ["عدد", "عددا", "العشرات", "عشرات", "المئات", "مئات", "الاف", "الالاف", "ملايين", "معروف", "بضع", "بضعه"]

    private static let qualifierPhrases: [([String], String)] = [
        (["ما", "لا", "يقل", "عن"], "at_least"), (["لا", "يقل", "عن"], "at_least"), (["علي", "الاقل"], "at_least"),
        (["ما", "يزيد", "علي"], "more_than"), (["ما", "يزيد", "عن"], "more_than"), (["اكثر", "من"], "more_than"),
        (["ما", "يصل", "الي"], "up_to"), (["يصل", "الي"], "up_to"),
        (["ما", "يقارب"], "about"), (["ما", "يقرب", "من"], "about"), (["قرابه"], "about"), (["نحو"], "about"),
        (["حوالي"], "about"), (["زهاء"], "about"), (["تقريبا"], "about"),
    ]

    /// The reader's words (all in normalized form) held as one kind of ``QuantityToken``, made once
    /// per kind.
    private struct Vocabulary<Token: QuantityToken>: Sendable {
        let units: [Token: Int64]
        let hundreds: [Token: Int64]
        let compoundHundreds: [Token: Int64]
        let multipliers: [Token: (Int64, Int64)]
        let vague: Set<Token>
        let qualifierPhrases: [([Token], String)]
        let between = Token(word: "بين")
        /// A standalone إلى or dash between the two ends of a range.
        let rangeSeparators: Set<Token> = [Token(word: "الي"), Token(word: "-"), Token(word: "–")]
        let and = Token(word: "و")
        let by = Token(word: "ب")
        let definite = Token(word: "ال")

        init() {
            func keyed<Value>(_ table: [String: Value]) -> [Token: Value] {
                Dictionary(uniqueKeysWithValues: table.map { (Token(word: $0.key), $0.value) })
            }
            units = keyed(ArabicQuantityReader.units)
            hundreds = keyed(ArabicQuantityReader.hundreds)
            compoundHundreds = keyed(ArabicQuantityReader.compoundHundreds)
            multipliers = keyed(ArabicQuantityReader.multipliers)
            vague = Set(ArabicQuantityReader.vague.map(Token.init(word:)))
            qualifierPhrases = ArabicQuantityReader.qualifierPhrases.map { ($0.0.map(Token.init(word:)), $0.1) }
        }

        /// The value of one number token; nil when it is not one.
        func numberValue(_ token: Token) -> Int64? {
            if let digits = token.integer { return digits }
            if let unit = units[token] { return unit }
            if let hundred = hundreds[token] { return hundred }
            return compoundHundreds[token]
        }
    }

    private static let stringVocabulary = Vocabulary<String>()
    private static let byteVocabulary = Vocabulary<UTF8Word>()

    /// The value of one number token (ASCII digits, a unit, a hundred, or a unit glued to a hundred);
    /// nil when it is not one.
    static func numberValue(_ token: String) -> Int64? {
        stringVocabulary.numberValue(token)
    }

    /// Reads the first run of number tokens; stops at the first word after it. A number past what
    /// Int64 holds is no number (nil), never an overflow trap.
    private static func readNumber<Token: QuantityToken>(_ tokens: [Token], _ vocabulary: Vocabulary<Token>) -> Number? {
        var total: Int64 = 0
        var current: Int64 = 0
        var started = false
        var multiplier: Int64 = 1
        for raw in tokens {
            var token = raw
            if started, token.hasPrefix(vocabulary.and), token.length > 1 {
                let rest = token.dropping(1)
                if vocabulary.numberValue(rest) != nil || vocabulary.multipliers[rest] != nil { token = rest }
            }
            if token.hasPrefix(vocabulary.definite), started {
                let rest = token.dropping(2)
                if vocabulary.multipliers[rest] != nil { token = rest }
            }
            if let value = vocabulary.numberValue(token) {
                if vocabulary.hundreds[token] != nil, current > 0, current < 10 {
                    current *= 100  // ثلاث مئة
                } else {
                    let sum = current.addingReportingOverflow(value)
                    if sum.overflow { return nil }
                    current = sum.partialValue
                }
                started = true
            } else if let (value, count) = vocabulary.multipliers[token] {
                if current == 0 {
                    guard count > 0 else { return started ? Number(value: total, multiplier: multiplier) : nil }
                    current = count
                }
                let product = current.multipliedReportingOverflow(by: value)
                let sum = total.addingReportingOverflow(product.partialValue)
                if product.overflow || sum.overflow { return nil }
                total = sum.partialValue
                current = 0
                multiplier = max(multiplier, value)
                started = true
            } else if started {
                break
            }
        }
        guard started else { return nil }
        let value = total.addingReportingOverflow(current)
        return value.overflow ? nil : Number(value: value.partialValue, multiplier: multiplier)
    }

    private static func vagueWord<Token: QuantityToken>(_ tokens: [Token], _ vocabulary: Vocabulary<Token>) -> String? {
        tokens.first { token in vocabulary.vague.contains(token) || vocabulary.vague.contains(token.dropping(1)) }?.text
    }

    // MARK: Qualifiers

    /// Where the phrase `words` first stands in `tokens`. A conjunction or preposition glued to its
    /// first word (وقرابة، بنحو) does not hide it.
    private static func find<Token: QuantityToken>(_ words: [Token], in tokens: [Token], _ vocabulary: Vocabulary<Token>) -> Range<Int>? {
        guard tokens.count >= words.count else { return nil }
        let first = words[0]
        for start in 0...(tokens.count - words.count) {
            let token = tokens[start]
            guard
                token == first
                    || ((token.hasPrefix(vocabulary.and) || token.hasPrefix(vocabulary.by)) && token.length > first.length
                        && token.dropping(1) == first)
            else { continue }
            var matched = 1
            while matched < words.count, tokens[start + matched] == words[matched] { matched += 1 }
            if matched == words.count { return start..<start + words.count }
        }
        return nil
    }
}
