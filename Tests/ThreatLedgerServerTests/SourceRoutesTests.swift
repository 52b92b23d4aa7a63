import Foundation
import Testing
import ThreatLedgerCore
import ThreatLedgerTesting

/// `GET /v1/sources` and `GET /v1/sources/{id}`: what the workbench's article view reads.
@Suite struct SourceRoutesTests {
    @Test func theSourceListNamesEverySourceWithItsClaims() async throws {
        try await withServer { server in
            let reply = try await server.send("GET", "/v1/sources", role: .auditor)
            #expect(reply.status == 200)
            let sources = reply.json["sources"]?.arrayValue ?? []
            #expect(sources.count == 5)
            #expect(sources.reduce(0) { $0 + ($1["claims"]?.integerValue ?? 0) } == 89)
            #expect(sources.contains { $0["source_id"] == "1aee4b5224ae9675" && $0["dataset"] == .null })
        }
    }

    /// Every span the source's claims quote is the article's code points at its selector: cut from
    /// the text by position, it equals the quote.
    @Test func aSourceServesItsArticleAndEverySpanAtItsCodePoints() async throws {
        try await withServer { server in
            let reply = try await server.send("GET", "/v1/sources/1aee4b5224ae9675", role: .auditor)
            #expect(reply.status == 200, "\(reply.text)")
            let source = try #require(reply.json["source"])
            #expect(source["verified"] == true && source["holds"] == true)
            let text = Array((source["text"]?.stringValue ?? "").unicodeScalars)
            #expect(source["length"]?.integerValue == Int64(text.count))
            #expect(source["text_sha256"] == source["text_sha256_recomputed"])
            let spans = source["spans"]?.arrayValue ?? []
            let claims = source["claims"]?.arrayValue ?? []
            #expect(claims.count > 5)
            let roles: Set<String> = Set(spans.compactMap { $0["role"]?.stringValue })
            #expect(roles.isSuperset(of: ["statement", "figure"]))
            for span in spans {
                let start = Int(span["start"]?.integerValue ?? -1)
                let end = Int(span["end"]?.integerValue ?? -1)
                var cut = String.UnicodeScalarView()
                cut.append(contentsOf: text[start..<end])
                #expect(String(cut) == span["exact"]?.stringValue, "\(span)")
                #expect(span["holds"] == true)
            }
            // Every claim of the source has its statement among the spans.
            for claim in claims {
                #expect(spans.contains { $0["claim_id"] == claim["claim_id"] && $0["role"] == "statement" })
            }
            let missing = try await server.send("GET", "/v1/sources/no-such-source", role: .auditor)
            #expect(missing.status == 404)
        }
    }

    @Test func theSourceListPagesInIdOrderWithAndWithoutClocks() async throws {
        try await withServer { server in
            let all = try await server.send("GET", "/v1/sources", role: .auditor)
            let ids = (all.json["sources"]?.arrayValue ?? []).compactMap { $0["source_id"]?.stringValue }
            #expect(ids.count >= 5)
            #expect(ids == ids.sorted())
            #expect(all.json["next"] == .null)
            for clocks in ["", "&reported_by=2030-01-01"] {
                var paged: [String] = []
                var after: String?
                var pages = 0
                repeat {
                    let reply = try await server.send("GET", "/v1/sources?limit=2\(after.map { "&after=\($0)" } ?? "")\(clocks)", role: .auditor)
                    #expect(reply.status == 200, "\(reply.text)")
                    let page = (reply.json["sources"]?.arrayValue ?? []).compactMap { $0["source_id"]?.stringValue }
                    #expect(page.count <= 2)
                    paged += page
                    after = reply.json["next"]?.stringValue
                    #expect(after == nil || after == page.last)
                    pages += 1
                } while after != nil && pages < 10
                #expect(paged == ids, "pages of 2 \(clocks) give every source once, in order")
            }
            let bad = try await server.send("GET", "/v1/sources?limit=0", role: .auditor)
            #expect(bad.status == 400)
            #expect(bad.json["field"] == "limit")
        }
    }

    @Test func aPercentEncodedIdNamesTheSameSourceAndClaim() async throws {
        try await withServer { server in
            let plain = try await server.send("GET", "/v1/claims/a896289027671bb9-08/history", role: .auditor)
            let encoded = try await server.send("GET", "/v1/claims/a896289027671bb9%2D08/history", role: .auditor)
            #expect(plain.status == 200, "\(plain.text)")
            #expect(encoded.status == 200, "\(encoded.text)")
            #expect(encoded.json == plain.json)
            #expect(try await server.send("GET", "/v1/sources/1aee4b5224ae%39675", role: .auditor).status == 200)
        }
    }
}

/// `GET /v1/timeline`: a region's figure along one clock, each step equal to the summary under it.
@Suite struct TimelineRouteTests {
    @Test func eachStepEqualsTheSummaryUnderItsClockAndNamesTheDiffThatExplainsIt() async throws {
        try await withServer { server in
            for clock in ["report", "record"] {
                let reply = try await server.send("GET", "/v1/timeline?region=SY&measure=killed&clock=\(clock)", role: .auditor)
                #expect(reply.status == 200, "\(reply.text)")
                let steps = reply.json["steps"]?.arrayValue ?? []
                // The seeds were ingested in one transaction: one moment on the record clock.
                #expect(steps.count >= (clock == "report" ? 2 : 1), "\(clock): \(steps)")
                for step in steps {
                    let query = clock == "report" ? "reported_by=\(step["day"]!.stringValue!)" : "as_of=\(step["recorded_at"]!.stringValue!)"
                    let summary = try await server.send("GET", "/v1/summary?region=SY&\(query)", role: .auditor)
                    let sy = summary.json["regions"]?.arrayValue?.first { $0["region"] == "SY" }
                    #expect(sy?["figures"]?["killed"]?["low"] == step["figure"]?["low"], "\(clock) \(query)")
                    #expect(sy?["figures"]?["killed"]?["high"] == step["figure"]?["high"], "\(clock) \(query)")
                    let diff = step["diff"]!
                    let explained = try await server.send(
                        "GET", "/v1/diff?clock=\(diff["clock"]!.stringValue!)&from=\(diff["from"]!.stringValue!)&to=\(diff["to"]!.stringValue!)&region=SY",
                        role: .auditor)
                    #expect(explained.status == 200, "\(explained.text)")
                    #expect(explained.json["changes"]?.arrayValue?.contains { $0["figure"] == "figures.killed" } == true, "\(clock) \(diff)")
                }
                #expect(steps.last?["figure"]?["low"] == 260)
            }
            let stock = try await server.send("GET", "/v1/timeline?region=SY&measure=fighters", role: .auditor)
            #expect(stock.status == 400)
            #expect(stock.json["field"] == "measure")
            #expect(try await server.send("GET", "/v1/timeline?region=FR", role: .auditor).status == 404)
            #expect(try await server.send("GET", "/v1/timeline?region=SY&clock=wall", role: .auditor).status == 400)
        }
    }
}

/// `GET /v1/diff`: the changes between two moments and the events behind them, in words.
@Suite struct DiffRouteTests {
    @Test func theDiffSaysWhichSourceBecameVisible() async throws {
        try await withServer { server in
            let reply = try await server.send("GET", "/v1/diff?clock=report&from=2022-01-01&to=2022-02-28&region=SY", role: .auditor)
            #expect(reply.status == 200, "\(reply.text)")
            let words = (reply.json["events"]?.arrayValue ?? []).compactMap { $0["words"]?.stringValue }
            #expect(words.contains("source 1aee4b5224ae9675 (published 2022-01-24..2022-01-31) became visible"), "\(words)")
            #expect(reply.json["changes"]?.arrayValue?.isEmpty == false)
            let bad = try await server.send("GET", "/v1/diff?clock=wall&from=2022-01-01", role: .auditor)
            #expect(bad.status == 400 && bad.json["field"] == "clock")
            let missing = try await server.send("GET", "/v1/diff", role: .auditor)
            #expect(missing.status == 400 && missing.json["field"] == "from")
        }
    }
}

/// The workbench's files are served from the binary: the embedded copy must be the Web folder's.
@Suite struct WebAssetsTests {
    @Test func theEmbeddedWebAssetsMatchTheWebFolder() throws {
        let check = try runCommand(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", packageRoot.appendingPathComponent("scripts/embed-web.py").path, "--check"])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    }

    @Test func thePageIsServedAtTheRootWithoutATokenAndTheAPIStillNeedsOne() async throws {
        try await withServer { server in
            let page = try await server.send("GET", "/")
            #expect(page.status == 200)
            #expect(page.text.contains("<script src=\"/app.js\"></script>"))
            let script = try await server.send("GET", "/app.js")
            #expect(script.status == 200 && script.text.contains("Array.from"))
            let api = try await server.send("GET", "/v1/summary")
            #expect(api.status == 401)
        }
    }
}
