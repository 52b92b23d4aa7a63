import Foundation
import Testing
import ThreatLedgerAudit
import ThreatLedgerCore
import ThreatLedgerProjections
import ThreatLedgerStore
import ThreatLedgerTesting

func time(_ text: String) -> RecordTime { RecordTime(iso8601: text)! }

@Suite struct ClockTests {
    @Test(arguments: TestBackend.available)
    func summariesReportedByEachYearEndDifferExactlyAsThePublicationDatesSay(backend: TestBackend) async throws {
        try await withTemporaryLog(on: backend) { log, _ in
            _ = try await log.append(try seedEvents())
            let expected: [(String?, Set<String>, Int)] = [
                ("2019-12-31", ["4842e351d2c85202"], 23),
                ("2020-12-31", ["4842e351d2c85202", "5a9ba17097eb5f86"], 41),
                ("2022-12-31", ["4842e351d2c85202", "5a9ba17097eb5f86", "1aee4b5224ae9675"], 57),
                (nil, ["4842e351d2c85202", "5a9ba17097eb5f86", "1aee4b5224ae9675", "a896289027671bb9", "9fda8b7b93fb41eb"], 89),
            ]
            var previous: [String: RegionSummary] = [:]
            for (day, sources, claims) in expected {
                let clocks = AuditClocks(reportedBy: day.flatMap(CalendarDate.init(iso8601:)))
                let replay = try await Replay.compute(log, clocks: clocks)
                let summaries = RegionSummaries.build(from: replay.picture)
                #expect(Set(summaries.values.flatMap(\.sourceIDs)) == sources, "reported by \(day ?? "today")")
                #expect(replay.report.claimsKept == claims)
                #expect(summaries != previous)
                previous = summaries
            }
            // 2023 mid-year: a896… (published about 24 February 2023) is in; 9fda… (after 12 June 2023) is not yet.
            let midYear = try await Replay.compute(log, clocks: AuditClocks(reportedBy: CalendarDate(iso8601: "2023-06-01")))
            #expect(Set(midYear.picture.sources.keys).contains("a896289027671bb9"))
            #expect(!Set(midYear.picture.sources.keys).contains("9fda8b7b93fb41eb"))
            #expect(midYear.report.leftOutUnpublished == 8)
            // Inside 9fda…'s publication range the imprecise date is said, not silently decided.
            let straddle = try await Replay.compute(log, clocks: AuditClocks(reportedBy: CalendarDate(iso8601: "2023-09-01")))
            #expect(straddle.report.leftOutImpreciseReport == 8)
        }
    }

    @Test(arguments: TestBackend.available)
    func aCorrectionIsVisibleAfterItAndInvisibleBeforeAndSoIsARetraction(backend: TestBackend) async throws {
        try await withTemporaryLog(on: backend) { _, open in
            let at = { (t: String) in try await open(FixedRecordClock(time(t))) }
            _ = try await at("2026-01-01T00:00:00Z").append(try seedEvents())
            _ = try await at("2026-02-01T00:00:00Z").append([
                ProposedEvent(
                    id: .random(), stream: try StreamName("claim-a896289027671bb9-08"), type: "ClaimCorrected",
                    payload: [
                        "claim_id": "a896289027671bb9-08", "reason": "later reports", "changes": [:],
                        "figure_updates": [["measure": "killed", "low": 18, "basis": "inferred", "note": "later reports put it at 18"]],
                    ],
                    metadata: EventMetadata(recordedBy: "auditor"))
            ])
            _ = try await at("2026-03-01T00:00:00Z").append([EventFixtures.claimRetracted(id: "a896289027671bb9-08")])
            let log = try await at("2026-04-01T00:00:00Z")

            func palmyraKilled(_ asOf: String?) async throws -> Int64? {
                let replay = try await Replay.compute(log, clocks: AuditClocks(asOf: asOf.map(time)))
                let claim = replay.picture.claims["a896289027671bb9-08"]
                guard let claim, !claim.retracted else { return nil }
                return claim.figures.first { $0.measure == "killed" }?.low
            }
            #expect(try await palmyraKilled("2026-01-15T00:00:00Z") == 16)
            #expect(try await palmyraKilled("2026-02-01T00:00:00Z") == 18, "the correction counts from its own record time")
            #expect(try await palmyraKilled("2026-02-15T00:00:00Z") == 18)
            #expect(try await palmyraKilled("2026-03-15T00:00:00Z") == nil)
            #expect(try await palmyraKilled(nil) == nil)
            #expect(try await palmyraKilled("2025-12-31T23:59:59Z") == nil, "nothing was recorded yet")

            let before = try await Replay.compute(log, clocks: AuditClocks(asOf: time("2026-02-15T00:00:00Z")))
            let after = try await Replay.compute(log, clocks: AuditClocks(asOf: time("2026-03-15T00:00:00Z")))
            #expect(RegionSummaries.build(from: before.picture)["SY-HI"]?.figures["killed"]?.low == 86)
            #expect(RegionSummaries.build(from: after.picture)["SY-HI"]?.figures["killed"]?.low == 68)
            #expect(before.head?.position == 101 && after.head?.position == 102)
        }
    }

    @Test(arguments: TestBackend.available)
    func theDiffBetweenTwoRecordTimesListsExactlyTheEventsAppendedBetweenThem(backend: TestBackend) async throws {
        try await withTemporaryLog(on: backend) { _, open in
            let at = { (t: String) in try await open(FixedRecordClock(time(t))) }
            let events = try seedEvents()
            _ = try await at("2026-01-01T00:00:00Z").append(Array(events.prefix(40)))
            let middle = try await at("2026-02-01T00:00:00Z").append(Array(events.dropFirst(40)))
            _ = try await at("2026-03-01T00:00:00Z").append([EventFixtures.claimRetracted(id: "a896289027671bb9-09")])
            let diff = try await SummaryDiff.compute(
                try await at("2026-04-01T00:00:00Z"), clock: .record, from: "2026-01-15T00:00:00Z", to: "2026-02-15T00:00:00Z")
            #expect(diff.events.map(\.position) == middle.events.map(\.position))
            #expect(!diff.changes.isEmpty)
            let later = try await SummaryDiff.compute(
                try await at("2026-04-01T00:00:00Z"), clock: .record, from: "2026-02-15T00:00:00Z", to: "2026-03-15T00:00:00Z",
                region: "SY")
            #expect(later.events.map(\.position) == [101])
            #expect(later.changes.contains { $0.region == "SY-HI" && $0.figure == "figures.killed" })
            #expect(later.changes.allSatisfy { $0.region == "SY" || $0.region.hasPrefix("SY-") })
        }
    }
}

/// `diff` read from the claim-version index says what the whole-log fold says, on every clock,
/// for the whole log and for one region.
@Suite struct IndexedDiffTests {
    @Test(arguments: TestBackend.available)
    func aDiffReadFromTheIndexEqualsTheDiffOfTheFold(backend: TestBackend) async throws {
        try await withTemporaryBackend(backend) { log, projector in
            let events = try seedEvents()
            _ = try await log.append(Array(events.prefix(40)))
            let middle = try #require(try await log.head()).recordedAt
            try await Task.sleep(for: .milliseconds(5))
            _ = try await log.append(Array(events.dropFirst(40)))
            _ = try await log.append([EventFixtures.claimRetracted(id: "a896289027671bb9-09")])
            let cases: [(SummaryDiff.Clock, String, String)] = [
                (.record, middle.iso8601, "2100-01-01"), (.report, "2020-01-01", "2022-12-31"), (.event, "2019-06-01", "2023-06-01"),
            ]
            for (clock, from, to) in cases {
                for region in [nil, "SY", "SY/Al-Hasakah", "IQ"] as [String?] {
                    let folded = try await SummaryDiff.compute(log, clock: clock, from: from, to: to, region: region)
                    let indexed = try await SummaryDiff.compute(log, clock: clock, from: from, to: to, region: region, index: projector)
                    #expect(indexed.changes == folded.changes, "\(clock) \(region ?? "everywhere")")
                    #expect(!folded.changes.isEmpty, "\(clock) \(region ?? "everywhere") changes nothing: the case tests nothing")
                    if clock == .record { #expect(indexed.events.map(\.position) == folded.events.map(\.position)) }
                }
            }
        }
    }
}
