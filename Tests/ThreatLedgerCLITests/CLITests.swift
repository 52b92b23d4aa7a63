import Foundation
import Testing
import ThreatLedgerTesting

/// End-to-end: the built `threatledger` binary, its output and its exit status.
@Suite struct CLITests {
    let example = packageRoot.appendingPathComponent("seeds/examples/append-example.jsonl").path

    func threatledger(_ arguments: [String], stdin: Data? = nil, environment: [String: String]? = nil) throws -> CommandResult {
        try runCommand(threatledgerExecutable, arguments, stdin: stdin, environment: environment)
    }

    @Test func appendingTheExampleThenVerifyingSucceedsAndReRunningAppendsNothing() async throws {
        try await withTemporaryDirectory { directory in
            let db = directory.appendingPathComponent("log.sqlite").path
            let first = try threatledger(["append", example, "--db", db])
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stdout.contains("appended 2 event(s)"))
            let again = try threatledger(["append", example, "--db", db, "--format", "json"])
            #expect(again.status == 0)
            #expect(again.stdout.contains(#""already_present":2,"appended":0"#))
            let verify = try threatledger(["verify", "--db", db])
            #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
            #expect(verify.stdout.contains("OK: 2 event(s) and 1 article(s) verified"))
            let log = try threatledger(["log", "--db", db, "--format", "jsonl"])
            let lines = log.stdout.split(separator: "\n")
            #expect(lines.count == 2)
            #expect(lines.allSatisfy { $0.contains(#""previous_hash":"#) && $0.contains(#""hash":"#) })
        }
    }

    @Test func aMalformedEventReportsItsLineAndFieldAndAppendsNothing() async throws {
        try await withTemporaryDirectory { directory in
            let db = directory.appendingPathComponent("log.sqlite").path
            let lines = try String(contentsOfFile: example, encoding: .utf8).split(separator: "\n").map(String.init)
            let broken = lines[1].replacingOccurrences(of: #""attack""#, with: #""bombing""#)
            let file = directory.appendingPathComponent("bad.jsonl")
            try (lines[0] + "\n" + broken + "\n").write(to: file, atomically: true, encoding: .utf8)

            let result = try threatledger(["append", file.path, "--db", db])
            #expect(result.status == 1)
            #expect(result.stderr.contains("\(file.path):2: event 2"))
            #expect(result.stderr.contains("payload.kind: must be one of"))
            #expect(result.stderr.contains("nothing was appended"))
            let stats = try threatledger(["stats", "--db", db, "--format", "json"])
            #expect(stats.stdout.contains(#""events":0"#))
        }
    }

    @Test func invalidJSONOnALineIsNamedWithItsLineNumber() async throws {
        try await withTemporaryDirectory { directory in
            let db = directory.appendingPathComponent("log.sqlite").path
            let result = try threatledger(["append", "-", "--db", db], stdin: Data("\n\n{\"stream\": \n".utf8))
            #expect(result.status == 1)
            #expect(result.stderr.hasPrefix("error: -:3: not valid JSON: the JSON ends too early"))
        }
    }

    @Test func verifyExitsNonZeroAndNamesTheFirstBadPosition() async throws {
        try await withTemporaryDirectory { directory in
            let db = directory.appendingPathComponent("log.sqlite").path
            #expect(try threatledger(["append", example, "--db", db]).status == 0)
            let tamper = try runCommand(
                URL(fileURLWithPath: "/usr/bin/env"),
                [
                    "python3", "-c",
                    """
                    import sqlite3, sys
                    db = sqlite3.connect(sys.argv[1])
                    db.executescript("DROP TRIGGER events_refuse_update; UPDATE events SET recorded_by = 'mallory' WHERE position = 2;")
                    db.commit()
                    """,
                    db,
                ])
            #expect(tamper.status == 0, "\(tamper.stderr)")
            let verify = try threatledger(["verify", "--db", db])
            #expect(verify.status == 1)
            #expect(verify.stderr.contains("verification failed at position 2"))
            let json = try threatledger(["verify", "--db", db, "--format", "json"])
            #expect(json.status == 1)
            #expect(json.stdout.contains(#""ok":false"#))
        }
    }

    @Test func theDatabaseComesFromTheEnvironmentWhenNoOptionIsGiven() async throws {
        try await withTemporaryDirectory { directory in
            let db = directory.appendingPathComponent("env.sqlite").path
            var environment = ProcessInfo.processInfo.environment
            environment["THREATLEDGER_DB"] = db
            #expect(try threatledger(["append", example], environment: environment).status == 0)
            #expect(FileManager.default.fileExists(atPath: db))
            let stats = try threatledger(["stats", "--format", "json"], environment: environment)
            #expect(stats.stdout.contains(#""events":2"#))
        }
    }

    @Test(arguments: [[], ["append"], ["log"], ["verify"], ["stats"], ["timeline"], ["propose"], ["selector"], ["diff"], ["source", "show"]])
    func everyCommandHasHelp(arguments: [String]) throws {
        let result = try threatledger(arguments + ["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE: threatledger"))
    }

    @Test func aMissingFileIsAClearErrorWithNonZeroExit() throws {
        let result = try threatledger(["append", "/nonexistent/events.jsonl", "--db", "/tmp/never-created.sqlite"])
        #expect(result.status == 1)
        #expect(result.stderr == "error: /nonexistent/events.jsonl: cannot read the file\n")
    }
}
