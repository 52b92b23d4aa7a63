import Foundation
import Synchronization
import Testing
import ThreatLedgerCore
import ThreatLedgerStore
import ThreatLedgerTesting

/// `threatledger backup` and `restore` with the real binary on real SQLite files: a backup taken
/// while another writer appends holds every event acknowledged before it began, and restores into a
/// fresh log that verifies; a backup that does not verify, or contradicts a signed head, is refused.
@Suite struct BackupCommandTests {
    func run(_ arguments: [String]) throws -> CommandResult { try runCommand(threatledgerExecutable, arguments) }

    /// Runs the binary and waits for it by polling, so the test's other tasks keep running.
    func runWithoutBlocking(_ arguments: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = threatledgerExecutable
        process.arguments = arguments
        let directory = FileManager.default.temporaryDirectory
        let out = directory.appendingPathComponent("backup-\(UUID().uuidString).out")
        let err = directory.appendingPathComponent("backup-\(UUID().uuidString).err")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        while process.isRunning { try await Task.sleep(for: .milliseconds(10)) }
        return (process.terminationStatus, try String(contentsOf: out, encoding: .utf8), try String(contentsOf: err, encoding: .utf8))
    }

    @Test func aBackupTakenWhileAppendsGoOnRestoresEveryEventAcknowledgedBeforeIt() async throws {
        try await withTemporaryDirectory { directory in
            let live = directory.appendingPathComponent("live.sqlite").path
            let backup = directory.appendingPathComponent("backup.sqlite").path
            let fresh = directory.appendingPathComponent("restored.sqlite").path
            let key = directory.appendingPathComponent("key.hex").path
            #expect(try run(["keygen", "--out", key]).status == 0)
            let log = try SQLiteEventLog(path: live)
            let batches = GeneratedLog.batches(seed: 19, sources: 600, claimsPerSource: 6, batchSize: 10)
            for batch in batches.prefix(10) { _ = try await log.append(batch) }
            let acknowledged = Mutex<Int64>(try await log.head()!.position)
            // The writer appends until the backup has finished (or its batches run out).
            let backupDone = Mutex(false)
            let writer = Task {
                for batch in batches.dropFirst(10) where !backupDone.withLock({ $0 }) {
                    let result = try await log.append(batch)
                    acknowledged.withLock { $0 = result.head.position }
                }
            }
            // The backup starts once the writer is under way, and runs beside it: the test waits for
            // the process without holding a thread the writer needs.
            let initial = acknowledged.withLock { $0 }
            while acknowledged.withLock({ $0 }) == initial { try await Task.sleep(for: .milliseconds(2)) }
            let before = acknowledged.withLock { $0 }
            let taken = try await runWithoutBlocking(["backup", "--db", live, "--to", backup, "--sign-with", key])
            backupDone.withLock { $0 = true }
            try await writer.value
            #expect(taken.status == 0, "\(taken.stderr)")
            #expect(taken.stdout.contains("events verified"), "\(taken.stdout)")
            let backupHead = try #require(try await SQLiteEventLog(path: backup, create: false).head())
            #expect(backupHead.position >= before, "every event acknowledged before the backup began is in it")
            // An event appended after the backup finished is in the live log only: the copy is the
            // snapshot it took, not a file that goes on changing.
            _ = try await log.append([EventFixtures.sourceRegistered(id: "after-the-backup")])
            let liveHead = try #require(try await log.head())
            #expect(liveHead.position > backupHead.position)
            #expect(try await SQLiteEventLog(path: backup, create: false).head() == backupHead)

            let restored = try run(["restore", "--from", backup, "--db", fresh, "--against", backup + ".head.json"])
            #expect(restored.status == 0, "\(restored.stderr)")
            #expect(restored.stdout.contains("extends the signed head at position \(backupHead.position)"))
            #expect(try run(["verify", "--db", fresh]).status == 0)
            let restoredLog = try SQLiteEventLog(path: fresh, create: false)
            #expect(try await restoredLog.head()?.hash == backupHead.hash)
            let original = try await log.read(from: 1, limit: Int(backupHead.position))
            let copied = try await restoredLog.read(from: 1, limit: Int(backupHead.position) + 1)
            #expect(copied.map(\.hash) == original.map(\.hash), "the restored log holds exactly the live log's first events")
        }
    }

    @Test func restoreRefusesABackupThatFailsVerifyOrContradictsASignedHeadAndBackupNeverOverwrites() async throws {
        try await withIngestedSeeds { db in
            let directory = URL(fileURLWithPath: db).deletingLastPathComponent()
            let backup = directory.appendingPathComponent("backup.sqlite").path
            #expect(try run(["backup", "--db", db, "--to", backup]).status == 0)
            // Never over another file.
            let again = try run(["backup", "--db", db, "--to", backup])
            #expect(again.status == 1)
            #expect(again.stderr.contains("already exists"), "\(again.stderr)")
            // Never into a log that holds events.
            let occupied = try run(["restore", "--from", backup, "--db", db])
            #expect(occupied.status == 1)
            #expect(occupied.stderr.contains("already holds 100 event(s)"), "\(occupied.stderr)")
            // A head signed on another log of the same length: the backup contradicts it.
            let key = directory.appendingPathComponent("key.hex").path
            let other = directory.appendingPathComponent("other.sqlite").path
            let otherHead = directory.appendingPathComponent("other-head.json").path
            #expect(try run(["keygen", "--out", key]).status == 0)
            #expect(try run(["ingest", packageRoot.appendingPathComponent("seeds").path, "--db", other, "--by", "someone else"]).status == 0)
            #expect(try run(["head", "--db", other, "--sign-with", key, "--out", otherHead]).status == 0)
            let contradicted = try run(["restore", "--from", backup, "--db", directory.appendingPathComponent("r1.sqlite").path, "--against", otherHead])
            #expect(contradicted.status == 1)
            #expect(contradicted.stderr.contains("contradicts the signed head"), "\(contradicted.stderr)")
            // A backup edited after it was taken does not verify, and nothing is restored.
            let tamper = try runCommand(
                URL(fileURLWithPath: "/usr/bin/env"),
                [
                    "python3", "-c",
                    "import sqlite3,sys; d=sqlite3.connect(sys.argv[1]); d.executescript(\"DROP TRIGGER events_refuse_update; UPDATE events SET recorded_by='x' WHERE position=7\"); d.commit()",
                    backup,
                ])
            #expect(tamper.status == 0)
            let target = directory.appendingPathComponent("r2.sqlite").path
            let refused = try run(["restore", "--from", backup, "--db", target])
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("does not verify"), "\(refused.stderr)")
            #expect(!FileManager.default.fileExists(atPath: target), "nothing is restored from a backup that does not verify")
        }
    }
}
