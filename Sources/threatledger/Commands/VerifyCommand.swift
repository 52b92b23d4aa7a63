import ArgumentParser
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
