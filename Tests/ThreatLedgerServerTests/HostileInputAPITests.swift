import Foundation
import Testing
import ThreatLedgerCore
import ThreatLedgerServer
import ThreatLedgerTesting

/// The hostile-input corpus (`Tests/HostileInputs/corpus.json`) against the running server over real
/// HTTP: each body gets a 4xx problem, nothing is appended, and the server stays up and answers.
@Suite struct HostileInputAPITests {
    @Test func everyHostileBodyGetsAProblemAppendsNothingAndTheServerKeepsAnswering() async throws {
        try await withServer { server in
            for hostile in HostileCorpus.cases {
                let bodies = HostileCorpus.apiBodies(hostile)
                for body in bodies.dropLast() {
                    let setUp = try await server.send("POST", "/v1/claims", role: .analyst, raw: body)
                    #expect(setUp.status == 201, "\(hostile.name): the valid first request got \(setUp.status): \(setUp.text.prefix(300))")
                }
                let before = try await server.head()
                let reply = try await server.send("POST", "/v1/claims", role: .analyst, raw: bodies.last!)
                #expect(reply.status == hostile.apiStatus, "\(hostile.name): \(reply.status) \(reply.text.prefix(400))")
                #expect(reply.headers["content-type"]?.hasPrefix("application/problem+json") == true, "\(hostile.name)")
                #expect(reply.json["detail"]?.stringValue?.isEmpty == false, "\(hostile.name): \(reply.text.prefix(300))")
                #expect(reply.body.count < 4_096, "\(hostile.name): the problem echoes the input (\(reply.body.count) bytes)")
                #expect(try await server.head() == before, "\(hostile.name): the log changed")
                #expect(try await server.send("GET", "/health").status == 200, "\(hostile.name): the server stopped answering")
            }

            // Query text is data, never SQL: hostile parameters get a 4xx and the log is intact.
            let before = try await server.head()
            for path in [
                "/v1/summary?region=SY'%20OR%201=1--", "/v1/trace?region=IQ%2F'%3B%20DROP%20TABLE%20events--&measure=killed",
                "/v1/claims/x'%20OR%20'1'='1", "/v1/claims?region=%27%3B%20DELETE%20FROM%20events%3B--",
            ] {
                let reply = try await server.send("GET", path, role: .auditor)
                #expect((400..<500).contains(reply.status), "\(path): \(reply.status)")
            }
            #expect(try await server.head() == before)

            // And a valid write still goes through.
            var claim = HostileCorpus.baseClaim
            if case .object(var members) = claim {
                members["claim_id"] = .string(HostileCorpus.claimID + "-after")
                claim = .object(members)
            }
            let valid = try await server.send("POST", "/v1/claims", role: .analyst, body: ["payload": claim])
            #expect(valid.status == 201, "\(valid.text.prefix(300))")
        }
    }
}
