import Foundation
import Testing
import ThreatLedgerCore
import ThreatLedgerProjections
import ThreatLedgerStore
import ThreatLedgerTesting

@Suite struct IncrementalEqualsRebuildTests {
    /// Catches up after every batch, then compares with a rebuild of the whole log.
    func assertIncrementalEqualsRebuild(_ batches: [[ProposedEvent]]) async throws {
        try await withLogAndProjector { log, projector, _ in
            for definition in ProjectionDefinition.all { _ = try await projector.rebuild(definition) }
            for batch in batches {
                _ = try await log.append(batch)
                for definition in ProjectionDefinition.all { try await projector.catchUp(definition) }
            }
            for definition in ProjectionDefinition.all {
                let incremental = try await projector.status(definition)
                let rebuilt = try await projector.rebuild(definition)
                #expect(incremental.digest == rebuilt.digest, "\(definition.name): incremental and rebuilt digests differ")
                #expect(incremental.position == rebuilt.headPosition)
                #expect(try await projector.status(definition).digest == rebuilt.digest)
            }
        }
    }

    @Test func overTheSeedCorpusAppendedInBatches() async throws {
        let events = try seedEvents()
        try await assertIncrementalEqualsRebuild(
            stride(from: 0, to: events.count, by: 7).map {
                Array(events[$0..<min($0 + 7, events.count)])
            })
    }

    @Test func overAGeneratedLogWithCorrectionsAndRetractions() async throws {
        let batches = GeneratedLog.batches(seed: 42, sources: 30, claimsPerSource: 8, batchSize: 23)
        let all = batches.flatMap { $0 }
        #expect(all.contains { $0.type == "ClaimCorrected" } && all.contains { $0.type == "ClaimRetracted" })
        try await assertIncrementalEqualsRebuild(batches)
    }

    @Test func correctionsAndRetractionsChangeTheSummary() async throws {
        try await withLogAndProjector { log, projector, _ in
            _ = try await log.append(try seedEvents())
            let before = try await projector.ensureServing(.regionSummary)
            let homs = try #require(try await projector.rows(.regionSummary)["SY-HI"])
            #expect(homs["figures"]?["killed"]?["low"] == 84)
            // Correct the Palmyra toll (16 → 18), then retract the al-Sukhnah claim.
            let palmyra = try StreamName("claim-a896289027671bb9-08")
            _ = try await log.append([
                ProposedEvent(
                    id: .random(), stream: palmyra, type: "ClaimCorrected",
                    payload: [
                        "claim_id": "a896289027671bb9-08", "reason": "later reports", "changes": [:],
                        "figure_updates": [
                            [
                                "measure": "killed", "low": 18, "high": nil, "qualifier": "at_least", "basis": "inferred",
                                "note": "later reports put it at 18",
                            ]
                        ],
                    ],
                    metadata: EventMetadata(recordedBy: "auditor"))
            ])
            try await projector.catchUp(.regionSummary)
            #expect(try await projector.rows(.regionSummary)["SY-HI"]?["figures"]?["killed"]?["low"] == 86)
            _ = try await log.append([EventFixtures.claimRetracted(id: "a896289027671bb9-09")])
            let after = try await projector.ensureServing(.regionSummary)
            let homsAfter = try #require(try await projector.rows(.regionSummary)["SY-HI"])
            #expect(homsAfter["figures"]?["killed"]?["low"] == 18)
            #expect(homsAfter["incidents"] == 1)
            #expect(after.digest != before.digest)
            let provenance = try await projector.ensureServing(.sourceProvenance)
            #expect(provenance.position == after.position)
            let changes = try await projector.rows(.sourceProvenance)["a896289027671bb9"]?["corrections_and_retractions"]?.arrayValue
            #expect(changes?.map { $0["type"] } == ["ClaimCorrected", "ClaimRetracted"])
        }
    }
}
