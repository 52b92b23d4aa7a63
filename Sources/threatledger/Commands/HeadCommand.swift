import ArgumentParser
import Foundation
import ThreatLedgerCore

struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Make an Ed25519 key for signing chain heads: the private key goes to a file (mode 0600), the public key is printed."
    )

    @Option(name: .long, help: ArgumentHelp("Where to write the private key (hex).", valueName: "file"))
    var out: String

    func run() throws {
        guard !FileManager.default.fileExists(atPath: out) else {
            Terminal.error("error: \(out) exists; refusing to overwrite a key")
            throw ExitCode(1)
        }
        let (privateKey, publicKey) = SignedHead.generateKey()
        guard FileManager.default.createFile(atPath: out, contents: Data((Hex.encode(privateKey) + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
            Terminal.error("error: cannot write \(out)")
            throw ExitCode(1)
        }
        Terminal.print("public key: \(Hex.encode(publicKey))")
    }
}

struct HeadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "head",
        abstract: "Print the chain head (position, hash), signed with an Ed25519 key when one is given.",
        discussion: """
            Keep the signed head: later, `threatledger verify --against HEAD.json` proves that the log then still \
            extends it, which catches even a log rewritten and re-hashed from scratch.
            """
    )

    @OptionGroup var log: LogOptions

    @Option(name: .customLong("sign-with"), help: ArgumentHelp("The private key file from `threatledger keygen`.", valueName: "file"))
    var signWith: String?

    @Option(name: .long, help: ArgumentHelp("Write the head to this file as well (a new file; see --force).", valueName: "file"))
    var out: String?

    @Flag(name: .long, help: "Let --out replace an existing file (a kept head is evidence: it is not overwritten by default).")
    var force = false

    func run() async throws {
        try await reportingFailures {
            if let out, !force, FileManager.default.fileExists(atPath: out) {
                throw CommandFailure("\(out) exists; a kept head is evidence, so it is not overwritten (give --force to replace it)")
            }
            let store = try await log.open()
            guard let head = try await store.head() else { throw CommandFailure("the log is empty: there is no head to sign") }
            var json: JSONValue = [
                "type": "threatledger-head/v1", "position": .number(Double(head.position)), "hash": .string(head.hash.hex),
                "recorded_at": .string(head.recordedAt.iso8601),
            ]
            if let signWith { json = try await SignedHeadFiles.sign(store, keyPath: signWith).json }
            let text = CanonicalJSON.string(json)
            if let out { try Data((text + "\n").utf8).write(to: URL(fileURLWithPath: out)) }
            Terminal.print(text)
        }
    }
}

/// A signing key must be readable by its owner alone: a key others can read cannot vouch for a head.
enum SigningKeyFile {
    static func checkPrivate(_ path: String) throws {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue
        else { throw CommandFailure("\(path): cannot read the key file") }
        if mode & 0o077 != 0 {
            throw CommandFailure(
                "\(path) is readable or writable by others (mode \(String(mode & 0o777, radix: 8))); a signing key must be private: chmod 600 \(path)")
        }
    }
}
