import Foundation
import Testing
import ThreatLedgerCore
import ThreatLedgerStore
import ThreatLedgerTesting

@Suite struct IntegrityTests {
    func fill(_ log: SQLiteEventLog, sources: Int) async throws {
        for i in 0..<sources {
            _ = try await log.append([
                EventFixtures.sourceRegistered(id: "s\(i)", text: EventFixtures.articleText(i))
            ])
        }
    }

    @Test func theChainRecomputedIndependentlyInPythonEqualsTheStoredOne() async throws {
        try await withTemporaryLog { log, path in
            try await fill(log, sources: 5)
            _ = try await log.append([
                EventFixtures.claimRecorded(id: "c1", sourceID: "s0"), EventFixtures.claimRetracted(id: "c1"),
            ])
            let head = try #require(try await log.head())
            let result = try runCommand(
                URL(fileURLWithPath: "/usr/bin/env"),
                ["python3", packageRoot.appendingPathComponent("scripts/verify-chain.py").path, path])
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            #expect(result.stdout.trimmingCharacters(in: .newlines) == "OK 7 7 \(head.hash.hex)")
        }
    }

    @Test func updateAndDeleteAreRefusedByTheLog() async throws {
        try await withTemporaryLog { log, path in
            try await fill(log, sources: 2)
            #expect(throws: RawSQLiteError.self) { try rawSQL(path, "UPDATE events SET recorded_by = 'x' WHERE position = 1") }
            #expect(throws: RawSQLiteError.self) { try rawSQL(path, "DELETE FROM events WHERE position = 2") }
            do {
                try rawSQL(path, "DELETE FROM events")
            } catch {
                #expect("\(error)".contains("events are append-only; DELETE is refused"))
            }
            #expect(try await log.verify { _ in }.isValid)
        }
    }

    @Test(arguments: [2, 4])
    func aPayloadAlteredBehindTheLogsBackFailsVerifyAtExactlyThatPosition(position: Int) async throws {
        try await withTemporaryLog { log, path in
            try await fill(log, sources: 5)
            try rawSQL(
                path,
                """
                DROP TRIGGER events_refuse_update;
                UPDATE events SET payload = replace(payload, '"title":"عنوان"', '"title":"عنوان مزور"')
                WHERE position = \(position);
                """)
            let report = try await log.verify { _ in }
            let failure = try #require(report.failure)
            #expect(failure.position == Int64(position))
            guard case .hashMismatch = failure.problem else {
                Issue.record("expected a hash mismatch, got \(failure)")
                return
            }
            #expect(report.eventsChecked == Int64(position - 1))
        }
    }

    @Test func aDeletedRowFailsVerifyWhereTheGapIs() async throws {
        try await withTemporaryLog { log, path in
            try await fill(log, sources: 5)
            try rawSQL(path, "DROP TRIGGER events_refuse_delete; DELETE FROM events WHERE position = 3;")
            let failure = try #require(try await log.verify { _ in }.failure)
            #expect(failure.position == 4)
            #expect(failure.problem == .positionGap(expected: 3))
        }
    }

    @Test func reorderedRowsFailVerify() async throws {
        try await withTemporaryLog { log, path in
            try await fill(log, sources: 4)
            try rawSQL(
                path,
                """
                DROP TRIGGER events_refuse_update;
                UPDATE events SET position = 1000 WHERE position = 2;
                UPDATE events SET position = 2 WHERE position = 3;
                UPDATE events SET position = 3 WHERE position = 1000;
                """)
            let failure = try #require(try await log.verify { _ in }.failure)
            #expect(failure.position == 2)
            guard case .previousHashMismatch = failure.problem else {
                Issue.record("expected a previous-hash mismatch, got \(failure)")
                return
            }
        }
    }

    @Test func anArticleEditedAndRehashedStillFailsVerify() async throws {
        try await withTemporaryLog { log, path in
            try await fill(log, sources: 3)
            // A careful tamperer edits the text but keeps the payload canonical; the hash catches it.
            try rawSQL(
                path,
                """
                DROP TRIGGER events_refuse_update;
                UPDATE events SET payload = replace(payload, 'مقتل 11', 'مقتل 12') WHERE position = 2;
                """)
            let failure = try #require(try await log.verify { _ in }.failure)
            #expect(failure.position == 2)
        }
    }

    @Test func theLogFileIsInWALModeAndRefusesForeignDatabases() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("log.sqlite").path
            _ = try SQLiteEventLog(path: path)
            #expect(try rawScalar(path, "PRAGMA journal_mode") == "wal")
            #expect(try rawScalar(path, "PRAGMA application_id") == "1414285105")

            let foreign = directory.appendingPathComponent("other.sqlite").path
            try rawSQL(foreign, "CREATE TABLE t(x)")
            #expect {
                _ = try SQLiteEventLog(path: foreign)
            } throws: { error in
                "\(error)".contains("it is a SQLite database, but not a ThreatLedger log")
            }
        }
    }
}
