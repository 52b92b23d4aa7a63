import Foundation
import Testing
import ThreatLedgerCore
import ThreatLedgerStore
import ThreatLedgerTesting

/// Sources corrected and retracted (`SourceCorrected`, `SourceRetracted`) through the real binary:
/// a corrected publication date moves the source's claims under report time from the correction's
/// record time on; a retracted source's claims stop counting, stay listed by id with their source
/// shown retracted, and no new claim may cite it; every replay before keeps what was; every check
/// still passes; and what breaks a rule is refused with nothing appended.
@Suite struct SourceEditTests {
    func run(_ arguments: [String], stdin: String? = nil) throws -> CommandResult {
        try runCommand(threatledgerExecutable, arguments, stdin: stdin.map { Data($0.utf8) })
    }

    func killedInSyria(_ db: String, _ extra: [String] = []) throws -> JSONValue? {
        let summary = try JSONParser().parse(try run(["summary", "--db", db, "--region", "SY", "--format", "json"] + extra).stdout)
        return summary["regions"]?.arrayValue?.first { $0["region"] == "SY" }?["figures"]?["killed"]?["low"]
    }

    func claimIDs(_ db: String, _ extra: [String]) throws -> [String] {
        try run(["claims", "--db", db, "--format", "jsonl"] + extra).stdout.split(separator: "\n").compactMap {
            try JSONParser().parse(String($0))["claim_id"]?.stringValue
        }
    }

    func head(_ db: String) async throws -> ChainHead? { try await SQLiteEventLog(path: db, create: false).head() }

    @Test func aCorrectedPublicationDateMovesTheSourcesClaimsUnderReportTimeFromThenOn() async throws {
        try await withTemporaryDirectory { directory in
            let db = directory.appendingPathComponent("log.sqlite").path
            #expect(try run(["ingest", packageRoot.appendingPathComponent("seeds").path, "--db", db]).status == 0)
            let reported = ["--reported-by", "2020-12-31"]
            #expect(try claimIDs(db, reported).filter { $0.hasPrefix("5a9ba17097eb5f86-") }.count == 18)
            let before = try #require(try await head(db))
            try await Task.sleep(for: .milliseconds(5))

            let corrected = try run([
                "source", "correct", "5a9ba17097eb5f86", "--published", "2021-03-01/month", "--basis", "inferred", "--note", "the month it appeared in print",
                "--title", "عنوان مصحح", "--reason", "the web date is a re-post", "--by", "tester", "--db", db,
            ])
            #expect(corrected.status == 0, "\(corrected.stderr)")
            #expect(try claimIDs(db, reported).filter { $0.hasPrefix("5a9ba17097eb5f86-") }.isEmpty, "published in March 2021 now")
            #expect(try claimIDs(db, ["--reported-by", "2021-03-31"]).filter { $0.hasPrefix("5a9ba17097eb5f86-") }.count == 18)
            let replayed = try claimIDs(db, reported + ["--as-of", before.recordedAt.iso8601])
            #expect(replayed.filter { $0.hasPrefix("5a9ba17097eb5f86-") }.count == 18, "a replay before the correction keeps the old date")

            let provenance = try JSONParser().parse(try run(["provenance", "--db", db, "--source", "5a9ba17097eb5f86", "--format", "json"]).stdout)
            let row = provenance["sources"]?.arrayValue?.first ?? provenance["source"] ?? provenance
            #expect(row["published"]?["start"] == "2021-03-01" && row["title"] == "عنوان مصحح", "\(provenance)")
            #expect(try run(["verify", "--db", db]).status == 0)
            #expect(try run(["verify", "--projections", "--db", db]).status == 0)

            // Refused, with nothing appended: words that are not in the article, an impossible date, nothing to change.
            let kept = try await head(db)
            let absent = try run([
                "source", "correct", "5a9ba17097eb5f86", "--published", "2021-03-01", "--words", "كلمات ليست في المقال", "--reason", "r", "--by", "t",
                "--db", db,
            ])
            #expect(absent.status == 1 && absent.stderr.contains("not in source 5a9ba17097eb5f86's article"), "\(absent.stderr)")
            let impossible = try run(["source", "correct", "5a9ba17097eb5f86", "--published", "2021-02-30", "--reason", "r", "--by", "t", "--db", db])
            #expect(impossible.status == 1, "\(impossible.stderr)")
            let nothing = try run(["source", "correct", "5a9ba17097eb5f86", "--reason", "r", "--by", "t", "--db", db])
            #expect(nothing.status == 1 && nothing.stderr.contains("nothing to correct"))
            #expect(try await head(db) == kept)
        }
    }

    @Test func aRetractedSourcesClaimsStopCountingAndNoNewClaimMayCiteIt() async throws {
        try await withTemporaryDirectory { directory in
            let db = directory.appendingPathComponent("log.sqlite").path
            #expect(try run(["ingest", packageRoot.appendingPathComponent("seeds").path, "--db", db]).status == 0)
            #expect(try killedInSyria(db) == 260)
            let before = try #require(try await head(db))
            try await Task.sleep(for: .milliseconds(5))

            let retracted = try run(["source", "retract", "a896289027671bb9", "--reason", "withdrawn by its outlet", "--by", "tester", "--db", db])
            #expect(retracted.status == 0, "\(retracted.stderr)")
            #expect(try killedInSyria(db) == 175, "its three killed figures no longer count")
            #expect(try killedInSyria(db, ["--as-of", before.recordedAt.iso8601]) == 260, "a replay before keeps them")
            let listed = try claimIDs(db, [])
            #expect(listed.count == 89 - 24 && !listed.contains { $0.hasPrefix("a896289027671bb9-") })

            // Still there by id: history and trace say it stands on a retracted source.
            let history = try JSONParser().parse(try run(["history", "a896289027671bb9-08", "--db", db, "--format", "json"]).stdout)
            #expect(history["source_retracted"] == true && history["source_events"]?.arrayValue?.first?["type"] == "SourceRetracted")
            let trace = try JSONParser().parse(try run(["trace", "claim", "a896289027671bb9-08", "--db", db, "--format", "json"]).stdout)
            #expect(trace["claim"]?["source"]?["retracted"] == true, "\(trace)")
            let diff = try run(["diff", "--db", db, "--from", before.recordedAt.iso8601, "--to", "now", "--region", "SY"])
            #expect(diff.stdout.contains("source a896289027671bb9 retracted by tester"), "\(diff.stdout)")
            #expect(try run(["verify", "--db", db]).status == 0)
            #expect(try run(["verify", "--projections", "--db", db]).status == 0)

            // Nothing follows a retraction, and no new claim may cite the source.
            let kept = try await head(db)
            let again = try run(["source", "retract", "a896289027671bb9", "--reason", "again", "--by", "t", "--db", db])
            #expect(again.status == 1 && again.stderr.contains("source a896289027671bb9 is retracted"))
            let correction = try run(["source", "correct", "a896289027671bb9", "--title", "x", "--reason", "r", "--by", "t", "--db", db])
            #expect(correction.status == 1 && correction.stderr.contains("is retracted"))
            let seedLine = try #require(
                try String(contentsOf: packageRoot.appendingPathComponent("seeds/claims/a896289027671bb9.jsonl"), encoding: .utf8).split(separator: "\n")
                    .first)
            guard case .object(var claim) = try JSONParser().parse(String(seedLine)) else {
                Issue.record("not a claim")
                return
            }
            claim["claim_id"] = "a896289027671bb9-99"
            let line = CanonicalJSON.string([
                "stream": "claim-a896289027671bb9-99", "type": "ClaimRecorded", "payload": .object(claim), "metadata": ["recorded_by": "tester"],
            ])
            let file = directory.appendingPathComponent("new.jsonl")
            try (line + "\n").write(to: file, atomically: true, encoding: .utf8)
            let cited = try run(["append", file.path, "--db", db])
            #expect(cited.status == 1 && cited.stderr.contains("source a896289027671bb9 is retracted"), "\(cited.stderr)")
            #expect(try await head(db) == kept)

            // A copy re-checks every rule on every event and keeps the head.
            let copy = directory.appendingPathComponent("copy.sqlite").path
            #expect(try run(["copy", "--from", db, "--to", copy]).status == 0)
        }
    }
}
