import Hummingbird

/// Every route the API serves, with the permission it needs (nil: open). The router is built from this
/// table and the OpenAPI contract test compares it with `schemas/openapi.yaml`, so they cannot drift.
public struct RouteSpec: Sendable, Hashable {
    public let method: String
    /// OpenAPI-style path (`/v1/claims/{id}`).
    public let path: String
    public let permission: Permission?
    /// The query parameters it takes; any other is refused with 400, so a misspelt filter is never
    /// silently ignored.
    public let query: [String]

    public init(method: String, path: String, permission: Permission?, query: [String] = []) {
        self.method = method
        self.path = path
        self.permission = permission
        self.query = query
    }
}

public enum APIRoutes {
    public static let all: [RouteSpec] = [
        RouteSpec(method: "GET", path: "/health", permission: nil),
        RouteSpec(method: "GET", path: "/ready", permission: nil),
        RouteSpec(method: "GET", path: "/metrics", permission: nil),
        RouteSpec(method: "GET", path: "/v1/summary", permission: .read, query: ["region", "as_of", "reported_by", "occurred_by", "at_least"]),
        RouteSpec(method: "GET", path: "/v1/provenance", permission: .read, query: ["source", "as_of", "reported_by", "occurred_by", "at_least"]),
        RouteSpec(
            method: "GET", path: "/v1/claims", permission: .read,
            query: [
                "limit", "after", "region", "kind", "source", "occurred_from", "occurred_to", "as_of", "reported_by", "occurred_by", "at_least", "format",
            ]),
        RouteSpec(method: "GET", path: "/v1/claims/{id}", permission: .read, query: ["as_of", "reported_by", "occurred_by", "at_least"]),
        RouteSpec(method: "GET", path: "/v1/claims/{id}/history", permission: .read),
        RouteSpec(method: "GET", path: "/v1/claims/{id}/trace", permission: .read, query: ["as_of", "reported_by", "occurred_by", "at_least"]),
        RouteSpec(
            method: "GET", path: "/v1/trace", permission: .read,
            query: ["region", "measure", "kind", "limit", "after", "as_of", "reported_by", "occurred_by", "at_least"]),
        RouteSpec(
            method: "GET", path: "/v1/evidence", permission: .read, query: ["region", "measure", "kind", "as_of", "reported_by", "occurred_by", "at_least"]),
        RouteSpec(method: "GET", path: "/v1/sources", permission: .read, query: ["limit", "after", "as_of", "reported_by", "occurred_by", "at_least"]),
        RouteSpec(method: "GET", path: "/v1/sources/{id}", permission: .read, query: ["as_of", "reported_by", "occurred_by", "at_least"]),
        RouteSpec(method: "GET", path: "/v1/diff", permission: .read, query: ["clock", "from", "to", "region", "at_least"]),
        RouteSpec(method: "GET", path: "/v1/timeline", permission: .read, query: ["region", "measure", "clock", "at_least"]),
        RouteSpec(method: "GET", path: "/v1/events", permission: .read, query: ["from", "limit"]),
        RouteSpec(method: "GET", path: "/v1/rebuilds", permission: .read, query: ["projection", "limit", "after"]),
        RouteSpec(method: "POST", path: "/v1/sources", permission: .write),
        RouteSpec(method: "POST", path: "/v1/sources/{id}/corrections", permission: .write),
        RouteSpec(method: "POST", path: "/v1/sources/{id}/retractions", permission: .write),
        RouteSpec(method: "POST", path: "/v1/claims", permission: .write),
        RouteSpec(method: "POST", path: "/v1/claims/{id}/corrections", permission: .write),
        RouteSpec(method: "POST", path: "/v1/claims/{id}/retractions", permission: .write),
        RouteSpec(method: "POST", path: "/v1/incidents", permission: .write),
        RouteSpec(method: "POST", path: "/v1/incidents/{id}/unlinks", permission: .write),
        RouteSpec(method: "POST", path: "/v1/rebuilds", permission: .rebuild, query: ["projection"]),
    ]
}
