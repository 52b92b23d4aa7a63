import Foundation
import PostgresNIO
import Testing
import ThreatLedgerAudit
import ThreatLedgerCore
import ThreatLedgerPostgres
import ThreatLedgerProjections
import ThreatLedgerStore
import ThreatLedgerTesting

/// On PostgreSQL as on SQLite (`ProjectionTamperingTests`, with the sqlite3 tool): a claim-version
/// row edited behind the index's back is named by `verify --projections` (``ProjectionCheck``) and
/// refused by a trace of a figure it stands behind.
@Suite struct PostgresIndexTamperingTests {
    static let postgres = TestBackend.available.contains(.postgres)

    @Test(.enabled(if: postgres, "no PostgreSQL test server (POSTGRES_HOSTNAME)"))
    func anEditedClaimVersionRowIsNamedByVerifyAndRefusedByTrace() async throws {
        try await withTemporaryBackend(.postgres) { log, projector in
            _ = try await log.append(try seedEvents())
            for definition in ProjectionDefinition.all { _ = try await projector.rebuild(definition) }
            _ = try await projector.ensureIndexCurrent(progress: { _, _ in })
            #expect(try await ProjectionCheck.differences(log: log, projector: projector) == [])
            let postgres = try #require(log as? PostgresEventLog)
            let rows = try await postgres.client.query(
                """
                UPDATE \(unescaped: postgres.location.schema).rx_claim_versions
                SET doc = replace(doc, '"low":12,"measure":"killed"', '"low":120,"measure":"killed"')
                WHERE country = 'SY' AND valid_to IS NULL AND doc LIKE '%"low":12,"measure":"killed"%' RETURNING claim_id
                """)
            var edited: [String] = []
            for try await id in rows.decode(String.self) { edited.append(id) }
            try #require(!edited.isEmpty)
            let problems = try await ProjectionCheck.differences(log: log, projector: projector)
            #expect(problems.contains { $0.contains("rx_claim_versions") && $0.contains(edited[0]) }, "\(problems)")
            let view = try await AuditViews.view(
                .regionSummary, projector: projector, log: log, clocks: AuditClocks(), scope: .region("SY"), needs: .picture)
            let traced = try await AuditViews.traceFigure(view, region: "SY", measure: "killed", kind: nil, vault: ArticleVault(log: log))
            #expect(!traced.holds)
            #expect(traced.claims[edited[0]]?.wordProblems.first?.contains("differs from the log") == true)
        }
    }
}
