import Foundation
import Testing
import ThreatLedgerCore
import ThreatLedgerTesting

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Scheduled verification as operators run it, with the real binary: each passing run signs the
/// head into a trail that `verify --against` checks whole; a tampered log fails the next run with a
/// line an operator's tooling can match, turns `/ready` unready and counts in `/metrics`.
@Suite struct ScheduledVerificationTests {
    /// One transaction, so a scheduled verification sees the log before or after, never between
    /// the dropped trigger and the edited row (it ran between them once in CI and named the trigger).
    static let tamper =
        "import sqlite3,sys; d=sqlite3.connect(sys.argv[1]); d.executescript(\"BEGIN; DROP TRIGGER events_refuse_update; UPDATE events SET recorded_by='x' WHERE position=7; COMMIT\")"

    func run(_ arguments: [String]) throws -> CommandResult { try runCommand(threatledgerExecutable, arguments) }

    func waitFor(_ condition: () -> Bool) async throws {
        for _ in 0..<600 where !condition() { try await Task.sleep(for: .milliseconds(50)) }
    }

    @Test func scheduleSignsATrailThatVerifyChecksWholeAndReportsATamperedLog() async throws {
        try await withTemporaryDirectory { directory in
            let db = directory.appendingPathComponent("log.sqlite").path
            let key = directory.appendingPathComponent("key.hex").path
            let trail = directory.appendingPathComponent("heads.jsonl").path
            #expect(try run(["ingest", packageRoot.appendingPathComponent("seeds").path, "--db", db]).status == 0)
            #expect(try run(["summary", "--db", db]).status == 0, "the read index is built")
            #expect(try run(["keygen", "--out", key]).status == 0)
            let process = Process()
            process.executableURL = threatledgerExecutable
            process.arguments = ["schedule", "--db", db, "--verify", "--every", "1s", "--run-now", "--heads", trail, "--sign-with", key]
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            let log = LogBuffer()
            errors.fileHandleForReading.readabilityHandler = { log.append($0.availableData) }
            try process.run()
            defer { if process.isRunning { process.terminate() } }
            try await waitFor { log.text.components(separatedBy: "passed: 100 event(s), chain, content, guards and projections").count > 3 }
            let lines = try String(contentsOfFile: trail, encoding: .utf8).split(separator: "\n")
            #expect(lines.count >= 3, "\(log.text)")
            let checked = try run(["verify", "--db", db, "--against", trail])
            // The schedule goes on appending meanwhile: the trail checked holds at least those lines.
            let counted = checked.stdout.components(separatedBy: "extends every one of the ").dropFirst().first.flatMap { Int($0.prefix { $0.isNumber }) }
            #expect(checked.status == 0 && (counted ?? 0) >= lines.count, "\(checked.stdout)\(checked.stderr)")

            // A tampered log fails the next run, named.
            let tampered = try runCommand(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", Self.tamper, db])
            #expect(tampered.status == 0)
            // A run under way while the log is edited may first meet the dropped trigger; the next
            // run names the edited event.
            try await waitFor { log.text.contains("schedule: error: verification failed") && log.text.contains("position 7") }
            #expect(log.text.contains("schedule: error: verification failed") && log.text.contains("position 7"), "\(log.text)")
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)

            // A head dropped from the middle of the trail breaks its links.
            var kept = try String(contentsOfFile: trail, encoding: .utf8).split(separator: "\n").map(String.init)
            kept.remove(at: 1)
            try (kept.joined(separator: "\n") + "\n").write(toFile: trail, atomically: true, encoding: .utf8)
            let other = directory.appendingPathComponent("fresh.sqlite").path
            #expect(try run(["ingest", packageRoot.appendingPathComponent("seeds").path, "--db", other]).status == 0)
            let dropped = try run(["verify", "--db", other, "--against", trail])
            #expect(dropped.status == 1 && dropped.stderr.contains("line 2: its previous_head is not the SHA-256 of line 1"), "\(dropped.stderr)")
        }
    }

    @Test func serveVerifyEveryTurnsReadyOffAndCountsAFailureInMetrics() async throws {
        try await withTemporaryDirectory { directory in
            let db = directory.appendingPathComponent("log.sqlite").path
            #expect(try run(["ingest", packageRoot.appendingPathComponent("seeds").path, "--db", db]).status == 0)
            let made = try run(["token", "--name", "ops", "--role", "operator"])
            let token = String(try #require(made.stdout.split(separator: "\n").first { $0.hasPrefix("token: ") }).dropFirst(7))
            let entry = String(try #require(made.stdout.split(separator: "\n").first { $0.hasPrefix("entry: ") }).dropFirst(7))
            var environment = ProcessInfo.processInfo.environment
            environment["THREATLEDGER_TOKENS"] = "[\(entry)]"
            let (server, port, _) = try ServeCommandTests.startServer(
                ["serve", "--db", db, "--port", "0", "--verify-every", "1s", "--skip-verify"], environment: environment)
            defer { if server.isRunning { server.terminate() } }
            func get(_ path: String) async throws -> (Int, String) {
                var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
                request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
                let (data, response) = try await URLSession.shared.data(for: request)
                return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
            }
            var metrics = ""
            for _ in 0..<600 {
                metrics = try await get("/metrics").1
                if metrics.contains("threatledger_verify_last_success_timestamp_seconds "),
                    !metrics.contains("threatledger_verify_last_success_timestamp_seconds 0.0")
                {
                    break
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(metrics.contains("threatledger_verify_failures_total 0"), "\(metrics)")
            var first = (0, "")
            for _ in 0..<600 {
                first = try await get("/ready")
                if first.0 == 200 { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(first.0 == 200, "ready once the projections caught up and the verification passed: \(first)")

            let tampered = try runCommand(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", Self.tamper, db])
            #expect(tampered.status == 0)
            var ready = (0, "")
            for _ in 0..<600 {
                ready = try await get("/ready")
                if ready.0 == 503 { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(ready.0 == 503 && ready.1.contains("the last scheduled verification failed") && ready.1.contains("position 7"), "\(ready)")
            let after = try await get("/metrics").1
            #expect(!after.contains("threatledger_verify_failures_total 0\n"), "\(after)")
            kill(server.processIdentifier, SIGTERM)
            server.waitUntilExit()
        }
    }
}
