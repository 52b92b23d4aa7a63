import Foundation
import Testing
import ThreatLedgerCore
import ThreatLedgerServer
import ThreatLedgerTesting

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// What the server refuses, over real HTTP: every refusal an RFC 9457 problem; no token in any log
/// line, however it was sent; unknown routes and wrong methods told apart. (Issue 14's server holes.)
@Suite struct ServerRefusalTests {
    @Test func aTokenInTheQueryStringNeverReachesALogLine() async throws {
        try await withServer { server in
            let secret = server.tokens[.auditor]!
            for name in ["token", "access_token", "Authorization"] {
                let reply = try await server.send("GET", "/v1/summary?\(name)=\(secret)", role: .auditor)
                #expect(reply.status == 400, "an unknown query parameter is refused")
            }
            _ = try await server.send("GET", "/v1/summary", token: "not-\(secret)")
            _ = try await server.send("GET", "/v1/summary", role: .auditor)
            let lines = server.logs.lines
            #expect(!lines.isEmpty)
            #expect(!lines.contains { $0.contains(secret) }, "a token was logged")
            #expect(lines.contains { $0.contains("token=REDACTED") })
            // Error answers are logged where an operator sees them.
            #expect(lines.contains { $0.hasPrefix("warning request answered") && $0.contains("status=400") })
        }
    }

    @Test func unknownRoutesAre404AndWrongMethods405WithAllowBothProblems() async throws {
        try await withServer(seeded: false) { server in
            let unknown = try await server.send("GET", "/v1/nothing-here", role: .auditor)
            #expect(unknown.status == 404 && unknown.headers["content-type"] == "application/problem+json")
            #expect(unknown.json["status"] == 404 && unknown.json["detail"]?.stringValue?.contains("no route GET /v1/nothing-here") == true)
            let wrong = try await server.send("DELETE", "/v1/claims/x-01", role: .analyst)
            #expect(wrong.status == 405 && wrong.headers["allow"] == "GET", "\(wrong.headers)")
            #expect(wrong.headers["content-type"] == "application/problem+json" && wrong.json["status"] == 405)
            let both = try await server.send("PUT", "/v1/rebuilds", role: .operator)
            #expect(both.status == 405 && both.headers["allow"] == "GET, POST")
            let long = try await server.send("GET", "/v1/" + String(repeating: "a", count: 3_000), role: .auditor)
            #expect(long.status == 414 && long.headers["content-type"] == "application/problem+json")
            let unknownProjection = try await server.send("GET", "/v1/rebuilds?projection=nope", role: .auditor)
            #expect(unknownProjection.status == 404 && unknownProjection.json["detail"]?.stringValue?.contains("nope") == true)
        }
    }

    @Test func aMalformedAuthorizationHeaderIsAProblemAndChangesNothing() async throws {
        try await withServer { server in
            let head = try await server.head()
            var basic = URLRequest(url: URL(string: server.base + "/v1/summary")!)
            basic.setValue("Basic YWxpY2U6c2VjcmV0", forHTTPHeaderField: "Authorization")
            let (basicBody, basicReply) = try await URLSession.shared.data(for: basic)
            #expect((basicReply as! HTTPURLResponse).statusCode == 401)
            #expect((try? JSONParser().parse(Array(basicBody)))?["status"] == 401)
            #expect(try await server.head() == head)
        }
    }

    /// A client that sends half a body and hangs up: the request failed on its side, and the
    /// server counts no 500 for it.
    @Test func aClientDroppingMidBodyIsNotCountedAsAServerError() async throws {
        try await withServer { server in
            let script = """
                import socket, sys
                s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
                s.sendall(b"POST /v1/sources HTTP/1.1\\r\\nHost: x\\r\\nAuthorization: Bearer " + sys.argv[2].encode()
                          + b"\\r\\nContent-Type: application/json\\r\\nContent-Length: 100000\\r\\n\\r\\n{\\"payload\\": {")
                s.close()
                """
            let result = try runCommand(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script, String(server.port), server.tokens[.analyst]!])
            #expect(result.status == 0, "\(result.stderr)")
            try await Task.sleep(for: .milliseconds(300))
            let metrics = try await server.send("GET", "/metrics").text
            #expect(!metrics.contains("status=\"500\""), "\(metrics)")
            #expect(try await server.send("GET", "/health").status == 200)
        }
    }

    @Test func aTokensFileListingOneDigestTwiceIsRefused() throws {
        let digest = SHA256Hash.of(text: "tl_x").hex
        let text = #"[{"name":"a","role":"auditor","sha256":"\#(digest)"},{"name":"b","role":"operator","sha256":"\#(digest)"}]"#
        #expect(throws: ServerConfigurationError.self) { try AccessTokens.parse(text, source: "tokens.json") }
        do {
            _ = try AccessTokens.parse(text, source: "tokens.json")
        } catch {
            #expect(error.description.contains("tokens.json[1].sha256: the same token digest as entry 0 (a)"))
        }
        let controlled = #"[{"name":"a\u202Eb","role":"auditor","sha256":"\#(digest)"}]"#
        #expect(throws: ServerConfigurationError.self) { try AccessTokens.parse(controlled, source: "tokens.json") }
    }
}
