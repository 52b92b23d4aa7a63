import Foundation
import Testing
import ThreatLedgerCore
import ThreatLedgerStore
import ThreatLedgerTesting

/// The seed corpus in seeds/: its articles, its coding, and ingesting it.
@Suite struct SeedCorpusTests {
    static let seeds = packageRoot.appendingPathComponent("seeds").path

    func corpus() throws -> SeedCorpus { try SeedCorpusReader.read(folder: Self.seeds) }

    static let shared = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/seeds")

    /// Runs where ../shared/seeds is beside the checkout (developers' machines and CI).
    @Test(.enabled(if: FileManager.default.fileExists(atPath: shared.path), "../shared/seeds is not beside the checkout"))
    func theArticlesAreByteForByteThoseOfSharedSeeds() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.shared.path).filter { $0.hasSuffix(".txt") }
        try #require(names.count == 5)
        let shared = Self.shared
        let corpus = try corpus()
        for name in names {
            let original = try Data(contentsOf: shared.appendingPathComponent(name))
            let copy = try #require(corpus.articles["articles/\(name)"], "\(name) is missing from seeds/articles")
            #expect(SHA256Hash.of(copy) == SHA256Hash.of(original), "\(name) differs from ../shared/seeds")
        }
        #expect(corpus.articles.count == 5)
    }

    @Test func everyQuoteInSeedsStandsAtItsCodePointPositionInItsArticle() throws {
        let corpus = try corpus()
        var articles: [String: [Unicode.Scalar]] = [:]
        for bytes in corpus.articles.values {
            articles[SHA256Hash.of(bytes).hex] = Array(String(decoding: bytes, as: UTF8.self).unicodeScalars)
        }
        var checked = 0
        func walk(_ value: JSONValue) throws {
            switch value {
            case .object(let members):
                if let quote = members["quote"], let position = members["position"], let hash = members["article_sha256"] {
                    let text = try #require(articles[hash.stringValue!], "evidence names an unknown article")
                    let start = Int(position["start"]!.integerValue!)
                    let end = Int(position["end"]!.integerValue!)
                    var view = String.UnicodeScalarView()
                    view.append(contentsOf: text[start..<end])
                    #expect(String(view) == quote["exact"]!.stringValue!)
                    checked += 1
                }
                for member in members.values { try walk(member) }
            case .array(let elements):
                for element in elements { try walk(element) }
            default:
                break
            }
        }
        for file in corpus.claims + [corpus.sources] {
            for line in String(decoding: file.bytes, as: UTF8.self).split(separator: "\n") {
                try walk(try JSONParser().parse(String(line)))
            }
        }
        #expect(checked > 250, "only \(checked) evidence spans found")
    }

    @Test func theCorpusCompilesToTheSameEventsEveryTime() throws {
        let first = try CorpusCompiler.compile(try corpus(), recordedBy: "test")
        let second = try CorpusCompiler.compile(try corpus(), recordedBy: "test")
        #expect(first.events == second.events)
        #expect(first.sourceCount == 5)
        #expect(first.claimCount == 89)
        #expect(first.incidentCount == 6)
        #expect(first.events.count == 100)
    }

    @Test func ingestingTwiceGivesTheSameEventCountAndHeadHash() async throws {
        try await withTemporaryLog { log, _ in
            let events = try CorpusCompiler.compile(try corpus(), recordedBy: "test").events
            let first = try await log.append(events)
            let second = try await log.append(events)
            #expect(first.appendedCount == 100)
            #expect(second.appendedCount == 0)
            #expect(second.head == first.head)
            #expect(try await log.verify { _ in }.isValid)
        }
    }

    @Test func theHasakahPrisonAssaultIsOnePrisonBreakIncidentWithAllItsSources() throws {
        let events = try CorpusCompiler.compile(try corpus(), recordedBy: "test").events
        let incident = try #require(events.first { $0.stream.rawValue == "incident-hasakah-prison-assault-2022" })
        #expect(incident.payload["kind"] == "prison_break")
        let claimIDs = incident.payload["claim_ids"]!.arrayValue!.compactMap(\.stringValue)
        let sources = Set(claimIDs.map { $0.split(separator: "-").first.map(String.init)! })
        #expect(sources == ["a896289027671bb9", "9fda8b7b93fb41eb", "1aee4b5224ae9675"])
        let disagreement = try #require(incident.payload["disagreements"]?.arrayValue?.first)
        #expect(disagreement["field"] == "date")
    }

    @Test func theCodingWorksheetReproducesSeedsExactly() throws {
        let result = try runCommand(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["python3", packageRoot.appendingPathComponent("scripts/seed-coding/code_seeds.py").path, "--check"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    }
}
