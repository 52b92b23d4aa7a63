import ArgumentParser
import ThreatLedgerAudit
import ThreatLedgerCore

struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Every version of a claim: who recorded, corrected or retracted it, when and why."
    )

    @OptionGroup var log: LogOptions

    @Argument(help: ArgumentHelp("The claim id.", valueName: "claim"))
    var claim: String

    @Option(name: .long, help: "Output format: table or json.")
    var format: OutputFormat = .table

    func run() async throws {
        try await reportingFailures {
            guard let history = try await ClaimHistory.read(claim, from: try await log.open()) else {
                throw CommandFailure("no claim \(claim) in the log")
            }
            switch format {
            case .json, .jsonl:
                Terminal.print(CanonicalJSON.string(history.json))
            case .table:
                var table = TextTable("version", "position", "event", "recorded_at", "by", "reason", "figures after")
                for v in history.versions {
                    table.add(
                        String(v.version), String(v.position), v.type, v.recordedAt.iso8601, v.recordedBy, v.reason ?? "",
                        v.retractedAfter ? "(retracted)" : FigureText.of(v.claimAfter?.figures ?? []))
                }
                Terminal.print("History of claim \(claim)\n" + table.render())
            }
        }
    }
}
