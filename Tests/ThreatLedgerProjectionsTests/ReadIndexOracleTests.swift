import Foundation
import Testing
import ThreatLedgerAudit
import ThreatLedgerCore
import ThreatLedgerProjections
import ThreatLedgerStore
import ThreatLedgerTesting

/// The read index against the oracle: the whole-log fold (``ThreatPicture`` over ``Replay``). Every
/// region's summary, its clock report, the claims export, the provenance views and the claims
/// behind a traced figure must come out the same under random settings of the three clocks.
@Suite struct ReadIndexOracleTests {
    /// Seeds, a generated log with corrections, retractions and incidents across sources, and edits
    /// the generator does not make: corrections that move claims to another region and an incident
    /// linked again with other claims.
    static func batches() throws -> [[ProposedEvent]] {
        let seeds = try seedEvents()
        var batches = stride(from: 0, to: seeds.count, by: 17).map { Array(seeds[$0..<min($0 + 17, seeds.count)]) }
        batches += GeneratedLog.batches(seed: 15, sources: 24, claimsPerSource: 6, batchSize: 19)
        let by = EventMetadata(recordedBy: "oracle test")
        var moves: [ProposedEvent] = []
        for (i, (claim, country, admin1)) in [("gen-s3-c1", "IQ", "Kirkuk"), ("gen-s5-c2", "SY", "Homs"), ("gen-s9-c0", "NG", nil)].enumerated() {
            moves.append(
                ProposedEvent(
                    id: EventID.derived(namespace: "oracle", name: "move-\(i)"), stream: try StreamName.entity("claim", claim),
                    type: "ClaimCorrected",
                    payload: [
                        "claim_id": .string(claim), "reason": .string("moved by the oracle test"),
                        "changes": ["location": ["country": .string(country), "admin1": .optional(admin1), "place": nil]], "figure_updates": [],
                    ],
                    metadata: by))
        }
        batches.append(moves)
        return batches
    }

    static func randomClocks(_ random: inout GeneratedLog.RandomNumbers, times: [RecordTime]) -> AuditClocks {
        func day() -> CalendarDate { CalendarDate(year: 2018 + random.below(7), month: 1 + random.below(12), day: 1 + random.below(28))! }
        var clocks = AuditClocks()
        if random.below(3) > 0 { clocks.asOf = times[random.below(times.count)] }
        if random.below(2) == 0 { clocks.reportedBy = day() }
        if random.below(2) == 0 { clocks.occurredBy = day() }
        return clocks
    }

    @Test(arguments: TestBackend.available)
    func everyRegionSummaryTraceAndExportUnderRandomClocksEqualsTheWholeLogFold(backend: TestBackend) async throws {
        try await withTemporaryBackend(backend) { log, projector in
            var times: [RecordTime] = []
            for batch in try Self.batches() {
                _ = try await log.append(batch)
                times.append(try await log.head()!.recordedAt)
                // Caught up after every batch: the incremental path is the one compared.
                _ = try await projector.ensureIndexCurrent(progress: { _, _ in })
            }
            #expect(try await projector.verifyIndex(limit: 5, progress: { _, _ in }) == [], "the incrementally kept index differs from a re-derivation")
            var random = GeneratedLog.RandomNumbers(seed: 2026)
            var compared = 0
            for round in 0..<24 {
                let clocks = round == 0 ? AuditClocks() : Self.randomClocks(&random, times: times)
                let replay = try await Replay.compute(log, clocks: clocks)
                let oracleRows = RegionSummaries.build(from: replay.picture)
                for key in replay.recorded.regionKeys {
                    let view = try await AuditViews.view(
                        .regionSummary, projector: projector, log: log, clocks: clocks, scope: .region(key), needs: .picture)
                    if clocks.isEmpty {
                        // Without clocks, the rows alone come from the stored projection: the same rows.
                        let stored = try await AuditViews.view(.regionSummary, projector: projector, log: log, clocks: clocks, scope: .region(key))
                        #expect(stored.rows == view.rows, "stored rows of \(key)")
                    }
                    let expected = RegionSelector.select(oracleRows.keys.sorted(), region: key) ?? []
                    #expect(view.rows.keys.sorted() == expected, "regions under \(key), clocks \(clocks.description)")
                    for k in expected {
                        #expect(view.rows[k] == oracleRows[k]?.json, "summary of \(k) under \(clocks.description)")
                        compared += 1
                    }
                    let report = replay.recorded.filtered(by: clocks, reportingOn: key).1
                    #expect(view.asOf["clock_report"] == report.json, "clock report of \(key) under \(clocks.description)")
                    for measure in ["killed", "escaped", "arrested"] {
                        let oracle = FigureTrace.trace(region: key, measure: measure, kind: nil, in: replay.picture)
                        let indexed = FigureTrace.trace(region: key, measure: measure, kind: nil, in: view.picture)
                        #expect(oracle.claimIDs == indexed.claimIDs, "claims behind \(measure) in \(key) under \(clocks.description)")
                        #expect(oracle.sections.map(\.total.json) == indexed.sections.map(\.total.json))
                    }
                }
                guard !clocks.isEmpty else { continue }
                let everything = try await AuditViews.view(.regionSummary, projector: projector, log: log, clocks: clocks)
                #expect(everything.rows == oracleRows.mapValues(\.json), "all regions under \(clocks.description)")
                let byClaim = replay.picture.incidentsByClaim
                #expect(
                    AuditViews.claimRecords(everything)
                        == replay.picture.currentClaims.map { replay.picture.exportRecord($0, incidents: byClaim[$0.id] ?? []) },
                    "claims export under \(clocks.description)")
                let provenance = try await AuditViews.view(.sourceProvenance, projector: projector, log: log, clocks: clocks)
                #expect(provenance.rows == ProjectionDefinition.sourceProvenance.render(replay.picture), "provenance under \(clocks.description)")
            }
            #expect(compared > 100)
        }
    }

    @Test(arguments: TestBackend.available)
    func storedProjectionsCaughtUpAfterEveryBatchEqualTheWholeLogFold(backend: TestBackend) async throws {
        try await withTemporaryBackend(backend) { log, projector in
            var fold = ThreatPicture()
            var compared = 0
            for (number, batch) in try Self.batches().enumerated() {
                _ = try await log.append(batch)
                for event in try await log.read(from: fold.position + 1, limit: batch.count) { try fold.apply(event) }
                for definition in ProjectionDefinition.all {
                    // The first batch builds the projection; every later one is a catch-up touching only its keys.
                    try await projector.ensureCurrent(definition)
                    let rows = try await projector.rows(definition)
                    #expect(rows == definition.render(fold), "\(definition.name) after batch \(number)")
                    compared += rows.count
                }
            }
            #expect(try await projector.rebuilds(projection: ProjectionDefinition.regionSummary.name).count == 1)
            #expect(try await ProjectionCheck.differences(log: log, projector: projector) == [])
            #expect(compared > 100)
        }
    }

    @Test(arguments: TestBackend.available)
    func aRebuiltIndexEqualsTheIncrementalOneAndAnOldLogGetsOne(backend: TestBackend) async throws {
        try await withTemporaryBackend(backend) { log, projector in
            for batch in try Self.batches() { _ = try await log.append(batch) }
            // A log written before the index existed: the first read builds it.
            let first = try await projector.ensureIndexCurrent(progress: { _, _ in })
            #expect(first.position == (try await log.head())?.position)
            let rebuilt = try await projector.rebuildIndex(progress: { _, _ in })
            #expect(rebuilt.headPosition == first.position)
            #expect(try await projector.verifyIndex(limit: 5, progress: { _, _ in }) == [])
            #expect(try await projector.rebuilds(projection: ClaimVersionIndexLayout.name).count == 2)
            #expect(try await projector.rebuilds(projection: ClaimVersionIndexLayout.name).last?.digest == rebuilt.digest)
            #expect(try await projector.ensureIndexCurrent(progress: { _, _ in }) == first)
        }
    }
}
