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
    let log: any EventLog
    /// SQLite's or PostgreSQL's: the same engine, measured the same way.
    let projector: any Projector & ClaimVersionIndex
    let progress: (String) -> Void

    /// Every read-side figure on a built log: catch-up per event kind (`indexGroups` sources event by
    /// event), a division's and SY's stored summary, their replays under random clocks, a division's
    /// trace, SY's first page and SY's full trace.
    func measure(total: Int, indexGroups: Int, readSamples: Int, countrySamples: Int, random: inout SplitMix64) async throws -> [String: Double] {
        var r: [String: Double] = [:]
        progress("read index: catch-up after one append, by event type (\(indexGroups) sources event by event)")
        var more = SyntheticLog(seed: 123, events: total)
        more.source = 20_000_001
        r.merge(try await catchUps(groups: indexGroups, generator: &more, random: &random)) { $1 }
        let divisions = try await projector.regionKeys().filter { RegionPlace(key: $0).admin1 != nil }
        r["divisions"] = Double(divisions.count)
        progress("stored projection: a division's summary, no clocks (\(readSamples) samples)")
        r.merge(try await storedSummaries(regions: divisions, samples: readSamples, key: "division_stored_summary", random: &random)) { $1 }
        progress("stored projection: SY's summary, no clocks (\(countrySamples) samples)")
        r.merge(try await storedSummaries(regions: ["SY"], samples: countrySamples, key: "country_stored_summary", random: &random)) { $1 }
        progress("read index: a division's summary under random clocks (\(readSamples) samples)")
        r.merge(try await replays(regions: divisions, samples: readSamples, key: "division_replay", random: &random)) { $1 }
        progress("read index: SY's summary under random clocks (\(countrySamples) samples)")
        r.merge(try await replays(regions: ["SY"], samples: countrySamples, key: "country_replay", random: &random)) { $1 }
        progress("read index: a division's killed figure traced (\(readSamples) samples)")
        r.merge(try await traces(regions: divisions, samples: readSamples, key: "division_trace", random: &random)) { $1 }
        // The first page still reads SY's whole picture (its summary is computed to check the sum), so it
        // costs what SY's summary costs: sampled like it.
        progress("read index: the first page of SY's killed figure traced (\(countrySamples) samples)")
        r.merge(try await traces(regions: ["SY"], samples: countrySamples, key: "country_trace_first_page", random: &random)) { $1 }
        progress("read index: SY's killed figure traced in full, every page (\(countrySamples) samples)")
        r.merge(try await traces(regions: ["SY"], samples: countrySamples, key: "country_trace", allPages: true, random: &random)) { $1 }
        return r
    }

    /// The report's lines for what ``measure(total:indexGroups:readSamples:countrySamples:random:)`` returned.
    static func rows(_ r: [String: Double]) -> [(String, String)] {
        func latency(_ key: String) -> String {
            String(format: "p50 %8.1f ms   p99 %8.1f ms   (%.0f samples)", r[key + "_p50_ms"] ?? 0, r[key + "_p99_ms"] ?? 0, r[key + "_samples"] ?? 0)
        }
        var rows: [(String, String)] = []
        for kind in [
            "source_registered", "claim_recorded", "claim_recorded_sy", "incident_linked", "claim_corrected", "correction_moving_region", "claim_retracted",
        ] {
            rows.append(("read index: catch-up after one \(kind.replacingOccurrences(of: "_", with: " "))", latency("index_catchup_\(kind)")))
            rows.append(("  then both projections from it", latency("projections_catchup_\(kind)")))
        }
        return rows + [
            ("a division's summary, stored rows, no clocks", latency("division_stored_summary")),
            ("SY's summary, stored rows, no clocks", latency("country_stored_summary")),
            ("a division's summary, random clocks", latency("division_replay") + String(format: "   %.0f divisions", r["divisions"] ?? 0)),
            ("SY's summary, random clocks", latency("country_replay")),
            ("a division's figure traced", latency("division_trace") + String(format: "   %.0f claims on average", r["division_trace_mean_claims"] ?? 0)),
            ("SY's killed figure, first page (100 claims)", latency("country_trace_first_page")),
            ("SY's killed figure traced in full", latency("country_trace") + String(format: "   %.0f claims on average", r["country_trace_mean_claims"] ?? 0)),
        ]
    }

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
