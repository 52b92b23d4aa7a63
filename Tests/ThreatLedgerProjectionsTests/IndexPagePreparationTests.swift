import Foundation
import Testing
import ThreatLedgerCore
import ThreatLedgerStore
import ThreatLedgerTesting

@testable import ThreatLedgerProjections

/// The read index's page preparation (workers folding stand-alone events ahead of the writer) must
/// hand the writer exactly what the writer would have worked out itself, event by event.
@Suite struct IndexPagePreparationTests {
    /// Every event of the oracle's log (seeds, generated sources and claims with corrections,
    /// retractions, incidents, moves, unlinks and source edits), read back from a real SQLite log.
    static func recordedEvents() async throws -> [RecordedEvent] {
        try await withTemporaryBackend(.sqlite) { log, _ in
            for batch in try ReadIndexOracleTests.batches() { _ = try await log.append(batch) }
            return try await log.read(from: 1, limit: 100_000)
        }
    }

    @Test(arguments: [(pieceSize: 1, workers: 2), (pieceSize: 7, workers: 3), (pieceSize: 128, workers: 2)])
    func changesWorkedOutAheadAreTheFoldsAndEditsAreLeftToTheWriter(pieceSize: Int, workers: Int) async throws {
        let events = try await Self.recordedEvents()
        #expect(events.count > 200)
        let preparation = IndexPagePreparation(events, pieceSize: pieceSize, workers: workers)
        var standingAlone = 0
        var edits = 0
        for (index, event) in events.enumerated() {
            let prepared = try preparation.changes(at: index)
            guard ClaimVersionFold.standsAlone(event) else {
                #expect(prepared == nil, "position \(event.position) (\(event.type)) needs the current rows")
                edits += 1
                continue
            }
            standingAlone += 1
            let expected = try ClaimVersionFold.changes(for: event, current: nil)
            #expect(prepared?.map(\.change) == expected, "position \(event.position)")
            for change in prepared ?? [] {
                switch change.change {
                case .addClaim(let claim, _): #expect(change.document == CanonicalJSON.string(ThreatPicture.document(of: claim)))
                case .addSource(let source, _): #expect(change.document == CanonicalJSON.string(ThreatPicture.document(of: source)))
                case .addIncident(let incident, _): #expect(change.document == CanonicalJSON.string(ThreatPicture.document(of: incident)))
                case .closeClaim, .closeSource, .closeIncident: #expect(change.document == nil)
                }
            }
        }
        #expect(standingAlone > 150)
        #expect(edits > 10)
    }

    @Test func aPayloadThatDoesNotFoldGivesItsErrorAtItsOwnEventOnly() async throws {
        var events = try await Self.recordedEvents()
        let broken = events.firstIndex { $0.type == EventType.claimRecorded.rawValue && $0.position > 100 }!
        let original = events[broken]
        events[broken] = RecordedEvent(
            position: original.position, id: original.id, stream: original.stream, streamVersion: original.streamVersion,
            type: original.type, schemaVersion: original.schemaVersion, payloadJSON: #"{"claim_id":"c","kind":"attack"}"#,
            metadata: original.metadata, recordedAt: original.recordedAt, previousHash: original.previousHash, hash: original.hash)
        let expected = #expect(throws: PictureFoldError.self) { try ClaimVersionFold.changes(for: events[broken], current: nil) }
        let preparation = IndexPagePreparation(events, pieceSize: 16, workers: 2)
        for index in events.indices where index != broken {
            #expect(throws: Never.self) { try preparation.changes(at: index) }
        }
        let found = #expect(throws: PictureFoldError.self) { try preparation.changes(at: broken) }
        #expect(found.map(String.init(describing:)) == expected.map(String.init(describing:)))
        #expect(found.map(String.init(describing:))?.contains("position \(original.position)") == true)
    }

    /// The reproduction of a catch-up that hung under load: no worker ever gets a thread (here none
    /// is started), so the writer must prepare every piece itself rather than wait for one. (Without
    /// that, this test blocks on the first piece for good: checked.)
    @Test func theWriterPreparesEveryPieceNoWorkerHasTaken() async throws {
        let events = try await Self.recordedEvents()
        let preparation = IndexPagePreparation(events, pieceSize: 7, workers: 0)
        for (index, event) in events.enumerated() where ClaimVersionFold.standsAlone(event) {
            #expect(try preparation.changes(at: index)?.map(\.change) == (try ClaimVersionFold.changes(for: event, current: nil)))
        }
    }

    @Test func aCatchUpOfFewEventsIsAppliedWithoutWorkers() async throws {
        let events = try await Self.recordedEvents()
        #expect(IndexPagePreparation.start(Array(events.prefix(Workers.parallelThreshold - 1)), workers: 2) == nil)
        #expect(IndexPagePreparation.start(Array(events.prefix(Workers.parallelThreshold)), workers: 1) == nil)
        #expect(IndexPagePreparation.start(Array(events.prefix(Workers.parallelThreshold)), workers: 2) != nil)
    }
}
