import Foundation
import ThreatLedgerAudit
import ThreatLedgerCore
import ThreatLedgerProjections
import ThreatLedgerStore

/// A page of each listing on an existing log (`threatledger-bench --listings LOG`): the claims (no
/// filter, by country, kind, source, event dates, under a report-time clock), the sources and the
/// events, each at random cursors, as the server reads them (the index as it stands, caught up
/// once first). The floor, measured in the same run, is a page of 100 events read by position: the
/// cheapest read a listing can make.
struct ListingBench {
    let log: any EventLog
    let projector: any Projector & ClaimVersionIndex
    let progress: (String) -> Void

    func measure(samples: Int, random: inout SplitMix64) async throws -> [String: Double] {
        progress("catching the read index and the projections up")
        _ = try await projector.ensureIndexCurrent(progress: { _, _ in })
        try await projector.ensureCurrent(.sourceProvenance)
        let head = try await log.head()?.position ?? 0
        guard head > 0 else { return [:] }

        // Cursors: claim and source ids read from random places in the log.
        progress("sampling cursors")
        var claimIDs: [String] = []
        var sourceIDs: [String] = []
        while claimIDs.count < samples || sourceIDs.count < 20 {
            for event in try await log.read(from: Int64(1 + random.below(max(1, Int(head) - 50))), limit: 50) {
                let payload = try event.payload()
                if event.type == EventType.claimRecorded.rawValue, let id = payload["claim_id"]?.stringValue { claimIDs.append(id) }
                if let source = payload["source_id"]?.stringValue, event.type == EventType.sourceRegistered.rawValue { sourceIDs.append(source) }
            }
        }
        var r: [String: Double] = ["log_events": Double(head)]
        func time(_ key: String, _ body: (inout SplitMix64) async throws -> Int) async throws {
            progress("\(key.replacingOccurrences(of: "_", with: " ")) (\(samples) samples)")
            var values: [Double] = []
            var rows = 0
            for _ in 0..<samples {
                let t = ContinuousClock.now
                rows += try await body(&random)
                values.append((ContinuousClock.now - t).seconds * 1000)
            }
            r[key + "_p50_ms"] = percentile(values, 0.5)
            r[key + "_p99_ms"] = percentile(values, 0.99)
            r[key + "_samples"] = Double(samples)
            r[key + "_mean_rows"] = Double(rows) / Double(samples)
        }
        try await time("floor_events_page") { random in
            try await log.read(from: Int64(1 + random.below(max(1, Int(head) - 100))), limit: 100).count
        }
        try await time("events_page") { random in
            try await log.read(from: Int64(1 + random.below(max(1, Int(head) - 100))), limit: 100).map { try $0.envelopeJSON() }.count
        }
        func claims(_ query: ClaimPageQuery, region: String? = nil, clocks: AuditClocks = AuditClocks()) async throws -> Int {
            let listing = try await ClaimListing.read(query, region: region, clocks: clocks, projector: projector, log: log, freshness: .asStored)
            _ = CanonicalJSON.bytes(listing.json)  // the answer as the API writes it is part of a page's cost
            return listing.page.claims.count
        }
        let cursor = { (random: inout SplitMix64) in claimIDs[random.below(claimIDs.count)] }
        try await time("claims_page") { random in try await claims(ClaimPageQuery(after: cursor(&random))) }
        try await time("claims_page_country") { random in try await claims(ClaimPageQuery(after: cursor(&random)), region: "SY") }
        try await time("claims_page_kind") { random in try await claims(ClaimPageQuery(after: cursor(&random), kind: .arrest)) }
        try await time("claims_page_source") { random in
            try await claims(ClaimPageQuery(sourceID: sourceIDs[random.below(sourceIDs.count)]))
        }
        try await time("claims_page_event_dates") { random in
            try await claims(
                ClaimPageQuery(
                    after: cursor(&random), occurredFrom: CalendarDate(year: 2020, month: 1, day: 1), occurredTo: CalendarDate(year: 2020, month: 12, day: 31)))
        }
        try await time("claims_page_reported_by") { random in
            try await claims(ClaimPageQuery(after: cursor(&random)), clocks: AuditClocks(reportedBy: CalendarDate(year: 2021, month: 6, day: 30)))
        }
        try await time("sources_page") { random in
            let after = sourceIDs[random.below(sourceIDs.count)]
            let view = try await AuditViews.view(
                .sourceProvenance, projector: projector, log: log, clocks: AuditClocks(), freshness: .asStored, page: AuditViews.Page(after: after, limit: 100))
            return SourceListing.page(view.rows, after: after, limit: 100).sources.count
        }
        return r
    }

    static func rows(_ r: [String: Double]) -> [(String, String)] {
        let floor = r["floor_events_page_p50_ms"] ?? 0
        func latency(_ key: String) -> String {
            let p50 = r[key + "_p50_ms"] ?? 0
            return String(
                format: "p50 %6.2f ms  p99 %6.2f ms  (%.0f samples, %.0f rows)  %.1f× the floor", p50, r[key + "_p99_ms"] ?? 0, r[key + "_samples"] ?? 0,
                r[key + "_mean_rows"] ?? 0, floor > 0 ? p50 / floor : 0)
        }
        return [
            ("floor: 100 events read by position", latency("floor_events_page")),
            ("GET /v1/events page (100, as JSON)", latency("events_page")),
            ("claims page (100), random cursor", latency("claims_page")),
            ("  in SY", latency("claims_page_country")),
            ("  of kind arrest", latency("claims_page_kind")),
            ("  of one source", latency("claims_page_source")),
            ("  with event dates in 2020", latency("claims_page_event_dates")),
            ("  reported by 2021-06-30", latency("claims_page_reported_by")),
            ("sources page (100), random cursor", latency("sources_page")),
        ]
    }
}
