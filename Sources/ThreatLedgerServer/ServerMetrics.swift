import Foundation
import Hummingbird
import Prometheus
import ThreatLedgerCore

/// The server's metrics in the Prometheus text format, from its own registry (so several servers can
/// share a process, as tests do): request counts and latency per route, appends, rebuilds and queries.
public final class ServerMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    static let buckets: [Duration] = [
        .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
        .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
    ]

    public init() {}

    func request(route: String, method: String, status: Int, duration: Duration) {
        registry.makeCounter(name: "threatledger_http_requests_total", labels: [("route", route), ("method", method), ("status", String(status))]).increment()
        registry.makeDurationHistogram(
            name: "threatledger_http_request_duration_seconds", labels: [("route", route), ("method", method)], buckets: Self.buckets
        ).record(duration)
    }

    func appended(events: Int, duration: Duration) {
        registry.makeCounter(name: "threatledger_appends_total", labels: []).increment()
        registry.makeCounter(name: "threatledger_events_appended_total", labels: []).increment(by: Int64(events))
        registry.makeDurationHistogram(name: "threatledger_append_duration_seconds", labels: [], buckets: Self.buckets).record(duration)
    }

    func rebuilt(projection: String, duration: Duration) {
        registry.makeCounter(name: "threatledger_rebuilds_total", labels: [("projection", projection)]).increment()
        registry.makeDurationHistogram(name: "threatledger_rebuild_duration_seconds", labels: [("projection", projection)], buckets: Self.buckets).record(
            duration)
    }

    func queried(_ query: String, duration: Duration) {
        registry.makeCounter(name: "threatledger_queries_total", labels: [("query", query)]).increment()
        registry.makeDurationHistogram(name: "threatledger_query_duration_seconds", labels: [("query", query)], buckets: Self.buckets).record(duration)
    }

    /// The position every projection stands at after a background catch-up.
    func caughtUp(position: Int64) {
        registry.makeGauge(name: "threatledger_projections_position", labels: []).set(Double(position))
    }

    func catchUpFailed() {
        registry.makeCounter(name: "threatledger_projection_catch_up_failures_total", labels: []).increment()
    }

    /// Scheduled verification is on: its failure counter exists (at 0) from the start, so an alert
    /// on its rate has a series to read.
    func verificationScheduled() {
        _ = registry.makeCounter(name: "threatledger_verify_failures_total", labels: [])
        _ = registry.makeGauge(name: "threatledger_verify_last_success_timestamp_seconds", labels: [])
    }

    func verified(at time: RecordTime) {
        registry.makeGauge(name: "threatledger_verify_last_success_timestamp_seconds", labels: []).set(Double(time.microsecondsSinceEpoch) / 1_000_000)
    }

    func verificationFailed() {
        registry.makeCounter(name: "threatledger_verify_failures_total", labels: []).increment()
    }

    func text() -> [UInt8] {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }
}

/// Counts every request and its latency under its route template (never the raw path, which would
/// put ids in label values).
struct RequestMetricsMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let metrics: ServerMetrics

    func handle(_ request: Request, context: APIRequestContext, next: (Request, APIRequestContext) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            metrics.request(
                route: context.endpointPath ?? "unmatched", method: request.method.rawValue, status: response.status.code, duration: ContinuousClock.now - start
            )
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            metrics.request(route: context.endpointPath ?? "unmatched", method: request.method.rawValue, status: status, duration: ContinuousClock.now - start)
            throw error
        }
    }
}
