import ArgumentParser
import ThreatLedgerAudit
import ThreatLedgerCore
import ThreatLedgerProjections

struct SummaryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Per-region threat summaries: incidents, claims and figures with low / best / high.",
        discussion: """
            An incident reported by several sources counts once; its figures are reconciled by the rule \
            \(Reconciliation.incidentRule) (lowest low, highest high, best from the most recently published source). \
            Totals add incidents (\(Reconciliation.totalRule)); stocks take the latest estimate (\(Reconciliation.stockRule)). \
            Incidents whose toll is unknown are counted apart, never as zero. Every figure carries its claim ids \
            (--format json). The projection is caught up with the log before it is read.
            """
    )

    @OptionGroup var log: LogOptions

    @OptionGroup var clocks: ClockOptions

    @Option(name: .long, help: ArgumentHelp("A country (SY) with its divisions, or one division (SY/Al-Hasakah).", valueName: "region"))
    var region: String?

    @Option(name: .long, help: "Output format: table or json.")
    var format: OutputFormat = .table

    func run() async throws {
        try await reportingFailures {
            let view = try await Serving.view(
                .regionSummary, log: log, clocks: try clocks.clocks(), role: "threatledger summary",
                scope: region.map(AuditViews.Scope.region) ?? .everything)
            let rows = view.rows
            let keys = try Serving.select(rows.keys.sorted(), region: region)
            switch format {
            case .json, .jsonl:
                Terminal.print(CanonicalJSON.string(["as_of": view.asOf, "regions": .array(keys.map { rows[$0]! })]))
            case .table:
                Terminal.print("Threat summary — \(view.headline)")
                for key in keys { Terminal.print("\n" + SummaryText.render(rows[key]!)) }
                // The example names a region shown here that has a figure, so it works as printed.
                let example =
                    keys.compactMap { key in
                        rows[key]?["figures"]?.objectValue?.keys.sorted().first.map { (key, $0) }
                    }.first { $0.1 == "killed" }
                    ?? keys.compactMap { key in
                        rows[key]?["figures"]?.objectValue?.keys.sorted().first.map { (key, $0) }
                    }.first
                Terminal.print(
                    "\nTrace any figure to its claims, articles and quotes: threatledger trace --region REGION --measure MEASURE"
                        + (example.map { " (e.g. --region \($0.0) --measure \($0.1))." } ?? "."))
            }
        }
    }
}

/// The region summary as text for a terminal.
enum SummaryText {
    static func number(_ value: JSONValue?) -> String {
        value?.integerValue.map(String.init) ?? "—"
    }

    static func render(_ row: JSONValue) -> String {
        var lines: [String] = []
        let region = row["region"]?.stringValue ?? "?"
        func counts(_ value: JSONValue?) -> String {
            let object = value?.objectValue ?? [:]
            let text = object.keys.sorted().map { "\($0) \(object[$0]!.integerValue ?? 0)" }.joined(separator: ", ")
            return text.isEmpty ? "none" : text
        }
        lines.append("\(region)\(region == "unplaced" ? " (claims naming no single country)" : "")")
        lines.append("  incidents: \(row["incidents"]?.integerValue ?? 0)  (\(counts(row["incidents_by_kind"])))")
        lines.append(
            "  claims:    \((row["claims_by_kind"]?.objectValue ?? [:]).values.compactMap(\.integerValue).reduce(0, +))  (\(counts(row["claims_by_kind"])))")
        lines.append(
            "  sources:   \(row["sources"]?.arrayValue?.count ?? 0);  event dates \(row["earliest_event_date"]?.stringValue ?? "?") .. \(row["latest_event_date"]?.stringValue ?? "?")"
        )
        var table = TextTable("figure", "low", "best", "high", "from", "unknown", "claims")
        func add(_ section: String, _ figures: JSONValue?, from: String) {
            let object = figures?.objectValue ?? [:]
            for key in object.keys.sorted() {
                let figure = object[key]!
                let name = section.isEmpty ? key : "\(section) \(key)"
                let parts = figure["parts"]?.integerValue ?? 0
                table.add(
                    name, parts > 0 ? number(figure["low"]) : "—", parts > 0 ? number(figure["best"]) : "—",
                    parts > 0 ? (figure["high"]?.integerValue.map(String.init) ?? "open") : "—",
                    "\(parts) \(from)", String(figure["unknown_parts"]?.integerValue ?? 0),
                    String(figure["claim_ids"]?.arrayValue?.count ?? 0))
            }
        }
        add("", row["figures"], from: "incident(s)")
        add("seized", row["amounts_seized"], from: "incident(s)")
        add("latest estimate:", row["latest_estimates"], from: "claim")
        add("aggregate:", row["aggregate_figures"], from: "claim(s)")
        if !table.rows.isEmpty {
            lines.append(table.render().split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        }
        let unknown = row["incidents_with_unknown_toll"]?.arrayValue?.count ?? 0
        if unknown > 0 { lines.append("  incidents with unknown death toll (not counted as zero): \(unknown)") }
        return lines.joined(separator: "\n")
    }
}
