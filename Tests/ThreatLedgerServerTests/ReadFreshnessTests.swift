import Foundation
import Testing
import ThreatLedgerCore
import ThreatLedgerServer
import ThreatLedgerStore
import ThreatLedgerTesting

/// Reads serve the projections as of their checkpoint and say which position that is; the server
/// catches them up in the background, and `at_least` gives a reader its own write.
@Suite struct ReadFreshnessTests {
    @Test func aReadWithAtLeastSeesTheReadersOwnAppendAndNamesThePositionItStandsAt() async throws {
        try await withServer { server in
            let source = EventFixtures.sourceRegistered(id: "fresh-source")
            let registered = try await server.send("POST", "/v1/sources", role: .analyst, body: ["payload": source.payload])
            #expect(registered.status == 201)
            let recorded = try await server.send(
                "POST", "/v1/claims", role: .analyst, body: ["payload": EventFixtures.claimPayload(id: "fresh-claim", sourceID: "fresh-source")])
            #expect(recorded.status == 201, "\(recorded.text)")
            let position = try #require(recorded.json["appended"]?.arrayValue?.first?["position"]?.integerValue)

            let summary = try await server.send("GET", "/v1/summary?region=IQ/Diyala&at_least=\(position)", role: .auditor)
            #expect(summary.status == 200, "\(summary.text)")
            #expect((summary.json["as_of"]?["log_position"]?.integerValue ?? 0) >= position)
            #expect(summary.text.contains("fresh-claim"), "the summary read at least at the append's position lists the new claim")
            let claim = try await server.send("GET", "/v1/claims/fresh-claim?at_least=\(position)", role: .auditor)
            #expect(claim.status == 200 && claim.json["claim"]?["claim_id"] == "fresh-claim", "\(claim.text)")
            let trace = try await server.send("GET", "/v1/trace?region=IQ/Diyala&measure=killed&at_least=\(position)", role: .auditor)
            #expect(trace.status == 200 && trace.json["holds"] == true, "\(trace.text)")
            #expect(trace.json["as_of"]?["log_position"] == summary.json["as_of"]?["log_position"])

            let past = try await server.send("GET", "/v1/summary?at_least=\(position + 1_000)", role: .auditor)
            #expect(past.status == 400 && past.json["field"] == "at_least", "\(past.text)")
            #expect(Contract.documents("GET", "/v1/summary", past.status))
            let negative = try await server.send("GET", "/v1/summary?at_least=-1", role: .auditor)
            #expect(negative.status == 400 && negative.json["field"] == "at_least")
        }
    }

    @Test func aReadWithoutAtLeastServesTheStoredCheckpointEvenWhenAnotherProcessHasAppendedSince() async throws {
        // A poll of an hour: only a wake (an append through this server, or a read with at_least)
        // makes the follower look at the log again.
        let hourlyPoll: (inout ServerConfiguration) -> Void = { $0.catchUpPoll = .seconds(3_600) }
        try await withServer(configure: hourlyPoll) { server in
            let before = try await server.send("GET", "/v1/summary?region=IQ", role: .auditor)
            let served = try #require(before.json["as_of"]?["log_position"]?.integerValue)
            #expect(served == 100)

            // Another writer appends to the same file, behind the server's back.
            let elsewhere = try SQLiteEventLog(path: server.databasePath)
            _ = try await elsewhere.append([
                EventFixtures.sourceRegistered(id: "elsewhere-source"), EventFixtures.claimRecorded(id: "elsewhere-claim", sourceID: "elsewhere-source"),
            ])
            let head = try #require(try await server.head()?.position)
            #expect(head == 102)

            let stale = try await server.send("GET", "/v1/summary?region=IQ", role: .auditor)
            #expect(stale.status == 200)
            #expect(stale.json["as_of"]?["log_position"]?.integerValue == served, "served as stored, at the position it names")
            #expect(!stale.text.contains("elsewhere-claim"))

            let fresh = try await server.send("GET", "/v1/summary?region=IQ&at_least=\(head)", role: .auditor)
            #expect(fresh.status == 200, "\(fresh.text)")
            #expect(fresh.json["as_of"]?["log_position"]?.integerValue == head)
            #expect(fresh.text.contains("elsewhere-claim"))
            let metrics = try await server.send("GET", "/metrics").text
            #expect(metrics.contains("threatledger_projections_position \(head)"), "\(metrics.split(separator: "\n").filter { $0.contains("projections") })")
        }
    }
}
