import Foundation
import Testing
import ThreatLedgerCore
import ThreatLedgerTesting

/// `threatledger selector`: a quote's W3C selectors, exactly as a coded claim stores them.
@Suite struct SelectorCommandTests {
    static let article = packageRoot.appendingPathComponent("seeds/articles/003_1aee4b5224ae9675.txt").path

    @Test func theSelectorsOfEverySeedStatementQuoteEqualTheOnesTheCodedClaimStores() throws {
        let claims = try String(contentsOf: packageRoot.appendingPathComponent("seeds/claims/1aee4b5224ae9675.jsonl"), encoding: .utf8)
        var compared = 0
        for line in claims.split(separator: "\n") {
            let statement = try #require(try JSONParser().parse(String(line))["statement"])
            let exact = try #require(statement["quote"]?["exact"]?.stringValue)
            var arguments = ["selector", Self.article, exact]
            let article = try String(contentsOfFile: Self.article, encoding: .utf8)
            let starts = QuoteLocator.starts(of: Array(exact.unicodeScalars), in: Array(article.unicodeScalars))
            if starts.count > 1 {
                let position = try #require(statement["position"]?["start"]?.integerValue)
                arguments += ["--occurrence", String(try #require(starts.firstIndex(of: Int(position))) + 1)]
            }
            let result = try runCommand(threatledgerExecutable, arguments)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try JSONParser().parse(result.stdout) == statement, "\(exact)")
            compared += 1
        }
        #expect(compared >= 10)
    }

    @Test func anAbsentQuoteAnAmbiguousOneAndAnArticleThatIsNotUTF8AreRefusedClearly() async throws {
        let absent = try runCommand(threatledgerExecutable, ["selector", Self.article, "هذه الكلمات ليست في المقال"])
        #expect(absent.status == 1)
        #expect(absent.stderr.contains("does not occur in the article"))
        #expect(absent.stdout.isEmpty)
        let ambiguous = try runCommand(threatledgerExecutable, ["selector", Self.article, "داعش"])
        #expect(ambiguous.status == 1)
        #expect(ambiguous.stderr.contains("times (at code points"))
        #expect(ambiguous.stderr.contains("--occurrence"))
        let second = try runCommand(threatledgerExecutable, ["selector", Self.article, "داعش", "--occurrence", "2"])
        #expect(second.status == 0, "\(second.stderr)")
        let first = try runCommand(threatledgerExecutable, ["selector", Self.article, "داعش", "--occurrence", "1"])
        #expect(
            (try JSONParser().parse(first.stdout)["position"]?["start"]?.integerValue ?? 0)
                < (try JSONParser().parse(second.stdout)["position"]?["start"]?.integerValue ?? 0))
        try await withTemporaryDirectory { directory in
            let latin1 = directory.appendingPathComponent("latin1.txt")
            try Data([0x63, 0x61, 0x66, 0xE9]).write(to: latin1)
            let refused = try runCommand(threatledgerExecutable, ["selector", latin1.path, "caf"])
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("is not valid UTF-8"))
        }
    }

    @Test func positionsCountCodePointsNotUTF16UnitsOrGraphemes() throws {
        // U+1F600 is two UTF-16 units; "é" written as e + U+0301 is one grapheme of two code points.
        let article = "😀 e\u{301} قتل 5 أشخاص"
        let evidence = try QuoteLocator.locate("قتل 5", in: article)
        #expect(evidence.start == 5)
        #expect(evidence.end == 10)
        #expect(evidence.prefix == "😀 e\u{301} ")
        #expect(evidence.articleSHA256 == SHA256Hash.of(text: article).hex)
        // Exact: the precomposed "é" does not match the decomposed one.
        #expect(throws: QuoteLocator.Failure.absent(quote: "\u{E9}")) { try QuoteLocator.locate("\u{E9}", in: article) }
    }
}
