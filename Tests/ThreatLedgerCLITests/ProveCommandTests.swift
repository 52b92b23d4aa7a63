import Foundation
import Testing
import ThreatLedgerCore
import ThreatLedgerStore
import ThreatLedgerTesting

/// The Merkle tree beside the chain, through the real binary: a signed head carries the tree's root,
/// `prove` gives inclusion and consistency proofs that a standard-library Python script checks on
/// its own, and a log rewritten from scratch cannot prove it extends a kept head.
@Suite struct ProveCommandTests {
    func run(_ arguments: [String]) throws -> CommandResult { try runCommand(threatledgerExecutable, arguments) }

    func python(_ arguments: [String]) throws -> CommandResult {
        try runCommand(URL(fileURLWithPath: "/usr/bin/env"), ["python3", packageRoot.appendingPathComponent("scripts/verify-proof.py").path] + arguments)
    }

    @Test func proofsStandOnTheSignedHeadAndAreCheckedOffline() async throws {
        try await withTemporaryDirectory { directory in
            let seeds = packageRoot.appendingPathComponent("seeds").path
            let db = directory.appendingPathComponent("log.sqlite").path
            let key = directory.appendingPathComponent("key.hex").path
            let head100 = directory.appendingPathComponent("head-100.json").path
            let keygen = try run(["keygen", "--out", key])
            let publicKey = String(keygen.stdout.split(separator: " ").last!.dropLast())
            #expect(try run(["ingest", seeds, "--db", db]).status == 0)
            #expect(try run(["head", "--db", db, "--sign-with", key, "--out", head100]).status == 0)

            // The signed root is the RFC 9162 root over the events' hashes, computed here from the log.
            let signed = try JSONParser().parse(String(contentsOfFile: head100, encoding: .utf8))
            #expect(signed["type"] == "threatledger-head/v2")
            let events = try await SQLiteEventLog(path: db, create: false).read(from: 1, limit: 1_000)
            let leaves = events.map { MerkleTree.leafHash(event: $0.hash) }
            #expect(signed["tree_root"]?.stringValue == MerkleTree.root(leaves[...]).hex)

            // An inclusion proof of every fifth event, checked here and by the Python script.
            for position in stride(from: 1, through: 100, by: 5) {
                let proved = try run(["prove", String(position), "--db", db, "--sign-with", key])
                #expect(proved.status == 0, "\(proved.stderr)")
                let proof = try JSONParser().parse(proved.stdout)
                let path = (proof["path"]?.arrayValue ?? []).compactMap { $0.stringValue.flatMap(SHA256Hash.init(hex:)) }
                #expect(proof["event_hash"]?.stringValue == events[position - 1].hash.hex)
                #expect(MerkleTree.verifyInclusion(leaf: leaves[position - 1], index: position - 1, size: 100, proof: path, root: MerkleTree.root(leaves[...])))
                let file = directory.appendingPathComponent("proof-\(position).json").path
                try proved.stdout.write(toFile: file, atomically: true, encoding: .utf8)
                let checked = try python([file, head100, "--public-key", publicKey])
                #expect(checked.status == 0, "\(checked.stdout)\(checked.stderr)")
            }

            // The log grows: the new tree provably extends the kept head's.
            #expect(try run(["retract", "a896289027671bb9-09", "--reason", "later", "--by", "me", "--db", db]).status == 0)
            let extended = try run(["prove", "--consistency-from", head100, "--db", db, "--sign-with", key])
            #expect(extended.status == 0, "\(extended.stderr)")
            let consistency = try JSONParser().parse(extended.stdout)
            #expect(consistency["old_size"] == 100 && consistency["tree_size"] == 101)
            let consistencyFile = directory.appendingPathComponent("consistency.json").path
            try extended.stdout.write(toFile: consistencyFile, atomically: true, encoding: .utf8)
            let checked = try python([consistencyFile, "--public-key", publicKey])
            #expect(checked.status == 0 && checked.stdout.contains("extends the tree of 100"), "\(checked.stdout)\(checked.stderr)")

            // Any changed byte of a proof fails the offline check, naming what.
            var forged = try String(contentsOfFile: consistencyFile, encoding: .utf8)
            let firstHash = try #require(consistency["path"]?.arrayValue?.first?.stringValue)
            forged = forged.replacingOccurrences(of: firstHash, with: String(firstHash.reversed()))
            try forged.write(toFile: consistencyFile, atomically: true, encoding: .utf8)
            let refused = try python([consistencyFile])
            #expect(refused.status == 1 && refused.stderr.contains("FAIL"), "\(refused.stdout)\(refused.stderr)")

            // A log rewritten from scratch verifies on its own but cannot extend the kept head.
            let rewritten = directory.appendingPathComponent("rewritten.sqlite").path
            #expect(try run(["ingest", seeds, "--db", rewritten, "--by", "forger"]).status == 0)
            let caught = try run(["prove", "--consistency-from", head100, "--db", rewritten])
            #expect(caught.status == 1 && caught.stderr.contains("does not extend"), "\(caught.stderr)")
            let beyond = try run(["prove", "57", "--size", "50", "--db", db])
            #expect(beyond.status == 1 && beyond.stderr.contains("not in a tree of the first 50"), "\(beyond.stderr)")
        }
    }
}
