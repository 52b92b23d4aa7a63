import Foundation
import Testing
import ThreatLedgerCore
import ThreatLedgerServer
import ThreatLedgerTesting

/// `POST /v1/sources/{id}/corrections` and `/retractions`: analysts only; the summary read at the
/// answer's position follows; a second retraction is a 409 and an unknown source a 404, with
/// nothing appended.
@Suite struct SourceEditRouteTests {
    @Test func analystsCorrectAndRetractSourcesAndTheReadsFollow() async throws {
        try await withServer { server in
            let correction: JSONValue = ["payload": ["reason": "re-dated", "changes": ["title": "عنوان مصحح"]]]
            #expect(try await server.send("POST", "/v1/sources/5a9ba17097eb5f86/corrections", role: .auditor, body: correction).status == 403)
            let corrected = try await server.send("POST", "/v1/sources/5a9ba17097eb5f86/corrections", role: .analyst, body: correction)
            #expect(corrected.status == 201, "\(corrected.text)")
            let empty = try await server.send(
                "POST", "/v1/sources/5a9ba17097eb5f86/corrections", role: .analyst, body: ["payload": ["reason": "r", "changes": [:]]])
            #expect(empty.status == 400 && empty.text.contains("a correction must change something"), "\(empty.text)")

            let retraction: JSONValue = ["payload": ["reason": "withdrawn"]]
            let retracted = try await server.send("POST", "/v1/sources/a896289027671bb9/retractions", role: .analyst, body: retraction)
            #expect(retracted.status == 201, "\(retracted.text)")
            let position = try #require(retracted.json["appended"]?.arrayValue?.first?["position"]?.integerValue)
            let summary = try await server.send("GET", "/v1/summary?region=SY&at_least=\(position)", role: .auditor)
            let killed = summary.json["regions"]?.arrayValue?.first { $0["region"] == "SY" }?["figures"]?["killed"]?["low"]
            #expect(killed == 175, "\(summary.text)")
            let sources = try await server.send("GET", "/v1/sources?at_least=\(position)", role: .auditor)
            let row = sources.json["sources"]?.arrayValue?.first { $0["source_id"] == "a896289027671bb9" }
            #expect(row?["retracted"] == true)

            let head = try await server.head()
            let again = try await server.send("POST", "/v1/sources/a896289027671bb9/retractions", role: .analyst, body: retraction)
            #expect(again.status == 409, "\(again.text)")
            let unknown = try await server.send("POST", "/v1/sources/no-such-source/retractions", role: .analyst, body: retraction)
            #expect(unknown.status == 404, "\(unknown.text)")
            #expect(try await server.head() == head)
        }
    }
}
