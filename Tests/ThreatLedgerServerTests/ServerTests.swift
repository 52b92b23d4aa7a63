import Foundation
import Testing
import ThreatLedgerCore
import ThreatLedgerServer
import ThreatLedgerTesting

@Suite struct ServerTests {
    func expectDocumented(_ reply: RunningServer.Reply, _ method: String, _ template: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(
            Contract.documents(method, template, reply.status), "\(method) \(template) answered \(reply.status), which the contract does not document",
            sourceLocation: sourceLocation)
        if reply.status >= 400 {
            #expect(reply.headers["content-type"] == "application/problem+json", sourceLocation: sourceLocation)
            #expect(throws: Never.self, sourceLocation: sourceLocation) { try Contract.problemValidator.validate(reply.json, against: "problem.json") }
            #expect(reply.json["status"]?.integerValue == Int64(reply.status), sourceLocation: sourceLocation)
        }
    }

    @Test func healthAndReadinessAnswer() async throws {
        try await withServer { server in
            let health = try await server.send("GET", "/health")
            #expect(health.status == 200 && health.json["status"] == "ok")
            let ready = try await server.send("GET", "/ready")
            #expect(ready.status == 200 && ready.json["ready"] == true)
            #expect(ready.json["detail"]?.stringValue?.contains("region-summary at log position 100") == true)
            expectDocumented(ready, "GET", "/ready")
        }
    }

    @Test func everyReadRouteAnswersAnAuditorWithDocumentedJSON() async throws {
        try await withServer { server in
            let reads: [(String, String)] = [
                ("/v1/summary?region=SY/Hasakah", "/v1/summary"), ("/v1/summary?reported_by=2020-12-31", "/v1/summary"),
                ("/v1/provenance?source=5a9ba17097eb5f86", "/v1/provenance"), ("/v1/claims?as_of=2099-01-01", "/v1/claims"),
                ("/v1/claims/a896289027671bb9-08", "/v1/claims/{id}"), ("/v1/claims/a896289027671bb9-08/history", "/v1/claims/{id}/history"),
                ("/v1/claims/a896289027671bb9-08/trace", "/v1/claims/{id}/trace"),
                ("/v1/trace?region=SY&measure=killed&kind=attack", "/v1/trace"), ("/v1/events?from=1&limit=10", "/v1/events"),
                ("/v1/rebuilds", "/v1/rebuilds"), ("/v1/sources", "/v1/sources"), ("/v1/sources/1aee4b5224ae9675", "/v1/sources/{id}"),
                ("/v1/sources/1aee4b5224ae9675?reported_by=2020-12-31", "/v1/sources/{id}"),
                ("/v1/diff?clock=report&from=2022-01-01&to=2022-02-28&region=SY", "/v1/diff"), ("/v1/diff?from=2000-01-01", "/v1/diff"),
            ]
            for (path, template) in reads {
                let reply = try await server.send("GET", path, role: .auditor)
                #expect(reply.status == 200, "\(path): \(reply.text)")
                expectDocumented(reply, "GET", template)
            }
            let summary = try await server.send("GET", "/v1/summary?region=SY/Hasakah", role: .auditor).json
            #expect(summary["regions"]?.arrayValue?.first?["figures"]?["killed"]?["low"] == 175)
            let replayed = try await server.send("GET", "/v1/summary?reported_by=2020-12-31", role: .auditor).json
            #expect(
                ["claim versions", "log replay"].contains(replayed["as_of"]?["computed_from"]?.stringValue ?? "")
                    && replayed["as_of"]?["clock_report"]?["claims_kept"] == 41)
            let trace = try await server.send("GET", "/v1/trace?region=SY&measure=killed&kind=attack", role: .auditor).json
            #expect(trace["holds"] == true)
            let claims = try await server.send("GET", "/v1/claims", role: .auditor).json["claims"]?.arrayValue ?? []
            #expect(claims.count == 89)
            for claim in claims { try EventValidator.standard.schemas.validate(claim, against: "claim-export.schema.json") }
            // Events page by position.
            let first = try await server.send("GET", "/v1/events?limit=60", role: .auditor).json
            #expect(first["events"]?.arrayValue?.count == 60 && first["next_from"] == 61)
            let rest = try await server.send("GET", "/v1/events?from=61&limit=60", role: .auditor).json
            #expect(rest["events"]?.arrayValue?.count == 40 && rest["next_from"] == .null)
            for event in rest["events"]?.arrayValue ?? [] { try EventValidator.standard.schemas.validate(event, against: "recorded-event.schema.json") }
        }
    }

    /// `GET /v1/claims?format=acled|ucdp|csv` answers the table the command line writes, saying in a
    /// header how it was computed; an unknown format is a 400 naming the field.
    @Test func theClaimsAnswerAsADatasetShapedCSVTable() async throws {
        try await withServer { server in
            for (format, header) in [("acled", ACLEDExport.header), ("ucdp", UCDPExport.header)] {
                let reply = try await server.send("GET", "/v1/claims?format=\(format)", role: .auditor)
                #expect(reply.status == 200, "\(reply.text)")
                expectDocumented(reply, "GET", "/v1/claims")
                #expect(reply.headers["content-type"] == "text/csv; charset=utf-8")
                #expect(reply.text.split(separator: "\n").first.map(String.init) == header.joined(separator: ","))
                #expect(reply.text.contains("TL-a896289027671bb9-08,"))
                let asOf = try JSONParser().parse(reply.headers["threatledger-as-of"] ?? "")
                #expect(asOf["log_position"] != nil)
            }
            let bad = try await server.send("GET", "/v1/claims?format=xlsx", role: .auditor)
            #expect(bad.status == 400 && bad.json["field"] == "format")
            expectDocumented(bad, "GET", "/v1/claims")
        }
    }

    @Test func readErrorsAreDocumentedProblems() async throws {
        try await withServer { server in
            let cases: [(String, String, Int, String?)] = [
                ("/v1/claims/nope-01", "/v1/claims/{id}", 404, nil), ("/v1/claims/nope-01/history", "/v1/claims/{id}/history", 404, nil),
                ("/v1/summary?region=FR", "/v1/summary", 404, nil), ("/v1/summary?occurred_by=2023-02-30", "/v1/summary", 400, "occurred_by"),
                ("/v1/events?limit=5000", "/v1/events", 400, "limit"), ("/v1/trace?region=SY", "/v1/trace", 400, "measure"),
                ("/v1/trace?region=SY&measure=wounded", "/v1/trace", 404, nil),
                ("/v1/trace?region=SY&measure=killed&kind=riot", "/v1/trace", 400, "kind"),
            ]
            for (path, template, status, field) in cases {
                let reply = try await server.send("GET", path, role: .auditor)
                #expect(reply.status == status, "\(path): \(reply.text)")
                expectDocumented(reply, "GET", template)
                if let field { #expect(reply.json["field"] == .string(field)) }
            }
        }
    }

    @Test func withoutAValidTokenEveryProtectedRouteIs401AndNothingChanges() async throws {
        try await withServer { server in
            let before = try await server.head()
            for spec in APIRoutes.all where spec.permission != nil {
                let path = spec.path.replacingOccurrences(of: "{id}", with: "a896289027671bb9-08")
                for token in [nil, "not-a-token"] as [String?] {
                    let reply = try await server.send(spec.method, path, token: token, body: spec.method == "POST" ? ["payload": ["reason": "x"]] : nil)
                    #expect(reply.status == 401, "\(spec.method) \(path) without a valid token: \(reply.status)")
                    #expect(reply.headers["www-authenticate"] == "Bearer")
                    expectDocumented(reply, spec.method, spec.path)
                }
            }
            #expect(try await server.head() == before)
        }
    }

    @Test func theWrongRoleIs403AndNothingChanges() async throws {
        try await withServer { server in
            let before = try await server.head()
            let cases: [(Role, String, String)] = [
                (.auditor, "POST", "/v1/claims/{id}/retractions"), (.auditor, "POST", "/v1/rebuilds"),
                (.analyst, "POST", "/v1/rebuilds"), (.operator, "POST", "/v1/claims/{id}/retractions"), (.operator, "POST", "/v1/sources"),
            ]
            for (role, method, template) in cases {
                let reply = try await server.send(
                    method, template.replacingOccurrences(of: "{id}", with: "a896289027671bb9-08"), role: role,
                    body: ["payload": ["reason": "x"]])
                #expect(reply.status == 403, "\(role) \(method) \(template): \(reply.status)")
                expectDocumented(reply, method, template)
            }
            #expect(try await server.head() == before)
            #expect(try await server.send("GET", "/v1/rebuilds", role: .operator).status == 200)
        }
    }

    @Test func analystWritesAreAllOrNothingIdempotentAndReturnTheirPositions() async throws {
        try await withServer { server in
            let source = EventFixtures.sourceRegistered(id: "api-source")
            let registered = try await server.send(
                "POST", "/v1/sources", role: .analyst, body: ["event_id": .string(source.id.rawValue), "payload": source.payload])
            #expect(registered.status == 201, "\(registered.text)")
            #expect(registered.json["appended"]?.arrayValue?.first?["position"] == 101)
            expectDocumented(registered, "POST", "/v1/sources")

            let claimID = EventID.random().rawValue
            let claimPayload = EventFixtures.claimPayload(id: "api-claim", sourceID: "api-source")
            let recorded = try await server.send("POST", "/v1/claims", role: .analyst, body: ["event_id": .string(claimID), "payload": claimPayload])
            #expect(recorded.status == 201)
            // The same write again: the same result, nothing appended.
            let again = try await server.send("POST", "/v1/claims", role: .analyst, body: ["event_id": .string(claimID), "payload": claimPayload])
            #expect(again.status == 201 && again.body == recorded.body && again.headers["idempotent-replayed"] == "true")
            // The same id for a different event: 409.
            var other = claimPayload.objectValue!
            other["summary"] = "something else"
            let reused = try await server.send("POST", "/v1/claims", role: .analyst, body: ["event_id": .string(claimID), "payload": .object(other)])
            #expect(reused.status == 409)
            expectDocumented(reused, "POST", "/v1/claims")

            var invalid = claimPayload.objectValue!
            invalid["claim_id"] = "api-claim-2"
            invalid["kind"] = "bombing"
            let bad = try await server.send("POST", "/v1/claims", role: .analyst, body: ["payload": .object(invalid)])
            #expect(bad.status == 400 && bad.json["field"] == "payload.kind")
            expectDocumented(bad, "POST", "/v1/claims")
            let unknownField = try await server.send("POST", "/v1/claims", role: .analyst, body: ["payload": claimPayload, "extra": 1])
            #expect(unknownField.status == 400 && unknownField.json["field"] == "extra")
            let malformed = try await server.send("POST", "/v1/claims", role: .analyst, raw: Data("{\"payload\":".utf8))
            #expect(malformed.status == 400)

            // The reproduction: new bounds on the same words («11 جنديًا») are refused, naming the words.
            let againstWords = try await server.send(
                "POST", "/v1/claims/api-claim/corrections", role: .analyst,
                body: [
                    "expected_version": 1, "payload": ["reason": "ministry figure", "figure_updates": [["measure": "killed", "low": 12, "high": 12]]],
                ])
            #expect(
                againstWords.status == 400 && againstWords.json["detail"]?.stringValue?.contains("say exact (low 11, high 11)") == true, "\(againstWords.text)")
            let correction = try await server.send(
                "POST", "/v1/claims/api-claim/corrections", role: .analyst,
                body: [
                    "expected_version": 1,
                    "payload": [
                        "reason": "ministry figure",
                        "figure_updates": [
                            [
                                "measure": "killed", "low": 12, "high": 12, "basis": "inferred", "note": "the ministry's later count",
                            ]
                        ],
                    ],
                ])
            #expect(correction.status == 201, "\(correction.text)")
            let stale = try await server.send(
                "POST", "/v1/claims/api-claim/corrections", role: .analyst,
                body: [
                    "expected_version": 1, "payload": ["reason": "again", "figure_updates": [["measure": "killed", "low": 13, "high": 13]]],
                ])
            #expect(stale.status == 409 && stale.json["detail"]?.stringValue?.contains("expected version conflict") == true)
            expectDocumented(stale, "POST", "/v1/claims/{id}/corrections")
            let contradicting = try await server.send(
                "POST", "/v1/claims/api-claim/corrections", role: .analyst,
                body: [
                    "payload": ["reason": "x", "figure_updates": [["measure": "killed", "low": 20]]]
                ])
            #expect(contradicting.status == 400 && contradicting.json["detail"]?.stringValue?.contains("the corrected claim would break a rule") == true)
            let unknown = try await server.send("POST", "/v1/claims/nope-01/retractions", role: .analyst, body: ["payload": ["reason": "x"]])
            #expect(unknown.status == 404)
            expectDocumented(unknown, "POST", "/v1/claims/{id}/retractions")

            let incident = try await server.send(
                "POST", "/v1/incidents", role: .analyst,
                body: [
                    "payload": [
                        "incident_id": "api-incident", "label": "test", "kind": "attack", "claim_ids": ["api-claim", "1aee4b5224ae9675-10"],
                        "disagreements": [], "note": nil,
                    ]
                ])
            #expect(incident.status == 201)
            let retractID = EventID.random().rawValue
            let retraction = try await server.send(
                "POST", "/v1/claims/api-claim/retractions", role: .analyst, body: ["event_id": .string(retractID), "payload": ["reason": "duplicate"]])
            #expect(retraction.status == 201)
            let retried = try await server.send(
                "POST", "/v1/claims/api-claim/retractions", role: .analyst, body: ["event_id": .string(retractID), "payload": ["reason": "duplicate"]])
            #expect(retried.status == 201 && retried.body == retraction.body, "a retried retraction returns its first result")
            #expect(try await server.head()?.position == 105)

            let history = try await server.send("GET", "/v1/claims/api-claim/history", role: .auditor).json
            #expect(history["versions"]?.arrayValue?.map { $0["recorded_by"] } == ["test-analyst", "test-analyst", "test-analyst"])
        }
    }

    @Test func aBodyOverTheLimitIs413AndAppendsNothing() async throws {
        try await withServer(maxBodyBytes: 4_096) { server in
            let big = EventFixtures.sourceRegistered(id: "big", text: String(repeating: "نص ", count: 3_000))
            let reply = try await server.send("POST", "/v1/sources", role: .analyst, body: ["payload": big.payload])
            #expect(reply.status == 413)
            expectDocumented(reply, "POST", "/v1/sources")
            #expect(try await server.head()?.position == 100)
        }
    }

    @Test func operatorsRebuildAndMetricsCountRequestsAppendsRebuildsAndQueries() async throws {
        try await withServer { server in
            let rebuild = try await server.send("POST", "/v1/rebuilds?projection=region-summary", role: .operator)
            #expect(rebuild.status == 200)
            #expect(rebuild.json["rebuilds"]?.arrayValue?.first?["head_position"] == 100)
            expectDocumented(rebuild, "POST", "/v1/rebuilds")
            _ = try await server.send("GET", "/v1/summary", role: .auditor)
            let source = EventFixtures.sourceRegistered(id: "metrics-source")
            _ = try await server.send("POST", "/v1/sources", role: .analyst, body: ["payload": source.payload])
            let metrics = try await server.send("GET", "/metrics")
            #expect(metrics.status == 200 && metrics.headers["content-type"]?.hasPrefix("text/plain") == true)
            for line in [
                "threatledger_rebuilds_total{projection=\"region-summary\"} 1", "threatledger_appends_total 1",
                "threatledger_events_appended_total 1", "threatledger_queries_total{query=\"summary\"} 1",
                "threatledger_http_requests_total{route=\"/v1/summary\",method=\"GET\",status=\"200\"} 1",
                "threatledger_http_request_duration_seconds_bucket{route=\"/v1/summary\",method=\"GET\"",
            ] {
                #expect(metrics.text.contains(line), "metrics lack \(line)")
            }
        }
    }

    @Test func everyRequestLogLineCarriesItsRequestIDAndNoTokenIsLogged() async throws {
        try await withServer { server in
            _ = try await server.send("GET", "/v1/summary", role: .auditor)
            _ = try await server.send("POST", "/v1/sources", role: .analyst, body: ["payload": EventFixtures.sourceRegistered(id: "logged").payload])
            let lines = server.logs.lines
            let requestLines = lines.filter { $0.contains("hb.request.method") || $0.contains("appended event") }
            #expect(requestLines.count >= 3)
            #expect(requestLines.allSatisfy { $0.contains("hb.request.id=") })
            #expect(lines.contains { $0.contains("appended event") && $0.contains("principal=test-analyst") })
            for token in server.tokens.values { #expect(!lines.contains { $0.contains(token) }) }
        }
    }
}
