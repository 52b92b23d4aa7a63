import Testing
import ThreatLedgerCore
import ThreatLedgerStore
import ThreatLedgerTesting

/// A large batch appended while its later pieces are still being prepared must append exactly what a
/// batch prepared whole appends, refuse a bad batch with the same error, and leave other calls on the
/// same log to wait their turn while its transaction is open.
@Suite struct StagedAppendTests {
    /// Generated batches of 1,000 events in log order; the first is valid on its own.
    static let batches = GeneratedLog.batches(seed: 8, sources: 100, claimsPerSource: 12, batchSize: 1_000)
    static let clock = FixedRecordClock(RecordTime(microsecondsSinceEpoch: 1_767_225_600_000_000))

    @Test func largeBatchesAppendedInPiecesGetTheHashesOfBatchesPreparedWhole() async throws {
        // The generated log's last batch corrects and retracts claims of the batches before.
        let batches = Self.batches
        try #require(batches[0].count >= Workers.parallelThreshold * 8)
        try #require(batches.last!.count >= Workers.parallelThreshold && batches.last!.contains { $0.type == "ClaimCorrected" })
        func append(inPieces: Bool) async throws -> [SHA256Hash] {
            try await withTemporaryLog(clock: Self.clock) { (log: SQLiteEventLog, _: String) async throws -> [SHA256Hash] in
                var hashes: [SHA256Hash] = []
                for batch in batches {
                    hashes += try await (inPieces ? log.append(batch) : log.append(log.prepare(batch))).events.map(\.hash)
                }
                #expect(try await log.verify(progress: { _ in }).isValid)
                return hashes
            }
        }
        let inPieces = try await append(inPieces: true)
        #expect(inPieces.count == batches.joined().count)
        #expect(inPieces == (try await append(inPieces: false)))
    }

    @Test func aBadEventLateInALargeBatchIsNamedBeforeAConflictEarlierInIt() async throws {
        var events = Self.batches[0]
        events[3].expectedVersion = .exact(99)  // refused by the plan, in the first piece
        let late = events.count - 10
        events[late].type = "ClaimInvented"  // refused by preparation, in the last piece
        for append in [
            { (log: SQLiteEventLog) async throws in _ = try await log.append(events) },
            { (log: SQLiteEventLog) async throws in _ = try await log.append(log.prepare(events)) },
        ] {
            try await withTemporaryLog { (log: SQLiteEventLog, _: String) async throws in
                await #expect {
                    try await append(log)
                } throws: { error in
                    guard case .invalidEvent(let index, _, .unknownType("ClaimInvented"))? = error as? StoreError else { return false }
                    return index == late
                }
                #expect(try await log.head() == nil, "nothing may be appended")
            }
        }
    }

    @Test func callsArrivingWhileALargeAppendIsOpenWaitTheirTurn() async throws {
        try #require(Self.batches.count >= 2)
        let first = Self.batches[0]
        let second = Self.batches[1]
        try await withTemporaryLog { (log: SQLiteEventLog, _: String) async throws in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    _ = try await log.append(first)
                    _ = try await log.append(second)
                }
                for _ in 0..<3 {  // the same batch again: appended once, then found already present
                    group.addTask { _ = try await log.append(first) }
                }
                group.addTask {
                    for _ in 0..<4 {
                        let head = try await log.head()?.position ?? 0
                        #expect([0, Int64(first.count), Int64(first.count + second.count)].contains(head))
                        #expect(try await log.verify(progress: { _ in }).isValid)
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await log.head()?.position == Int64(first.count + second.count))
            #expect(try await log.verify(progress: { _ in }).isValid)
        }
    }
}
