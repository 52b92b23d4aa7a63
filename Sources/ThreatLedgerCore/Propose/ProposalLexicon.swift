/// The Arabic words the proposer reads, each with its English gloss, for an Arabic-reading analyst
/// to review. Patterns are written plainly and folded (``FoldedText``) before matching, so hamza
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
        public var with: String? = nil
    }

    /// Kind triggers, strongest first within each kind.
    public static let triggers: [Trigger] = [
        // attack
        Trigger(words: "هاجم", kind: .attack, gloss: "attacked", weight: 0.9),
        Trigger(words: "هجوم", kind: .attack, gloss: "attack", weight: 0.85),
        Trigger(words: "هجمات", kind: .attack, gloss: "attacks", weight: 0.8),
        Trigger(words: "تفجير", kind: .attack, gloss: "bombing", weight: 0.85),
        Trigger(words: "انفجار", kind: .attack, gloss: "explosion", weight: 0.75),
        Trigger(words: "عبوه ناسفه", kind: .attack, gloss: "explosive device", weight: 0.85),
        Trigger(words: "انتحاري", kind: .attack, gloss: "suicide bomber", weight: 0.85),
        Trigger(words: "كمين", kind: .attack, gloss: "ambush", weight: 0.85),
        Trigger(words: "اعتداء", kind: .attack, gloss: "assault", weight: 0.75),
        Trigger(words: "استهدف", kind: .attack, gloss: "targeted", weight: 0.7),
        Trigger(words: "اغتيال", kind: .attack, gloss: "assassination", weight: 0.85),
        Trigger(words: "اسفر عن مقتل", kind: .attack, gloss: "resulted in the killing of", weight: 0.8),
        Trigger(words: "قتل", kind: .attack, gloss: "killed", weight: 0.6),
        Trigger(words: "مقتل", kind: .attack, gloss: "killing", weight: 0.6),
        Trigger(words: "شن", kind: .attack, gloss: "launched (an attack)", weight: 0.55),
        // arrest
        Trigger(words: "اعتقال", kind: .arrest, gloss: "arrest", weight: 0.9),
        Trigger(words: "اعتقل", kind: .arrest, gloss: "arrested", weight: 0.9),
        Trigger(words: "القبض علي", kind: .arrest, gloss: "caught, arrested", weight: 0.9),
        Trigger(words: "توقيف", kind: .arrest, gloss: "detention, arrest", weight: 0.85),
        Trigger(words: "اوقف", kind: .arrest, gloss: "stopped, arrested", weight: 0.7),
        // prison break
        Trigger(words: "فرار", kind: .prisonBreak, gloss: "escape (beside a prison)", weight: 0.97, with: "سج"),
        Trigger(words: "هروب", kind: .prisonBreak, gloss: "escape (beside a prison)", weight: 0.97, with: "سج"),
        Trigger(words: "هجوم", kind: .prisonBreak, gloss: "attack (on a prison)", weight: 0.9, with: "سجن"),
        Trigger(words: "فرار", kind: .prisonBreak, gloss: "escape", weight: 0.8),
        Trigger(words: "هروب", kind: .prisonBreak, gloss: "escape", weight: 0.8),
        Trigger(words: "فروا", kind: .prisonBreak, gloss: "they fled", weight: 0.8),
        Trigger(words: "اقتحام السجن", kind: .prisonBreak, gloss: "storming of the prison", weight: 0.95),
        Trigger(words: "اقتحام سجن", kind: .prisonBreak, gloss: "storming a prison", weight: 0.95),
        Trigger(words: "كسر الجدران", kind: .prisonBreak, gloss: "'Breaking the Walls' (prison-break campaign)", weight: 0.95),
        Trigger(words: "مركز احتجاز", kind: .prisonBreak, gloss: "detention centre (under attack)", weight: 0.6),
        // financing seizure
        Trigger(words: "مصادره", kind: .financingSeizure, gloss: "seizure, confiscation", weight: 0.95),
        Trigger(words: "صادر", kind: .financingSeizure, gloss: "seized", weight: 0.8),
        Trigger(words: "حجز", kind: .financingSeizure, gloss: "impounded", weight: 0.6),
        Trigger(words: "تجميد", kind: .financingSeizure, gloss: "freezing (of assets)", weight: 0.85),
        Trigger(words: "ضبط", kind: .financingSeizure, gloss: "seized (goods, money)", weight: 0.6),
        // counter operation
        Trigger(words: "عمليه امنيه", kind: .counterOperation, gloss: "security operation", weight: 0.85),
        Trigger(words: "عمليه عسكريه", kind: .counterOperation, gloss: "military operation", weight: 0.75),
        Trigger(words: "مداهمه", kind: .counterOperation, gloss: "raid", weight: 0.8),
        Trigger(words: "غاره", kind: .counterOperation, gloss: "air strike", weight: 0.75),
        Trigger(words: "غارات", kind: .counterOperation, gloss: "air strikes", weight: 0.75),
        Trigger(words: "استعاده السجن", kind: .counterOperation, gloss: "retaking the prison", weight: 0.9),
        Trigger(words: "حمله", kind: .counterOperation, gloss: "campaign (security)", weight: 0.5),
        // detention (a stock of people held)
        Trigger(words: "محتجزون", kind: .detention, gloss: "held, detained (plural)", weight: 0.85),
        Trigger(words: "محتجزين", kind: .detention, gloss: "held, detained (plural)", weight: 0.85),
        Trigger(words: "يضم", kind: .detention, gloss: "holds (a prison, a camp)", weight: 0.5),
        Trigger(words: "سجين", kind: .detention, gloss: "prisoner(s)", weight: 0.55),
        // strength estimate
        Trigger(words: "عدد المقاتلين", kind: .strengthEstimate, gloss: "the number of fighters", weight: 0.9),
        Trigger(words: "عدد مقاتلي", kind: .strengthEstimate, gloss: "the number of fighters of", weight: 0.9),
        Trigger(words: "مقاتل", kind: .strengthEstimate, gloss: "fighter(s) (with a number)", weight: 0.4),
        // financing
        Trigger(words: "تمويل", kind: .financing, gloss: "financing", weight: 0.8),
        Trigger(words: "فديه", kind: .financing, gloss: "ransom", weight: 0.85),
        Trigger(words: "فدي", kind: .financing, gloss: "ransoms", weight: 0.8),
        Trigger(words: "ابتزاز", kind: .financing, gloss: "extortion", weight: 0.85),
        Trigger(words: "اتاوات", kind: .financing, gloss: "protection money", weight: 0.85),
        Trigger(words: "عملات مشفره", kind: .financing, gloss: "cryptocurrencies", weight: 0.8),
        // territorial
        Trigger(words: "سيطر", kind: .territorial, gloss: "took control", weight: 0.8),
        Trigger(words: "السيطره علي", kind: .territorial, gloss: "control over", weight: 0.8),
        Trigger(words: "ينشط", kind: .territorial, gloss: "is active", weight: 0.6),
        Trigger(words: "يحتفظ بوجود", kind: .territorial, gloss: "keeps a presence", weight: 0.85),
        Trigger(words: "ملاذا", kind: .territorial, gloss: "a haven", weight: 0.7),
        Trigger(words: "الخلافه", kind: .territorial, gloss: "the caliphate", weight: 0.5),
        Trigger(words: "هزيمه", kind: .territorial, gloss: "defeat", weight: 0.6),
    ]

    /// The names ISIS goes by, as written in Arabic news.
    public static let isisNames: [(words: String, gloss: String)] = [
        ("تنظيم الدوله الاسلاميه", "the Islamic State organisation"), ("الدوله الاسلاميه", "the Islamic State"),
        ("تنظيم الدوله", "the State organisation"), ("داعش", "Daesh"), ("ولايه", "'province' (an ISIS branch)"),
    ]

    /// Hedges: attribution words that say the claim is reported or estimated, not established.
    public static let hedges: [(words: String, gloss: String)] = [
        ("بحسب", "according to"), ("حسب", "according to"), ("وفق", "according to"), ("قيل انه", "it was said that"),
        ("يعتقد", "it is believed"), ("يقدر", "it is estimated"), ("تشير التقارير", "reports indicate"), ("تضارب التقارير", "reports conflict"),
        ("افادت", "reported"), ("ذكرت", "stated"), ("نقلا عن", "quoting"), ("مصادر", "sources"),
    ]

    /// The measure a figure counts, from the words just before or after it (``MeasureWords`` stems).
    public static let measureOrder = ["killed", "wounded", "arrested", "escaped", "kidnapped", "displaced", "fighters", "prisoners_held", "amount", "attacks"]

    /// The measures each kind's figures most likely count, preferred when the words say several.
    public static let preferredMeasures: [CodedClaim.Kind: [String]] = [
        .attack: ["killed", "wounded"], .arrest: ["arrested"], .prisonBreak: ["escaped", "killed"], .financingSeizure: ["amount"],
        .counterOperation: ["killed", "arrested"], .detention: ["prisoners_held", "fighters"], .strengthEstimate: ["fighters"],
        .financing: ["amount"],
    ]

    /// Country adjectives (the last resort for a place: «البادية السورية»), folded, with the country.
    public static let countryAdjectives: [(words: String, country: String)] = [
        ("السوري", "SY"), ("العراقي", "IQ"), ("الافغاني", "AF"), ("اليمني", "YE"), ("الليبي", "LY"), ("المصري", "EG"), ("النيجيري", "NG"),
        ("الصومالي", "SO"), ("المالي", "ML"), ("التركي", "TR"), ("اللبناني", "LB"), ("الاردني", "JO"), ("الفلبيني", "PH"), ("الموزمبيقي", "MZ"),
    ]

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
