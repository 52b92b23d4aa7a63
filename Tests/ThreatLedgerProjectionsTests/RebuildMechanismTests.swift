import Foundation
import Testing
import ThreatLedgerCore
import ThreatLedgerProjections
import ThreatLedgerStore
import ThreatLedgerTesting

@Suite struct RebuildMechanismTests {
    @Test func eachRebuildIsRecordedWithItsLogHeadAndDigest() async throws {
        try await withLogAndProjector { log, projector, _ in
            let appended = try await log.append(try seedEvents())
            let record = try await projector.rebuild(.regionSummary)
            #expect(record.headPosition == appended.head.position)
            #expect(record.headHash == appended.head.hash)
            #expect(record.eventsFolded == 100)
            let listed = try await projector.rebuilds(projection: "region-summary")
            #expect(listed.last == record)
            #expect(try await projector.status(.regionSummary).digest == record.digest)
        }
    }

    @Test func aSecondRebuildWhileTheLockIsHeldNamesTheHolderAndRefuses() async throws {
        try await withLogAndProjector { log, projector, path in
            _ = try await log.append(try seedEvents())
            var host = [CChar](repeating: 0, count: 256)
            gethostname(&host, 255)
            // pid 1 is always alive, and its lease was just renewed: the lock is held.
            let now = Int64(Date().timeIntervalSince1970 * 1_000_000)
            try runSQL(
                path,
                "INSERT INTO projection_locks VALUES ('region-summary', 'operator rebuild (pid 1)', 1, '\(String(cString: host))', 1700000000000000, \(now))")
            await #expect {
                _ = try await projector.rebuild(.regionSummary)
            } throws: { error in
                "\(error)".contains("a rebuild of region-summary is already running: held by operator rebuild (pid 1) since 2023-11-14T22:13:20.000000Z")
            }
            // A holder that has exited leaves a stale lock, which the next rebuild takes over.
            let gone = Process()
            gone.executableURL = URL(fileURLWithPath: "/bin/true")
            try gone.run()
            gone.waitUntilExit()
            try runSQL(path, "UPDATE projection_locks SET pid = \(gone.processIdentifier), holder = 'crashed rebuild'")
            let record = try await projector.rebuild(.regionSummary)
            #expect(record.eventsFolded == 100)
        }
    }

    /// A live holder that stopped renewing its lease (hung, or on another host) loses the lock when
    /// the lease runs out; an operator can take a fresh lock over with a reason; both are recorded.
    @Test func anExpiredLeaseOrAnOperatorsReasonTakesTheLockOverAndIsRecorded() async throws {
        try await withLogAndProjector { log, projector, path in
            _ = try await log.append(try seedEvents())
            var host = [CChar](repeating: 0, count: 256)
            gethostname(&host, 255)
            let stale = Int64(Date().timeIntervalSince1970 * 1_000_000) - (RebuildLease.seconds + 5) * 1_000_000
            try runSQL(
                path, "INSERT INTO projection_locks VALUES ('region-summary', 'hung rebuild (pid 1)', 1, '\(String(cString: host))', \(stale), \(stale))")
            let record = try await projector.rebuild(.regionSummary)
            #expect(record.eventsFolded == 100)
            let now = Int64(Date().timeIntervalSince1970 * 1_000_000)
            try runSQL(path, "INSERT INTO projection_locks VALUES ('region-summary', 'busy rebuild (pid 1)', 1, '\(String(cString: host))', \(now), \(now))")
            await #expect(throws: ProjectionError.self) { _ = try await projector.rebuild(.regionSummary) }
            _ = try await projector.rebuild(.regionSummary, takeOver: "stuck since the disk filled", progress: { _, _ in })
            let takeOvers = try await projector.takeOvers(projection: "region-summary")
            #expect(takeOvers.map(\.previousHolder) == ["hung rebuild (pid 1)", "busy rebuild (pid 1)"])
            #expect(takeOvers[0].reason.contains("its lease expired"))
            #expect(takeOvers[1].reason == "taken over: stuck since the disk filled")
            #expect(takeOvers.allSatisfy { $0.holder == projector.holder })
        }
    }

    /// A rebuild whose lock is taken over while it works stops without swapping anything in: the
    /// projection keeps the rows and checkpoint of the rebuild before.
    @Test func aRebuildWhoseLockIsTakenOverSwapsNothingIn() async throws {
        try await withLogAndProjector { log, projector, path in
            _ = try await log.append(try seedEvents())
            let first = try await projector.rebuild(.regionSummary)
            await #expect {
                _ = try await projector.rebuild(.regionSummary, takeOver: nil) { _, _ in
                    try? runSQL(path, "UPDATE projection_locks SET holder = 'another operator', pid = 1")
                }
            } throws: { error in
                "\(error)".contains("was taken over by another operator")
            }
            #expect(try await projector.status(.regionSummary).digest == first.digest)
            #expect(try await projector.rebuilds(projection: "region-summary").count == 1)
        }
    }

    @Test func aProjectionBuiltByAnotherCodeVersionIsRebuiltBeforeItServes() async throws {
        try await withLogAndProjector { log, projector, path in
            _ = try await log.append(try seedEvents())
            try await projector.ensureServing(.regionSummary)
            #expect(try await projector.rebuilds(projection: "region-summary").count == 1)
            try runSQL(path, "UPDATE projection_checkpoints SET version = 0 WHERE projection = 'region-summary'")
            try runSQL(path, "DELETE FROM pj_region_summary_keyed_rows")
            let status = try await projector.ensureServing(.regionSummary)
            #expect(try await projector.rebuilds(projection: "region-summary").count == 2)
            #expect(status.version == ProjectionDefinition.regionSummary.version)
            #expect(try await projector.rows(.regionSummary)["SY"] != nil)
        }
    }

    @Test func aRewrittenLogUnderTheCheckpointForcesARebuild() async throws {
        try await withLogAndProjector { log, projector, path in
            _ = try await log.append(try seedEvents())
            try await projector.ensureServing(.regionSummary)
            try runSQL(path, "DROP TRIGGER events_refuse_update; UPDATE events SET hash = zeroblob(32) WHERE position = 100")
            await #expect {
                try await projector.catchUp(.regionSummary)
            } throws: { error in
                "\(error)".contains("the checkpoint of region-summary names position 100, whose hash has changed")
            }
        }
    }
}

/// Runs SQL on the file directly, through the sqlite3 command-line-free Python standard library.
func runSQL(_ path: String, _ sql: String) throws {
    let result = try runCommand(
        URL(fileURLWithPath: "/usr/bin/env"),
        ["python3", "-c", "import sqlite3,sys; db=sqlite3.connect(sys.argv[1]); db.executescript(sys.argv[2]); db.commit()", path, sql])
    guard result.status == 0 else { throw CommandFailureForTests(message: result.stderr) }
}

struct CommandFailureForTests: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
