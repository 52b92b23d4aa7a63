import Foundation
import Testing
import ThreatLedgerCore
import ThreatLedgerTesting

/// A kept, signed head proves that a later log extends it, even against a log rebuilt from scratch.
@Suite struct SignedHeadCommandTests {
    func run(_ arguments: [String]) throws -> CommandResult { try runCommand(threatledgerExecutable, arguments) }

    @Test func aLogRewrittenFromScratchPassesVerifyButFailsAgainstTheSignedHead() async throws {
        try await withTemporaryDirectory { directory in
            let key = directory.appendingPathComponent("key.hex").path
            let head = directory.appendingPathComponent("head.json").path
            let honest = directory.appendingPathComponent("honest.sqlite").path
            let forged = directory.appendingPathComponent("forged.sqlite").path
            let seeds = packageRoot.appendingPathComponent("seeds").path
            let keygen = try run(["keygen", "--out", key])
            #expect(keygen.status == 0)
            let publicKey = String(keygen.stdout.split(separator: " ").last!.dropLast())
            #expect(try run(["ingest", seeds, "--db", honest]).status == 0)
            #expect(try run(["head", "--db", honest, "--sign-with", key, "--out", head]).status == 0)
            #expect(try run(["retract", "a896289027671bb9-09", "--reason", "later", "--by", "me", "--db", honest]).status == 0)
            let extends = try run(["verify", "--db", honest, "--against", head, "--public-key", publicKey])
            #expect(extends.status == 0 && extends.stdout.contains("extends the signed head: position 100"))

            // A forger rebuilds a whole, internally consistent log of the same length from scratch.
            #expect(try run(["ingest", seeds, "--db", forged, "--by", "forger"]).status == 0)
            #expect(try run(["verify", "--db", forged]).status == 0)
            let caught = try run(["verify", "--db", forged, "--against", head])
            #expect(caught.status == 1)
            #expect(caught.stderr.contains("verification failed at position 100") && caught.stderr.contains("the log was rewritten"))

            let wrongKey = try run(["verify", "--db", honest, "--against", head, "--public-key", String(repeating: "ab", count: 32)])
            #expect(wrongKey.status == 1 && wrongKey.stderr.contains("the signature does not verify under the trusted key"))
        }
    }

    @Test func serveRefusesALogThatFailsVerification() async throws {
        try await withIngestedSeeds { db in
            let tamper = try runCommand(
                URL(fileURLWithPath: "/usr/bin/env"),
                [
                    "python3", "-c",
                    "import sqlite3,sys; d=sqlite3.connect(sys.argv[1]); d.executescript(\"DROP TRIGGER events_refuse_update; UPDATE events SET recorded_by='x' WHERE position=7\"); d.commit()",
                    db,
                ])
            #expect(tamper.status == 0)
            var environment = ProcessInfo.processInfo.environment
            environment["THREATLEDGER_TOKENS"] = "[]"
            let refused = try runCommand(threatledgerExecutable, ["serve", "--db", db, "--port", "0"], environment: environment)
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("refusing to serve a log that fails verification: verification failed at position 7"))
        }
    }
}
