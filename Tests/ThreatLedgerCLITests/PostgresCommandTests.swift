import Foundation
import Testing
import ThreatLedgerCore
import ThreatLedgerTesting

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

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

    /// Issue 19's edits and reads on PostgreSQL through the real binary: a claim unlinked, a source
    /// corrected and one retracted; the claims listing pages; an evidence bundle checks offline.
    @Test func correctionsPagingAndEvidenceWorkOnPostgreSQL() async throws {
        let db = url(TestBackend.freshSchema())
        func run(_ arguments: [String]) throws -> CommandResult { try runCommand(threatledgerExecutable, arguments + ["--db", db]) }
        #expect(try run(["ingest", packageRoot.appendingPathComponent("seeds").path]).status == 0)
        for edit in [
            ["unlink", "hasakah-prison-assault-2022", "--claim", "1aee4b5224ae9675-05"],
            ["source", "correct", "5a9ba17097eb5f86", "--published", "2021-03-01/month", "--basis", "inferred", "--note", "n"],
            ["source", "retract", "a896289027671bb9"],
        ] {
            let result = try run(edit + ["--reason", "test", "--by", "tester"])
            #expect(result.status == 0, "\(edit): \(result.stderr)")
        }
        let again = try run(["source", "retract", "a896289027671bb9", "--reason", "again", "--by", "tester"])
        #expect(again.status == 1 && again.stderr.contains("is retracted"))
        let summary = try run(["summary", "--region", "SY", "--format", "json"])
        #expect(try JSONParser().parse(summary.stdout)["regions"]?.arrayValue?.first { $0["region"] == "SY" }?["figures"]?["killed"]?["low"] == 175)
        var listed: [String] = []
        var after: String?
        repeat {
            let page = try run(["claims", "--format", "jsonl", "--limit", "20"] + (after.map { ["--after", $0] } ?? []))
            listed += page.stdout.split(separator: "\n").compactMap { try? JSONParser().parse(String($0))["claim_id"]?.stringValue }
            after = page.stderr.split(separator: "\n").first { $0.hasPrefix("next page: --after ") }.map { String($0.dropFirst(19)) }
        } while after != nil
        #expect(listed.count == 65 && listed == listed.sorted() && Set(listed).count == 65)
        #expect(try run(["verify"]).status == 0)
        #expect(try run(["verify", "--projections"]).status == 0)
        try await withTemporaryDirectory { directory in
            let key = directory.appendingPathComponent("key.hex").path
            #expect(try runCommand(threatledgerExecutable, ["keygen", "--out", key]).status == 0)
            let bundle = directory.appendingPathComponent("bundle").path
            let made = try run(["evidence", "--region", "SY-HA", "--measure", "escaped", "--sign-with", key, "--out", bundle])
            #expect(made.status == 0, "\(made.stderr)")
            let checked = try runCommand(
                URL(fileURLWithPath: "/usr/bin/env"), ["python3", packageRoot.appendingPathComponent("scripts/verify-evidence.py").path, bundle])
            #expect(checked.status == 0, "\(checked.stdout)")
        }
    }

    /// A PostgreSQL log backs up as a verified SQLite log file, which restores into an empty schema
    /// with the same head, and never into one that holds events.
    @Test func aPostgreSQLLogBacksUpAsASQLiteLogThatRestoresIntoAnEmptySchema() async throws {
        let db = url(TestBackend.freshSchema())
        #expect(try runCommand(threatledgerExecutable, ["ingest", packageRoot.appendingPathComponent("seeds").path, "--db", db]).status == 0)
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("backup.sqlite").path
            let backup = try runCommand(threatledgerExecutable, ["backup", "--db", db, "--to", file])
            #expect(backup.status == 0, "\(backup.stderr)")
            #expect(backup.stdout.contains("position 100") && backup.stdout.contains("exported from PostgreSQL"), "\(backup.stdout)")
            let restored = url(TestBackend.freshSchema())
            let restore = try runCommand(threatledgerExecutable, ["restore", "--from", file, "--db", restored])
            #expect(restore.status == 0, "\(restore.stderr)")
            let heads = try [db, restored, file].map { try runCommand(threatledgerExecutable, ["head", "--db", $0]).stdout }
            #expect(heads[0] == heads[1] && heads[1] == heads[2] && heads[0].contains("\"position\":100"), "\(heads)")
            let occupied = try runCommand(threatledgerExecutable, ["restore", "--from", file, "--db", db])
            #expect(occupied.status == 1 && occupied.stderr.contains("already holds 100 event(s)"), "\(occupied.stderr)")
        }
    }

    /// `import` on PostgreSQL: every row or none (the default of appendAllOrNothing gathers the
    /// batches and appends them as one), and importing again appends nothing.
    @Test func importOfADatasetFileWorksOnPostgreSQLAllOrNothing() async throws {
        let db = url(TestBackend.freshSchema())
        let fixtures = packageRoot.appendingPathComponent("Tests/DatasetFixtures")
        let bad = try runCommand(threatledgerExecutable, ["import", "acled", fixtures.appendingPathComponent("acled-bad-admin1.csv").path, "--db", db])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("line 3, column admin1"), "\(bad.stderr)")
        let file = fixtures.appendingPathComponent("ucdp-ged-sample.csv").path
        let first = try runCommand(threatledgerExecutable, ["import", "ucdp", file, "--db", db, "--format", "json"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try JSONParser().parse(first.stdout)["appended_events"] == 6)
        let again = try runCommand(threatledgerExecutable, ["import", "ucdp", file, "--db", db, "--format", "json"])
        #expect(try JSONParser().parse(again.stdout)["appended_events"] == 0)
        let claims = try runCommand(threatledgerExecutable, ["claims", "--db", db, "--format", "ucdp"])
        #expect(claims.stdout.contains("400001,2022,1,Government of Syria,IS,"), "\(claims.stdout)")
        #expect(try runCommand(threatledgerExecutable, ["verify", "--db", db]).status == 0)
    }

    @Test func twoSchedulersOnOneDatabaseNeverRebuildAtTheSameTime() async throws {
        let db = url(TestBackend.freshSchema())
        #expect(try runCommand(threatledgerExecutable, ["ingest", packageRoot.appendingPathComponent("seeds").path, "--db", db]).status == 0)
        var processes: [Process] = []
        for _ in 0..<2 {
            processes.append(try startThreatledger(["schedule", "--every", "1s", "--run-now", "--projection", "region-summary", "--db", db]))
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
                let end = record["finished_at"]?.stringValue.flatMap(RecordTime.init(iso8601:))
            else { return nil }
            return (start, end)
        }.sorted { $0.0 < $1.0 }
        for (a, b) in zip(spans, spans.dropFirst()) {
            #expect(a.1 <= b.0, "two rebuilds overlapped: \(a) and \(b)")
        }
    }
}

/// Two `threatledger serve` processes on one PostgreSQL database.
@Suite(.enabled(if: TestBackend.available.contains(.postgres), "no PostgreSQL server configured"))
struct TwoServersTests {
    func start(_ db: String, tokens: String) throws -> (Process, Int) {
        var environment = ProcessInfo.processInfo.environment
        environment["THREATLEDGER_TOKENS"] = tokens
        let errors = Pipe()
        let process = try startThreatledger(["serve", "--db", db, "--port", "0", "--rebuild-every", "1s"], standardError: errors, environment: environment)
        var seen = ""
        while true {
            let chunk = errors.fileHandleForReading.availableData
            if chunk.isEmpty { throw CancellationError() }
            seen += String(decoding: chunk, as: UTF8.self)
            if let range = seen.range(of: "listening on http://127.0.0.1:"), let port = Int(seen[range.upperBound...].prefix { $0.isNumber }) {
                errors.fileHandleForReading.readabilityHandler = { _ = $0.availableData }
                return (process, port)
            }
        }
    }

    func get(_ port: Int, _ path: String, token: String, method: String = "GET", body: String? = nil) async throws -> (Int, JSONValue) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        if let body { request.httpBody = Data(body.utf8) }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as! HTTPURLResponse).statusCode, (try? JSONParser().parse(Array(data))) ?? .null)
    }

    @Test func twoServersGiveConsistentReadsAndTheirScheduledRebuildsNeverOverlap() async throws {
        let location = TestBackend.postgresLocation(schema: TestBackend.freshSchema())!
        let db = "postgres://\(location.user)@\(location.host):\(location.port)/\(location.database)?schema=\(location.schema)"
        #expect(try runCommand(threatledgerExecutable, ["ingest", packageRoot.appendingPathComponent("seeds").path, "--db", db]).status == 0)
        let made = try runCommand(threatledgerExecutable, ["token", "--name", "analyst", "--role", "analyst"])
        let token = String(made.stdout.split(separator: "\n").first { $0.hasPrefix("token: ") }!.dropFirst(7))
        let entry = String(made.stdout.split(separator: "\n").first { $0.hasPrefix("entry: ") }!.dropFirst(7))
        let (a, portA) = try start(db, tokens: "[\(entry)]")
        let (b, portB) = try start(db, tokens: "[\(entry)]")
        defer {
            for p in [a, b] where p.isRunning {
                kill(p.processIdentifier, SIGTERM)
                p.waitUntilExit()
            }
        }

        let retract = try await get(
            portA, "/v1/claims/a896289027671bb9-09/retractions", token: token, method: "POST", body: #"{"payload":{"reason":"duplicate"}}"#)
        #expect(retract.0 == 201)
        // Read-your-writes on both servers: B sees A's append when its poll finds it.
        let fromA = try await get(portA, "/v1/summary?region=SY/Homs&at_least=101", token: token)
        let fromB = try await get(portB, "/v1/summary?region=SY/Homs&at_least=101", token: token)
        #expect(fromA.1["regions"] == fromB.1["regions"], "two servers disagree")
        #expect(fromB.1["regions"]?.arrayValue?.first?["figures"]?["killed"]?["low"] == 16)
        #expect(fromB.1["as_of"]?["log_position"] == 101)

        try await Task.sleep(for: .seconds(4))
        for p in [a, b] {
            kill(p.processIdentifier, SIGTERM)
            p.waitUntilExit()
            #expect(p.terminationStatus == 0)
        }
        let records = try JSONParser().parse(try runCommand(threatledgerExecutable, ["rebuilds", "--db", db, "--format", "json"]).stdout).arrayValue ?? []
        let scheduled = records.filter { $0["holder"]?.stringValue?.hasPrefix("threatledger serve") == true }
        #expect(scheduled.count >= 2)
        for projection in ["region-summary", "source-provenance"] {
            let spans = scheduled.filter { $0["projection"]?.stringValue == projection }.compactMap { r -> (RecordTime, RecordTime)? in
                guard let s = r["started_at"]?.stringValue.flatMap(RecordTime.init(iso8601:)),
                    let e = r["finished_at"]?.stringValue.flatMap(RecordTime.init(iso8601:))
                else { return nil }
                return (s, e)
            }.sorted { $0.0 < $1.0 }
            for (x, y) in zip(spans, spans.dropFirst()) { #expect(x.1 <= y.0, "\(projection): scheduled rebuilds overlapped") }
        }
    }
}
