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
            // pid 1 is always alive: the lock is held.
            try runSQL(path, "INSERT INTO projection_locks VALUES ('region-summary', 'operator rebuild (pid 1)', 1, '\(String(cString: host))', 1700000000000000)")
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

    @Test func aProjectionBuiltByAnotherCodeVersionIsRebuiltBeforeItServes() async throws {
        try await withLogAndProjector { log, projector, path in
            _ = try await log.append(try seedEvents())
            try await projector.ensureServing(.regionSummary)
            #expect(try await projector.rebuilds().count == 1)
            try runSQL(path, "UPDATE projection_checkpoints SET version = 0 WHERE projection = 'region-summary'")
            try runSQL(path, "DELETE FROM pj_region_summary_rows")
            let status = try await projector.ensureServing(.regionSummary)
            #expect(try await projector.rebuilds().count == 2)
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
