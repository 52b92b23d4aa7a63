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

    @Option(name: .long, help: ArgumentHelp("Write the head to this file as well.", valueName: "file"))
    var out: String?

    func run() async throws {
        try await reportingFailures {
            guard let head = try await log.open().head() else { throw CommandFailure("the log is empty: there is no head to sign") }
            var json: JSONValue = ["type": "threatledger-head/v1", "position": .number(Double(head.position)), "hash": .string(head.hash.hex),
                                   "recorded_at": .string(head.recordedAt.iso8601)]
            if let signWith {
                guard let text = FileManager.default.contents(atPath: signWith).map({ String(decoding: $0, as: UTF8.self) }),
                    let key = Hex.decode(text.trimmingCharacters(in: .whitespacesAndNewlines))
                else { throw CommandFailure("\(signWith): cannot read a hex key") }
                do throws(SignedHeadError) { json = try SignedHead.sign(position: head.position, hash: head.hash, recordedAt: head.recordedAt, privateKey: key).json } catch { throw CommandFailure(error.description) }
            }
            let text = CanonicalJSON.string(json)
            if let out { try Data((text + "\n").utf8).write(to: URL(fileURLWithPath: out)) }
            Terminal.print(text)
        }
    }
}
