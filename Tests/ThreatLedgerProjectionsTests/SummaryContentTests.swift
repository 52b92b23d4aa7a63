import Foundation
import Testing
import ThreatLedgerCore
import ThreatLedgerProjections
import ThreatLedgerStore
import ThreatLedgerTesting

@Suite struct SummaryContentTests {
    @Test func theHasakahPrisonAssaultCountsAsOnePrisonBreakWithAllItsSources() async throws {
        try await withLogAndProjector { log, projector, _ in
            _ = try await log.append(try seedEvents())
            try await projector.ensureServing(.regionSummary)
            let hasakah = try #require(try await projector.rows(.regionSummary)["SY-HA"])
            #expect(hasakah["incidents_by_kind"]?["prison_break"] == 1)
            #expect(hasakah["incident_ids"]?.arrayValue?.contains("incident:hasakah-prison-assault-2022") == true)
            let killed = try #require(hasakah["figures"]?["killed"])
            #expect(killed["low"] == 175)
            #expect(killed["high"] == .null, "dozens of SDF dead more: open-ended")
            let sources = Set((hasakah["sources"]?.arrayValue ?? []).compactMap(\.stringValue))
            #expect(sources.isSuperset(of: ["a896289027671bb9", "9fda8b7b93fb41eb", "1aee4b5224ae9675"]))
            let syria = try #require(try await projector.rows(.regionSummary)["SY"])
            #expect(syria["incidents_by_kind"]?["prison_break"] == 1)
        }
    }

    @Test func noFigureInAnySummaryLacksClaimIDsAndEveryClaimIDResolves() async throws {
        try await withLogAndProjector { log, projector, _ in
            _ = try await log.append(try seedEvents())
            for batch in GeneratedLog.batches(seed: 7, sources: 10, claimsPerSource: 5) { _ = try await log.append(batch) }
            try await projector.ensureServing(.regionSummary)
            var known = Set<String>()
            for try await page in log.pages() {
                for event in page where event.type == "ClaimRecorded" {
                    known.insert(try event.payload()["claim_id"]!.stringValue!)
                }
            }
            var figures = 0
            for (region, row) in try await projector.rows(.regionSummary) {
                for section in ["figures", "amounts_seized", "latest_estimates", "aggregate_figures"] {
                    for (measure, figure) in row[section]?.objectValue ?? [:] {
                        let ids = (figure["claim_ids"]?.arrayValue ?? []).compactMap(\.stringValue)
                        #expect(!ids.isEmpty, "\(region) \(section).\(measure) has no claim ids")
                        for id in ids { #expect(known.contains(id), "\(region) \(section).\(measure): \(id) does not resolve") }
                        figures += 1
                    }
                }
            }
            #expect(figures > 20)
        }
    }

    @Test func anIncidentReportedBySeveralSourcesIsReconciledNotAdded() throws {
        // The US DOJ seizure: "millions of dollars" twice and "about two million dollars" once.
        var picture = ThreatPicture()
        let events = try seedEvents()
        for (index, event) in events.enumerated() {
            try picture.apply(
                RecordedEvent(
                    position: Int64(index + 1), id: event.id, stream: event.stream, streamVersion: 1, type: event.type,
                    schemaVersion: 1, payloadJSON: CanonicalJSON.string(event.payload), metadata: event.metadata,
                    recordedAt: RecordTime(microsecondsSinceEpoch: 0), previousHash: .genesis, hash: .genesis))
        }
        let us = try #require(RegionSummaries.build(from: picture)["US"])
        let seized = try #require(us.amountsSeized["USD"])
        #expect(seized.low == 2_000_000 && seized.best == 2_000_000 && seized.high == 2_000_000)
        #expect(seized.claimIDs == ["5a9ba17097eb5f86-06", "5a9ba17097eb5f86-08", "a896289027671bb9-23"])
        #expect(us.incidentIDs == ["incident:us-doj-crypto-seizure-2020"])
    }

    /// Trace looks up a region's units from its own claims; that must give exactly the units the
    /// whole-picture pass places there, for every region, on the seeds and on a generated log with
    /// incidents across places, corrections and retractions.
    @Test func aRegionsUnitsFoundFromItsClaimsAreExactlyThoseTheWholePicturePlacesThere() throws {
        var pictures: [ThreatPicture] = []
        // The generated log again, with corrections that move some claims to another country (the
        // region index keeps them under the old one too, and must not place them there).
        let generated = GeneratedLog.batches(seed: 11, sources: 40, claimsPerSource: 6).flatMap { $0 }
        let moved = generated.filter { $0.type == "ClaimRecorded" }.prefix(8).map { claim in
            ProposedEvent(
                id: EventID.random(), stream: claim.stream, type: "ClaimCorrected",
                payload: [
                    "claim_id": claim.payload["claim_id"]!, "reason": "moved",
                    "changes": ["location": ["country": "YE", "admin1": "Moved", "place": nil]],
                ],
                metadata: claim.metadata)
        }
        for events in [try seedEvents(), generated, generated + moved] {
            var picture = ThreatPicture()
            for (index, event) in events.enumerated() {
                try picture.apply(
                    RecordedEvent(
                        position: Int64(index + 1), id: event.id, stream: event.stream, streamVersion: 1, type: event.type,
                        schemaVersion: 1, payloadJSON: CanonicalJSON.string(event.payload), metadata: event.metadata,
                        recordedAt: RecordTime(microsecondsSinceEpoch: Int64(index)), previousHash: .genesis, hash: .genesis))
            }
            pictures.append(picture)
            // The same picture restored from its documents, as a projection keeps it.
            let restored = try ThreatPicture(documents: picture.documents, position: picture.position)
            #expect(restored == picture)
            pictures.append(restored)
        }
        #expect(RegionSummaries.units(of: pictures[4], in: "YE/Moved").count > 0, "moved claims are found in their new region")
        var compared = 0
        for picture in pictures {
            let all = RegionSummaries.units(of: picture)
            let regions = Set(all.flatMap { RegionSummaries.regions(country: $0.country, admin1: $0.admin1) })
            #expect(regions.count > 3)
            for region in regions.sorted() {
                let expected = all.filter { RegionSummaries.regions(country: $0.country, admin1: $0.admin1).contains(region) }
                let found = RegionSummaries.units(of: picture, in: region)
                #expect(found.map(\.id) == expected.map(\.id), "\(region)")
                #expect(found.map { $0.claims.map(\.id) } == expected.map { $0.claims.map(\.id) }, "\(region)")
                compared += expected.count
            }
        }
        #expect(compared > 50)
    }

    @Test func isInAgreesWithTheRegionKeysOfAPlace() {
        let places: [(String?, String?)] = [
            (nil, nil), (nil, "Homs"), ("SY", nil), ("SY", "Homs"), ("SY", "Deir ez-Zor"), ("IQ", "Homs"), ("SYR", nil), ("S", "Y/Homs"),
            ("SY", "SY-HI"), ("IQ", "SY-HI"), ("SY", "SY-H"),
        ]
        let regions = [
            "unplaced", "SY", "SY/Homs", "SY/Deir ez-Zor", "IQ", "IQ/Homs", "SYR", "S", "S/Y/Homs", "SY/", "/Homs", "", "SY-HI", "IQ/SY-HI",
            "SY-H", "SY/SY-HI",
        ]
        for (country, admin1) in places {
            for region in regions {
                #expect(
                    RegionSummaries.isIn(region, country: country, admin1: admin1)
                        == RegionSummaries.regions(country: country, admin1: admin1).contains(region),
                    "\(region) for \(String(describing: country)) \(String(describing: admin1))")
            }
        }
    }

    /// A gazetteer update is a projection rebuild: the region summary names the gazetteer it was
    /// placed with, and this fails until a new gazetteer comes with a new projection version.
    @Test func theRegionSummaryIsVersionedForTheGazetteerThatPlacesItsRegions() {
        #expect(
            Gazetteer.standard.version.hasSuffix(ProjectionDefinition.placedWithGazetteer),
            "the gazetteer changed: bump region-summary's and the read index's versions and set placedWithGazetteer")
        #expect(ProjectionDefinition.regionSummary.version == 4)
        #expect(ClaimVersionIndexLayout.version == 5)
    }
}
