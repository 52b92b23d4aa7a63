import Foundation
import PostgresNIO
import Testing
import ThreatLedgerCore
import ThreatLedgerPostgres
import ThreatLedgerProjections
import ThreatLedgerStore
import ThreatLedgerTesting

/// Projections behave alike on every backend: same digests, incremental equals rebuild, one rebuild at a time.
@Suite struct ProjectionConformanceTests {
    func withBackend<T>(_ backend: TestBackend, _ body: (any EventLog, any Projector, @escaping @Sendable () async throws -> any Projector) async throws -> T)
        async throws -> T
    {
        switch backend {
        case .sqlite:
            return try await withTemporaryLog { log, path in
                try await body(log, try SQLiteProjector(path: path)) { try SQLiteProjector(path: path, role: "second") }
            }
        case .postgres:
            let location = TestBackend.postgresLocation(schema: TestBackend.freshSchema())!
            let log = try await PostgresEventLog.connect(location)
            let others = OpenedLogs()
            return try await dropping(location, log: log, others: others) {
                try await body(log, try await PostgresProjector(log: log)) {
                    let other = try await PostgresEventLog.connect(location)
                    others.add(other)
                    return try await PostgresProjector(log: other, role: "second")
                }
            }
        }
    }

    @Test(arguments: TestBackend.available)
    func aPageOfStoredRowsIsTheNextKeysInOrderOnEveryBackend(backend: TestBackend) async throws {
        try await withTemporaryBackend(backend) { log, projector in
            _ = try await log.append(try seedEvents())
            try await projector.ensureCurrent(.sourceProvenance)
            let all = try await projector.servedRows(.sourceProvenance, selection: .all).rows
            let keys = all.keys.sorted()
            #expect(keys.count >= 5)
            var seen: [String] = []
            var after: String?
            while seen.count < keys.count {
                let page = try await projector.servedRows(.sourceProvenance, selection: .page(after: after, limit: 2)).rows
                #expect(page.count == min(2, keys.count - seen.count))
                for key in page.keys.sorted() { #expect(page[key] == all[key]) }
                seen += page.keys.sorted()
                after = seen.last
            }
            #expect(seen == keys)
            #expect(try await projector.servedRows(.sourceProvenance, selection: .page(after: keys.last, limit: 2)).rows.isEmpty)
        }
    }

    @Test(arguments: TestBackend.available)
    func theSeedSummaryHasTheSameDigestOnEveryBackendAndIncrementalEqualsRebuild(backend: TestBackend) async throws {
        let events = try seedEvents()
        let sqliteDigest = try await withBackend(.sqlite) { log, projector, _ in
            _ = try await log.append(events)
            return try await projector.rebuild(.regionSummary).digest
        }
        try await withBackend(backend) { log, projector, _ in
            for definition in ProjectionDefinition.all { _ = try await projector.rebuild(definition) }
            for start in stride(from: 0, to: events.count, by: 17) {
                _ = try await log.append(Array(events[start..<min(start + 17, events.count)]))
                for definition in ProjectionDefinition.all { _ = try await projector.catchUp(definition) }
            }
            let incremental = try await projector.status(.regionSummary)
            #expect(incremental.digest == sqliteDigest)
            let rebuilt = try await projector.rebuild(.regionSummary)
            #expect(rebuilt.digest == incremental.digest && rebuilt.headPosition == 100)
            let hasakah = try await projector.rows(.regionSummary)["SY-HA"]
            #expect(hasakah?["incidents_by_kind"]?["prison_break"] == 1)
            // Every served row, caught up a batch at a time, is the whole-log fold's.
            var fold = ThreatPicture()
            for event in try await log.read(from: 1, limit: 1_000) { try fold.apply(event) }
            #expect(fold.claims.count == 89)
            for definition in ProjectionDefinition.all {
                #expect(try await projector.rows(definition) == definition.render(fold), "\(definition.name)")
            }
            #expect(try await projector.rebuilds(projection: "region-summary").count == 2)
        }
    }
}
