import ArgumentParser
import Foundation
import ThreatLedgerCore
import ThreatLedgerStore

struct ProveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prove",
        abstract: "Prove an event is in the log (an inclusion proof), or that the log extends an earlier one (a consistency proof).",
        discussion: """
            The log keeps a Merkle tree (RFC 9162) over its events' chain hashes beside the chain: leaf i is event \
            position i+1. A proof is about log2(size) hashes that anyone checks with SHA-256 alone, against a tree root \
            a signed head vouches for (head --sign-with signs the root; scripts/verify-evidence.py checks proofs in Python).
            threatledger prove 57 [--size 100] [--sign-with head.key]       event 57 is in the tree of the first 100 events
            threatledger prove --consistency-from 100 [--size 250]          the tree of 250 events extends the tree of 100
            threatledger prove --consistency-from HEAD.json                 the log now extends a kept version-2 signed head
            Prints JSON; with --sign-with, also the signed head of the tree the proof is in. Each proof is checked before \
            it is printed.
            """
    )

    @OptionGroup var log: LogOptions

    @Argument(help: ArgumentHelp("The event's position (for an inclusion proof).", valueName: "position"))
    var position: Int64?

    @Option(name: .long, help: ArgumentHelp("The tree size to prove in (default: the log's head).", valueName: "n"))
    var size: Int64?

    @Option(
        name: .customLong("consistency-from"),
        help: ArgumentHelp("An earlier tree size, or a version-2 signed head file, the log must extend.", valueName: "size|head.json"))
    var consistencyFrom: String?

    @Option(name: .customLong("public-key"), help: ArgumentHelp("Trust only this Ed25519 public key (hex) for a signed head.", valueName: "hex"))
    var publicKey: String?

    @Option(name: .customLong("sign-with"), help: ArgumentHelp("Also sign the head of the tree the proof is in.", valueName: "file"))
    var signWith: String?

    func validate() throws {
        if (position == nil) == (consistencyFrom == nil) {
            throw ValidationError("give a position (an inclusion proof) or --consistency-from (a consistency proof), not both")
        }
    }

    func run() async throws {
        try await reportingFailures {
            let store = try await log.open()
            var output: JSONObject
            var treeSize: Int64
            do {
                if let position {
                    let proof = try await LogMerkle.inclusion(of: position, in: store, size: size)
                    guard proof.holds else { throw CommandFailure("internal error: the inclusion proof of \(position) does not verify") }
                    output = proof.json.objectValue!
                    treeSize = proof.treeSize
                } else {
                    let from = consistencyFrom!
                    var signed: SignedHead?
                    let oldSize: Int64
                    if let number = Int64(from) {
                        oldSize = number
                    } else {
                        let head = try SignedHeadFiles.read(from, publicKey: publicKey)
                        guard head.treeRoot != nil else {
                            throw CommandFailure("\(from) is a version-1 head (no tree root): check it with verify --against instead")
                        }
                        signed = head
                        oldSize = head.position
                    }
                    let proof = try await LogMerkle.consistency(from: oldSize, in: store, size: size)
                    guard proof.holds else { throw CommandFailure("internal error: the consistency proof from \(oldSize) does not verify") }
                    if let signed, signed.treeRoot != proof.oldRoot {
                        throw CommandFailure(
                            "the log does not extend \(from): its tree of \(oldSize) events has root \(proof.oldRoot.hex), the signed head \(signed.treeRoot!.hex)"
                        )
                    }
                    output = proof.json.objectValue!
                    if let signed { output["old_signed_head"] = signed.json }
                    treeSize = proof.treeSize
                }
            } catch let failure as LogMerkle.Failure {
                throw CommandFailure(failure.description)
            }
            if let signWith { output["signed_head"] = try await SignedHeadFiles.sign(store, at: treeSize, keyPath: signWith).json }
            Terminal.print(CanonicalJSON.string(.object(output)))
        }
    }
}
