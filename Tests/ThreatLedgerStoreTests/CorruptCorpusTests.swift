import Foundation
import Testing
import ThreatLedgerCore
import ThreatLedgerStore
import ThreatLedgerTesting

/// Each corruption of the seed corpus fails with its exact reason, naming file, line and field.
@Suite struct CorruptCorpusTests {
    /// The seed corpus with one claim line of one file rewritten by `edit`.
    func corrupted(_ file: String = "claims/a896289027671bb9.jsonl", line: Int, _ edit: (inout JSONObject) -> Void)
        throws -> SeedCorpus
    {
        var corpus = try SeedCorpusReader.read(folder: packageRoot.appendingPathComponent("seeds").path)
        let index = try #require(corpus.claims.firstIndex { $0.path.hasSuffix(file) })
        var lines = String(decoding: corpus.claims[index].bytes, as: UTF8.self).split(separator: "\n").map(String.init)
        var claim = try JSONParser().parse(lines[line - 1]).objectValue!
        edit(&claim)
        lines[line - 1] = CanonicalJSON.string(.object(claim))
        corpus.claims[index] = SeedCorpus.File(path: corpus.claims[index].path, bytes: Array((lines.joined(separator: "\n") + "\n").utf8))
        return corpus
    }

    func expectFailure(_ corpus: SeedCorpus, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(sourceLocation: sourceLocation) {
            _ = try CorpusCompiler.compile(corpus, recordedBy: "test")
        } throws: { error in
            let text = "\(error)"
            if !text.contains(message) { Issue.record("got: \(text)", sourceLocation: sourceLocation) }
            return text.contains(message)
        }
    }

    static func setFigure(_ claim: inout JSONObject, _ index: Int, _ key: String, _ value: JSONValue) {
        var figures = claim["figures"]!.arrayValue!
        var figure = figures[index].objectValue!
        figure[key] = value
        figures[index] = .object(figure)
        claim["figures"] = .array(figures)
    }

    @Test func aQuoteThatIsNotInTheArticle() throws {
        // Claim 8 of a896… (line 8): its statement, with one word changed.
        let corpus = try corrupted(line: 8) { claim in
            var statement = claim["statement"]!.objectValue!
            var quote = statement["quote"]!.objectValue!
            let exact = quote["exact"]!.stringValue!.replacingOccurrences(of: "قرابة 75", with: "قرابة 57")
            quote["exact"] = .string(exact)
            statement["quote"] = .object(quote)
            claim["statement"] = .object(statement)
        }
        expectFailure(corpus, "seeds/claims/a896289027671bb9.jsonl:8: statement.position:")
        expectFailure(corpus, "the quote is nowhere in the article (matching is exact: no normalization)")
    }

    @Test func offsetsOffByOne() throws {
        let corpus = try corrupted(line: 8) { claim in
            var figures = claim["figures"]!.arrayValue!
            var figure = figures[1].objectValue!
            var evidence = figure["evidence"]!.objectValue!
            var position = evidence["position"]!.objectValue!
            position["start"] = .number(position["start"]!.numberValue! + 1)
            position["end"] = .number(position["end"]!.numberValue! + 1)
            evidence["position"] = .object(position)
            figure["evidence"] = .object(evidence)
            figures[1] = .object(figure)
            claim["figures"] = .array(figures)
        }
        expectFailure(corpus, "seeds/claims/a896289027671bb9.jsonl:8: figures[1].evidence.position: ")
        expectFailure(corpus, "is not where \"ما لا يقل عن 16\" stands; the quote stands at ")
    }

    @Test func figureWordsThatSay16CodedAs61() throws {
        let corpus = try corrupted(line: 8) { claim in Self.setFigure(&claim, 1, "low", 61) }
        expectFailure(
            corpus,
            "seeds/claims/a896289027671bb9.jsonl:8: figures[1]: claim a896289027671bb9-08 codes at_least (low 61, high null), but its words \"ما لا يقل عن 16\" say at_least (low 16, high null)"
        )
    }

    @Test func aVagueAmountCodedAsANumber() throws {
        // Claim 5 (line 5): "عدد من عناصر" arrested, coded 10.
        let corpus = try corrupted(line: 5) { claim in
            Self.setFigure(&claim, 0, "low", 10)
            Self.setFigure(&claim, 0, "high", 10)
            Self.setFigure(&claim, 0, "qualifier", "exact")
        }
        expectFailure(corpus, "but its words \"عدد من عناصر\" give an unknown amount (عدد): code it unknown")
    }

    @Test func anUnknownCountryCode() throws {
        let corpus = try corrupted(line: 8) { claim in
            var location = claim["location"]!.objectValue!
            location["country"] = "XS"
            claim["location"] = .object(location)
        }
        expectFailure(corpus, "seeds/claims/a896289027671bb9.jsonl:8: payload.location.country: \"XS\" is not an assigned ISO 3166-1 alpha-2 country code")
    }

    @Test func theThirtiethOfFebruary() throws {
        let corpus = try corrupted(line: 8) { claim in
            var date = claim["date"]!.objectValue!
            date["start"] = "2023-02-30"
            date["end"] = "2023-02-30"
            claim["date"] = .object(date)
        }
        expectFailure(corpus, "seeds/claims/a896289027671bb9.jsonl:8: date.end: \"2023-02-30\" is not a real calendar date (YYYY-MM-DD)")
    }

    @Test func aFigureOutsideItsStatement() throws {
        // Point figure 0 of claim 8 at the "25" of "25 شخصًا"… in claim 9's statement instead: "61".
        let corpus = try corrupted(line: 8) { claim in
            var figures = claim["figures"]!.arrayValue!
            let other = try! CorpusCompilerTestsSupport.evidence("ما لا يقل عن 61", article: "000_a896289027671bb9.txt")
            var figure = figures[1].objectValue!
            figure["evidence"] = other
            figure["low"] = 61
            figures[1] = .object(figure)
            claim["figures"] = .array(figures)
        }
        expectFailure(corpus, "seeds/claims/a896289027671bb9.jsonl:8: figures[1].evidence: ")
        expectFailure(corpus, "lies outside the claim's statement")
    }

    @Test func aChangedArticle() throws {
        var corpus = try SeedCorpusReader.read(folder: packageRoot.appendingPathComponent("seeds").path)
        corpus.articles["articles/003_1aee4b5224ae9675.txt"]!.append(UInt8(ascii: " "))
        expectFailure(
            corpus,
            "seeds/sources.jsonl:4: text_sha256: is c9aa9064966992ba37117050027e4e4ff781ccaed0fe02f8f4904db5bcba25c9, but articles/003_1aee4b5224ae9675.txt hashes to "
        )
    }
}

enum CorpusCompilerTestsSupport {
    /// Evidence for the first occurrence of `quote` in a seed article.
    static func evidence(_ quote: String, article: String) throws -> JSONValue {
        let text = try String(contentsOf: packageRoot.appendingPathComponent("seeds/articles/\(article)"), encoding: .utf8)
        return EventFixtures.evidence(quote, in: text)
    }
}
