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
    /// the generator does not make: corrections that move claims to another region, claims taken
    /// out of incidents (a seed incident's with its disagreements among them), and sources corrected
    /// (publication dates moved) and retracted.
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
        // Claims taken out of incidents: the first claim of three generated incidents, and one claim
        // of a seed incident whose disagreements name it.
        var unlinks: [ProposedEvent] = []
        let linked = batches.joined().filter { $0.type == "IncidentLinked" }
        for link in linked.prefix(3) + linked.filter({ $0.payload["incident_id"] == "hasakah-prison-assault-2022" }) {
            guard let incident = link.payload["incident_id"]?.stringValue, let claim = link.payload["claim_ids"]?.arrayValue?.last else { continue }
            unlinks.append(
                ProposedEvent(
                    id: EventID.derived(namespace: "oracle", name: "unlink-\(incident)"), stream: try StreamName.entity("incident", incident),
                    type: "IncidentUnlinked", payload: ["incident_id": .string(incident), "claim_ids": [claim], "reason": "reports another event"],
                    metadata: by))
        }
        #expect(unlinks.count == 4)
        batches.append(unlinks)
        // Sources corrected (publication dates moved, a title) and retracted, generated and seed ones.
        func published(_ start: String, _ end: String, _ precision: String) -> JSONValue {
            [
                "start": .string(start), "end": .string(end), "precision": .string(precision), "basis": "inferred", "words": nil, "evidence": nil,
                "note": "corrected by the oracle test",
            ]
        }
        var sourceEdits: [ProposedEvent] = []
        for (index, (source, changes)) in [
            ("gen-s1", ["published": published("2020-05-01", "2020-05-31", "month")]),
            ("gen-s6", ["published": published("2019-01-01", "2019-12-31", "year"), "title": "عنوان مصحح"]),
            ("5a9ba17097eb5f86", ["published": published("2021-03-01", "2021-03-31", "month")]),
        ].enumerated() {
            sourceEdits.append(
                ProposedEvent(
                    id: EventID.derived(namespace: "oracle", name: "source-correct-\(index)"), stream: try StreamName.entity("source", source),
                    type: "SourceCorrected", payload: ["source_id": .string(source), "reason": "dated wrong", "changes": .object(JSONObject(changes))],
                    metadata: by))
        }
        for source in ["gen-s2", "4842e351d2c85202"] {
            sourceEdits.append(
                ProposedEvent(
                    id: EventID.derived(namespace: "oracle", name: "source-retract-\(source)"), stream: try StreamName.entity("source", source),
                    type: "SourceRetracted", payload: ["source_id": .string(source), "reason": "withdrawn"], metadata: by))
        }
        batches.append(sourceEdits)
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

    /// The claims listing, read a page at a time from the index with random filters, page sizes
    /// and clocks, is the whole-log fold's current claims filtered the same way, in claim-id order:
    /// no claim missed or repeated across pages.
    @Test(arguments: TestBackend.available)
    func claimPagesUnderRandomFiltersAndClocksEqualTheWholeLogFold(backend: TestBackend) async throws {
        try await withTemporaryBackend(backend) { log, projector in
            var times: [RecordTime] = []
            for batch in try Self.batches() {
                _ = try await log.append(batch)
                times.append(try await log.head()!.recordedAt)
            }
            var random = GeneratedLog.RandomNumbers(seed: 19)
            var listed = 0
            for round in 0..<20 {
                let clocks = round == 0 ? AuditClocks() : Self.randomClocks(&random, times: times)
                let replay = try await Replay.compute(log, clocks: clocks)
                let regions = replay.recorded.regionKeys
                let sources = replay.recorded.sources.keys.sorted()
                var query = ClaimPageQuery(limit: 1 + random.below(13))
                let region: String? = round > 0 && random.below(2) == 0 ? regions[random.below(regions.count)] : nil
                if round > 0, random.below(3) == 0 { query.kind = CodedClaim.Kind.allCases[random.below(CodedClaim.Kind.allCases.count)] }
                if round > 0, random.below(4) == 0 { query.sourceID = sources[random.below(sources.count)] }
                if round > 0, random.below(3) == 0 { query.occurredFrom = CalendarDate(year: 2019 + random.below(4), month: 1 + random.below(12), day: 1) }
                if round > 0, random.below(3) == 0 { query.occurredTo = CalendarDate(year: 2020 + random.below(4), month: 1 + random.below(12), day: 28) }
                let expected = replay.picture.currentClaims.filter { claim in
                    (region.map { RegionSummaries.isIn($0, country: claim.country, admin1: claim.admin1) } ?? true)
                        && (query.kind.map { claim.kind == $0 } ?? true) && (query.sourceID.map { claim.sourceID == $0 } ?? true)
                        && (query.occurredFrom.map { day in claim.coded.date.end.map { $0 >= day } ?? false } ?? true)
                        && (query.occurredTo.map { day in claim.coded.date.start.map { $0 <= day } ?? false } ?? true)
                }.sorted { $0.id < $1.id }
                let byClaim = replay.picture.incidentsByClaim
                var records: [ClaimExportRecord] = []
                var pages = 0
                while true {
                    let listing = try await ClaimListing.read(query, region: region, clocks: clocks, projector: projector, log: log, freshness: .catchUp)
                    #expect(listing.page.claims.count <= query.limit)
                    records += listing.page.records
                    pages += 1
                    guard let next = listing.page.nextAfter else { break }
                    query.after = next
                }
                let what = "round \(round): region \(region ?? "all"), \(query.filtersJSON), clocks \(clocks.description)"
                #expect(records.map(\.coded.claimID) == expected.map(\.id), "\(what)")
                #expect(records == expected.map { replay.picture.exportRecord($0, incidents: byClaim[$0.id] ?? []) }, "\(what)")
                #expect(pages == max(1, (expected.count + query.limit - 1) / query.limit), "no empty last page: \(what)")
                listed += records.count
            }
            #expect(listed > 200)
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
