import Foundation
import Testing
import ThreatLedgerAudit
import ThreatLedgerCore
import ThreatLedgerProjections
import ThreatLedgerStore
import ThreatLedgerTesting

@Suite struct TraceTests {
    @Test(arguments: TestBackend.available)
    func tracingEveryFigureOfEverySummaryYieldsExactQuotesAtTheirPositions(backend: TestBackend) async throws {
        try await withTemporaryLog(on: backend) { log, _ in
            _ = try await log.append(try seedEvents())
            let replay = try await Replay.compute(log, clocks: AuditClocks())
            let summaries = RegionSummaries.build(from: replay.picture)
            let vault = ArticleVault(log: log)
            var figures = 0
            var quotes = 0
            for (region, summary) in summaries {
                let measures = Set(summary.figures.keys).union(summary.latestEstimates.keys).union(summary.aggregateFigures.keys)
                    .union(summary.amountsSeized.keys.map { "amount \($0)" })
                for measure in measures {
                    let trace = FigureTrace.trace(region: region, measure: measure, in: replay.picture)
                    #expect(!trace.sections.isEmpty, "\(region) \(measure) does not trace")
                    #expect(trace.consistent(with: summary), "\(region) \(measure): the trace does not add up to the summary")
                    for id in trace.claimIDs {
                        let claim = try #require(replay.picture.claims[id])
                        let traced = try await ClaimTrace.build(claim, picture: replay.picture, vault: vault)
                        #expect(traced.holds, "\(id) does not hold")
                        for evidence in traced.resolved {
                            #expect(evidence.found == evidence.exact)
                            quotes += 1
                        }
                    }
                    figures += 1
                }
            }
            let entries = summaries.values.reduce(0) { count, summary in
                count
                    + Set(summary.figures.keys).union(summary.latestEstimates.keys).union(summary.aggregateFigures.keys)
                    .union(summary.amountsSeized.keys.map { "amount \($0)" }).count
            }
            #expect(figures == entries && figures > 20)
            #expect(quotes > 100)
        }
    }

    /// Both traces share one ``DecodedArticles``, as a server's do: the article decoded for the
    /// first must not stand in for the edited bytes the second reads.
    @Test func aTraceReHashesTheStoredArticleAndCatchesAnEditedText() async throws {
        try await withTemporaryLog { log, path in
            _ = try await log.append(try seedEvents())
            let replay = try await Replay.compute(log, clocks: AuditClocks())
            let claim = try #require(replay.picture.claims["a896289027671bb9-08"])
            let decoded = DecodedArticles()
            #expect(try await ClaimTrace.build(claim, picture: replay.picture, vault: ArticleVault(log: log, decoded: decoded)).holds)
            #expect(try await ClaimTrace.build(claim, picture: replay.picture, vault: ArticleVault(log: log, decoded: decoded)).holds)
            // Edit the stored article behind the log's back: the next trace says so.
            let result = try runCommand(
                URL(fileURLWithPath: "/usr/bin/env"),
                [
                    "python3", "-c",
                    "import sqlite3,sys; db=sqlite3.connect(sys.argv[1]); db.executescript(\"DROP TRIGGER events_refuse_update; UPDATE events SET payload = replace(payload, 'قرابة 75', 'قرابة 57') WHERE stream = 'source-a896289027671bb9'\"); db.commit()",
                    path,
                ])
            #expect(result.status == 0, "\(result.stderr)")
            let traced = try await ClaimTrace.build(
                claim, picture: replay.picture, vault: ArticleVault(log: try SQLiteEventLog(path: path), decoded: decoded))
            #expect(!traced.holds)
            #expect(traced.json["source"]?["verified"] == false)
        }
    }

    @Test func aKindFilterTracesOnlyThatKind() async throws {
        try await withTemporaryLog { log, _ in
            _ = try await log.append(try seedEvents())
            let replay = try await Replay.compute(log, clocks: AuditClocks())
            let all = FigureTrace.trace(region: "SY", measure: "killed", in: replay.picture)
            let attacks = FigureTrace.trace(region: "SY", measure: "killed", kind: .attack, in: replay.picture)
            let incidents = try #require(attacks.sections.first { $0.section == "figures" })
            #expect(incidents.parts.allSatisfy { $0.kind == .attack })
            #expect(incidents.total.low == 84)
            #expect(all.sections.first { $0.section == "figures" }?.total.low == 260)
        }
    }

    @Test(arguments: TestBackend.available)
    func historyKeepsEveryVersionWithWhoWhenAndWhy(backend: TestBackend) async throws {
        try await withTemporaryLog(on: backend) { log, _ in
            _ = try await log.append(try seedEvents())
            _ = try await log.append([
                ProposedEvent(
                    id: .random(), stream: try StreamName("claim-a896289027671bb9-08"), type: "ClaimCorrected",
                    payload: [
                        "claim_id": "a896289027671bb9-08", "reason": "later reports", "changes": [:],
                        "figure_updates": [["measure": "killed", "low": 18, "basis": "inferred", "note": "later reports put it at 18"]],
                    ],
                    metadata: EventMetadata(recordedBy: "A. Auditor"))
            ])
            let history = try #require(try await ClaimHistory.read("a896289027671bb9-08", from: log))
            #expect(history.versions.map(\.type) == ["ClaimRecorded", "ClaimCorrected"])
            #expect(history.versions[1].recordedBy == "A. Auditor" && history.versions[1].reason == "later reports")
            #expect(history.versions[0].claimAfter?.figures[1].low == 16)
            #expect(history.versions[1].claimAfter?.figures[1].low == 18)
            #expect(try await ClaimHistory.read("nope", from: log) == nil)
        }
    }
}

/// A figure that stands on many claims is traced a page at a time; the pages together show every
/// claim once, and the figure's sum is checked over all of them on every page.
@Suite struct TracePagingTests {
    @Test(arguments: TestBackend.available)
    func pagesOfAFigureShowEveryClaimOnceAndEachPageChecksTheWholeSum(backend: TestBackend) async throws {
        try await withTemporaryBackend(backend) { log, projector in
            for batch in GeneratedLog.batches(seed: 8, sources: 20, claimsPerSource: 6) { _ = try await log.append(batch) }
            let view = try await AuditViews.view(
                .regionSummary, projector: projector, log: log, clocks: AuditClocks(), scope: .region("SY"), needs: .picture)
            let whole = try await AuditViews.traceFigure(
                view, region: "SY", measure: "killed", kind: nil, vault: ArticleVault(log: log), page: .init(limit: 10_000))
            let total = try #require(whole.json["page"]?["claims_total"]?.integerValue)
            #expect(total > 7 && whole.claims.count == total && whole.json["page"]?["next_after"] == .null)
            var seen: [String] = []
            var after: String?
            repeat {
                let page = try await AuditViews.traceFigure(
                    view, region: "SY", measure: "killed", kind: nil, vault: ArticleVault(log: log), page: .init(limit: 7, after: after))
                #expect(page.claims.count <= 7 && page.holds)
                #expect(page.json["sections"] == whole.json["sections"], "every page states the whole figure")
                seen += (page.json["claims"]?.arrayValue ?? []).compactMap { $0["claim_id"]?.stringValue }
                after = page.json["page"]?["next_after"]?.stringValue
            } while after != nil
            #expect(seen == whole.trace.claimIDs && seen.count == total)
        }
    }
}
