import Foundation
import Testing
import ThreatLedgerCore
import ThreatLedgerTesting

/// The command line on PostgreSQL, when a server is configured.
@Suite(.enabled(if: TestBackend.available.contains(.postgres), "no PostgreSQL server configured"))
struct PostgresCommandTests {
    func url(_ schema: String) -> String {
        let l = TestBackend.postgresLocation(schema: schema)!
        return "postgres://\(l.user)@\(l.host):\(l.port)/\(l.database)?schema=\(schema)"
    }

    @Test func ingestSummaryTraceAndCopyWorkOnPostgreSQL() async throws {
        let db = url(TestBackend.freshSchema())
        let seeds = packageRoot.appendingPathComponent("seeds").path
        #expect(try runCommand(threatledgerExecutable, ["ingest", seeds, "--db", db]).status == 0)
        let again = try runCommand(threatledgerExecutable, ["ingest", seeds, "--db", db, "--format", "json"])
        #expect(again.stdout.contains(#""already_present":100,"appended":0"#))
        let summary = try runCommand(threatledgerExecutable, ["summary", "--db", db, "--region", "SY/Hasakah", "--format", "json"])
        #expect(try JSONParser().parse(summary.stdout)["regions"]?.arrayValue?.first?["figures"]?["killed"]?["low"] == 175)
        let trace = try runCommand(threatledgerExecutable, ["trace", "--db", db, "--region", "SY", "--measure", "killed", "--format", "json"])
        #expect(try JSONParser().parse(trace.stdout)["holds"] == true)
        let verify = try runCommand(threatledgerExecutable, ["verify", "--db", db])
        #expect(verify.status == 0)
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("copy.sqlite").path
            let copy = try runCommand(threatledgerExecutable, ["copy", "--from", db, "--to", file])
            #expect(copy.status == 0, "\(copy.stderr)")
            let head = verify.stdout.split(separator: "\n").last.map(String.init) ?? "?"
            #expect(try runCommand(threatledgerExecutable, ["verify", "--db", file]).stdout.contains(head))
        }
    }

    @Test func twoSchedulersOnOneDatabaseNeverRebuildAtTheSameTime() async throws {
        let db = url(TestBackend.freshSchema())
        #expect(try runCommand(threatledgerExecutable, ["ingest", packageRoot.appendingPathComponent("seeds").path, "--db", db]).status == 0)
        var processes: [Process] = []
        for _ in 0..<2 {
            let process = Process()
            process.executableURL = threatledgerExecutable
            process.arguments = ["schedule", "--every", "1s", "--run-now", "--projection", "region-summary", "--db", db]
            process.standardError = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            processes.append(process)
        }
        try await Task.sleep(for: .seconds(5))
        for process in processes {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
        }
        let records = try JSONParser().parse(try runCommand(threatledgerExecutable, ["rebuilds", "--db", db, "--format", "json"]).stdout).arrayValue ?? []
        #expect(records.count >= 3)
        let spans = records.compactMap { record -> (RecordTime, RecordTime)? in
            guard let start = record["started_at"]?.stringValue.flatMap(RecordTime.init(iso8601:)),
                let end = record["finished_at"]?.stringValue.flatMap(RecordTime.init(iso8601:)) else { return nil }
            return (start, end)
        }.sorted { $0.0 < $1.0 }
        for (a, b) in zip(spans, spans.dropFirst()) {
            #expect(a.1 <= b.0, "two rebuilds overlapped: \(a) and \(b)")
        }
    }
}
