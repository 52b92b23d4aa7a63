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

    @Option(
        name: .long,
        help: ArgumentHelp("A country (SY) with its divisions, or one division: by ISO 3166-2 code (SY-HA) or by name (SY/Al-Hasakah).", valueName: "region"))
    var region: String?

    @Option(name: .long, help: "Output format: table or json.")
    var format: OutputFormat = .table

    func run() async throws {
        try await reportingFailures {
            let view = try await Serving.view(
                .regionSummary, log: log, clocks: try clocks.clocks(), role: "threatledger summary",
                scope: region.map(AuditViews.Scope.region) ?? .everything)
            let rows = view.rows
            // The view refused a region the index never held; one it holds whose claims the clocks
            // all left out is an empty answer, its headline saying what was left out, not an error.
            let keys = RegionSelector.select(rows.keys.sorted(), region: region) ?? []
            switch format {
            case .json, .jsonl:
                Terminal.print(CanonicalJSON.string(["as_of": view.asOf, "regions": .array(keys.map { rows[$0]! })]))
            case .table:
                Terminal.print("Threat summary — \(view.headline)")
                var summaries: [RegionSummary] = []
                for key in keys { summaries.append(try SummaryText.summary(rows[key]!, key: key)) }
                for summary in summaries { Terminal.print("\n" + SummaryText.render(summary)) }
                if keys.isEmpty { Terminal.print("\nnothing\(region.map { " in \(TextTable.isolated($0))" } ?? "") under these clocks") }
                // The example names a region shown here that has a figure, so it works as printed.
                let example =
                    summaries.compactMap { s in s.figures.keys.sorted().first.map { (s.region, $0) } }.first { $0.1 == "killed" }
                    ?? summaries.compactMap { s in s.figures.keys.sorted().first.map { (s.region, $0) } }.first
                Terminal.print(
                    "\nTrace any figure to its claims, articles and quotes: threatledger trace --region REGION --measure MEASURE"
                        + (example.map { " (e.g. --region \($0.0) --measure \($0.1))." } ?? "."))
            }
        }
    }
}

/// The region summary as text for a terminal, from the typed ``RegionSummary`` the served row reads
/// back into (a row that does not read back is an error naming the field: run verify --projections).
enum SummaryText {
    static func summary(_ row: JSONValue, key: String) throws -> RegionSummary {
        do { return try RegionSummary(json: row, key: key) } catch { throw CommandFailure("\(error); run verify --projections") }
    }

    static func render(_ summary: RegionSummary) -> String {
        var lines: [String] = []
        let region = summary.region
        func counts(_ counts: [String: Int]) -> String {
            let text = counts.keys.sorted().map { "\($0) \(counts[$0]!)" }.joined(separator: ", ")
            return text.isEmpty ? "none" : text
        }
        let names = summary.names
        let inWords = [names.division, names.country].compactMap { $0 }.joined(separator: ", ")
        lines.append(
            "\(region)\(region == "unplaced" ? " (claims naming no single country)" : " — \(TextTable.isolated(inWords))")")
        lines.append("  incidents: \(summary.incidentIDs.count)  (\(counts(summary.incidentsByKind)))")
        lines.append("  claims:    \(summary.claimsByKind.values.reduce(0, +))  (\(counts(summary.claimsByKind)))")
        lines.append(
            "  sources:   \(summary.sourceIDs.count);  event dates \(summary.earliest ?? "?") .. \(summary.latest ?? "?")")
        var table = TextTable("figure", "low", "best", "high", "from", "unknown", "claims")
        func add(_ section: String, _ figures: [String: SummaryFigure], from: String) {
            for key in figures.keys.sorted() {
                let figure = figures[key]!
                let name = section.isEmpty ? key : "\(section) \(key)"
                let known = figure.parts > 0
                table.add(
                    name, known ? String(figure.low) : "—", known ? (figure.best.map(String.init) ?? "—") : "—",
                    known ? (figure.high.map(String.init) ?? "open") : "—", "\(figure.parts) \(from)", String(figure.unknownParts),
                    String(figure.claimIDs.count))
            }
        }
        add("", summary.figures, from: "incident(s)")
        add("seized", summary.amountsSeized, from: "incident(s)")
        add("latest estimate:", summary.latestEstimates, from: "claim")
        add("aggregate:", summary.aggregateFigures, from: "claim(s)")
        if !table.rows.isEmpty {
            lines.append(table.render().split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        }
        let unknown = summary.incidentsWithUnknownToll.count
        if unknown > 0 { lines.append("  incidents with unknown death toll (not counted as zero): \(unknown)") }
        return lines.joined(separator: "\n")
    }
}
