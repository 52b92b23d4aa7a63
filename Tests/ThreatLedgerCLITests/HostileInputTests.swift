import CSQLite
import Foundation
import Testing
import ThreatLedgerCore
import ThreatLedgerStore
import ThreatLedgerTesting

/// The hostile-input corpus (`Tests/HostileInputs/corpus.json`) against `append` and `ingest`: each
/// case gets a clean error exit naming the file, the line and the fault, and appends nothing.
@Suite struct HostileInputTests {
    func write(_ lines: [[UInt8]], to path: String, after existing: Data = Data()) throws {
        var data = existing
        if !data.isEmpty, data.last != UInt8(ascii: "\n") { data.append(UInt8(ascii: "\n")) }
        for line in lines {
            data.append(contentsOf: line)
            data.append(UInt8(ascii: "\n"))
        }
        try data.write(to: URL(fileURLWithPath: path))
    }

    @Test func theBaseClaimOfTheCorpusIsValidSoEachCaseFailsOnlyForItsOwnChange() async throws {
        try await withIngestedSeeds { db in
            let file = db + ".base.jsonl"
            try write([CanonicalJSON.bytes(HostileCorpus.envelope(HostileCorpus.baseClaim, id: EventID.derived(namespace: "hostile", name: "base")))], to: file)
            let result = try runCommand(threatledgerExecutable, ["append", file, "--db", db])
            #expect(result.status == 0, "\(result.stderr)")
        }
    }

    @Test(arguments: HostileCorpus.cases)
    func appendRefusesHostileInputNamingLineAndFaultAndAppendsNothing(_ hostile: HostileCase) async throws {
        try await withIngestedSeeds { db in
            let file = db + ".\(hostile.name).jsonl"
            let lines = HostileCorpus.appendLines(hostile)
            try write(lines, to: file)
            let before = try awaitHead(db)
            let result = try runCommand(threatledgerExecutable, ["append", file, "--db", db])
            #expect(result.status == 1, "\(hostile.name): exit \(result.status) (1 is a clean refusal; anything else is a crash)")
            #expect(result.stderr.contains("\(file):\(lines.count):"), "\(hostile.name): \(result.stderr.prefix(600))")
            #expect(result.stderr.contains(hostile.message), "\(hostile.name): \(result.stderr.prefix(600))")
            #expect(result.stderr.utf8.count < 4_096, "\(hostile.name): the error echoes the input (\(result.stderr.utf8.count) bytes)")
            #expect(try awaitHead(db) == before, "\(hostile.name): the log changed")
        }
    }

    @Test(arguments: HostileCorpus.cases)
    func ingestRefusesHostileInputNamingFileLineAndFaultAndAppendsNothing(_ hostile: HostileCase) async throws {
        try await withTemporaryDirectory { directory in
            let seeds = directory.appendingPathComponent("seeds")
            try FileManager.default.copyItem(at: packageRoot.appendingPathComponent("seeds"), to: seeds)
            let claims = seeds.appendingPathComponent("claims/\(HostileCorpus.claimsFile)")
            let existing = try Data(contentsOf: claims)
            let existingLines =
                existing.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).count - (existing.last == UInt8(ascii: "\n") ? 1 : 0)
            let lines = HostileCorpus.claimLines(hostile)
            try write(lines, to: claims.path, after: existing)
            let db = directory.appendingPathComponent("log.sqlite").path
            let result = try runCommand(threatledgerExecutable, ["ingest", seeds.path, "--db", db])
            #expect(result.status == 1, "\(hostile.name): exit \(result.status) (1 is a clean refusal; anything else is a crash)")
            #expect(
                result.stderr.contains("claims/\(HostileCorpus.claimsFile):\(existingLines + lines.count)"), "\(hostile.name): \(result.stderr.prefix(600))")
            #expect(result.stderr.contains(hostile.message), "\(hostile.name): \(result.stderr.prefix(600))")
            #expect(result.stderr.utf8.count < 4_096, "\(hostile.name): the error echoes the input (\(result.stderr.utf8.count) bytes)")
            #expect(try awaitHead(db) == nil, "\(hostile.name): ingest appended events")
        }
    }

    /// The log's head as "position:hash", read with the C API (nil when the log is empty or absent).
    func awaitHead(_ db: String) throws -> String? {
        guard FileManager.default.fileExists(atPath: db) else { return nil }
        var handle: OpaquePointer?
        defer { sqlite3_close(handle) }
        guard sqlite3_open_v2(db, &handle, SQLITE_OPEN_READONLY, nil) == SQLITE_OK else { throw CocoaError(.fileReadUnknown) }
        var statement: OpaquePointer?
        defer { sqlite3_finalize(statement) }
        guard sqlite3_prepare_v2(handle, "SELECT position || ':' || hex(hash) FROM events ORDER BY position DESC LIMIT 1", -1, &statement, nil) == SQLITE_OK
        else { return nil }  // no events table yet
        guard sqlite3_step(statement) == SQLITE_ROW else { return nil }
        return String(cString: sqlite3_column_text(statement, 0))
    }
}
