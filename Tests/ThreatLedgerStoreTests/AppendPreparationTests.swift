import Synchronization
import Testing
import ThreatLedgerCore
import ThreatLedgerStore
import ThreatLedgerTesting

/// Preparing a batch over several workers must give exactly what one worker gives: the same
/// canonical payloads, the same evidence found, and the same first error.
@Suite struct AppendPreparationTests {
    static let events = GeneratedLog.batches(seed: 8, sources: 12, claimsPerSource: 12, batchSize: 1_000).flatMap { $0 }

    /// A claim of `sourceID` whose statement quotes words its article does not hold (same length,
    /// so every rule but the quote check passes).
    static func misquotedClaim(id: String, sourceID: String) -> ProposedEvent {
        var event = EventFixtures.claimRecorded(id: id, sourceID: sourceID)
        var payload = event.payload.objectValue!
        var statement = payload["statement"]!.objectValue!
        var quote = statement["quote"]!.objectValue!
        quote["exact"] = "مقتل 12 جنديًا"
        statement["quote"] = .object(quote)
        payload["statement"] = .object(statement)
        event.payload = .object(payload)
        return event
    }

    @Test func severalWorkersPrepareWhatOneWorkerPrepares() async throws {
        try #require(Self.events.count > Workers.parallelThreshold * 2)
        let one = try await AppendPreparation(validator: .standard, workers: 1).prepare(Self.events)
        let three = try await AppendPreparation(validator: .standard, workers: 3).prepare(Self.events)
        #expect(one.payloads == three.payloads)
        #expect(one.evidenceChecked == three.evidenceChecked)
        #expect(one.payloads == Self.events.map { CanonicalJSON.string($0.payload) })
        // Claims follow their source in the generated batch, so their evidence is found here.
        let claims = Self.events.indices.filter { Self.events[$0].type == "ClaimRecorded" }
        #expect(!claims.isEmpty && claims.allSatisfy { three.evidenceChecked[$0] })
    }

    @Test func severalWorkersNameTheSameFirstBadEvent() async throws {
        var events = Self.events
        var bad = events[100]
        bad.type = "ClaimInvented"
        events[100] = bad
        events[130].schemaVersion = 9
        for workers in [1, 2, 4] {
            await #expect {
                _ = try await AppendPreparation(validator: .standard, workers: workers).prepare(events)
            } throws: { error in
                guard case .invalidEvent(100, _, .unknownType("ClaimInvented")) = error as? StoreError else { return false }
                return true
            }
        }
    }

    @Test func aMisquoteInALargeBatchIsRefusedAsInASmallOne() async throws {
        let source = EventFixtures.sourceRegistered(id: "s1")
        let good = (0..<80).map { EventFixtures.claimRecorded(id: "c\($0)", sourceID: "s1") }
        let bad = Self.misquotedClaim(id: "bad", sourceID: "s1")
        func refusal(_ batch: [ProposedEvent]) async throws -> (index: Int, why: String) {
            try await withTemporaryLog { (log: SQLiteEventLog, _: String) async throws -> (index: Int, why: String) in
                do {
                    _ = try await log.append(batch)
                    Issue.record("a misquoted claim was appended")
                    return (-1, "")
                } catch {
                    #expect(try await log.head() == nil, "nothing may be appended")
                    guard case .invalidEvent(let index, _, let why)? = error as? StoreError else { return (-2, "\(error)") }
                    return (index, "\(why)")
                }
            }
        }
        let small = try await refusal([source, bad])
        let large = try await refusal([source] + good[..<70] + [bad] + good[70...])
        #expect(small.index == 1 && large.index == 71)
        #expect(large.why == small.why && small.why.contains("statement"))
    }
}

/// Appending a stream of batches with the next one prepared meanwhile.
@Suite struct AppendBatchesTests {
    final class Batches: Sendable {
        let all: [[ProposedEvent]]
        let cursor = Mutex(0)
        init(_ all: [[ProposedEvent]]) { self.all = all }
        func next() -> [ProposedEvent]? {
            cursor.withLock { index in
                defer { index += 1 }
                return index < all.count ? all[index] : nil
            }
        }
    }

    /// The generated log cut into batches of 10 events.
    static let batches: [[ProposedEvent]] = {
        let events = GeneratedLog.batches(seed: 3, sources: 6, claimsPerSource: 8, batchSize: 1_000).flatMap { $0 }
        return stride(from: 0, to: events.count, by: 10).map { Array(events[$0..<min($0 + 10, events.count)]) }
    }()

    @Test func batchesAreAppendedInOrderEachInItsOwnTransaction() async throws {
        let batches = Self.batches
        try #require(batches.count > 3)
        try await withTemporaryLog { (log: SQLiteEventLog, _: String) async throws in
            let source = Batches(batches)
            var ends: [Int64] = []
            let count = try await log.appendBatches({ source.next() }) { ends.append($0.head.position) }
            let sizes = batches.map(\.count)
            #expect(count == batches.count)
            #expect(ends == sizes.indices.map { Int64(sizes[...$0].reduce(0, +)) })
            #expect(try await log.verify(progress: { _ in }).isValid)
        }
    }

    @Test func aBadBatchStopsTheStreamAndKeepsTheBatchesBeforeIt() async throws {
        var batches = Self.batches
        batches[2][5].type = "ClaimInvented"
        try await withTemporaryLog { (log: SQLiteEventLog, _: String) async throws in
            let source = Batches(batches)
            await #expect {
                try await log.appendBatches({ source.next() })
            } throws: { error in
                guard case .invalidEvent(5, _, .unknownType)? = error as? StoreError else { return false }
                return true
            }
            #expect(try await log.head()?.position == Int64(batches[0].count + batches[1].count))
        }
    }
}
