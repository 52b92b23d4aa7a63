import Testing
import ThreatLedgerTesting

@testable import ThreatLedgerCore

/// The read index's documents written straight from the typed values (``CanonicalWriter``) must be
/// byte for byte the canonical form of the tree ``ThreatPicture/document(of:)`` builds: `verify`
/// re-derives the index and compares these bytes, and the index digest hashes them.
@Suite struct CanonicalDocumentTests {
    @Test func everyDocumentWrittenWithoutATreeIsTheCanonicalFormOfTheTree() async throws {
        let (claims, sources, incidents) = try await TypedDocumentDecodingTests.versions()
        for claim in claims {
            #expect(ThreatPicture.canonicalDocument(of: claim) == CanonicalJSON.string(ThreatPicture.document(of: claim)), "claim \(claim.id)")
        }
        for source in sources {
            #expect(ThreatPicture.canonicalDocument(of: source) == CanonicalJSON.string(ThreatPicture.document(of: source)), "source \(source.id)")
        }
        for incident in incidents {
            #expect(
                ThreatPicture.canonicalDocument(of: incident) == CanonicalJSON.string(ThreatPicture.document(of: incident)), "incident \(incident.id)")
        }
    }

    @Test func integersAndNumbersAreWrittenAsTheTreeWritesThem() {
        for value: Int64 in [
            0, 1, -1, 9, 10, -10, 1_700_000_000_000_000, 9_007_199_254_740_991, -9_007_199_254_740_991, 9_007_199_254_740_992, Int64.max, Int64.min,
        ] {
            var writer = CanonicalWriter()
            writer.integer(value)
            #expect(String(decoding: writer.bytes, as: UTF8.self) == CanonicalJSON.string(.number(Double(value))), "\(value)")
        }
    }
}
