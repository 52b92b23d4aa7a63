import Foundation
import Testing
import ThreatLedgerCore
import ThreatLedgerTesting

/// `threatledger schedule` and the shipped systemd and cron units, as far as this machine allows.
@Suite struct ScheduleTests {
    func ingestedLog(_ directory: URL) throws -> String {
        let db = directory.appendingPathComponent("log.sqlite").path
        let result = try runCommand(threatledgerExecutable, ["ingest", packageRoot.appendingPathComponent("seeds").path, "--db", db])
        try #require(result.status == 0, "\(result.stderr)")
        return db
    }

    func rebuildCount(_ db: String) throws -> Int {
        let result = try runCommand(threatledgerExecutable, ["rebuilds", "--db", db, "--format", "json"])
        return try JSONParser().parse(result.stdout).arrayValue?.count ?? -1
    }

    @Test func scheduleSurvivesAFailingRunAndStopsCleanlyOnSIGTERM() async throws {
        try await withTemporaryDirectory { directory in
            let db = try ingestedLog(directory)
            // Hold the rebuild lock in the name of a live process (pid 1 always is) so that the first runs fail.
            var host = [CChar](repeating: 0, count: 256)
            gethostname(&host, 255)
            let sql =
                "CREATE TABLE IF NOT EXISTS projection_locks (projection TEXT PRIMARY KEY, holder TEXT NOT NULL, pid INTEGER NOT NULL, host TEXT NOT NULL, since INTEGER NOT NULL, renewed_at INTEGER) STRICT; INSERT INTO projection_locks (projection, holder, pid, host, since, renewed_at) VALUES ('region-summary', 'other', 1, '\(String(cString: host))', 0, \(Int64(Date().timeIntervalSince1970 * 1_000_000) + 3_600_000_000))"
            let locked = try runCommand(
                URL(fileURLWithPath: "/usr/bin/env"),
                ["python3", "-c", "import sqlite3,sys; db=sqlite3.connect(sys.argv[1]); db.executescript(sys.argv[2]); db.commit()", db, sql])
            try #require(locked.status == 0, "\(locked.stderr)")

            let schedule = Process()
            schedule.executableURL = threatledgerExecutable
            schedule.arguments = ["schedule", "--every", "1s", "--run-now", "--projection", "region-summary", "--db", db]
            let output = directory.appendingPathComponent("schedule.log")
            FileManager.default.createFile(atPath: output.path, contents: nil)
            let handle = try FileHandle(forWritingTo: output)
            schedule.standardError = handle
            schedule.standardOutput = handle
            try schedule.run()
            try await Task.sleep(for: .milliseconds(1_800))
            let released = try runCommand(
                URL(fileURLWithPath: "/usr/bin/env"),
                ["python3", "-c", "import sqlite3,sys; db=sqlite3.connect(sys.argv[1]); db.execute('DELETE FROM projection_locks'); db.commit()", db])
            try #require(released.status == 0, "\(released.stderr)")
            // Wait for a successful run after the lock is released.
            var log = ""
            for _ in 0..<40 {
                try await Task.sleep(for: .milliseconds(250))
                log = try String(contentsOf: output, encoding: .utf8)
                if log.contains("rebuilt region-summary") { break }
            }
            kill(schedule.processIdentifier, SIGTERM)
            schedule.waitUntilExit()
            log = try String(contentsOf: output, encoding: .utf8)
            #expect(log.contains("region-summary failed: a rebuild of region-summary is already running"))
            #expect(log.contains("rebuilt region-summary v4: 100 event(s)"))
            #expect(log.contains("schedule: stopped by signal after"))
            #expect(schedule.terminationReason == .exit && schedule.terminationStatus == 0)
            #expect(try rebuildCount(db) >= 1)
        }
    }

    /// The command line a unit or crontab would run, with the installed paths replaced by the built binary
    /// and a temporary log.
    func runShipped(command: String, db: String) throws -> CommandResult {
        let words = command.split(separator: " ").map(String.init)
        let binary = try #require(words.firstIndex { $0.hasSuffix("/threatledger") })
        let arguments = Array(words[(binary + 1)...].prefix { $0 != ">>" })
        var environment = ProcessInfo.processInfo.environment
        environment["THREATLEDGER_DB"] = db
        return try runCommand(threatledgerExecutable, arguments, environment: environment)
    }

    @Test func theSystemdUnitsRunTheRebuildTheyName() async throws {
        try await withTemporaryDirectory { directory in
            let db = try ingestedLog(directory)
            let folder = packageRoot.appendingPathComponent("scripts/systemd")
            let service = try String(contentsOf: folder.appendingPathComponent("threatledger-rebuild.service"), encoding: .utf8)
            let exec = try #require(service.split(separator: "\n").first { $0.hasPrefix("ExecStart=") })
            #expect(service.contains("Type=oneshot"))
            let before = try rebuildCount(db)
            let result = try runShipped(command: String(exec.dropFirst("ExecStart=".count)), db: db)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try rebuildCount(db) == before + 3, "both projections and the read index")

            let timer = try String(contentsOf: folder.appendingPathComponent("threatledger-rebuild.timer"), encoding: .utf8)
            #expect(timer.contains("OnCalendar=*-*-* 00/6:00:00 UTC") && timer.contains("Persistent=true"))
            if FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze") {
                let calendar = try runCommand(URL(fileURLWithPath: "/usr/bin/systemd-analyze"), ["calendar", "*-*-* 00/6:00:00 UTC"])
                #expect(calendar.status == 0, "\(calendar.stderr)")
            }
            let scheduleUnit = try String(contentsOf: folder.appendingPathComponent("threatledger-schedule.service"), encoding: .utf8)
            let scheduleExec = try #require(scheduleUnit.split(separator: "\n").first { $0.hasPrefix("ExecStart=") })
            let help = try runCommand(threatledgerExecutable, Array(scheduleExec.split(separator: " ").dropFirst().map(String.init)) + ["--help"])
            #expect(help.status == 0 && scheduleUnit.contains("KillSignal=SIGTERM"))
            // The verification unit's command line parses as written (its key and trail live on the host).
            let verifyUnit = try String(contentsOf: folder.appendingPathComponent("threatledger-verify.service"), encoding: .utf8)
            let verifyExec = try #require(verifyUnit.split(separator: "\n").first { $0.hasPrefix("ExecStart=") })
            let verifyHelp = try runCommand(threatledgerExecutable, Array(verifyExec.split(separator: " ").dropFirst().map(String.init)) + ["--help"])
            #expect(verifyHelp.status == 0 && verifyUnit.contains("--verify") && verifyUnit.contains("--heads"), "\(verifyHelp.stderr)")
        }
    }

    @Test func theCrontabLineIsAValidScheduleThatRunsTheRebuild() async throws {
        try await withTemporaryDirectory { directory in
            let db = try ingestedLog(directory)
            let crontab = try String(contentsOf: packageRoot.appendingPathComponent("scripts/cron/threatledger-rebuild.crontab"), encoding: .utf8)
            let line = try #require(crontab.split(separator: "\n").first { !$0.hasPrefix("#") && !$0.contains("CRON_TZ") })
            let fields = line.split(separator: " ").map(String.init)
            let expression = try CronExpression(fields.prefix(5).joined(separator: " "))
            #expect(expression.next(after: RecordTime(iso8601: "2026-11-23T13:00:00Z")!).iso8601 == "2026-11-23T18:00:00.000000Z")
            let result = try runShipped(command: fields.dropFirst(5).joined(separator: " "), db: db)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try rebuildCount(db) == 3, "both projections and the read index")
        }
    }
}
