import Foundation
import Testing
import ThreatLedgerCore
import ThreatLedgerStore
import ThreatLedgerTesting

@Suite struct AppendTests {
    @Test func appendAssignsGaplessPositionsStreamVersionsAndChainedHashes() async throws {
        try await withTemporaryLog { log, _ in
            let first = try await log.append([
                EventFixtures.sourceRegistered(id: "s1"), EventFixtures.claimRecorded(id: "c1", sourceID: "s1"),
            ])
            let second = try await log.append([EventFixtures.claimRetracted(id: "c1")])
            #expect(first.events.map(\.position) == [1, 2])
            #expect(second.events.map(\.position) == [3])
            #expect(second.events[0].streamVersion == 2)
            let events = try await log.read(from: 1, limit: 10)
            #expect(events.map(\.position) == [1, 2, 3])
            #expect(events[0].previousHash == .genesis)
            for (before, after) in zip(events, events.dropFirst()) { #expect(after.previousHash == before.hash) }
            #expect(events.allSatisfy { $0.hashIsConsistent })
            #expect(try await log.head()?.hash == events.last?.hash)
        }
    }

    @Test func anExpectedVersionConflictAppendsNothing() async throws {
        try await withTemporaryLog { log, _ in
            _ = try await log.append([EventFixtures.sourceRegistered(id: "s1"), EventFixtures.claimRecorded(id: "c1", sourceID: "s1")])
            let before = try await log.head()
            let stream = try StreamName("claim-c1")
            await #expect {
                _ = try await log.append([EventFixtures.claimRetracted(id: "c1")], to: stream, expected: .exact(5))
            } throws: { error in
                guard case .conflict(0, let conflict) = error as? StoreError else { return false }
                return conflict == ExpectedVersionConflict(stream: stream, expected: .exact(5), actual: 1)
            }
            #expect(try await log.head() == before)
            let appended = try await log.append([EventFixtures.claimRetracted(id: "c1")], to: stream, expected: .exact(1))
            #expect(appended.events[0].streamVersion == 2)
        }
    }

    @Test func aRetriedEventIDReturnsItsFirstPositionAndAppendsNothing() async throws {
        try await withTemporaryLog { log, _ in
            let source = EventFixtures.sourceRegistered(id: "s1")
            let claim = EventFixtures.claimRecorded(id: "c1", sourceID: "s1")
            let first = try await log.append([source, claim])
            let retry = try await log.append([source, claim])
            #expect(retry.events.map(\.position) == first.events.map(\.position))
            #expect(retry.events.allSatisfy { $0.alreadyPresent })
            #expect(retry.appendedCount == 0)
            #expect(try await log.head()?.position == 2)
            // A retry whose stream has moved on still answers the first position, not a conflict.
            _ = try await log.append([EventFixtures.claimRetracted(id: "c1")])
            var retried = claim
            retried.expectedVersion = .noStream
            #expect(try await log.append([retried]).events[0].position == 2)
        }
    }

    @Test func anEventIDReusedForDifferentContentIsRefused() async throws {
        try await withTemporaryLog { log, _ in
            let source = EventFixtures.sourceRegistered(id: "s1")
            _ = try await log.append([source])
            var impostor = EventFixtures.sourceRegistered(id: "s2")
            impostor = ProposedEvent(
                id: source.id, stream: impostor.stream, type: impostor.type, payload: impostor.payload,
                metadata: impostor.metadata)
            await #expect {
                _ = try await log.append([impostor])
            } throws: { error in
                guard case .eventIDReused(0, source.id, 1) = error as? StoreError else { return false }
                return true
            }
            #expect(try await log.head()?.position == 1)
        }
    }

    @Test func aBatchWithOneBadEventAppendsNothingAndNamesIt() async throws {
        try await withTemporaryLog { log, _ in
            var bad = EventFixtures.claimRecorded(id: "c2", sourceID: "s1")
            var payload = bad.payload.objectValue!
            payload["kind"] = "bombing"
            bad.payload = .object(payload)
            await #expect {
                _ = try await log.append([
                    EventFixtures.sourceRegistered(id: "s1"), EventFixtures.claimRecorded(id: "c1", sourceID: "s1"), bad,
                ])
            } throws: { error in
                guard let error = error as? StoreError, case .invalidEvent(2, _, let why) = error else { return false }
                return "\(why)".hasPrefix("payload.kind: must be one of")
            }
            let head = try await log.head()
            #expect(head == nil)
        }
    }

    @Test func referencesAndStreamStartsAreChecked() async throws {
        try await withTemporaryLog { log, _ in
            await #expect {
                _ = try await log.append([EventFixtures.claimRecorded(id: "c1", sourceID: "missing")])
            } throws: { error in
                "\(error)".contains("payload.source_id: refers to source-missing, which is not in the log")
            }
            await #expect {
                _ = try await log.append([EventFixtures.claimRetracted(id: "c1")])
            } throws: { error in
                "\(error)".contains("ClaimRetracted needs an existing stream")
            }
            _ = try await log.append([EventFixtures.sourceRegistered(id: "s1")])
            await #expect {
                _ = try await log.append([EventFixtures.sourceRegistered(id: "s1", eventID: .random())])
            } throws: { error in
                "\(error)".contains("SourceRegistered starts a stream, but it already has 1 event(s)")
            }
            // A reference to a stream created earlier in the same batch is satisfied.
            let batch = try await log.append([
                EventFixtures.sourceRegistered(id: "s2"), EventFixtures.claimRecorded(id: "c2", sourceID: "s2"),
            ])
            #expect(batch.appendedCount == 2)
        }
    }

    @Test func recordTimeNeverGoesBackEvenWhenTheClockDoes() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("log.sqlite").path
            let later = try SQLiteEventLog(path: path, clock: FixedRecordClock(RecordTime(microsecondsSinceEpoch: 2_000)))
            _ = try await later.append([EventFixtures.sourceRegistered(id: "s1")])
            let earlier = try SQLiteEventLog(path: path, clock: FixedRecordClock(RecordTime(microsecondsSinceEpoch: 1_000)))
            _ = try await earlier.append([EventFixtures.sourceRegistered(id: "s2")])
            let times = try await earlier.read(from: 1, limit: 10).map(\.recordedAt.microsecondsSinceEpoch)
            #expect(times == [2_000, 2_000])
        }
    }

    @Test func twoConnectionsAppendingAtOnceLoseNothingAndKeepTheChainLinear() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("log.sqlite").path
            let a = try SQLiteEventLog(path: path)
            let b = try SQLiteEventLog(path: path)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (writer, name) in [(a, "a"), (b, "b")] {
                    group.addTask {
                        for i in 0..<50 {
                            _ = try await writer.append([EventFixtures.sourceRegistered(id: "\(name)\(i)")])
                        }
                    }
                }
                try await group.waitForAll()
            }
            let report = try await a.verify { _ in }
            #expect(report.isValid)
            #expect(report.eventsChecked == 100)
        }
    }
}
