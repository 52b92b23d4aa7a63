import Foundation
import Synchronization
import Testing
import ThreatLedgerCore
import ThreatLedgerProjections
import ThreatLedgerStore
import ThreatLedgerTesting

/// The background catch-up a server runs: it keeps every projection at the log's head, wakes its
/// waiters when they are reached, and tells a waiter when its timeout passed first.
@Suite struct ProjectionFollowerTests {
    @Test func aPassBuildsThenCatchesUpEveryProjectionAndTheIndexToTheHead() async throws {
        try await withLogAndProjector { log, projector, _ in
            let seeded = try await log.append(try seedEvents())
            let follower = ProjectionFollower(projector: projector)
            #expect(await follower.reached == nil)
            let first = try await follower.pass()
            #expect(first.position == seeded.head.position)
            #expect(first.checkpoints == ["claim-versions": 100, "region-summary": 100, "source-provenance": 100])

            _ = try await log.append([EventFixtures.sourceRegistered(id: "later-source")])
            let second = try await follower.pass()
            let reached = await follower.reached
            #expect(second.position == 101 && reached == 101)
            for definition in ProjectionDefinition.all {
                #expect(try await projector.rowsCheckpoint(definition)?.position == 101)
            }
            // What the pass stored is what a rebuild from scratch gives.
            let caughtUp = try await projector.status(.sourceProvenance).digest
            #expect(try await projector.rebuild(.sourceProvenance).digest == caughtUp)
        }
    }

    @Test func aWaiterForAPositionNoPassReachesIsToldFalseWhenItsTimeoutPasses() async throws {
        try await withLogAndProjector { log, projector, _ in
            _ = try await log.append(try seedEvents())
            let follower = ProjectionFollower(projector: projector)
            try await follower.pass()
            #expect(await follower.waitUntil(100, timeout: .seconds(30)), "a position already reached answers at once")
            // Nothing runs passes here, and the log holds no position 101.
            #expect(!(await follower.waitUntil(101, timeout: .milliseconds(100))))
        }
    }

    /// The waits' timeouts only guard against a follower that never wakes (the wait then fails, late):
    /// they are not what this test measures. The suite runs every test at once on the machine's
    /// cores, all sharing Swift's cooperative pool, and in CI the first pass over the seed log (a
    /// second alone) has taken more than a minute of wall time; a shorter guard failed there twice.
    static let guardTimeout: Duration = .seconds(600)

    @Test func aRunningFollowerPicksUpAnotherWritersAppendByPollingAndWakesItsWaiter() async throws {
        try await withLogAndProjector { log, projector, path in
            _ = try await log.append(try seedEvents())
            let follower = ProjectionFollower(projector: projector, poll: .milliseconds(50))
            let outcomes = OutcomeLog()
            let running = Task { await follower.run { outcome in outcomes.add(outcome) } }
            #expect(await follower.waitUntil(100, timeout: Self.guardTimeout))

            // Another connection appends: nobody wakes the follower, its poll finds the events.
            let other = try SQLiteEventLog(path: path)
            _ = try await other.append([
                EventFixtures.sourceRegistered(id: "polled-source"), EventFixtures.claimRecorded(id: "polled-claim", sourceID: "polled-source"),
            ])
            #expect(await follower.waitUntil(102, timeout: Self.guardTimeout))
            #expect(try await projector.rowsCheckpoint(.regionSummary)?.position == 102)
            let rows = try await projector.rows(.regionSummary)
            #expect(CanonicalJSON.string(rows["IQ-DI"] ?? .null).contains("polled-claim"))
            running.cancel()
            await running.value
            #expect(outcomes.failures == 0)
        }
    }
}

/// What a follower's passes reported.
final class OutcomeLog: Sendable {
    private let failed = Mutex(0)

    func add(_ outcome: ProjectionFollower.PassOutcome) {
        if case .failed = outcome { failed.withLock { $0 += 1 } }
    }

    var failures: Int { failed.withLock { $0 } }
}
