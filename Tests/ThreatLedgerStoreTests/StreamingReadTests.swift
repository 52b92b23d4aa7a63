import Testing
import ThreatLedgerCore
import ThreatLedgerStore
import ThreatLedgerTesting

@Suite struct StreamingReadTests {
    @Test func reading100000EventsStreamsThemPageByPageInOrder() async throws {
        try await withTemporaryLog { log, _ in
            let total = 100_000
            let batch = 1_000
            for start in stride(from: 0, to: total, by: batch) {
                let events = (start..<start + batch).map { EventFixtures.sourceRegistered(id: "s\($0)", text: "نص \($0)") }
                _ = try await log.append(events)
            }
            var seen = 0
            var largestPage = 0
            var pages = 0
            var expected: Int64 = 1
            for try await page in log.pages(from: 1, pageSize: 500) {
                largestPage = max(largestPage, page.count)
                pages += 1
                for event in page {
                    #expect(event.position == expected)
                    expected += 1
                }
                seen += page.count
            }
            #expect(seen == total)
            #expect(largestPage == 500)
            #expect(pages == total / 500)
        }
    }

    @Test func readsOneStreamInVersionOrder() async throws {
        try await withTemporaryLog { log, _ in
            _ = try await log.append([EventFixtures.sourceRegistered(id: "s1"), EventFixtures.claimRecorded(id: "c1", sourceID: "s1")])
            _ = try await log.append([EventFixtures.sourceRegistered(id: "s2")])
            let correction = ProposedEvent(
                id: .random(), stream: try StreamName("claim-c1"), type: "ClaimCorrected",
                payload: ["claim_id": "c1", "reason": "typo", "changes": ["summary": "Corrected summary."], "figure_updates": []],
                metadata: EventFixtures.analyst)
            _ = try await log.append([correction, EventFixtures.claimRetracted(id: "c1")])
            let stream = try await log.readWholeStream(try StreamName("claim-c1"))
            #expect(stream.map(\.streamVersion) == [1, 2, 3])
            #expect(stream.map(\.position) == [2, 4, 5])
            #expect(try await log.streamVersion(try StreamName("claim-c1")) == 3)
            #expect(try await log.streamVersion(try StreamName("claim-none")) == 0)
        }
    }
}
