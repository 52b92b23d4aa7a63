import Foundation
import Testing
import ThreatLedgerCore
import ThreatLedgerTesting

/// `verify` re-checks everything, not only the chain: rows forged behind the log's back with the
/// `sqlite3` tool and a correctly chained hash, events removed from the tail, rows re-hashed out of
/// order and dropped triggers are each caught with exit 1 and the first bad position. `copy` refuses
/// what `verify` refuses. (The reproductions of issue 14.)
@Suite struct VerifyCompletenessTests {
    static let sqlite3: URL? = SQLiteToolTamperingTests.sqlite3

    func run(_ arguments: [String]) throws -> CommandResult { try runCommand(threatledgerExecutable, arguments) }

    func sql(_ db: String, _ statements: String) throws -> String {
        let result = try runCommand(Self.sqlite3!, [db], stdin: Data(statements.utf8))
        try #require(result.status == 0, "sqlite3 failed: \(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A seed claim's payload as coded in `seeds/claims/`.
    func seedClaim(_ id: String) throws -> JSONValue {
        let source = String(id.split(separator: "-").first!)
        let text = try String(contentsOf: packageRoot.appendingPathComponent("seeds/claims/\(source).jsonl"), encoding: .utf8)
        for line in text.split(separator: "\n") {
            let claim = try JSONParser().parse(String(line))
            if claim["claim_id"]?.stringValue == id { return claim }
        }
        throw CommandFailedForTest(message: "no seed claim \(id)")
    }

    /// An INSERT of `payload` as the next event, with a correctly chained hash: what an insider with
    /// the file and the hashing rule can write.
    func forgedRow(_ db: String, type: String, stream: String, version: Int64, payload: JSONValue) throws -> String {
        let head = try sql(db, "SELECT position, hex(hash), recorded_at FROM events ORDER BY position DESC LIMIT 1;").split(separator: "|")
        let position = (head.count == 3 ? Int64(head[0])! : 0) + 1
        let previous = head.count == 3 ? SHA256Hash(hex: head[1].lowercased())! : .genesis
        let recordedAt = RecordTime(microsecondsSinceEpoch: (head.count == 3 ? Int64(head[2])! : 1_700_000_000_000_000) + 1)
        let payloadJSON = CanonicalJSON.string(payload)
        let draft = RecordedEvent(
            position: position, id: .random(), stream: try StreamName(stream), streamVersion: version, type: type, schemaVersion: 1,
            payloadJSON: payloadJSON, metadata: EventMetadata(recordedBy: "insider"), recordedAt: recordedAt, previousHash: previous,
            hash: previous)
        let hash = EventChain.hash(previous: previous, canonicalBytes: draft.canonicalBytes)
        return """
            INSERT INTO events VALUES (\(position), '\(draft.id.rawValue)', '\(stream)', \(version), '\(type)', 1,
                '\(payloadJSON.replacingOccurrences(of: "'", with: "''"))', \(recordedAt.microsecondsSinceEpoch), 'insider', NULL, NULL,
                X'\(previous.hex)', X'\(hash.hex)');
            """
    }

    func expectCaught(_ db: String, at position: Int, _ problem: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try run(["verify", "--db", db])
        #expect(result.status == 1, sourceLocation: sourceLocation)
        #expect(result.stderr.contains("verification failed at position \(position):"), "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains(problem), "\(result.stderr)", sourceLocation: sourceLocation)
    }

    @Test(.enabled(if: sqlite3 != nil, "the sqlite3 tool is not installed"))
    func aForgedTailClaimWithACorrectHashButAFigureAgainstItsWordsIsCaught() async throws {
        try await withIngestedSeeds { db in
            let head = try run(["head", "--db", db, "--out", db + ".head.json"])
            try #require(head.status == 0, "\(head.stderr)")
            var claim = try seedClaim("1aee4b5224ae9675-01").objectValue!
            claim["claim_id"] = "forged-01"
            var figure = claim["figures"]!.arrayValue![0].objectValue!
            figure["low"] = 5000
            figure["high"] = 5000
            claim["figures"] = [.object(figure)]
            _ = try sql(db, try forgedRow(db, type: "ClaimRecorded", stream: "claim-forged-01", version: 1, payload: .object(claim)))
            try expectCaught(db, at: 101, "say exact (low 11, high 11)")
            // trace judges the figure again and refuses to vouch for it, naming it.
            let trace = try run(["trace", "claim", "forged-01", "--db", db])
            #expect(trace.status == 1, "\(trace.stdout)")
            #expect(
                trace.stderr.contains("claim forged-01 does not hold: figure 0 (killed)") && trace.stderr.contains("say exact (low 11, high 11)"),
                "\(trace.stderr)")
            #expect(trace.stdout.contains("WORDS DISAGREE"), "\(trace.stdout)")
            let against = try run(["verify", "--db", db, "--against", db + ".head.json"])
            #expect(against.status == 1 && against.stderr.contains("position 101"), "\(against.stderr)")
            // copy re-checks every rule too: the forged event does not travel.
            let copy = try run(["copy", "--from", db, "--to", db + ".copy.sqlite"])
            #expect(copy.status == 1 && copy.stderr.contains("breaks a rule"), "\(copy.stderr)")
        }
    }

    @Test(.enabled(if: sqlite3 != nil, "the sqlite3 tool is not installed"))
    func aForgedTailClaimWhoseQuoteIsNotInItsArticleIsCaught() async throws {
        try await withIngestedSeeds { db in
            var claim = try seedClaim("1aee4b5224ae9675-01").objectValue!
            claim["claim_id"] = "forged-02"
            var statement = claim["statement"]!.objectValue!
            var position = statement["position"]!.objectValue!
            position["start"] = .number(Double(position["start"]!.integerValue! + 3))
            position["end"] = .number(Double(position["end"]!.integerValue! + 3))
            statement["position"] = .object(position)
            claim["statement"] = .object(statement)
            _ = try sql(db, try forgedRow(db, type: "ClaimRecorded", stream: "claim-forged-02", version: 1, payload: .object(claim)))
            try expectCaught(db, at: 101, "is not where")
        }
    }

    @Test(.enabled(if: sqlite3 != nil, "the sqlite3 tool is not installed"))
    func rowsReHashedOutOfOrderAClaimBeforeItsSourceAreCaught() async throws {
        try await withIngestedSeeds { seeded in
            let fresh = seeded + ".reordered.sqlite"
            #expect(try run(["init", "--db", fresh]).status == 0)
            // The first claim's event, then its source's, each re-hashed so the chain is whole.
            let claim = try seedClaim("1aee4b5224ae9675-01")
            _ = try sql(fresh, try forgedRow(fresh, type: "ClaimRecorded", stream: "claim-1aee4b5224ae9675-01", version: 1, payload: claim))
            let source = try sql(seeded, "SELECT payload FROM events WHERE stream = 'source-1aee4b5224ae9675';")
            _ = try sql(
                fresh, try forgedRow(fresh, type: "SourceRegistered", stream: "source-1aee4b5224ae9675", version: 1, payload: try JSONParser().parse(source)))
            try expectCaught(fresh, at: 1, "refers to source-1aee4b5224ae9675, which has no event before position 1")
        }
    }

    @Test(.enabled(if: sqlite3 != nil, "the sqlite3 tool is not installed"))
    func eventsRemovedFromTheTailWithTheTriggerDroppedAreCaught() async throws {
        try await withIngestedSeeds { db in
            #expect(try run(["rebuild", "--db", db]).status == 0)
            _ = try sql(db, "DROP TRIGGER events_refuse_delete; DELETE FROM events WHERE position > 90;")
            let result = try run(["verify", "--db", db])
            #expect(result.status == 1)
            #expect(result.stderr.contains("the log ends at position 90") && result.stderr.contains("first missing position 91"), "\(result.stderr)")
            #expect(result.stdout.contains("trigger events_refuse_delete is missing"), "\(result.stdout)")
        }
    }

    @Test(.enabled(if: sqlite3 != nil, "the sqlite3 tool is not installed"), arguments: ["events_refuse_update", "events_refuse_delete", "events_gapless"])
    func aDroppedTriggerIsReported(_ trigger: String) async throws {
        try await withIngestedSeeds { db in
            _ = try sql(db, "DROP TRIGGER \(trigger);")
            let result = try run(["verify", "--db", db])
            #expect(result.status == 1)
            #expect(result.stderr.contains("trigger \(trigger) is missing"), "\(result.stderr)")
        }
    }

    @Test(.enabled(if: sqlite3 != nil, "the sqlite3 tool is not installed"))
    func anAlteredTriggerIsReported() async throws {
        try await withIngestedSeeds { db in
            _ = try sql(db, "DROP TRIGGER events_refuse_update; CREATE TRIGGER events_refuse_update BEFORE UPDATE ON events WHEN 0 BEGIN SELECT 1; END;")
            let result = try run(["verify", "--db", db])
            #expect(result.status == 1 && result.stderr.contains("trigger events_refuse_update was altered"), "\(result.stderr)")
        }
    }

    func appendLine(_ db: String, _ line: JSONValue) throws -> CommandResult {
        let file = db + ".\(UUID().uuidString).jsonl"
        try Data((CanonicalJSON.string(line) + "\n").utf8).write(to: URL(fileURLWithPath: file))
        return try run(["append", file, "--db", db, "--by", "analyst"])
    }

    @Test func appendRefusesAFigureAgainstItsWordsAndACorrectionAfterARetraction() async throws {
        try await withIngestedSeeds { db in
            let before = try run(["head", "--db", db]).stdout
            var claim = try seedClaim("1aee4b5224ae9675-01").objectValue!
            claim["claim_id"] = "appended-01"
            var figure = claim["figures"]!.arrayValue![0].objectValue!
            figure["low"] = 6
            figure["high"] = 6
            claim["figures"] = [.object(figure)]
            let against = try appendLine(db, ["stream": "claim-appended-01", "type": "ClaimRecorded", "payload": .object(claim)])
            #expect(against.status == 1 && against.stderr.contains("say exact (low 11, high 11)"), "\(against.stderr)")
            #expect(try run(["head", "--db", db]).stdout == before)
            #expect(try run(["retract", "1aee4b5224ae9675-01", "--reason", "duplicate", "--by", "me", "--db", db]).status == 0)
            let afterRetraction = try run(["head", "--db", db]).stdout
            let correction = try appendLine(
                db,
                [
                    "stream": "claim-1aee4b5224ae9675-01", "type": "ClaimCorrected",
                    "payload": ["claim_id": "1aee4b5224ae9675-01", "reason": "x", "changes": ["summary": "Changed."], "figure_updates": []],
                ])
            #expect(correction.status == 1 && correction.stderr.contains("is retracted; it can no longer be corrected"), "\(correction.stderr)")
            #expect(try run(["head", "--db", db]).stdout == afterRetraction)
        }
    }

    @Test func ingestRefusesAKilledFigureRecodedAsWounded() async throws {
        try await withTemporaryDirectory { directory in
            let copy = directory.appendingPathComponent("seeds")
            try FileManager.default.copyItem(at: packageRoot.appendingPathComponent("seeds"), to: copy)
            let file = copy.appendingPathComponent("claims/1aee4b5224ae9675.jsonl")
            var lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
            lines[0] = lines[0].replacingOccurrences(of: "\"measure\":\"killed\"", with: "\"measure\":\"wounded\"")
            try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
            let db = directory.appendingPathComponent("log.sqlite").path
            let result = try run(["ingest", copy.path, "--db", db])
            #expect(result.status == 1)
            #expect(
                result.stderr.contains("1aee4b5224ae9675.jsonl:1: figures[0].measure: claim 1aee4b5224ae9675-01 codes a wounded figure"), "\(result.stderr)")
        }
    }

    static let readOnlyCommands: [[String]] = [
        ["verify"], ["summary"], ["stats"], ["claims"], ["trace", "claim", "x-01"], ["log"], ["head"], ["provenance"],
        ["history", "x-01"], ["diff", "--from", "2020-01-01", "--to", "2021-01-01"], ["rebuilds"], ["rebuild"],
    ]

    @Test(arguments: readOnlyCommands)
    func aReadOnlyCommandNeverCreatesALog(_ command: [String]) async throws {
        try await withTemporaryDirectory { directory in
            let typo = directory.appendingPathComponent("typo.sqlite").path
            let result = try run(command + ["--db", typo])
            #expect(result.status == 1, "\(command): \(result.stdout)")
            #expect(result.stderr.contains("holds no ThreatLedger log"), "\(command): \(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: typo), "\(command) created \(typo)")
        }
    }

    @Test func initCreatesAnEmptyLogThatReadOnlyCommandsThenAccept() async throws {
        try await withTemporaryDirectory { directory in
            let db = directory.appendingPathComponent("new.sqlite").path
            let created = try run(["init", "--db", db])
            #expect(created.status == 0 && created.stdout.contains("holds an empty log"), "\(created.stderr)")
            let verify = try run(["verify", "--db", db])
            #expect(verify.status == 0 && verify.stdout.contains("OK: 0 event(s)"), "\(verify.stderr)")
        }
    }
}

struct CommandFailedForTest: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
