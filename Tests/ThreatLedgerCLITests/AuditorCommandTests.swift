import Foundation
import Testing
import ThreatLedgerCore
import ThreatLedgerTesting

@Suite struct AuditorCommandTests {
    func withSeededLog(_ body: (String) throws -> Void) async throws { try await withIngestedSeeds(body) }

    func run(_ arguments: [String]) throws -> CommandResult { try runCommand(threatledgerExecutable, arguments) }

    @Test func traceOfAFigureResolvesEveryClaimToVerifiedQuotes() async throws {
        try await withSeededLog { db in
            let result = try run(["trace", "--db", db, "--region", "SY/Hasakah", "--measure", "killed", "--format", "json"])
            #expect(result.status == 0, "\(result.stderr)")
            let json = try JSONParser().parse(result.stdout)
            #expect(json["holds"] == true)
            #expect(json["sections"]?.arrayValue?.first?["total"]?["low"] == 175)
            let claim = try #require(json["claims"]?.arrayValue?.first)
            #expect(claim["source"]?["verified"] == true)
            #expect(claim["figures"]?.arrayValue?.first?["evidence"]?["exact"] == "175 قتيلا")
            #expect(claim["figures"]?.arrayValue?.first?["evidence"]?["quote_at_position"] == true)
            let table = try run(["trace", "--db", db, "--region", "SY/Hasakah", "--measure", "killed"])
            #expect(table.stdout.contains("«\u{2068}175 قتيلا\u{2069}»"))
        }
    }

    @Test func traceOfOneClaimAndOfAnUnknownClaim() async throws {
        try await withSeededLog { db in
            let result = try run(["trace", "claim", "5a9ba17097eb5f86-08", "--db", db, "--format", "json"])
            #expect(result.status == 0)
            let json = try JSONParser().parse(result.stdout)
            #expect(json["claim"]?["attribution"]?["cited_type"] == "official")
            #expect(json["claim"]?["figures"]?.arrayValue?.first?["evidence"]?["exact"] == "نحو مليوني دولار")
            let missing = try run(["trace", "claim", "nope-01", "--db", db])
            #expect(missing.status == 1 && missing.stderr == "error: no claim nope-01 in the log\n")
            let usage = try run(["trace", "--db", db, "--region", "SY"])
            #expect(usage.status != 0 && usage.stderr.contains("give --region and --measure"))
        }
    }

    @Test func correctRetractAndHistoryThroughTheCommand() async throws {
        try await withSeededLog { db in
            // 11 killed, qualifier exact: a new low alone would contradict it, and is refused.
            let invalid = try run(["correct", "1aee4b5224ae9675-01", "--figure", "killed", "--low", "12", "--reason", "typo", "--by", "me", "--db", db])
            #expect(invalid.status == 1)
            #expect(
                invalid.stderr.contains("the corrected claim would break a rule: payload.figures[0]: qualifier exact: low and high must both be set and equal"))
            let noFigure = try run(["correct", "1aee4b5224ae9675-01", "--figure", "wounded", "--low", "3", "--reason", "x", "--by", "me", "--db", db])
            #expect(noFigure.stderr.contains("claim 1aee4b5224ae9675-01 has no wounded figure (it has: killed)"))
            // New bounds on the same words are refused; declared as inferred, with how, they are taken.
            let valid = try run([
                "correct", "1aee4b5224ae9675-01", "--figure", "killed", "--low", "12", "--high", "12", "--basis", "inferred",
                "--note", "the ministry's later count", "--reason", "ministry update", "--by", "A. Auditor", "--db", db,
            ])
            #expect(valid.status == 0, "\(valid.stderr)")
            #expect(valid.stdout.contains("appended ClaimCorrected for claim-1aee4b5224ae9675-01 at position 101 (claim version 2)"))
            let retract = try run(["retract", "1aee4b5224ae9675-01", "--reason", "duplicate of the body's claim", "--by", "A. Auditor", "--db", db])
            #expect(retract.status == 0)
            let again = try run(["retract", "1aee4b5224ae9675-01", "--reason", "x", "--by", "me", "--db", db])
            #expect(again.status == 1 && again.stderr.contains("is retracted"))
            let afterRetraction = try run(["correct", "1aee4b5224ae9675-01", "--figure", "killed", "--note", "x", "--reason", "x", "--by", "me", "--db", db])
            #expect(afterRetraction.status == 1 && afterRetraction.stderr.contains("is retracted; it can no longer be corrected"))
            let history = try run(["history", "1aee4b5224ae9675-01", "--db", db, "--format", "json"])
            let versions = try JSONParser().parse(history.stdout)["versions"]?.arrayValue ?? []
            #expect(versions.map { $0["type"] } == ["ClaimRecorded", "ClaimCorrected", "ClaimRetracted"])
            #expect(versions[1]["recorded_by"] == "A. Auditor" && versions[1]["reason"] == "ministry update")
            #expect(versions[0]["claim_after"]?["figures"]?.arrayValue?.first?["low"] == 11)
            // The Udhaim incident still counts once through the body's claim.
            let summary = try run(["summary", "--db", db, "--region", "IQ/Diyala", "--format", "json"])
            let diyala = try JSONParser().parse(summary.stdout)["regions"]?.arrayValue?.first
            #expect(diyala?["figures"]?["killed"]?["claim_ids"] == ["1aee4b5224ae9675-10"])
        }
    }

    /// The reproductions of the issue: a figure corrected against its own words (99 on «11 جنديًا», the
    /// `--help` example's 18 on «ما لا يقل عن 16») is refused with nothing appended, and trace still holds.
    @Test func aCorrectionThatContradictsItsOwnWordsIsRefusedAndAppendsNothing() async throws {
        try await withSeededLog { db in
            let before = try run(["head", "--db", db]).stdout
            let ninetyNine = try run([
                "correct", "1aee4b5224ae9675-01", "--figure", "killed", "--low", "99", "--high", "99", "--reason", "x", "--by", "y", "--db", db,
            ])
            #expect(ninetyNine.status == 1)
            #expect(ninetyNine.stderr.contains("codes exact (low 99, high 99), but its words \"11 جنديًا\" say exact (low 11, high 11)"), "\(ninetyNine.stderr)")
            let eighteen = try run([
                "correct", "a896289027671bb9-08", "--figure", "killed", "--index", "1", "--low", "18", "--reason", "x", "--by", "y", "--db", db,
            ])
            #expect(eighteen.status == 1)
            #expect(eighteen.stderr.contains("but its words \"ما لا يقل عن 16\" say at_least (low 16, high null)"), "\(eighteen.stderr)")
            // A claim with two killed figures («175 قتيلا» and «العشرات») needs the index.
            let ambiguous = try run([
                "correct", "1aee4b5224ae9675-06", "--figure", "killed", "--low", "176", "--high", "176", "--basis", "inferred", "--note", "x", "--reason", "x",
                "--by", "y", "--db", db,
            ])
            #expect(
                ambiguous.status == 1 && ambiguous.stderr.contains("has 2 killed figures (at 0, 3): name the one to change with index"), "\(ambiguous.stderr)")
            // An index names one figure, of the measure given.
            let wrongIndex = try run([
                "correct", "a896289027671bb9-08", "--figure", "killed", "--index", "0", "--low", "18", "--reason", "x", "--by", "y", "--db", db,
            ])
            #expect(wrongIndex.status == 1 && wrongIndex.stderr.contains("has no killed figure at index 0 (its killed figures: 1)"), "\(wrongIndex.stderr)")
            #expect(try run(["head", "--db", db]).stdout == before)
            let trace = try run(["trace", "claim", "1aee4b5224ae9675-01", "--db", db])
            #expect(trace.status == 0, "\(trace.stderr)")
            #expect(trace.stdout.contains("figure killed 11"))
        }
    }

    /// A later article revises a toll: the correction cites its words (found by the command), the
    /// trace shows the figure in that source, and verify re-checks the quote there.
    @Test func aCorrectionCitesALaterArticleAndTheTraceShowsItsWords() async throws {
        try await withSeededLog { db in
            let text = "وفي تحديث لاحق ارتفعت حصيلة هجوم العظيم إلى مقتل 12 جنديًا عراقيًا.\n"
            let source = EventFixtures.sourceRegistered(id: "later-report", text: text)
            let line = CanonicalJSON.string(["stream": .string(source.stream.rawValue), "type": "SourceRegistered", "payload": source.payload])
            let file = db + ".later.jsonl"
            try Data((line + "\n").utf8).write(to: URL(fileURLWithPath: file))
            let appended = try run(["append", file, "--db", db, "--by", "analyst"])
            #expect(appended.status == 0, "\(appended.stderr)")
            let corrected = try run([
                "correct", "1aee4b5224ae9675-01", "--figure", "killed", "--low", "12", "--high", "12", "--source", "later-report",
                "--quote", "12 جنديًا", "--reason", "the toll rose", "--by", "A. Analyst", "--db", db,
            ])
            #expect(corrected.status == 0, "\(corrected.stderr)")
            let trace = try run(["trace", "claim", "1aee4b5224ae9675-01", "--db", db, "--format", "json"])
            #expect(trace.status == 0, "\(trace.stderr)")
            let figure = try JSONParser().parse(trace.stdout)["claim"]?["figures"]?.arrayValue?.first
            #expect(figure?["source_id"] == "later-report" && figure?["low"] == 12 && figure?["words_agree"] == true)
            #expect(figure?["evidence"]?["exact"] == "12 جنديًا" && figure?["evidence"]?["quote_at_position"] == true)
            let verify = try run(["verify", "--db", db])
            #expect(verify.status == 0, "\(verify.stderr)")
        }
    }

    @Test func clocksOnSummaryAndClaimsSayHowTheyWereComputed() async throws {
        try await withSeededLog { db in
            let summary = try run(["summary", "--db", db, "--reported-by", "2020-12-31", "--format", "json"])
            let json = try JSONParser().parse(summary.stdout)
            #expect(json["as_of"]?["computed_from"] == "claim versions")
            #expect(json["as_of"]?["clocks"]?["reported_by"] == "2020-12-31")
            #expect(json["as_of"]?["clock_report"]?["claims_kept"] == 41)
            let claims = try run(["claims", "--db", db, "--reported-by", "2019-12-31", "--format", "jsonl"])
            #expect(claims.stdout.split(separator: "\n").count == 23)
            let early = try run(["claims", "--db", db, "--as-of", "2000-01-01", "--format", "jsonl"])
            #expect(early.status == 0 && early.stdout.isEmpty)
            let bad = try run(["summary", "--db", db, "--occurred-by", "2023-02-30"])
            #expect(bad.status != 0 && bad.stderr.contains("--occurred-by 2023-02-30: not a real date"))
        }
    }

    @Test func diffOnTheReportClockNamesTheClaimsOfNewlyPublishedSources() async throws {
        try await withSeededLog { db in
            let result = try run(["diff", "--db", db, "--from", "2019-12-31", "--to", "2020-12-31", "--clock", "report", "--format", "json"])
            #expect(result.status == 0, "\(result.stderr)")
            let json = try JSONParser().parse(result.stdout)
            let events = json["events"]?.arrayValue ?? []
            let streams = Set(events.compactMap { $0["stream"]?.stringValue })
            #expect(streams.count == 19)
            #expect(streams.subtracting(["source-5a9ba17097eb5f86"]).allSatisfy { $0.hasPrefix("claim-5a9ba17097eb5f86-") })
            // The events say in words what they did: the source became visible on the report clock.
            let words = events.compactMap { $0["words"]?.stringValue }
            #expect(words.contains { $0.hasPrefix("source 5a9ba17097eb5f86 (published 2020-") && $0.hasSuffix("became visible") }, "\(words)")
            #expect(json["changes"]?.arrayValue?.contains { $0["region"] == "US" } == true)
        }
    }

    @Test func diffNamesTheSourceThatBecameVisibleAndHonoursTheRegion() async throws {
        try await withSeededLog { db in
            let result = try run(["diff", "--db", db, "--from", "2022-01-01", "--to", "2022-02-28", "--clock", "report", "--region", "SY"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("source 1aee4b5224ae9675 (published 2022-01-24..2022-01-31) became visible"), "\(result.stdout)")
            // Every event listed touches SY: none of Iraq's claims.
            let json = try JSONParser().parse(
                try run(["diff", "--db", db, "--from", "2000-01-01", "--to", "now", "--region", "IQ", "--format", "json"]).stdout)
            let streams = (json["events"]?.arrayValue ?? []).compactMap { $0["stream"]?.stringValue }
            #expect(!streams.isEmpty)
            #expect(!streams.contains("claim-a896289027671bb9-08"), "a Syrian claim is not behind Iraq's changes")
            #expect(json["changes"]?.arrayValue?.allSatisfy { ($0["region"]?.stringValue ?? "").hasPrefix("IQ") } == true)
        }
    }

    @Test func diffOnTheRecordClockSaysWhoCorrectedAClaimAndWhy() async throws {
        try await withSeededLog { db in
            let before = try run(["stats", "--db", db, "--format", "json"])
            let at = try #require(try JSONParser().parse(before.stdout)["head"]?["recorded_at"]?.stringValue)
            let correct = try run([
                "correct", "a896289027671bb9-08", "--db", db, "--figure", "killed", "--basis", "inferred", "--note", "recounted from the same words",
                "--reason", "the toll needs its basis restated", "--by", "A. Analyst",
            ])
            try #require(correct.status == 0, "\(correct.stderr)")
            let diff = try run(["diff", "--db", db, "--from", at, "--to", "now", "--format", "json"])
            #expect(diff.status == 0, "\(diff.stderr)")
            let words = (try JSONParser().parse(diff.stdout)["events"]?.arrayValue ?? []).compactMap { $0["words"]?.stringValue }
            #expect(words == ["claim a896289027671bb9-08 corrected by A. Analyst: reason the toll needs its basis restated"], "\(words)")
        }
    }
}
