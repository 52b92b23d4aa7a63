/// The Arabic words that say what a figure counts: killing for `killed`, wounding for `wounded`,
/// arrest for `arrested`, and so on. A stated figure's words must say its measure, so a "killed"
/// figure cannot be recoded as "wounded" over the same words («مقتل 11 جنديًا» says killing).
///
/// Stems are matched after ``ArabicQuantityReader``'s normalization (no diacritics or tatweel; alef
/// forms as ا, ى as ي, ة as ه), anywhere inside a word, so the prefixes Arabic glues on (و، ب، ل، ال)
/// and the suffixes of number and case do not hide them. The lists are deliberately generous (a
/// word that could say the measure counts): the rule is there to catch a measure the words plainly
/// do not say, not to parse Arabic.
public enum MeasureWords {
    /// Stems by measure, in normalized form.
    public static let stems: [String: [String]] = [
        "killed": [
            "قتل", "قتيل", "مقتل", "اغتيال", "اغتال", "مصرع", "حتف", "اعدام", "اعدم", "ذبح", "جثث", "جثه", "ضحايا", "الموت", "حياه", "استشهاد", "شهيد", "شهداء",
            "توفي", "وفاه", "نحر",
        ],
        "wounded": ["جرح", "جريح", "اصابه", "اصيب", "مصاب", "اصابات"],
        "casualties": ["ضحايا", "خسائر", "اصابات", "قتل وجرح", "قتلي وجرحي", "قتيل وجريح", "مقتل واصابه"],
        "displaced": ["نزوح", "نازح", "نزح", "تهجير", "مهجر", "هجروا", "لاجئ", "شرد", "تشريد"],
        "kidnapped": ["خطف", "اختطف", "اختطاف", "مختطف", "رهائن", "رهينه", "اسري", "اسير", "احتجز"],
        "arrested": ["قبض", "اعتقال", "اعتقل", "معتقل", "توقيف", "اوقف", "موقوف", "احتجاز", "احتجز", "اسر", "شركاء", "مشتبه", "متهم"],
        "escaped": ["فرار", "فروا", "فارين", "هرب", "هروب", "هارب", "فر "],
        "recaptured": ["قبض", "استعاد", "اعتقال", "اعتقل", "توقيف"],
        "surrendered": ["استسلم", "استسلام", "سلموا انفسهم", "سلم نفسه", "سلمو"],
        "released": ["افرج", "الافراج", "افراج", "سراح", "اخلاء سبيل", "اطلق"],
        "prisoners_held": ["سجين", "سجناء", "سجن", "محتجز", "معتقل", "اسري", "اسير", "تحتجز", "يحتجز", "محبوس", "مخيم", "احتجاز"],
        "fighters": ["مقاتل", "عنصر", "عناصر", "جهادي", "مسلح", "متشدد", "ارهابي", "اعضاء", "منتسب", "مجند", "تجنيد", "جندي", "جنود"],
        "attackers": ["هجوم", "هجمات", "مهاجم", "شنه", "شنوا", "مقاتل", "عناصر", "مسلح", "منهم", "انتحاري"],
        "amount": ["دولار", "يورو", "دينار", "ليره", "ريال", "جنيه", "مليون", "مليار", "اموال", "بيتكوين", "عملات", "اصول", "تمويل", "درهم"],
        "accounts": ["حساب"],
        "attacks": ["عمليه", "عمليات", "هجوم", "هجمات", "تفجير", "غزوه", "اعتداء", "ضربه", "ضربات", "كمين", "غاره"],
        "area": ["كيلومتر", "كلم", "كم2", "كم مربع", "مساحه", "هكتار", "دونم", "ميل"],
    ]

    /// The stems as UTF-8 bytes, searched in normalized UTF-8 bytes (normalized text has no
    /// combining marks, so a byte match is a match of whole code points).
    private static let stemBytes: [String: [[UInt8]]] = stems.mapValues { $0.map { Array($0.utf8) } }

    /// Whether `text` holds a word that says `measure`. A measure with no stems (none today) is
    /// said by any words.
    public static func say(_ measure: String, in text: String) -> Bool {
        say(measure, inNormalized: ArabicQuantityReader.normalizedUTF8(text))
    }

    /// ``say(_:in:)`` on text already normalized (``ArabicQuantityReader/normalizedUTF8(_:)``).
    static func say(_ measure: String, inNormalized normalized: [UInt8]) -> Bool {
        guard let stems = stemBytes[measure] else { return true }
        return stems.contains { contains($0, in: normalized) }
    }

    /// The measures `text` has words for, sorted: what to tell an analyst the words say instead.
    public static func measures(in text: String) -> [String] {
        measures(inNormalized: ArabicQuantityReader.normalizedUTF8(text))
    }

    /// ``measures(in:)`` on text already normalized.
    static func measures(inNormalized normalized: [UInt8]) -> [String] {
        stemBytes.filter { $0.value.contains { contains($0, in: normalized) } }.keys.sorted()
    }

    private static func contains(_ needle: [UInt8], in haystack: [UInt8]) -> Bool {
        guard let first = needle.first, needle.count <= haystack.count else { return false }
        var index = 0
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first {
                var matched = 1
                while matched < needle.count, haystack[index + matched] == needle[matched] { matched += 1 }
                if matched == needle.count { return true }
            }
            index += 1
        }
        return false
    }
}
