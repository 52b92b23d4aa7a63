import Foundation
import Testing
import ThreatLedgerCore
import ThreatLedgerServer
import ThreatLedgerTesting

/// `GET /v1/claims` a page at a time: the pages make up the whole listing in claim-id order, the
/// cursor is stable while claims are recorded, filters narrow it, and a table names its next page.
@Suite struct ClaimPagingRouteTests {
    func ids(_ reply: RunningServer.Reply) -> [String] {
        (reply.json["claims"]?.arrayValue ?? []).compactMap { $0["claim_id"]?.stringValue }
    }

    @Test func pagesFollowAStableCursorAndFiltersNarrowThem() async throws {
        try await withServer { server in
            let whole = try await server.send("GET", "/v1/claims?limit=1000", role: .auditor)
            #expect(whole.status == 200 && whole.json["next"] == .null, "\(whole.text)")
            let all = ids(whole)
            #expect(all.count == 89 && all == all.sorted())

            // Pages of 10 make up the whole, each naming the next.
            var paged: [String] = []
            var after: String?
            var firstNext: String?
            repeat {
                let reply = try await server.send("GET", "/v1/claims?limit=10" + (after.map { "&after=\($0)" } ?? ""), role: .auditor)
                #expect(reply.status == 200)
                paged += ids(reply)
                after = reply.json["next"]?.stringValue
                if firstNext == nil { firstNext = after }
            } while after != nil
            #expect(paged == all)

            // A claim recorded meanwhile, sorting into the first page, shifts none of the later pages.
            var claim = HostileCorpus.baseClaim
            if case .object(var members) = claim {
                members["claim_id"] = "1aee4b5224ae9675-00-new"
                claim = .object(members)
            }
            let posted = try await server.send("POST", "/v1/claims", role: .analyst, body: ["payload": claim])
            #expect(posted.status == 201, "\(posted.text)")
            let position = try #require(posted.json["appended"]?.arrayValue?.first?["position"]?.integerValue)
            let second = try await server.send("GET", "/v1/claims?limit=10&after=\(try #require(firstNext))&at_least=\(position)", role: .auditor)
            #expect(ids(second) == Array(all.dropFirst(10).prefix(10)))
            let fresh = try await server.send("GET", "/v1/claims?limit=10&at_least=\(position)", role: .auditor)
            #expect(ids(fresh).contains("1aee4b5224ae9675-00-new"))

            // Filters: the region's claims, one kind of them, one source's.
            let syria = ids(try await server.send("GET", "/v1/claims?region=SY&limit=1000", role: .auditor))
            let attacks = ids(try await server.send("GET", "/v1/claims?region=SY&kind=attack&limit=1000", role: .auditor))
            let source = ids(try await server.send("GET", "/v1/claims?source=5a9ba17097eb5f86&limit=1000", role: .auditor))
            #expect(!syria.isEmpty && syria.count < all.count && !attacks.isEmpty && attacks.count < syria.count)
            #expect(Set(attacks).isSubset(of: Set(syria)) && source.allSatisfy { $0.hasPrefix("5a9ba17097eb5f86-") } && !source.isEmpty)
            let dated = try await server.send("GET", "/v1/claims?occurred_from=2022-01-01&occurred_to=2022-12-31&limit=1000", role: .auditor)
            for claim in dated.json["claims"]?.arrayValue ?? [] {
                let start = try #require(claim["date"]?["start"]?.stringValue)
                let end = try #require(claim["date"]?["end"]?.stringValue)
                #expect(end >= "2022-01-01" && start <= "2022-12-31", "\(start)..\(end)")
            }
            #expect(!ids(dated).isEmpty)

            // A table names its next page in headers; the last page names none.
            let csv = try await server.send("GET", "/v1/claims?format=csv&limit=10&region=SY", role: .auditor)
            #expect(csv.status == 200 && syria.count > 10)
            #expect(csv.headers["threatledger-next-after"] == syria[9])
            #expect(csv.headers["link"]?.contains("after=\(syria[9])") == true && csv.headers["link"]?.contains("region=SY") == true)
            let last = try await server.send("GET", "/v1/claims?format=csv&limit=1000", role: .auditor)
            #expect(last.headers["threatledger-next-after"] == nil && last.headers["link"] == nil)

            // Refusals name the field.
            let unknown = try await server.send("GET", "/v1/claims?region=XX", role: .auditor)
            #expect(unknown.status == 404 && unknown.text.contains("no summary for region XX"))
            for (query, field) in [("limit=0", "limit"), ("limit=1001", "limit"), ("kind=coup", "kind"), ("occurred_from=2022-02-30", "occurred_from")] {
                let bad = try await server.send("GET", "/v1/claims?\(query)", role: .auditor)
                #expect(bad.status == 400 && bad.json["field"]?.stringValue == field, "\(query): \(bad.text)")
            }
        }
    }

    /// `GET /v1/rebuilds` pages in id order: the pages make up every record once.
    @Test func rebuildRecordsPageInIDOrder() async throws {
        try await withServer { server in
            for _ in 0..<2 { #expect(try await server.send("POST", "/v1/rebuilds", role: .operator).status == 200) }
            let whole = try await server.send("GET", "/v1/rebuilds?limit=1000", role: .auditor)
            let all = (whole.json["rebuilds"]?.arrayValue ?? []).compactMap { $0["id"]?.integerValue }
            #expect(all.count >= 6 && all == all.sorted() && whole.json["next"] == .null, "\(whole.text)")
            var paged: [Int64] = []
            var after: Int64?
            repeat {
                let reply = try await server.send("GET", "/v1/rebuilds?limit=2" + (after.map { "&after=\($0)" } ?? ""), role: .auditor)
                let ids = (reply.json["rebuilds"]?.arrayValue ?? []).compactMap { $0["id"]?.integerValue }
                #expect(ids.count <= 2)
                paged += ids
                after = reply.json["next"]?.integerValue
            } while after != nil
            #expect(paged == all)
        }
    }
}
