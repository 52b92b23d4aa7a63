import Foundation
import ThreatLedgerAudit
import ThreatLedgerCore
import ThreatLedgerProjections
import ThreatLedgerStore

/// The read side at archive scale, on the claim-version read index (``ClaimVersionIndex``): its
/// catch-up after one append of each kind of event, a division's summary replayed under random
/// clocks, a country's, and a division's figure traced (articles re-hashed, each claim checked
/// against its own events). Every latency carries its sample count.
struct ReadSideBench {
    let log: SQLiteEventLog
    let projector: SQLiteProjector
    let progress: (String) -> Void

    /// Catch-up after appending one event at a time, `groups` sources' worth (each a source, its
    /// claims, incidents, and a correction that moves one of its claims to another region), by
    /// event type. Keys: `index_catchup_<kind>_p50_ms`, `_p99_ms`, `_samples`.
    func catchUps(groups: Int, generator: inout SyntheticLog, random: inout SplitMix64) async throws -> [String: Double] {
        // Two sources appended whole first: the incidents, corrections and retractions of the timed
        // ones refer to the claims of the sources before them.
        _ = try await log.append(generator.nextSource().filter { $0.type == "SourceRegistered" || $0.type == "ClaimRecorded" })
        _ = try await log.append(generator.nextSource())
        _ = try await projector.ensureIndexCurrent(progress: { _, _ in })
        for definition in ProjectionDefinition.all { try await projector.ensureCurrent(definition) }
        var samples: [String: [Double]] = [:]
        // The index first, then both projections from it: together, what a `summary` or
        // `provenance` after one append waits for.
        func time(_ kind: String) async throws {
            let t = ContinuousClock.now
            _ = try await projector.ensureIndexCurrent(progress: { _, _ in })
            let indexed = ContinuousClock.now
            for definition in ProjectionDefinition.all { _ = try await projector.catchUp(definition) }
            samples["index_catchup_" + Self.snake(kind), default: []].append((indexed - t).seconds * 1000)
            samples["projections_catchup_" + Self.snake(kind), default: []].append((ContinuousClock.now - indexed).seconds * 1000)
        }
        for g in 0..<groups {
            let events = generator.nextSource()
            for event in events {
                _ = try await log.append([event])
                let kind = event.type == "ClaimRecorded" && event.payload["location"]?["country"]?.stringValue == "SY" ? "claim_recorded_sy" : event.type
                try await time(kind)
            }
            // A correction that moves the source's first claim to another region.
            guard let claim = events.first(where: { $0.type == "ClaimRecorded" })?.payload["claim_id"]?.stringValue else { continue }
            let country = SyntheticLog.countries[random.below(SyntheticLog.countries.count)]
            let move = ProposedEvent(
                id: EventID.derived(namespace: "bench", name: "move-\(claim)"), stream: try StreamName.entity("claim", claim),
                type: "ClaimCorrected",
                payload: [
                    "claim_id": .string(claim), "reason": "placed again", "figure_updates": [],
                    "changes": ["location": ["country": .string(country), "admin1": .string("Region \(random.below(7))"), "place": nil]],
                ],
                metadata: EventMetadata(recordedBy: "bench"))
            _ = try await log.append([move])
            try await time("correction_moving_region")
            if g % 50 == 49 { progress("  index catch-up: \(g + 1) of \(groups) sources appended event by event") }
        }
        var r: [String: Double] = [:]
        for (key, values) in samples {
            r[key + "_p50_ms"] = percentile(values, 0.5)
            r[key + "_p99_ms"] = percentile(values, 0.99)
            r[key + "_samples"] = Double(values.count)
        }
        return r
    }

    /// A region's summary read from the stored projection rows, no clocks (a country's served as
    /// the sum of its places' rows).
    func storedSummaries(regions: [String], samples: Int, key: String, random: inout SplitMix64) async throws -> [String: Double] {
        var values: [Double] = []
        for _ in 0..<samples {
            let region = regions[random.below(regions.count)]
            let t = ContinuousClock.now
            _ = try await AuditViews.view(.regionSummary, projector: projector, log: log, clocks: AuditClocks(), scope: .region(region))
            values.append((ContinuousClock.now - t).seconds * 1000)
        }
        return [key + "_p50_ms": percentile(values, 0.5), key + "_p99_ms": percentile(values, 0.99), key + "_samples": Double(values.count)]
    }

    /// A region's summary read under random clocks (each of the three set with probability one
    /// half, at least one set).
    func replays(regions: [String], samples: Int, key: String, random: inout SplitMix64) async throws -> [String: Double] {
        let head = try await log.head()!
        let first = try await log.read(from: 1, limit: 1)[0].recordedAt
        var values: [Double] = []
        for _ in 0..<samples {
            var clocks = AuditClocks()
            while clocks.isEmpty {
                if random.below(2) == 0 {
                    let span = max(1, head.recordedAt.microsecondsSinceEpoch - first.microsecondsSinceEpoch)
                    clocks.asOf = RecordTime(microsecondsSinceEpoch: first.microsecondsSinceEpoch + Int64(random.below(Int(span))))
                }
                if random.below(2) == 0 { clocks.reportedBy = CalendarDate(daysSinceEpoch: 16_436 + Int64(random.below(3_650))) }
                if random.below(2) == 0 { clocks.occurredBy = CalendarDate(daysSinceEpoch: 16_436 + Int64(random.below(3_650))) }
            }
            let region = regions[random.below(regions.count)]
            let t = ContinuousClock.now
            _ = try await AuditViews.view(.regionSummary, projector: projector, log: log, clocks: clocks, scope: .region(region))
            values.append((ContinuousClock.now - t).seconds * 1000)
        }
        return ["\(key)_p50_ms": percentile(values, 0.5), "\(key)_p99_ms": percentile(values, 0.99), "\(key)_samples": Double(samples)]
    }

    /// A region's killed figure traced: the view, the sum checked against the summary, every
    /// article re-hashed, every claim checked against its own events.
    /// With `allPages`, every page of 10,000 claims is traced (the full trace); otherwise the first
    /// page of 100.
    func traces(regions: [String], samples: Int, key: String, allPages: Bool = false, random: inout SplitMix64) async throws -> [String: Double] {
        var values: [Double] = []
        var claims = 0
        for _ in 0..<samples {
            let region = regions[random.below(regions.count)]
            let t = ContinuousClock.now
            let view = try await AuditViews.view(
                .regionSummary, projector: projector, log: log, clocks: AuditClocks(), scope: .region(region), needs: .picture)
            var page = AuditViews.TracePage(limit: allPages ? AuditViews.TracePage.maximumLimit : AuditViews.TracePage.defaultLimit)
            while let traced = try? await AuditViews.traceFigure(
                view, region: region, measure: "killed", kind: nil, vault: ArticleVault(log: log), page: page)
            {
                claims += traced.claims.count
                guard allPages, let next = traced.json["page"]?["next_after"]?.stringValue else { break }
                page.after = next
            }
            values.append((ContinuousClock.now - t).seconds * 1000)
        }
        return [
            "\(key)_p50_ms": percentile(values, 0.5), "\(key)_p99_ms": percentile(values, 0.99), "\(key)_samples": Double(samples),
            "\(key)_mean_claims": Double(claims) / Double(max(1, samples)),
        ]
    }

    static func snake(_ kind: String) -> String {
        var out = ""
        for character in kind {
            if character.isUppercase, !out.isEmpty { out += "_" }
            out += character.lowercased()
        }
        return out
    }
}
