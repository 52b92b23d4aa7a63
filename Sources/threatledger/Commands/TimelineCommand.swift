import ArgumentParser
import ThreatLedgerAudit
import ThreatLedgerCore
import ThreatLedgerProjections

struct TimelineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timeline",
        abstract: "How a region's figure moved: each day (report or event time) or moment (record time) it changed, and what it became.",
        discussion: """
            Each step is what `summary --region R` says for the measure's incident total under that clock \
            (--reported-by DAY, --occurred-by DAY, or --as-of TIME); only the steps where it moved are listed. \
            `diff --clock C --from PREVIOUS --to STEP --region R` explains a step. Read from the claim-version \
            index in one read of the region's history.
            """
    )

    @OptionGroup var log: LogOptions

    @Option(name: .long, help: ArgumentHelp("One division (SY-HA, or by name SY/Al-Hasakah) or a country (SY).", valueName: "region"))
    var region: String

    @Option(name: .long, help: ArgumentHelp("A flow measure: killed, wounded, arrested, escaped, …", valueName: "measure"))
    var measure: String = "killed"

    @Option(name: .long, help: "Which clock: report (default), event or record.")
    var clock: String = "report"

    @Option(name: .long, help: "Output format: table or json.")
    var format: OutputFormat = .table

    func validate() throws {
        if FigureTimeline.Clock(rawValue: clock) == nil { throw ValidationError("--clock must be report, event or record") }
    }

    func run() async throws {
        try await reportingFailures {
            let backend = try await log.backend(role: "threatledger timeline")
            guard let index = backend.projector as? any ClaimVersionIndex else { throw CommandFailure("this backend keeps no read index") }
            let report: TimelineReport
            do throws(AuditError) {
                report = try await TimelineReport.compute(
                    backend.log, index: index, region: region, measure: measure, clock: FigureTimeline.Clock(rawValue: clock)!)
            } catch {
                throw CommandFailure(error.description)
            }
            switch format {
            case .json, .jsonl: Terminal.print(CanonicalJSON.string(report.json))
            case .table: Terminal.print(Self.text(report))
            }
        }
    }

    /// One line per step.
    static func text(_ report: TimelineReport) -> String {
        let timeline = report.timeline
        var lines = [
            "\(timeline.measure) in \(TextTable.isolated(timeline.region)) over \(timeline.clock.rawValue) time, read from the claim-version index at log position \(report.position)"
                + (report.hash.map { ", hash \($0.hex.prefix(16))…" } ?? "")
        ]
        if let rule = report.rule { lines.append("rule: \(rule)") }
        if timeline.undated > 0 {
            lines.append("left out on this clock: \(timeline.undated) claim(s) with no \(timeline.clock == .report ? "publication" : "event") date")
        }
        if timeline.steps.isEmpty { lines.append("no step: the region has no \(timeline.measure) figure on this clock") }
        for step in timeline.steps {
            let when = step.day?.iso8601 ?? "\(step.recordedAt?.iso8601 ?? "?") (position \(step.position ?? 0))"
            let f = step.figure
            let bounds = f.parts > 0 ? "low \(f.low), best \(f.best.map(String.init) ?? "—"), high \(f.high.map(String.init) ?? "open")" : "no number"
            lines.append("  \(when): \(bounds); \(f.parts) numbered part(s), \(f.unknownParts) with no number")
        }
        return lines.joined(separator: "\n")
    }
}
