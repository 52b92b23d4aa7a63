import Testing
import ThreatLedgerCore

@Suite struct ArabicQuantityReaderTests {
    typealias Reading = ArabicQuantityReader.Reading

    /// Phrases as they stand in the five seed articles.
    @Test(arguments: [
        ("قرابة 75", Reading.quantity(low: 75, high: 75, qualifier: "about")),
        ("ما لا يقل عن 16", .quantity(low: 16, high: nil, qualifier: "at_least")),
        ("ما لا يقل عن 61", .quantity(low: 61, high: nil, qualifier: "at_least")),
        ("أكثر من 10 آلاف", .quantity(low: 10_000, high: nil, qualifier: "more_than")),
        ("ما بين 14 إلى 18 ألف", .quantity(low: 14_000, high: 18_000, qualifier: "range")),
        ("نحو مليوني دولار", .quantity(low: 2_000_000, high: 2_000_000, qualifier: "about")),
        ("ما يصل إلى 200", .quantity(low: nil, high: 200, qualifier: "up_to")),
        ("نحو 3 آلاف", .quantity(low: 3_000, high: 3_000, qualifier: "about")),
        ("100 مليون دولار", .quantity(low: 100_000_000, high: 100_000_000, qualifier: "exact")),
        ("ما يقرب من 3500", .quantity(low: 3_500, high: 3_500, qualifier: "about")),
        ("أكثر من 12000", .quantity(low: 12_000, high: nil, qualifier: "more_than")),
        ("قرابة 850", .quantity(low: 850, high: 850, qualifier: "about")),
        ("بين مئة ومئتي", .quantity(low: 100, high: 200, qualifier: "range")),
        ("1500 إلى 3500", .quantity(low: 1_500, high: 3_500, qualifier: "range")),
        ("بين 2500 وأربعة آلاف", .quantity(low: 2_500, high: 4_000, qualifier: "range")),
        ("سبعة جنود", .quantity(low: 7, high: 7, qualifier: "exact")),
        ("أربعة سياح", .quantity(low: 4, high: 4, qualifier: "exact")),
        ("اثنين من عناصر تنظيم داعش", .quantity(low: 2, high: 2, qualifier: "exact")),
        ("أحد شركاء", .quantity(low: 1, high: 1, qualifier: "exact")),
        ("300 حساب", .quantity(low: 300, high: 300, qualifier: "exact")),
        ("726 قتيلاً", .quantity(low: 726, high: 726, qualifier: "exact")),
        ("175 قتيلا", .quantity(low: 175, high: 175, qualifier: "exact")),
        ("11 جنديًا", .quantity(low: 11, high: 11, qualifier: "exact")),
        ("عدد من عناصر", .vague("عدد")),
        ("العشرات", .vague("العشرات")),
        ("المئات", .vague("المئات")),
        ("عشرات الآلاف", .vague("عشرات")),
        ("ملايين الدولارات", .vague("ملايين")),
        ("آلاف من الجهاديين", .vague("الاف")),
        ("عدد غير معروف", .vague("عدد")),
        ("مقتل إبراهيم القحطاني", .none),
    ])
    func readsPhrasesFromTheSeedArticles(phrase: String, expected: Reading) {
        #expect(ArabicQuantityReader.read(phrase) == expected)
    }

    @Test(arguments: [
        ("قرابة ٧٥", Reading.quantity(low: 75, high: 75, qualifier: "about")),
        ("حوالي ۱۲٬۰۰۰", .quantity(low: 12_000, high: 12_000, qualifier: "about")),
        ("ما يزيد على خمسة آلاف", .quantity(low: 5_000, high: nil, qualifier: "more_than")),
        ("ألفين", .quantity(low: 2_000, high: 2_000, qualifier: "exact")),
        ("ألفًا", .quantity(low: 1_000, high: 1_000, qualifier: "exact")),
        ("مليونا دولار", .quantity(low: 1_000_000, high: 1_000_000, qualifier: "exact")),
        ("ثلاثة ملايين", .quantity(low: 3_000_000, high: 3_000_000, qualifier: "exact")),
        ("خمسة وعشرين", .quantity(low: 25, high: 25, qualifier: "exact")),
        ("ثلاثمئة", .quantity(low: 300, high: 300, qualifier: "exact")),
        ("ما يقارب 45", .quantity(low: 45, high: 45, qualifier: "about")),
        ("بـ10 صواريخ", .quantity(low: 10, high: 10, qualifier: "exact")),
        ("قرابـــة 7\u{200F}5", .quantity(low: 75, high: 75, qualifier: "about")),
    ])
    func readsDigitsInEveryScriptAndNumberWords(phrase: String, expected: Reading) {
        #expect(ArabicQuantityReader.read(phrase) == expected)
    }
}

/// What the figure-words rule tells an analyst whose measure its words do not say: the measures the
/// words (with their selector's prefix and suffix) do speak of.
@Suite struct FigureWordsMessageTests {
    @Test func aMeasureTheWordsDoNotSayNamesTheMeasuresTheyDo() throws {
        let figure: JSONValue = [
            "basis": "stated", "measure": "killed", "qualifier": "exact", "low": 11, "high": 11,
            "evidence": ["quote": ["prefix": "أسفر الهجوم عن", "exact": "إصابة 11", "suffix": "جنديًا بجروح"]],
        ]
        let problem = try #require(FigureWords.problem(figure: figure, statement: nil, claimID: "c1"))
        #expect(problem.field == ".measure")
        // The measures read from the window as it is written, joined by spaces.
        let said = MeasureWords.measures(in: "أسفر الهجوم عن إصابة 11 جنديًا بجروح")
        #expect(said.contains("wounded") && !said.contains("killed"))
        #expect(problem.reason.contains("speak of \(said.joined(separator: ", ")), not killed"), "\(problem.reason)")
    }
}
