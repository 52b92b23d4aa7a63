import Foundation
import Testing
import ThreatLedgerCore
import ThreatLedgerTesting

@Suite struct SummaryCommandTests {
    func withSeededLog(_ body: (String) throws -> Void) async throws { try await withIngestedSeeds(body) }

    @Test func summaryServesAFreshLogByBuildingItsProjectionFirst() async throws {
        try await withSeededLog { db in
            let result = try runCommand(threatledgerExecutable, ["summary", "--db", db, "--region", "SY/Hasakah", "--format", "json"])
            #expect(result.status == 0, "\(result.stderr)")
            let json = try JSONParser().parse(result.stdout)
            #expect(json["as_of"]?["log_position"] == 100)
            #expect(json["regions"]?.arrayValue?.map { $0["region"] } == ["SY-HA"])
            #expect(json["regions"]?.arrayValue?.first?["rules"]?["incident"] == "widest-bounds-latest-best/v1")
            let rebuilds = try runCommand(threatledgerExecutable, ["rebuilds", "--db", db, "--format", "json"])
            // The read index, then the projection rendered from it.
            #expect(try JSONParser().parse(rebuilds.stdout).arrayValue?.compactMap { $0["projection"]?.stringValue } == ["claim-versions", "region-summary"])
        }
    }

    @Test func aCountryRegionListsItsDivisionsAndAnUnknownRegionIsAClearError() async throws {
        try await withSeededLog { db in
            let table = try runCommand(threatledgerExecutable, ["summary", "--db", db, "--region", "sy"])
            #expect(table.status == 0)
            for region in ["\nSY — Syria\n", "\nSY-HA — Al Ḩasakah, Syria\n", "\nSY-HI — Ḩimş, Syria\n", "\nSY-DY — Dayr az Zawr, Syria\n"] {
                #expect(table.stdout.contains(region))
            }
            #expect(!table.stdout.contains("\nIQ\n"))
            let missing = try runCommand(threatledgerExecutable, ["summary", "--db", db, "--region", "FR"])
            #expect(missing.status == 1)
            #expect(
                missing.stderr.hasPrefix(
                    "error: no summary for region FR (regions with claims: AF, BF, EG, ID, IQ, LY, ML, NG, SO, SY, TJ, TR, US, YE, unplaced)"))
        }
    }

    @Test func aRegionWhoseClaimsTheClocksAllLeaveOutIsAnEmptyAnswerSayingWhatWasLeftOutNotAnError() async throws {
        try await withSeededLog { db in
            let json = try runCommand(
                threatledgerExecutable, ["summary", "--db", db, "--region", "SY-HA", "--reported-by", "2016-05-01", "--format", "json"])
            #expect(json.status == 0, "\(json.stderr)")
            let answer = try JSONParser().parse(json.stdout)
            #expect(answer["regions"] == [])
            #expect(answer["as_of"]?["clock_report"]?["claims_kept"] == 0)
            #expect((answer["as_of"]?["clock_report"]?["left_out_unpublished"]?.integerValue ?? 0) > 0)
            let table = try runCommand(threatledgerExecutable, ["summary", "--db", db, "--region", "SY-HA", "--reported-by", "2016-05-01"])
            #expect(table.status == 0)
            #expect(table.stdout.contains("not yet published"))
            #expect(table.stdout.contains("nothing in SY-HA under these clocks"))
        }
    }

    @Test func provenanceShowsArabicTitlesInsideBidiIsolates() async throws {
        try await withSeededLog { db in
            let result = try runCommand(threatledgerExecutable, ["provenance", "--db", db, "--source", "5a9ba17097eb5f86"])
            #expect(result.status == 0)
            #expect(result.stdout.contains("\u{2068}تمويل \"داعش\" لم يكسر شوكة التنظيم في سوريا؟\u{2069}"))
            #expect(result.stdout.contains("incident us-doj-crypto-seizure-2020: corroborated by a896289027671bb9"))
        }
    }
}
