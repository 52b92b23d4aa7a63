import Foundation
import Testing
import ThreatLedgerCore
import ThreatLedgerTesting

/// The smaller holes of issue 14, with the real binary: kept heads are not overwritten, a signing
/// key others can read is refused, new logs, keys and tokens files are the owner's alone, a token
/// needs a name, and `serve` refuses a place with no log.
@Suite struct SmallHolesTests {
    func run(_ arguments: [String], environment: [String: String]? = nil) throws -> CommandResult {
        try runCommand(threatledgerExecutable, arguments, environment: environment)
    }

    func mode(_ path: String) throws -> Int {
        try #require((FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue) & 0o777
    }

    @Test func headOutRefusesToOverwriteAKeptHeadUnlessForced() async throws {
        try await withIngestedSeeds { db in
            let kept = db + ".head.json"
            #expect(try run(["head", "--db", db, "--out", kept]).status == 0)
            let original = try String(contentsOfFile: kept, encoding: .utf8)
            try "tampered".write(toFile: kept + ".other", atomically: true, encoding: .utf8)
            let again = try run(["head", "--db", db, "--out", kept])
            #expect(again.status == 1 && again.stderr.contains("is not overwritten (give --force"), "\(again.stderr)")
            #expect(try String(contentsOfFile: kept, encoding: .utf8) == original)
            #expect(try run(["head", "--db", db, "--out", kept, "--force"]).status == 0)
        }
    }

    @Test func aSigningKeyReadableByOthersIsRefused() async throws {
        try await withIngestedSeeds { db in
            let key = db + ".key"
            #expect(try run(["keygen", "--out", key]).status == 0)
            #expect(try mode(key) == 0o600)
            #expect(try run(["head", "--db", db, "--sign-with", key]).status == 0)
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: key)
            let refused = try run(["head", "--db", db, "--sign-with", key])
            #expect(refused.status == 1 && refused.stderr.contains("a signing key must be private"), "\(refused.stderr)")
        }
    }

    @Test func aNewLogAndItsWriteAheadLogAreTheOwnersAlone() async throws {
        try await withTemporaryDirectory { (directory: URL) async throws in
            let db = directory.appendingPathComponent("new.sqlite").path
            #expect(try run(["ingest", packageRoot.appendingPathComponent("seeds").path, "--db", db]).status == 0)
            #expect(try mode(db) == 0o600)
            if FileManager.default.fileExists(atPath: db + "-wal") { #expect(try mode(db + "-wal") == 0o600) }
        }
    }

    @Test func aTokenNeedsANameAndItsTokensFileIsPrivate() async throws {
        try await withTemporaryDirectory { (directory: URL) async throws in
            let empty = try run(["token", "--name", "", "--role", "auditor"])
            #expect(empty.status != 0 && empty.stderr.contains("--name must name the holder"), "\(empty.stderr)")
            let bidi = try run(["token", "--name", "a\u{202E}b", "--role", "auditor"])
            #expect(bidi.status != 0 && bidi.stderr.contains("bidirectional"), "\(bidi.stderr)")
            let file = directory.appendingPathComponent("tokens.json").path
            #expect(try run(["token", "--name", "alice", "--role", "auditor", "--tokens", file]).status == 0)
            #expect(try run(["token", "--name", "bob", "--role", "analyst", "--tokens", file]).status == 0)
            #expect(try mode(file) == 0o600)
            let entries = try JSONParser().parse(Array(try Data(contentsOf: URL(fileURLWithPath: file)))).arrayValue
            #expect(entries?.map { $0["name"] } == ["alice", "bob"])
        }
    }

    @Test func serveRefusesAPlaceWithNoLog() async throws {
        try await withTemporaryDirectory { (directory: URL) async throws in
            var environment = ProcessInfo.processInfo.environment
            environment["THREATLEDGER_TOKENS"] = #"[{"name":"a","role":"auditor","sha256":"\#(SHA256Hash.of(text: "t").hex)"}]"#
            let typo = directory.appendingPathComponent("typo.sqlite").path
            let result = try run(["serve", "--db", typo, "--port", "0"], environment: environment)
            #expect(result.status == 1 && result.stderr.contains("holds no ThreatLedger log"), "\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: typo))
        }
    }
}
