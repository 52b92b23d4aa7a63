import Foundation
import Testing
import ThreatLedgerTesting

/// The command refuses a corrupt corpus as the compiler does, and leaves nothing behind.
@Suite struct CorruptCorpusCommandTests {
    @Test func aCorruptCorpusAppendsNothingThroughTheCommand() async throws {
        try await withTemporaryDirectory { directory in
            let copy = directory.appendingPathComponent("seeds")
            try FileManager.default.copyItem(at: packageRoot.appendingPathComponent("seeds"), to: copy)
            let file = copy.appendingPathComponent("claims/a896289027671bb9.jsonl")
            let text = try String(contentsOf: file, encoding: .utf8)
            try text.replacingOccurrences(of: "\"low\":16,", with: "\"low\":61,").write(to: file, atomically: true, encoding: .utf8)
            let db = directory.appendingPathComponent("log.sqlite").path
            let result = try runCommand(threatledgerExecutable, ["ingest", copy.path, "--db", db])
            #expect(result.status == 1)
            #expect(result.stderr.contains("claims/a896289027671bb9.jsonl:8: figures[1]: claim a896289027671bb9-08 codes at_least (low 61"))
            #expect(result.stderr.contains("nothing was appended"))
            // Nothing was appended, nor even created: a read-only command finds no log there.
            let stats = try runCommand(threatledgerExecutable, ["stats", "--db", db, "--format", "json"])
            #expect(stats.status == 1 && stats.stderr.contains("holds no ThreatLedger log"), "\(stats.stderr)")
            #expect(!FileManager.default.fileExists(atPath: db))
        }
    }

}
