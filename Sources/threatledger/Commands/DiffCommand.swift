import ArgumentParser
import ThreatLedgerAudit
import ThreatLedgerCore
import ThreatLedgerProjections

struct DiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "What changed in the summaries between two moments, figure by figure, and the events that changed it.",
        discussion: """
            --clock record (default): what the log held at each time (events appended in between). \
            --clock report: sources published by each day. --clock event: events that happened by each day.
            """
    )

    @OptionGroup var log: LogOptions

    @Option(name: .long, help: ArgumentHelp("The first moment (a time, a day, or now).", valueName: "time"))
    var from: String

    @Option(name: .long, help: ArgumentHelp("The second moment (a time, a day, or now: the log as it stands).", valueName: "time"))
    var to: String

    @Option(name: .long, help: "Which clock: record, report or event.")
    var clock: String = "record"

    @Option(name: .long, help: ArgumentHelp("One division (SY-HA, or by name SY/Al-Hasakah) or a country with its divisions (SY).", valueName: "region"))
    var region: String?

    @Option(name: .long, help: "Output format: table or json.")
    var format: OutputFormat = .table

    func validate() throws {
        if SummaryDiff.Clock(rawValue: clock) == nil { throw ValidationError("--clock must be record, report or event") }
    }

    func run() async throws {
        try await reportingFailures {
            let diff: SummaryDiff
            let backend = try await log.backend(role: "threatledger diff")
            let store = backend.log
            do throws(AuditError) {
                diff = try await SummaryDiff.compute(
                    store, clock: SummaryDiff.Clock(rawValue: clock)!, from: from, to: to, region: region,
                    index: backend.projector as? any ClaimVersionIndex)
            } catch {
                throw CommandFailure(error.description)
            }
            switch format {
            case .json, .jsonl:
                Terminal.print(CanonicalJSON.string(diff.json))
            case .table:
                Terminal.print(
                    "Changes on the \(clock) clock from \(from) (log position \(diff.from.head?.position ?? 0)) to \(to) (log position \(diff.to.head?.position ?? 0))"
                )
                var table = TextTable("region", "figure", "before", "after")
                for change in diff.changes {
                    table.add(change.region, change.figure, Self.brief(change.before), Self.brief(change.after))
                }
                Terminal.print(diff.changes.isEmpty ? "no change" : table.render())
                Terminal.print("\n\(diff.causes.count) event(s) behind the changes\(region.map { " in \($0)" } ?? ""):")
                for cause in diff.causes {
                    Terminal.print("  \(cause.event.position)  \(cause.event.recordedAt.iso8601)  \(TextTable.isolated(cause.words))")
                }
            }
        }
    }

    static func brief(_ value: JSONValue) -> String {
        if value.isNull { return "—" }
        if value["low"] != nil {
            func n(_ v: JSONValue?) -> String { v?.integerValue.map(String.init) ?? (v?.isNull == true ? "·" : "?") }
            return "low \(n(value["low"])) best \(n(value["best"])) high \(n(value["high"]))"
        }
        if let number = value.integerValue { return String(number) }
        return CanonicalJSON.string(value)
    }
}
