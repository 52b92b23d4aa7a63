import Foundation
import Testing
import ThreatLedgerCore
import ThreatLedgerStore
import ThreatLedgerTesting

@testable import ThreatLedgerProjections

/// Claim documents decoded on several workers come back as one thread would decode them.
@Suite struct IndexDocumentsTests {
    /// The oracle log's claims folded whole, and their documents as the index stores them.
    static func claimsAndRows() async throws -> (claims: [ThreatPicture.Claim], rows: [IndexDocuments.Row]) {
        var picture = ThreatPicture()
        for event in try await IndexPagePreparationTests.recordedEvents() { try picture.apply(event) }
        let claims = picture.claims.values.sorted { $0.id < $1.id }
        return (claims, claims.map { ($0.id, CanonicalJSON.string(ThreatPicture.document(of: $0))) })
    }

    @Test(arguments: [1, 2, 3, 8])
    func documentsDecodeInTheRowsOrderWhateverTheWorkers(workers: Int) async throws {
        let (claims, rows) = try await Self.claimsAndRows()
        #expect(rows.count > Workers.parallelThreshold)
        #expect(try IndexDocuments.claims(rows, workers: workers) == claims)
    }

    @Test func theFirstDocumentThatDoesNotDecodeNamesItsClaimWhateverTheWorkers() async throws {
        var (_, rows) = try await Self.claimsAndRows()
        let first = rows.count / 3
        rows[first].text = #"{"revision":1}"#
        rows[rows.count - 2].text = "[not json"
        for workers in [1, 2, 4] {
            let error = #expect(throws: (any Error).self) { try IndexDocuments.claims(rows, workers: workers) }
            #expect(error.map(String.init(describing:))?.contains("claim \(rows[first].id)") == true, "\(workers) workers: \(String(describing: error))")
        }
    }
}
