import Foundation
import Testing
import ThreatLedgerTesting

/// Tampering behind the log's back with the `sqlite3` command-line tool, as an insider would, is
/// caught by `threatledger verify`, which names the first bad position and what is wrong there.
@Suite struct SQLiteToolTamperingTests {
    static let sqlite3: URL? = ["/usr/bin/sqlite3", "/usr/local/bin/sqlite3"].map(URL.init(fileURLWithPath:))
        .first { FileManager.default.isExecutableFile(atPath: $0.path) }

    struct Tampering: Sendable, CustomStringConvertible {
        let name: String
        let sql: String
        let position: Int
        let problem: String
        var description: String { name }
    }

    // The seeds' first events are sources (positions 1–5), then claims.
    static let tamperings = [
        Tampering(
            name: "an edited claim figure",
            sql: "DROP TRIGGER events_refuse_update; UPDATE events SET payload = replace(payload, '\"low\":11', '\"low\":12') WHERE position = 6;",
            position: 6, problem: "it was altered"),
        Tampering(
            name: "a deleted row", sql: "DROP TRIGGER events_refuse_delete; DELETE FROM events WHERE position = 7;",
            position: 8, problem: "expected position 7 here"),
        Tampering(
            name: "an inserted row",
            sql: """
                DROP TRIGGER events_gapless;
                INSERT INTO events SELECT position + 1000, lower(hex(randomblob(4))) || substr(event_id, 9), stream, stream_version + 1000, type,
                    schema_version, payload, recorded_at, recorded_by, correlation_id, causation_id, previous_hash, hash
                FROM events WHERE position = 6;
                """,
            position: 1006, problem: "expected position"),
        Tampering(
            name: "reordered rows",
            sql: """
                DROP TRIGGER events_refuse_update;
                UPDATE events SET position = 100000 WHERE position = 7;
                UPDATE events SET position = 7 WHERE position = 8;
                UPDATE events SET position = 8 WHERE position = 100000;
                """,
            position: 7, problem: "previous_hash"),
        Tampering(
            name: "an edited stored article",
            sql: "DROP TRIGGER events_refuse_update; UPDATE events SET payload = replace(payload, 'داعش', 'دولة') WHERE position = 1;",
            position: 1, problem: "it was altered"),
    ]

    @Test(.enabled(if: sqlite3 != nil, "the sqlite3 tool is not installed"), arguments: tamperings)
    func tamperingWithTheSQLite3ToolIsCaughtByVerifyAtTheFirstBadPosition(_ tampering: Tampering) async throws {
        try await withIngestedSeeds { db in
            let clean = try runCommand(threatledgerExecutable, ["verify", "--db", db])
            #expect(clean.status == 0, "\(clean.stderr)")
            let edit = try runCommand(Self.sqlite3!, [db], stdin: Data(tampering.sql.utf8))
            try #require(edit.status == 0, "sqlite3 failed: \(edit.stderr)")
            let result = try runCommand(threatledgerExecutable, ["verify", "--db", db])
            #expect(result.status == 1)
            #expect(result.stderr.contains("verification failed at position \(tampering.position):"), "\(tampering.name): \(result.stderr)")
            #expect(result.stderr.contains(tampering.problem), "\(tampering.name): \(result.stderr)")
        }
    }
}
