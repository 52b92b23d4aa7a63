import Testing
import ThreatLedgerCore
import ThreatLedgerPostgres
import ThreatLedgerStore
import ThreatLedgerTesting

/// PostgreSQL appends in one statement when what the log's own appends learned still holds, and
/// takes the three round trips otherwise, with the same events, hashes and refusals either way.
@Suite(.enabled(if: TestBackend.available.contains(.postgres), "no PostgreSQL server configured"))
struct PostgresOneStatementAppendTests {
    static let clock = FixedRecordClock(RecordTime(microsecondsSinceEpoch: 1_767_225_600_000_000))
    /// A source, then its claims one at a time, as a client coding an article appends them.
    static let singles: [[ProposedEvent]] =
        [[EventFixtures.sourceRegistered(id: "s0", text: EventFixtures.articleText(0))]]
        + (0..<5).map { [EventFixtures.claimRecorded(id: "c\($0)", sourceID: "s0")] }

    @Test func singleEventsAfterTheFirstAppendInOneStatementWithTheHashesSQLiteGives() async throws {
        let sqlite = try await withTemporaryLog(clock: Self.clock) { (log: SQLiteEventLog, _: String) async throws -> [SHA256Hash] in
            var hashes: [SHA256Hash] = []
            for batch in Self.singles { hashes += try await log.append(batch).events.map(\.hash) }
            return hashes
        }
        try await withTemporaryLog(on: .postgres, clock: Self.clock) { log, _ in
            let postgres = try #require(log as? PostgresEventLog)
            var hashes: [SHA256Hash] = []
            for batch in Self.singles { hashes += try await log.append(batch).events.map(\.hash) }
            #expect(hashes == sqlite)
            // The first append learns the head; every claim after it goes in one statement.
            #expect(await postgres.appendsInOneStatement == Self.singles.count - 1)
            // A retry appends nothing and answers the first positions (the locked path decides).
            let retry = try await log.append(Self.singles[2])
            #expect(retry.events.map(\.alreadyPresent) == [true] && retry.events[0].position == 3)
            #expect(try await log.verify { _ in }.isValid)
        }
    }

    @Test func anotherWriterInBetweenIsNoticedAndTheAppendTakesTheLockedPath() async throws {
        try await withTemporaryLog(on: .postgres) { log, open in
            let first = try #require(log as? PostgresEventLog)
            _ = try await first.append(Self.singles[0])
            _ = try await first.append(Self.singles[1])
            #expect(await first.appendsInOneStatement == 1)
            // Another writer moves the head: what `first` knows is stale.
            let other = try await open(SystemRecordClock())
            _ = try await other.append(Self.singles[2])
            let result = try await first.append(Self.singles[3])
            #expect(result.events.map(\.position) == [4] && !result.events[0].alreadyPresent)
            #expect(await first.triesFoundChanged == 1)
            #expect(await first.appendsInOneStatement == 1)
            #expect(try await log.verify { _ in }.isValid)
            #expect(try await log.head()?.position == 4)
        }
    }

    @Test func aRefusalOnWhatWasLearnedIsTheLockedPathsRefusal() async throws {
        try await withTemporaryLog(on: .postgres) { log, _ in
            let postgres = try #require(log as? PostgresEventLog)
            _ = try await log.append(Self.singles[0])
            var conflicting = Self.singles[1][0]
            conflicting.expectedVersion = .exact(3)
            await #expect {
                try await log.append([conflicting])
            } throws: { error in
                guard case .conflict(0, let conflict)? = error as? StoreError else { return false }
                return conflict.actual == 0
            }
            let misquoted = AppendPreparationTests.misquotedClaim(id: "bad", sourceID: "s0")
            await #expect {
                try await log.append([misquoted])
            } throws: { error in
                guard case .invalidEvent(0, _, _)? = error as? StoreError else { return false }
                return true
            }
            #expect(try await log.head()?.position == 1)
            #expect(await postgres.appendsInOneStatement == 0)
            _ = try await log.append(Self.singles[1])
            #expect(await postgres.appendsInOneStatement == 1)
        }
    }

    /// Single events go through `append_one_if_unchanged` (plans kept), batches through
    /// `append_if_unchanged` (planned per call): with the first dropped behind the log's back, a
    /// batch still goes in one statement while a single event takes the locked path (and lands all
    /// the same); a log opened again gets the function back.
    @Test func singleEventsUseTheirOwnFunctionAndALogMadeBeforeItGetsItOnOpen() async throws {
        try await withTemporaryLog(on: .postgres) { log, _ in
            let postgres = try #require(log as? PostgresEventLog)
            let schema = postgres.location.schema
            let single = "\(schema).append_one_if_unchanged"
            let arguments =
                "(text,bigint,bytea,uuid[],text[],bigint[],bigint[],text[],text[],bigint[],text[],integer[],text[],bigint[],text[],text[],boolean[],text[],boolean[],bytea[],bytea[])"
            _ = try await log.append(Self.singles[0])
            _ = try await log.append(Self.singles[1])
            #expect(await postgres.appendsInOneStatement == 1)
            let drop = try PostgresIntegrityTests().psql("DROP FUNCTION \(single)\(arguments)")
            #expect(drop.status == 0, "\(drop.stderr)")
            _ = try await log.append(Self.singles[2] + Self.singles[3])
            #expect(await postgres.appendsInOneStatement == 2, "a batch goes in one statement without it")
            let alone = try await log.append(Self.singles[4])
            #expect(alone.events.map(\.position) == [5])
            #expect(await postgres.appendsInOneStatement == 2, "a single event needs its own function")
            let reopened = try await PostgresEventLog.connect(postgres.location, create: false)
            let found = try PostgresIntegrityTests().psql(
                "DO $$ BEGIN IF to_regprocedure('\(single)\(arguments)') IS NULL THEN RAISE EXCEPTION 'missing'; END IF; END $$")
            #expect(found.status == 0, "append_one_if_unchanged was not created on open: \(found.stderr)")
            _ = try await reopened.append(Self.singles[5])
            _ = try await reopened.append([EventFixtures.claimRecorded(id: "c9", sourceID: "s0")])
            #expect(await reopened.appendsInOneStatement == 1)
            #expect(try await reopened.verify { _ in }.isValid)
            await reopened.close()
        }
    }
}
