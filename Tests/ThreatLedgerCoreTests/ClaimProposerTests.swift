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
            kind: "detention", figure: ("fighters", 3000, nil, "at_least"), date: nil, country: nil, hedged: true, isis: false),
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
}
