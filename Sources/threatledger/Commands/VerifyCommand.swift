import ArgumentParser
import Foundation
import ThreatLedgerCore
import ThreatLedgerStore

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Walk the hash chain and re-hash every stored article; exit 1 at the first bad position.",
        discussion: """
            Recomputes every event's hash from its canonical bytes and the hash before it, checks that
            positions and stream versions have no gaps, that record time never goes back, and that every
            article's text still has the SHA-256 it was registered with. scripts/verify-chain.py does the
            same independently, in Python.
            """
    )

    @OptionGroup var log: LogOptions

    @Option(name: .long, help: ArgumentHelp("A signed head kept earlier (`threatledger head --sign-with`): the log must still extend it.", valueName: "file"))
    var against: String?

    @Option(name: .customLong("public-key"), help: ArgumentHelp("Trust only this Ed25519 public key (hex) for --against.", valueName: "hex"))
    var publicKey: String?

    @Option(name: .long, help: "Output format: table or json.")
    var format: OutputFormat = .table

    func run() async throws {
        try await reportingFailures {
            let store = try await log.open()
            let total = try await store.head()?.position
            let progress = ProgressReporter(label: "verify", total: total)
            let report: VerificationReport
            do throws(StoreError) {
                report = try await store.verify { progress.update($0) }
            } catch {
                throw CommandFailure(error.description)
            }
            progress.finish()
            if let against, report.isValid {
                try await checkAgainst(against, store: store)
            }
            if format == .table {
                if let failure = report.failure {
                    Terminal.print("FAILED after \(report.eventsChecked) good event(s)")
                    throw CommandFailure(failure.description)
                }
                Terminal.print("OK: \(report.eventsChecked) event(s) and \(report.articlesChecked) article(s) verified")
                if let head = report.head { Terminal.print("head: position \(head.position), hash \(head.hash.hex)") }
            } else {
                var json: [String: JSONValue] = [
                    "ok": .bool(report.isValid),
                    "events_checked": .number(Double(report.eventsChecked)),
                    "articles_checked": .number(Double(report.articlesChecked)),
                    "head": report.head.map { ["position": .number(Double($0.position)), "hash": .string($0.hash.hex)] }
                        ?? .null,
                ]
                if let failure = report.failure {
                    json["failure"] = ["position": .number(Double(failure.position)), "message": .string(failure.description)]
                }
                Terminal.print(CanonicalJSON.string(.object(json)))
                if report.failure != nil { throw ExitCode(1) }
            }
        }
    }
}

extension VerifyCommand {
    /// The log must hold, at the signed head's position, exactly the signed hash: then it extends the head.
    func checkAgainst(_ path: String, store: any EventLog) async throws {
        guard let data = FileManager.default.contents(atPath: path) else { throw CommandFailure("\(path): cannot read the head file") }
        let value: JSONValue
        do { value = try JSONParser().parse(Array(data)) } catch { throw CommandFailure("\(path): not valid JSON: \(error)") }
        let head: SignedHead
        do throws(SignedHeadError) { head = try SignedHead(json: value) } catch { throw CommandFailure("\(path): \(error)") }
        var trusted: [UInt8]?
        if let publicKey {
            guard let key = Hex.decode(publicKey), key.count == 32 else { throw CommandFailure("--public-key must be 64 hex digits") }
            trusted = key
        }
        guard head.signatureIsValid(trusting: trusted) else {
            throw CommandFailure("\(path): the signature does not verify\(trusted == nil ? "" : " under the trusted key"); the head file cannot be relied on")
        }
        let events = try await store.read(from: head.position, limit: 1)
        guard let event = events.first, event.position == head.position else {
            throw CommandFailure("the log ends before position \(head.position) of the signed head: events were removed")
        }
        guard event.hash == head.hash else {
            throw CommandFailure("verification failed at position \(head.position): the log holds hash \(event.hash.hex) where the signed head (\(head.recordedAt.iso8601)) has \(head.hash.hex): the log was rewritten")
        }
        Terminal.print("extends the signed head: position \(head.position), hash \(head.hash.hex), signed by \(Hex.encode(head.publicKey).prefix(16))…")
    }
}
