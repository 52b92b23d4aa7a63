import Foundation
import ThreatLedgerCore

/// The workbench's views as one auditor meets them: each view's data requests, sent one at a time
/// over one keep-alive connection to an otherwise idle server (before the load), each timed from
/// the request's first byte written to the response's last byte read. Paths are drawn from the
/// log's own divisions, sources and claims with a fixed seed.
struct HTTPViews {
    /// One view's request, by name, and how many samples to take of it.
    struct View {
        let key: String
        let title: String
        let samples: Int
        let path: (inout SplitMix64) -> String
    }

    let port: Int
    let token: String

    /// The views the page reads, over `divisions` (those with a killed figure), `sources` and
    /// `claims` of the log, publication days within `days`.
    static func views(divisions: [String], sources: [String], claims: [String], days: ClosedRange<Int64>) -> [View] {
        func q(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text }
        func pick(_ values: [String], _ random: inout SplitMix64) -> String { values[random.below(values.count)] }
        func day(_ random: inout SplitMix64) -> CalendarDate { CalendarDate(daysSinceEpoch: days.lowerBound + Int64(random.below(Int(days.count)))) }
        let country = RegionPlace(key: divisions.first ?? "SY").country ?? "SY"
        return [
            View(key: "summary_division", title: "summary of a division (its stored row)", samples: 30) { "/v1/summary?region=\(q(pick(divisions, &$0)))" },
            View(key: "summary_division_clocked", title: "… reported by a day (read index)", samples: 30) { r in
                "/v1/summary?region=\(q(pick(divisions, &r)))&reported_by=\(day(&r).iso8601)"
            },
            View(key: "trace_division", title: "trace of a division's killed figure", samples: 30) {
                "/v1/trace?region=\(q(pick(divisions, &$0)))&measure=killed"
            },
            View(key: "article", title: "article: one source with its claims", samples: 30) { "/v1/sources/\(q(pick(sources, &$0)))" },
            View(key: "history", title: "history of one claim", samples: 30) { "/v1/claims/\(q(pick(claims, &$0)))/history" },
            View(key: "diff_division", title: "diff of a division between two days (report)", samples: 30) { r in
                let from = day(&r)
                return "/v1/diff?clock=report&from=\(from.iso8601)&to=\(from.adding(days: 30).iso8601)&region=\(q(pick(divisions, &r)))"
            },
            View(key: "timeline_report", title: "timeline of a division, report time", samples: 30) {
                "/v1/timeline?region=\(q(pick(divisions, &$0)))&clock=report"
            },
            View(key: "timeline_record", title: "timeline of a division, record time", samples: 30) {
                "/v1/timeline?region=\(q(pick(divisions, &$0)))&clock=record"
            },
            View(key: "summary_all", title: "summary of every region (summary and map views)", samples: 3) { _ in "/v1/summary" },
            View(key: "summary_country", title: "summary of a country (the first division's)", samples: 3) { _ in "/v1/summary?region=\(country)" },
            View(key: "sources_page", title: "sources view: a page of 100 after a random source", samples: 30) { r in
                "/v1/sources?limit=100&after=\(q(pick(sources, &r)))"
            },
            View(key: "sources_list", title: "one page of 5,000 sources (the API's largest)", samples: 3) { _ in "/v1/sources?limit=5000" },
            View(key: "timeline_country", title: "timeline of that country, report time", samples: 1) { _ in "/v1/timeline?region=\(country)&clock=report" },
        ]
    }

    /// Times every view; keys `<label>_view_<key>_{p50_ms,max_ms,samples,kb,failed}`.
    func measure(_ views: [View], label: String, progress: (String) -> Void) throws -> [String: Double] {
        var random = SplitMix64(seed: 17)
        var results: [String: Double] = [:]
        let connection = try HTTPConnection(port: port)
        for view in views {
            var latencies: [Double] = []
            var bytes = 0
            var failed = 0
            for _ in 0..<view.samples {
                let path = view.path(&random)
                let start = ContinuousClock.now
                let (status, body) = try connection.send(method: "GET", path: path, token: token)
                let elapsed = ContinuousClock.now - start
                if status == 200 {
                    latencies.append(elapsed.seconds * 1_000)
                    bytes = max(bytes, body.count)
                } else {
                    failed += 1
                    progress("\(label): \(path) answered \(status): \(String(decoding: body.prefix(300), as: UTF8.self))")
                }
            }
            let prefix = "\(label)_view_\(view.key)"
            results["\(prefix)_p50_ms"] = percentile(latencies, 0.5)
            results["\(prefix)_max_ms"] = latencies.max() ?? 0
            results["\(prefix)_samples"] = Double(latencies.count)
            results["\(prefix)_failed"] = Double(failed)
            results["\(prefix)_kb"] = Double(bytes) / 1024
            progress(
                String(format: "%@: %@: p50 %.1f ms, max %.1f ms (%d)", label, view.title, percentile(latencies, 0.5), latencies.max() ?? 0, latencies.count))
        }
        return results
    }

    /// The lines the report prints for `label`.
    static func rows(_ r: [String: Double], label: String) -> [(String, String)] {
        views(divisions: ["SY/-"], sources: [], claims: [], days: 0...0).compactMap { view in
            let prefix = "\(label)_view_\(view.key)"
            guard let samples = r["\(prefix)_samples"] else { return nil }
            return (
                "  view: " + view.title,
                String(
                    format: "p50 %8.1f ms   max %8.1f ms   (%.0f requests, %.0f failed, largest answer %.0f KB)", r["\(prefix)_p50_ms"] ?? 0,
                    r["\(prefix)_max_ms"] ?? 0, samples, r["\(prefix)_failed"] ?? 0, r["\(prefix)_kb"] ?? 0)
            )
        }
    }
}
