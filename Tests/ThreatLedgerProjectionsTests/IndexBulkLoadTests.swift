import Testing
import ThreatLedgerCore
import ThreatLedgerProjections
import ThreatLedgerStore
import ThreatLedgerTesting

/// A rebuild loads the read index's shadow tables without the claim versions' secondary indexes and
/// creates them once the rows are in: the index it swaps in must have each of them exactly once, and
/// a region's read must use one.
@Suite struct IndexBulkLoadTests {
    @Test func aRebuiltIndexHasEachSecondaryIndexOnceAndRegionReadsUseIt() async throws {
        try await withLogAndProjector { log, projector, path in
            _ = try await log.append(try seedEvents())
            for _ in 0..<2 { _ = try await projector.rebuildIndex(progress: { _, _ in }) }
            let connection = try SQLiteConnection(path: path, readOnly: true)
            for name in ["cv_region", "cv_source", "cv_kind", "cv_country"] {
                let count = try connection.scalarInt(
                    "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'rx_claim_versions' AND name LIKE '%\\_\(name)\\_%' ESCAPE '\\'")
                #expect(count == 1, "\(name)")
            }
            let explain = try connection.statement(
                "EXPLAIN QUERY PLAN SELECT doc FROM rx_claim_versions WHERE country = 'IQ' AND admin1 = 'IQ-DI' AND valid_from <= 100")
            var details: [String] = []
            while try explain.step() { details.append(explain.text(3) ?? "") }
            explain.reset()
            let plan: String? = details.joined(separator: " | ")
            #expect(plan?.contains("USING INDEX") == true && plan?.contains("cv_region") == true, "\(plan ?? "no plan")")
        }
    }
}
