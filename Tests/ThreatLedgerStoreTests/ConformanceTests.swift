import Foundation
import Testing
import ThreatLedgerCore
import ThreatLedgerPostgres
import ThreatLedgerStore
import ThreatLedgerTesting

/// The promises of every `EventLog`, on every available backend (SQLite; PostgreSQL when configured).
@Suite struct ConformanceTests {
    @Test(arguments: TestBackend.available)
    func appendsGetGaplessPositionsAndAChainThatVerifies(backend: TestBackend) async throws {
        try await withTemporaryLog(on: backend) { log, _ in
            let first = try await log.append([EventFixtures.sourceRegistered(id: "s1"), EventFixtures.claimRecorded(id: "c1", sourceID: "s1")])
            let second = try await log.append([EventFixtures.claimRetracted(id: "c1")])
            #expect(first.events.map(\.position) == [1, 2] && second.events.map(\.position) == [3])
            #expect(second.events[0].streamVersion == 2)
            let events = try await log.read(from: 1, limit: 10)
            #expect(events.map(\.position) == [1, 2, 3])
            #expect(events.allSatisfy { $0.hashIsConsistent })
            let report = try await log.verify { _ in }
            #expect(report.isValid && report.eventsChecked == 3 && report.articlesChecked == 1)
            #expect(try await log.head()?.hash == events.last?.hash)
            #expect(try await log.readWholeStream(try StreamName("claim-c1")).map(\.streamVersion) == [1, 2])
            #expect(try await log.event(id: events[1].id)?.position == 2)
            #expect(try await log.statistics().eventCount == 3)
        }
    }

    @Test(arguments: TestBackend.available)
    func conflictsAndBadEventsAppendNothingAndRetriesAreSafe(backend: TestBackend) async throws {
        try await withTemporaryLog(on: backend) { log, _ in
            let source = EventFixtures.sourceRegistered(id: "s1")
            let claim = EventFixtures.claimRecorded(id: "c1", sourceID: "s1")
            _ = try await log.append([source, claim])
            let before = try await log.head()
            await #expect(throws: StoreError.self) {
                _ = try await log.append([EventFixtures.claimRetracted(id: "c1")], to: try StreamName("claim-c1"), expected: .exact(7))
            }
            await #expect(throws: StoreError.self) {
                _ = try await log.append([EventFixtures.sourceRegistered(id: "s2"), EventFixtures.claimRecorded(id: "c2", sourceID: "missing")])
            }
            #expect(try await log.head() == before)
            let retry = try await log.append([source, claim])
            #expect(retry.events.map(\.position) == [1, 2] && retry.appendedCount == 0)
        }
    }

    @Test(arguments: TestBackend.available)
    func theSeedCorpusHasTheSameChainShapeOnEveryBackend(backend: TestBackend) async throws {
        let clock = FixedRecordClock(RecordTime(microsecondsSinceEpoch: 1_767_225_600_000_000))
        try await withTemporaryLog(on: backend, clock: clock) { log, _ in
            let events = try CorpusCompiler.compile(
                try SeedCorpusReader.read(folder: packageRoot.appendingPathComponent("seeds").path), recordedBy: "test"
            ).events
            let result = try await log.append(events)
            // With the same clock, every backend computes the same head hash for the same events.
            let expected = try await withTemporaryLog(on: .sqlite, clock: clock) { sqlite, _ in try await sqlite.append(events).head.hash }
            #expect(result.head.hash == expected)
            #expect(try await log.verify { _ in }.isValid)
        }
    }

    /// The known trap of sequence-based stores: a reader that has seen position N must never later find a
    /// committed event below N. Many writers append at once while a reader follows the log.
    @Test(arguments: TestBackend.available)
    func concurrentWritersAndAReaderSeeEveryEventOnceInOrder(backend: TestBackend) async throws {
        try await withTemporaryLog(on: backend) { log, open in
            let writers = 8
            let perWriter = 25
            let total = writers * perWriter
            try await withThrowingTaskGroup(of: [Int64].self) { group in
                for w in 0..<writers {
                    group.addTask {
                        let handle = try await open(SystemRecordClock())
                        for i in 0..<perWriter {
                            _ = try await handle.append([EventFixtures.sourceRegistered(id: "w\(w)-\(i)", text: "نص \(w) \(i)")])
                        }
                        return []
                    }
                }
                group.addTask {
                    // The reader: follows the log from where it is, expecting the next position each time.
                    var seen: [Int64] = []
                    var next: Int64 = 1
                    let deadline = ContinuousClock.now + .seconds(120)
                    while seen.count < total && ContinuousClock.now < deadline {
                        let page = try await log.read(from: next, limit: 50)
                        for event in page {
                            seen.append(event.position)
                            next = event.position + 1
                        }
                        if page.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
                    }
                    return seen
                }
                var readerSaw: [Int64] = []
                for try await result in group where !result.isEmpty { readerSaw = result }
                #expect(readerSaw == Array(1...Int64(total)), "the reader skipped or repeated a position")
            }
            let report = try await log.verify { _ in }
            #expect(report.isValid && report.eventsChecked == Int64(total))
        }
    }
}

/// `copy` between backends keeps the head hash.
@Suite struct CopyTests {
    @Test(.enabled(if: TestBackend.available.contains(.postgres), "no PostgreSQL server configured"))
    func aLogCopiedToPostgreSQLAndBackHasTheSameHeadHashAndVerifies() async throws {
        try await withTemporaryLog(on: .sqlite) { sqlite, _ in
            _ = try await sqlite.append(
                try CorpusCompiler.compile(
                    try SeedCorpusReader.read(folder: packageRoot.appendingPathComponent("seeds").path), recordedBy: "test"
                ).events)
            _ = try await sqlite.append([EventFixtures.claimRetracted(id: "a896289027671bb9-08")])
            let head = try #require(try await sqlite.head())
            try await withTemporaryLog(on: .postgres) { postgres, _ in
                for try await page in sqlite.pages(pageSize: 30) { try await postgres.importRecorded(page) }
                #expect(try await postgres.head() == head)
                #expect(try await postgres.verify { _ in }.isValid)
                // A page that does not continue the chain is refused whole.
                let tampered = try await sqlite.read(from: 1, limit: 1)
                await #expect(throws: StoreError.self) { try await postgres.importRecorded(tampered) }
                try await withTemporaryLog(on: .sqlite) { back, _ in
                    for try await page in postgres.pages(pageSize: 40) { try await back.importRecorded(page) }
                    #expect(try await back.head() == head)
                }
            }
        }
    }
}

/// Tampering behind the log's back, on PostgreSQL (SQLite's own cases are in IntegrityTests).
@Suite(.enabled(if: TestBackend.available.contains(.postgres), "no PostgreSQL server configured"))
struct PostgresIntegrityTests {
    func psql(_ sql: String) throws -> CommandResult {
        let l = TestBackend.postgresLocation(schema: "x")!
        return try runCommand(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["psql", "-h", l.host, "-p", String(l.port), "-U", l.user, "-d", l.database, "-v", "ON_ERROR_STOP=1", "-qc", sql])
    }

    @Test func aLogMadeBeforeTheThreeRoundTripAppendGetsItsFunctionOnOpenAndAppendsInOrder() async throws {
        try await withTemporaryLog(on: .postgres) { log, _ in
            let postgres = try #require(log as? PostgresEventLog)
            let schema = postgres.location.schema
            _ = try await log.append([EventFixtures.sourceRegistered(id: "s0", text: EventFixtures.articleText(0))])
            let drop = try psql("DROP FUNCTION \(schema).begin_append(text, uuid[], text[], text[])")
            #expect(drop.status == 0, "\(drop.stderr)")
            // Opened again, as a log made before the function existed: it is created, and appends
            // through it continue the chain.
            let reopened = try await PostgresEventLog.connect(postgres.location, create: false)
            let found = try psql(
                "DO $$ BEGIN IF to_regprocedure('\(schema).begin_append(text,uuid[],text[],text[])') IS NULL THEN RAISE EXCEPTION 'missing'; END IF; END $$")
            #expect(found.status == 0, "begin_append was not created on open: \(found.stderr)")
            for i in 1..<4 {
                let result = try await reopened.append([
                    EventFixtures.sourceRegistered(id: "s\(i)"), EventFixtures.claimRecorded(id: "c\(i)", sourceID: "s\(i)"),
                ])
                #expect(result.events.map(\.position) == [Int64(2 * i), Int64(2 * i + 1)])
            }
            // A claim alone, its article read in the first round trip, checked against it.
            #expect(try await reopened.append([EventFixtures.claimRecorded(id: "c8", sourceID: "s0")]).head.position == 8)
            // A refused append releases the lock: the next one, on whichever connection, goes through.
            await #expect(throws: StoreError.self) { try await reopened.append([EventFixtures.claimRecorded(id: "c9", sourceID: "nowhere")]) }
            let after = try await log.append([EventFixtures.claimRetracted(id: "c1")])
            #expect(after.head.position == 9)
            #expect(try await reopened.verify { _ in }.isValid)
            await reopened.close()
        }
    }

    @Test func updateDeleteAndTruncateAreRefusedAndAnEditedRowFailsVerifyAtItsPosition() async throws {
        try await withTemporaryLog(on: .postgres) { log, _ in
            for i in 0..<5 { _ = try await log.append([EventFixtures.sourceRegistered(id: "s\(i)", text: EventFixtures.articleText(i))]) }
            let schema = try #require((log as? PostgresEventLog)?.location.schema)
            for statement in [
                "UPDATE \(schema).events SET recorded_by = 'x' WHERE position = 1", "DELETE FROM \(schema).events WHERE position = 5",
                "TRUNCATE \(schema).events",
            ] {
                let result = try psql(statement)
                #expect(result.status != 0 && result.stderr.contains("events are append-only"), "\(statement) was not refused")
            }
            #expect(try await log.verify { _ in }.isValid)
            let edit = try psql(
                "ALTER TABLE \(schema).events DISABLE TRIGGER events_refuse_change; UPDATE \(schema).events SET payload = replace(payload, 'عنوان', 'عنوان مزور') WHERE position = 3"
            )
            #expect(edit.status == 0, "\(edit.stderr)")
            let failure = try #require(try await log.verify { _ in }.failure)
            #expect(failure.position == 3)
            guard case .hashMismatch = failure.problem else {
                Issue.record("expected a hash mismatch, got \(failure)")
                return
            }
        }
    }
}
