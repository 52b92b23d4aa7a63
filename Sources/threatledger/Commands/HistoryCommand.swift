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
                Terminal.print(
                    CanonicalJSON.string([
                        "claim_id": .string(claim),
                        "versions": .array(
                            history.versions.map { v in
                                [
                                    "version": .number(Double(v.version)), "position": .number(Double(v.position)), "type": .string(v.type),
                                    "recorded_at": .string(v.recordedAt.iso8601), "recorded_by": .string(v.recordedBy),
                                    "reason": .optional(v.reason), "payload": v.payload, "claim_after": v.claimAfter,
                                    "retracted_after": .bool(v.retractedAfter),
                                ]
                            }),
                    ]))
            case .table:
                var table = TextTable("version", "position", "event", "recorded_at", "by", "reason", "figures after")
                for v in history.versions {
                    table.add(
                        String(v.version), String(v.position), v.type, v.recordedAt.iso8601, v.recordedBy, v.reason ?? "",
                        v.retractedAfter ? "(retracted)" : FigureText.of(v.claimAfter["figures"]?.arrayValue ?? []))
                }
                Terminal.print("History of claim \(claim)\n" + table.render())
            }
        }
    }
}
