import ArgumentParser
import ThreatLedgerBackends
import ThreatLedgerCore
import ThreatLedgerProjections
import ThreatLedgerStore

struct CopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy a whole log to another backend (SQLite to PostgreSQL, or back), verifying the chain on arrival.",
        discussion: """
            threatledger copy --from threatledger.sqlite --to postgres://user@host:5432/db
            Events are copied exactly (positions, record times, hashes), a page at a time, each page checked to \
            continue the destination's chain; the destination is then verified as a whole, and its head hash must \
            equal the source's. The destination must be empty or hold a prefix of the source.
            """
    )

    @Option(name: .long, help: ArgumentHelp("The source log (a SQLite file or a postgres:// URL).", valueName: "log"))
    var from: String

    @Option(name: .long, help: ArgumentHelp("The destination log.", valueName: "log"))
    var to: String

    func run() async throws {
        try await reportingFailures {
            let source: any EventLog
            let destination: any EventLog
            do {
                source = try await Backend.open(from, role: "threatledger copy").log
                destination = try await Backend.open(to, role: "threatledger copy", create: true).log
            } catch {
                throw CommandFailure("\(error)")
            }
            do {
                let sourceHead = try await source.head()
                let start = (try await destination.head()?.position ?? 0) + 1
                let progress = ProgressReporter(label: "copy", total: sourceHead?.position)
                for try await page in source.pages(from: start) {
                    try await destination.importRecorded(page)
                    progress.update(page.last!.position)
                }
                progress.finish()
                let report = try await destination.verify { _ in }
                guard report.isValid else { throw CommandFailure("the copy does not verify: \(report.failure!)") }
                let destinationHead = try await destination.head()
                guard destinationHead?.hash == sourceHead?.hash else {
                    throw CommandFailure("head hashes differ: source \(sourceHead?.hash.hex ?? "none"), destination \(destinationHead?.hash.hex ?? "none")")
                }
                Terminal.print(
                    "copied to position \(destinationHead?.position ?? 0); head hash \(destinationHead?.hash.hex ?? "none") on both sides; destination verified"
                )
            } catch let failure as CommandFailure {
                throw failure
            } catch {
                throw CommandFailure("\(error)")
            }
        }
    }
}
