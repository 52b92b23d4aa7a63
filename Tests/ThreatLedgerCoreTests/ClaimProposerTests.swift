import Foundation
import Testing
import ThreatLedgerCore
import ThreatLedgerTesting

/// The proposer on short Arabic paragraphs written for these tests (not the seeds, which are the
/// development set): different outlets' styles, both digit scripts, hedged and unhedged, relative
/// and explicit dates. Each names what must be proposed.
@Suite struct ClaimProposerTests {
    struct Expected: Sendable, CustomTestStringConvertible {
        let text: String
        let published: CodedDate
        let kind: String
        /// measure, low, high, qualifier of the first figure, or nil for none.
        let figure: (String, Int64?, Int64?, String)?
        let date: (String, String)?
        let country: String?
        let hedged: Bool
        let isis: Bool
        var testDescription: String { "\(kind): \(text.prefix(40))…" }
    }

    static func day(_ text: String) -> CodedDate {
        let d = CalendarDate(iso8601: text)!
        return CodedDate(start: d, end: d, precision: .day, basis: .stated, words: nil)
    }

    static let paragraphs: [Expected] = [
        Expected(
            text: "هاجم مسلحو تنظيم داعش حاجزا للجيش العراقي في محافظة ديالى أمس، مما أسفر عن مقتل 7 جنود.", published: day("2024-03-13"),
            kind: "attack", figure: ("killed", 7, 7, "exact"), date: ("2024-03-12", "2024-03-12"), country: "IQ", hedged: false, isis: true),
        Expected(
            text: "أعلنت قوات سوريا الديمقراطية اعتقال ١٢ عنصرا من خلايا داعش في ريف دير الزور يوم الخميس الماضي.", published: day("2024-03-13"),
            kind: "arrest", figure: ("arrested", 12, 12, "exact"), date: ("2024-03-07", "2024-03-07"), country: "SY", hedged: false, isis: true),
        Expected(
            text: "وبحسب مصادر محلية، قتل قرابة 20 شخصا في تفجير انتحاري استهدف سوقا شعبيا في كابل.", published: day("2023-06-01"),
            kind: "attack", figure: ("killed", 20, 20, "about"), date: nil, country: "AF", hedged: true, isis: false),
        Expected(
            text: "تمكن أكثر من 30 سجينا من الفرار بعد هجوم شنه تنظيم الدولة الإسلامية على سجن في 5 يناير 2022.", published: day("2022-01-10"),
            kind: "prison_break", figure: ("escaped", 30, nil, "more_than"), date: ("2022-01-05", "2022-01-05"), country: nil, hedged: false, isis: true),
        Expected(
            text: "صادرت السلطات الأمريكية ما يصل إلى 2 مليون دولار من العملات المشفرة كانت مخصصة لتمويل داعش.", published: day("2020-08-14"),
            kind: "financing_seizure", figure: ("amount", nil, 2_000_000, "up_to"), date: nil, country: nil, hedged: false, isis: true),
        Expected(
            text: "يُعتقد أن ما لا يقل عن 3000 من مقاتلي التنظيم محتجزون في سجن غويران.", published: day("2022-01-25"),
            kind: "detention", figure: ("prisoners_held", 3000, nil, "at_least"), date: nil, country: nil, hedged: true, isis: false),
        Expected(
            text: "قُتل ما بين 5 إلى 8 من عناصر الشرطة في كمين نصبه مسلحون قرب كركوك في شباط 2021.", published: day("2021-03-02"),
            kind: "attack", figure: ("killed", 5, 8, "range"), date: ("2021-02-01", "2021-02-28"), country: "IQ", hedged: false, isis: false),
        Expected(
            text: "نفذت القوات الأمنية عملية أمنية واسعة اليوم أسفرت عن مقتل ٤ من عناصر داعش.", published: day("2019-11-20"),
            kind: "counter_operation", figure: ("killed", 4, 4, "exact"), date: ("2019-11-20", "2019-11-20"), country: nil, hedged: false, isis: true),
        Expected(
            text: "أفادت التقارير بأن عددا من الأشخاص قتلوا في هجوم على قرية قرب تكريت.", published: day("2020-07-15"),
            kind: "attack", figure: ("killed", nil, nil, "unknown"), date: nil, country: "IQ", hedged: true, isis: false),
        Expected(
            text: "لا يزال تنظيم داعش يحتفظ بوجود في البادية السورية ويسيطر على مساحات صغيرة.", published: day("2019-03-23"),
            kind: "territorial", figure: nil, date: nil, country: "SY", hedged: false, isis: true),
    ]

    @Test(arguments: paragraphs)
    func eachParagraphGivesTheExpectedProposalWithItsOwnWords(_ expected: Expected) throws {
        let article = ClaimProposer.Article(text: expected.text, published: expected.published)
        let proposals = ClaimProposer.propose(article)
        let claim = try #require(proposals.first, "no proposal")
        #expect(claim["kind"]?.stringValue == expected.kind, "\(claim["proposal"]?["cues"] ?? nil)")
        if let (measure, low, high, qualifier) = expected.figure {
            let figure = try #require(claim["figures"]?.arrayValue?.first, "no figure: \(claim["proposal"]?["cues"] ?? nil)")
            #expect(figure["measure"]?.stringValue == measure)
            #expect(figure["low"]?.integerValue == low)
            #expect(figure["high"]?.integerValue == high)
            #expect(figure["qualifier"]?.stringValue == qualifier)
        } else {
            #expect(claim["figures"]?.arrayValue?.isEmpty == true)
        }
        if let (start, end) = expected.date {
            #expect(claim["date"]?["start"]?.stringValue == start)
            #expect(claim["date"]?["end"]?.stringValue == end)
            #expect(claim["date"]?["words"]?.stringValue.map { expected.text.contains($0) } == true)
        } else {
            #expect(claim["date"]?["precision"]?.stringValue == "unknown")
        }
        if let country = expected.country { #expect(claim["location"]?["country"]?.stringValue == country) }
        #expect(claim["attribution"]?["hedged"]?.boolValue == expected.hedged)
        #expect((claim["actors"]?["perpetrator"]?["type"]?.stringValue == "isis") == expected.isis)
        // Every quote is the article's own code points at its selector.
        let scalars = Array(expected.text.unicodeScalars)
        for evidence in [claim["statement"]] + (claim["figures"]?.arrayValue ?? []).map({ $0["evidence"] }) {
            let start = Int(try #require(evidence?["position"]?["start"]?.integerValue))
            let end = Int(try #require(evidence?["position"]?["end"]?.integerValue))
            #expect(String(String.UnicodeScalarView(scalars[start..<end])) == evidence?["quote"]?["exact"]?.stringValue)
        }
        // A draft passes every rule but the one that refuses drafts; accepted, it passes them all.
        let event = ProposedEvent(
            id: EventID.random(), stream: try StreamName.entity("claim", claim["claim_id"]!.stringValue!), type: "ClaimRecorded", payload: claim,
            metadata: EventMetadata(recordedBy: "test"))
        #expect { try EventValidator.standard.validate(event) } throws: { "\($0)".contains("payload.proposal.status: is proposed") }
        var accepted = event
        accepted.payload = ProposalReview.accept(claim, by: "A. Analyst")
        #expect(try EventValidator.standard.validate(accepted) == .claimRecorded)
        let checked = EvidenceCheck.Article(text: expected.text, sha256: SHA256Hash.of(text: expected.text).hex)
        let failure = EvidenceCheck.firstFailure(in: accepted.payload, article: checked)
        #expect(failure == nil, "\(String(describing: failure))")
    }

    @Test func theEmbeddedLexiconMatchesItsFilesAndEveryEntryHasAGloss() throws {
        let check = try runCommand(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", packageRoot.appendingPathComponent("scripts/embed-lexicon.py").path, "--check"])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(ProposalLexicon.triggers.count >= 50)
        #expect(ProposalLexicon.triggers.allSatisfy { !$0.gloss.isEmpty && (0...1).contains($0.weight) })
        #expect(ProposalLexicon.hedges.allSatisfy { !$0.gloss.isEmpty })
    }

    @Test func aSentenceWithNoTriggerProposesNothingAndSpellingVariantsStillMatch() {
        let calm = ClaimProposer.Article(text: "عقد المؤتمر السنوي للزراعة في العاصمة بحضور عدد كبير من المزارعين.", published: Self.day("2024-01-01"))
        #expect(ClaimProposer.propose(calm).isEmpty)
        // Tatweel and diacritics in the article do not hide the trigger; the quote keeps them.
        let text = "هـــاجَمَ مسلحون نقطة تفتيش وأسفر الهجوم عن مقتل ثلاثة أشخاص."
        let claim = ClaimProposer.propose(ClaimProposer.Article(text: text, published: Self.day("2024-01-01"))).first
        #expect(claim?["kind"]?.stringValue == "attack")
        #expect(claim?["statement"]?["quote"]?["exact"]?.stringValue?.hasPrefix("هـــاجَمَ") == true)
    }

    /// Sentences with several figures, each with the measure its own words say.
    static let figureSentences: [(text: String, published: String, figures: [(String, Int64?, Int64?, String)])] = [
        ("أسفر هجوم لداعش في الرقة عن مقتل 5 أشخاص وإصابة 12 آخرين.", "2024-03-13", [("killed", 5, 5, "exact"), ("wounded", 12, 12, "exact")]),
        // A number joined by «و» to the figure before it counts the same thing.
        ("أدى هجوم داعش إلى مقتل ما لا يقل عن 61 مدنيًا، وسبعة جنود.", "2023-02-20", [("killed", 61, nil, "at_least"), ("killed", 7, 7, "exact")]),
        // A range whose high end is written in words and glued to «و».
        ("تشير التقديرات إلى أن عدد المقاتلين يتراوح بين 2500 وأربعة آلاف مقاتل في ولاية ننغرهار.", "2019-03-23", [("fighters", 2500, 4000, "range")]),
        // «مئة» keeps its hamza for the quantity reader.
        ("وبحسب التقرير فإن عدد مقاتلي التنظيم بين مئة ومئتي مقاتل في وسط مالي.", "2019-03-23", [("fighters", 100, 200, "range")]),
        // Killing and wounding said together: casualties.
        ("استهدف عناصر داعش نقطة عسكرية أسفر عن مقتل وجرح عدد من عناصر الجيش.", "2020-08-15", [("casualties", nil, nil, "unknown")]),
        // Amounts with no number, each with the measure of the words just before it.
        (
            "قتل 175 من المهاجمين في الهجوم على السجن، فضلا عن إعادة القبض على المئات، وفرار عدد غير معروف، ونزوح عشرات الآلاف من المدنيين.",
            "2022-01-25",
            [("killed", 175, 175, "exact"), ("recaptured", nil, nil, "unknown"), ("escaped", nil, nil, "unknown"), ("displaced", nil, nil, "unknown")]
        ),
        ("صادرت السلطات الأمريكية ملايين الدولارات من حسابات داعش.", "2020-08-15", [("amount", nil, nil, "unknown")]),
        // A day before a month's name is a date, not a count.
        ("في 11 فبراير 2023 اختطف مقاتلو داعش قرابة 75 صيادًا للكمأة قرب تدمر.", "2023-02-24", [("kidnapped", 75, 75, "about")]),
    ]

    @Test func eachFigureTakesTheMeasureItsOwnWordsSay() throws {
        for sentence in Self.figureSentences {
            let claim = try #require(ClaimProposer.propose(.init(text: sentence.text, published: Self.day(sentence.published))).first, "\(sentence.text)")
            let figures = (claim["figures"]?.arrayValue ?? []).map {
                "\($0["measure"]?.stringValue ?? "-") \($0["low"]?.integerValue.map(String.init) ?? "-") \($0["high"]?.integerValue.map(String.init) ?? "-") \($0["qualifier"]?.stringValue ?? "-")"
            }
            let expected = sentence.figures.map { "\($0.0) \($0.1.map(String.init) ?? "-") \($0.2.map(String.init) ?? "-") \($0.3)" }
            #expect(figures == expected, "\(sentence.text): \(claim["proposal"]?["cues"] ?? nil)")
            var accepted = claim
            accepted = ProposalReview.accept(claim, by: "A. Analyst")
            let checked = EvidenceCheck.Article(text: sentence.text, sha256: SHA256Hash.of(text: sentence.text).hex)
            #expect(EvidenceCheck.firstFailure(in: accepted, article: checked) == nil)
        }
    }

    @Test func datesResolveAgainstThePublicationInBothCalendarsAndCarryIntoAContinuingSentence() throws {
        func date(_ text: String, _ published: String, at index: Int = 0) -> (String?, String?, String?) {
            let claims = ClaimProposer.propose(.init(text: text, published: Self.day(published)))
            guard index < claims.count else { return (nil, nil, nil) }
            let date = claims[index]["date"]
            return (date?["start"]?.stringValue, date?["end"]?.stringValue, date?["basis"]?.stringValue)
        }
        // «يناير/كانون الثاني»: both calendars' names for one month, then the year.
        #expect(
            date("وفي 21 يناير/كانون الثاني 2023، اعتقلت القوات الأمريكية ثلاثة من عناصر داعش في شرق سوريا.", "2023-02-24") == (
                "2023-01-21", "2023-01-21", "stated"
            ))
        #expect(date("وفي أغسطس/آب 2020، صادرت السلطات ملايين الدولارات من حسابات داعش.", "2023-02-24") == ("2020-08-01", "2020-08-31", "stated"))
        // A month with no year: the latest such month before the publication.
        #expect(date("اعتقلت قوات الأمن خمسة من عناصر داعش في ديسمبر الماضي.", "2023-02-20") == ("2022-12-01", "2022-12-31", "relative"))
        #expect(date("اعتقلت قوات الأمن خمسة من عناصر داعش في يناير.", "2023-02-20") == ("2023-01-01", "2023-01-31", "relative"))
        #expect(date("قتل 4 أشخاص في هجوم لداعش العام الماضي.", "2023-05-10") == ("2022-01-01", "2022-12-31", "relative"))
        #expect(date("قتل 4 أشخاص في هجوم لداعش قبل ثلاثة أعوام.", "2023-05-10") == ("2020-01-01", "2020-12-31", "relative"))
        // A sentence that continues an incident, with no date of its own, takes that date, inferred.
        let carried = "هاجم مسلحو داعش نقطة للجيش يوم أمس في دير الزور. وأسفر الهجوم عن مقتل ثلاثة جنود."
        #expect(date(carried, "2024-03-13", at: 1) == ("2024-03-12", "2024-03-12", "inferred"))
    }

    @Test func aSentenceThatContinuesAClaimJoinsItAndCommentaryOrRepeatsAreNotProposed() throws {
        let text = "اختطف مسلحو داعش 20 راعيًا في البادية السورية. وفيما أُفرج عن 5 منهم، لا يزال الباقون مفقودين."
        let claims = ClaimProposer.propose(.init(text: text, published: Self.day("2024-03-13")))
        #expect(claims.count == 1)
        #expect(claims.first?["statement"]?["quote"]?["exact"]?.stringValue == String(text.dropLast()))
        #expect(claims.first?["figures"]?.arrayValue?.map { $0["measure"]?.stringValue } == ["kidnapped", "released"])
        // A trigger with no figure, date or place is commentary unless asked for.
        let commentary = ClaimProposer.Article(text: "يجب أن يكون الاعتداء بمثابة جرس إنذار للدول.", published: Self.day("2022-01-25"))
        #expect(ClaimProposer.propose(commentary).isEmpty)
        #expect(ClaimProposer.propose(commentary, includeUnanchored: true).count == 1)
        // A sentence repeated word for word (a headline echoed in the body) is proposed once.
        let repeated = "قتل 4 أشخاص في هجوم لداعش في كركوك.\nقتل 4 أشخاص في هجوم لداعش في كركوك."
        let once = ClaimProposer.propose(.init(text: repeated, published: Self.day("2024-03-13")))
        #expect(once.map { $0["claim_id"]?.stringValue?.suffix(3) } == ["p01"])
    }
}
