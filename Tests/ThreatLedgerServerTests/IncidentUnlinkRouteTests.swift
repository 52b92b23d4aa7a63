import Foundation
import Testing
import ThreatLedgerCore
import ThreatLedgerServer
import ThreatLedgerTesting

/// `POST /v1/incidents/{id}/unlinks`: an analyst takes a claim out of an incident; the summary read
/// at the answer's position counts it on its own; a claim the incident does not hold is a 400
/// naming it, an unknown incident a 404, and neither appends anything.
@Suite struct IncidentUnlinkRouteTests {
    @Test func anAnalystUnlinksAClaimAndTheSummaryFollows() async throws {
        try await withServer { server in
            let path = "/v1/incidents/hasakah-prison-assault-2022/unlinks"
            let body: JSONValue = ["payload": ["claim_ids": ["9fda8b7b93fb41eb-05"], "reason": "reports another assault"]]
            let forbidden = try await server.send("POST", path, role: .auditor, body: body)
            #expect(forbidden.status == 403)
            let unlinked = try await server.send("POST", path, role: .analyst, body: body)
            #expect(unlinked.status == 201, "\(unlinked.text)")
            let position = try #require(unlinked.json["appended"]?.arrayValue?.first?["position"]?.integerValue)
            let summary = try await server.send("GET", "/v1/summary?region=SY-HA&at_least=\(position)", role: .auditor)
            let ids = summary.json["regions"]?.arrayValue?.first?["incident_ids"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(ids.contains("claim:9fda8b7b93fb41eb-05") && ids.contains("incident:hasakah-prison-assault-2022"), "\(summary.text)")

            let head = try await server.head()
            let again = try await server.send("POST", path, role: .analyst, body: body)
            #expect(again.status == 400 && again.text.contains("is not one of incident hasakah-prison-assault-2022's claims"), "\(again.text)")
            let unknown = try await server.send("POST", "/v1/incidents/no-such-incident/unlinks", role: .analyst, body: body)
            #expect(unknown.status == 404, "\(unknown.text)")
            let mismatched = try await server.send(
                "POST", path, role: .analyst, body: ["payload": ["incident_id": "other", "claim_ids": ["x-01"], "reason": "r"]])
            #expect(mismatched.status == 400 && mismatched.json["field"] == "payload.incident_id")
            #expect(try await server.head() == head)
        }
    }
}
