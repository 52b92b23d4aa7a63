import Foundation
import Testing
import ThreatLedgerTesting

/// Tampering with what the projections store, with the real `sqlite3` tool: `verify --projections`
/// re-derives every projection and the read index from the log and names what differs; a trace,
/// which checks every claim it shows against the claim's own events, refuses a claim the log does
/// not hold as served.
@Suite struct ProjectionTamperingTests {
    func run(_ arguments: [String]) throws -> CommandResult { try runCommand(threatledgerExecutable, arguments) }

    struct Tampering: Sendable, CustomStringConvertible {
        let name: String
        let sql: String
        /// What `verify --projections` must say.
        let verifySays: String
        /// What `trace --region SY --measure killed` must say when it catches it too (it exits 1).
        let traceSays: String?
        var description: String { name }
    }

    static let tamperings = [
        Tampering(
            name: "a figure edited in a claim-version row",
            sql: """
                UPDATE rx_claim_versions SET doc = replace(doc, '"low":12,"measure":"killed"', '"low":120,"measure":"killed"')
                WHERE country = 'SY' AND valid_to IS NULL AND doc LIKE '%"low":12,"measure":"killed"%';
                """,
            verifySays: "read index table rx_claim_versions: row (claim_id, valid_from) = (",
            traceSays: "differs from the log"),
        Tampering(
            name: "a claim-version row deleted",
            sql: """
                DELETE FROM rx_claim_versions WHERE rowid = (SELECT rowid FROM rx_claim_versions
                WHERE country = 'SY' AND valid_to IS NULL AND doc LIKE '%"measure":"killed"%' ORDER BY claim_id LIMIT 1);
                """,
            verifySays: "is derived from the log but not stored", traceSays: nil),
        Tampering(
            name: "a claim-version row inserted",
            sql: """
                INSERT INTO rx_claim_versions SELECT 'forged-claim', valid_from, valid_to, country, admin1, source_id, kind, retracted,
                    event_start, event_end, doc FROM rx_claim_versions
                WHERE country = 'SY' AND valid_to IS NULL AND doc LIKE '%"scope":"incident"%' AND doc LIKE '%"measure":"killed"%'
                ORDER BY claim_id LIMIT 1;
                """,
            verifySays: "(forged-claim, ", traceSays: "the log holds no claim forged-claim"),
        Tampering(
            name: "an aggregate edited",
            sql: """
                UPDATE pj_region_summary_keyed_rows SET doc = json_set(doc, '$.claims_by_kind.prison_break', 99) WHERE key = 'SY-HA';
                """,
            verifySays: "projection region-summary: row SY-HA differs from the log's",
            traceSays: "the summary served for SY differs from what its claims give"),
        Tampering(
            name: "a checkpoint moved",
            sql: """
                UPDATE projection_checkpoints SET position = position - 10,
                    hash = (SELECT hash FROM events WHERE position = (SELECT position - 10 FROM projection_checkpoints WHERE projection = 'region-summary'))
                WHERE projection = 'region-summary';
                """,
            verifySays: "projection region-summary: ", traceSays: nil),
        Tampering(
            name: "the read index's checkpoint moved",
            sql: """
                UPDATE projection_checkpoints SET position = position - 10,
                    hash = (SELECT hash FROM events WHERE position = (SELECT position - 10 FROM projection_checkpoints WHERE projection = 'claim-versions'))
                WHERE projection = 'claim-versions';
                """,
            verifySays: "is stored but not derived from the log", traceSays: nil),
    ]

    @Test(.enabled(if: SQLiteToolTamperingTests.sqlite3 != nil, "the sqlite3 tool is not installed"), arguments: tamperings)
    func tamperingWithStoredProjectionsIsNamedByVerifyProjections(_ tampering: Tampering) async throws {
        try await withIngestedSeeds { db in
            // Builds the projections and the read index.
            #expect(try run(["summary", "--db", db]).status == 0)
            #expect(try run(["summary", "--db", db, "--region", "SY"]).status == 0)
            let clean = try run(["verify", "--projections", "--db", db])
            #expect(clean.status == 0, "\(clean.stderr)")
            #expect(clean.stdout.contains("read index re-derived and equal"))
            let traced = try run(["trace", "--db", db, "--region", "SY", "--measure", "killed"])
            #expect(traced.status == 0, "\(traced.stderr.suffix(300))")

            let edit = try runCommand(SQLiteToolTamperingTests.sqlite3!, [db], stdin: Data((tampering.sql + "\nSELECT changes();").utf8))
            try #require(edit.status == 0, "sqlite3 failed: \(edit.stderr)")
            #expect(edit.stdout.trimmingCharacters(in: .whitespacesAndNewlines) != "0", "\(tampering.name): the edit changed no row")

            let result = try run(["verify", "--projections", "--db", db])
            #expect(result.status == 1, "\(tampering.name): \(result.stdout)")
            #expect(result.stderr.contains(tampering.verifySays), "\(tampering.name): \(result.stderr.suffix(600))")
            if let says = tampering.traceSays {
                let trace = try run(["trace", "--db", db, "--region", "SY", "--measure", "killed"])
                #expect(trace.status == 1, "\(tampering.name): trace passed")
                #expect(trace.stderr.contains(says), "\(tampering.name): \(trace.stderr.suffix(600))")
            }
        }
    }
}
