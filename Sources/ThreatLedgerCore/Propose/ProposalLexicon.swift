/// The Arabic words the proposer reads, each with its English gloss, for an Arabic-reading analyst
/// to review: kept as TSV files in `Propose/Lexicon/` (one entry per line, with a gloss), embedded by
/// `scripts/embed-lexicon.py` (Core does no I/O). Calendar words (months, weekdays) stay here. Patterns are written plainly and folded (``FoldedText``) before matching, so hamza
/// forms, taa marbuta, alef maqsura, tatweel and diacritics in the article do not hide them; a
/// pattern matches at the start of a word or after the proclitics و ف ب ل ك and ال (glued prefixes),
/// and may run on into suffixes, so «وهاجم» and «هجمات» are found by «هاجم» and «هجم».
///
/// Sources: the five seed articles (the development set), Modern Standard Arabic news usage, and
/// the stems ``MeasureWords`` already keeps for figures.
public enum ProposalLexicon {
    /// One trigger: its Arabic words, what it proposes, and a gloss.
    public struct Trigger: Sendable {
        public let words: String
        public let kind: CodedClaim.Kind
        public let gloss: String
        /// Stronger triggers win when a sentence has several (an arrest in a sentence about an attack).
        public let weight: Double
        /// Words that must also stand in the sentence for the trigger to count (an escape beside a prison).
        public var with: String?
    }

    /// Kind triggers (`Lexicon/triggers.tsv`).
    public static let triggers: [Trigger] = ProposalLexiconData.triggers.map { row in
        Trigger(words: row.words, kind: CodedClaim.Kind(rawValue: row.kind)!, gloss: row.gloss, weight: row.weight, with: row.with)
    }

    /// The names ISIS goes by, as written in Arabic news (`Lexicon/isis-names.tsv`).
    public static let isisNames: [(words: String, gloss: String)] = ProposalLexiconData.isisNames

    /// Hedges: attribution words that say the claim is reported or estimated, not established
    /// (`Lexicon/hedges.tsv`).
    public static let hedges: [(words: String, gloss: String)] = ProposalLexiconData.hedges

    /// The measures a figure may count, first first when the same words say several (``MeasureWords``
    /// stems: «قبض» says an arrest before a recapture).
    public static let measureOrder = [
        "killed", "wounded", "arrested", "escaped", "kidnapped", "released", "surrendered", "displaced", "fighters", "prisoners_held", "amount",
        "accounts", "attacks", "recaptured",
    ]

    /// The measures that say what happened to people (not who they are, as `fighters` does).
    public static let eventMeasures = ["killed", "wounded", "arrested", "escaped", "kidnapped", "released", "surrendered", "displaced", "recaptured"]

    /// The measures each kind's figures most likely count, preferred when the words say several.
    public static let preferredMeasures: [CodedClaim.Kind: [String]] = [
        .attack: ["killed", "wounded"], .arrest: ["arrested"], .prisonBreak: ["escaped", "recaptured", "killed"], .financingSeizure: ["amount"],
        .counterOperation: ["killed", "arrested"], .detention: ["prisoners_held", "fighters"], .strengthEstimate: ["fighters"],
        .financing: ["amount"],
    ]

    /// Country adjectives, the last resort for a place: «البادية السورية» (`Lexicon/country-adjectives.tsv`).
    public static let countryAdjectives: [(words: String, country: String)] = ProposalLexiconData.countryAdjectives.map { ($0.words, $0.country) }

    /// Months by name: Gregorian (Egyptian and Gulf usage) and Syriac (Levant and Iraq), folded.
    public static let months: [(words: String, month: Int)] = [
        ("كانون الثاني", 1), ("تشرين الاول", 10), ("تشرين الثاني", 11), ("كانون الاول", 12),
        ("يناير", 1), ("فبراير", 2), ("مارس", 3), ("ابريل", 4), ("مايو", 5), ("يونيو", 6), ("يوليو", 7), ("اغسطس", 8),
        ("سبتمبر", 9), ("اكتوبر", 10), ("نوفمبر", 11), ("ديسمبر", 12), ("شباط", 2), ("اذار", 3), ("نيسان", 4), ("ايار", 5),
        ("حزيران", 6), ("تموز", 7), ("ايلول", 9),
    ]

    /// Weekdays (ISO: Monday 1 … Sunday 7), folded.
    public static let weekdays: [(words: String, day: Int)] = [
        ("الاثنين", 1), ("الثلاثاء", 2), ("الاربعاء", 3), ("الخميس", 4), ("الجمعه", 5), ("السبت", 6), ("الاحد", 7),
    ]
}
