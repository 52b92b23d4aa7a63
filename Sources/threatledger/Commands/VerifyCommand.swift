import ArgumentParser
import Foundation
import ThreatLedgerCore
import ThreatLedgerProjections
import ThreatLedgerStore

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Re-check the whole log, chain and content; exit 1 naming the first bad position.",
        discussion: """
            For every event: recomputes its hash from its canonical bytes and the hash before it; checks that
            positions and stream versions have no gaps and record time never goes back; re-checks its payload
            against its schema at its schema version and every domain rule, every stated figure against its
            words, every quote at its code-point position in its own source's article as stored in the log
            (re-hashed), that what it refers to comes before it, and the correction and retraction rules.
            Streams the log: memory stays bounded. Then checks the log's guards (triggers and table as this
            version creates them) and that no projection checkpoint or recorded rebuild names a position the
            log no longer holds (events removed from the tail) or a hash it no longer has.
            With --projections, also re-derives every projection from the log and compares it with what is
            stored: the region-summary and source-provenance rows and fold documents (folded up to their
            checkpoints), and the claim-version read index row by row (rebuilt in temporary tables, in bounded
            memory); each difference is named (projection, table or key, and what differs).
            scripts/verify-chain.py recomputes the chain independently, in Python.
            """
    )

    @OptionGroup var log: LogOptions

    @Option(
        name: .long,
        help: ArgumentHelp(
            "A signed head kept earlier (`threatledger head --sign-with`), or a trail of them (`schedule --verify`): the log must still extend every one.",
            valueName: "file"))
    var against: String?

    @Option(name: .customLong("public-key"), help: ArgumentHelp("Trust only this Ed25519 public key (hex) for --against.", valueName: "hex"))
    var publicKey: String?

    @Flag(name: .long, help: "Also re-derive every stored projection and the read index from the log and compare them.")
    var projections = false

    @Option(name: .long, help: "Output format: table or json.")
    var format: OutputFormat = .table

    func run() async throws {
        try await reportingFailures {
            let backend = try await log.backend(role: "threatledger verify")
            let store = backend.log
            let total = try await store.head()?.position
            let progress = ProgressReporter(label: "verify", total: total)
            let check = ProgressReporter(label: "verify projections", total: nil)
            let outcome: LogVerification.Outcome
            do {
                outcome = try await LogVerification.run(
                    log: store, projector: backend.projector, projections: projections, progress: { progress.update($0) },
                    projectionProgress: { done, total in check.update(done, total: total) })
            } catch {
                throw CommandFailure("\(error)")
            }
            progress.finish()
            if projections { check.finish() }
            let report = outcome.report
            let findings = outcome.findings
            if let against, report.isValid, findings.isEmpty {
                try await checkAgainst(against, store: store)
            }
            if format == .table {
                if let failure = report.failure {
                    Terminal.print("FAILED after \(report.eventsChecked) good event(s)")
                    throw CommandFailure(failure.description)
                }
                if !findings.isEmpty {
                    Terminal.print("FAILED: the \(report.eventsChecked) event(s) verify, but the log around them does not")
                    for finding in findings.dropLast() { Terminal.print("verification failed: \(finding)") }
                    throw CommandFailure("verification failed: \(findings.last!)")
                }
                Terminal.print(
                    "OK: \(report.eventsChecked) event(s) and \(report.articlesChecked) article(s) verified: chain, rules, quotes, references, triggers, projection witnesses"
                        + (projections ? ", stored projections and read index re-derived and equal" : ""))
                if let head = report.head { Terminal.print("head: position \(head.position), hash \(head.hash.hex)") }
            } else {
                var json: [String: JSONValue] = [
                    "ok": .bool(report.isValid && findings.isEmpty),
                    "events_checked": .number(Double(report.eventsChecked)),
                    "articles_checked": .number(Double(report.articlesChecked)),
                    "head": report.head.map { ["position": .number(Double($0.position)), "hash": .string($0.hash.hex)] }
                        ?? .null,
                    "findings": .array(findings.map { .string($0) }),
                ]
                if let failure = report.failure {
                    json["failure"] = ["position": .number(Double(failure.position)), "message": .string(failure.description)]
                }
                Terminal.print(CanonicalJSON.string(.object(json)))
                if report.failure != nil || !findings.isEmpty { throw ExitCode(1) }
            }
        }
    }
}

extension VerifyCommand {
    /// The log must hold, at the signed head's position, exactly the signed hash: then it extends the head.
    func checkAgainst(_ path: String, store: any EventLog) async throws {
        // A trail of heads (schedule --verify, serve --verify-every): every head, and the trail whole.
        let lines = (FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } ?? "").split(separator: "\n")
        if lines.count > 1 {
            let trusted = try publicKey.map { text -> [UInt8] in
                guard let key = Hex.decode(text), key.count == 32 else { throw CommandFailure("--public-key must be 64 hex digits") }
                return key
            }
            let (failure, count) = try await HeadTrail.failure(of: store, against: path, trusting: trusted)
            if let failure { throw CommandFailure("verification failed against the trail \(path): \(failure)") }
            Terminal.print("extends every one of the \(count) signed heads in the trail \(path), which is whole (every link and signature checked)")
            return
        }
        let head = try SignedHeadFiles.read(path, publicKey: publicKey)
        if let failure = try await SignedHeadCheck.failure(of: store, against: head) {
            throw CommandFailure("verification failed \(failure) (signed head \(path))")
        }
        Terminal.print("extends the signed head: position \(head.position), hash \(head.hash.hex), signed by \(Hex.encode(head.publicKey).prefix(16))…")
    }
}
