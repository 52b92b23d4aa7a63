import ArgumentParser
import ThreatLedgerAudit
import ThreatLedgerCore
import ThreatLedgerProjections

struct ProvenanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "provenance",
        abstract: "Per-source provenance: claims by kind, regions, attributions, corroboration, disagreements, corrections.",
        discussion: "The projection is caught up with the log before it is read."
    )

    @OptionGroup var log: LogOptions

    @OptionGroup var clocks: ClockOptions

    @Option(name: .long, help: ArgumentHelp("One source id.", valueName: "id"))
    var source: String?

    @Option(name: .long, help: "Output format: table or json.")
    var format: OutputFormat = .table

    func run() async throws {
        try await reportingFailures {
            let view = try await Serving.view(.sourceProvenance, log: log, clocks: try clocks.clocks(), role: "threatledger provenance")
            let rows = view.rows
            var keys = rows.keys.sorted()
            if let source {
                guard rows[source] != nil else {
                    throw CommandFailure("no source \(source) (known: \(keys.joined(separator: ", ")))")
                }
                keys = [source]
            }
            switch format {
            case .json, .jsonl:
                Terminal.print(CanonicalJSON.string(["as_of": view.asOf, "sources": .array(keys.map { rows[$0]! })]))
            case .table:
                Terminal.print("Source provenance — \(view.headline)")
                for key in keys { Terminal.print("\n" + render(rows[key]!)) }
            }
        }
    }

    func render(_ row: JSONValue) -> String {
        var lines: [String] = []
        let published = row["published"]
        if let title = row["title"]?.stringValue { lines.append(TextTable.isolated(title)) }
        lines.append(
            "\(row["source_id"]?.stringValue ?? "?")  published \(DateText.of(published))  sha256 \(row["article_sha256"]?.stringValue?.prefix(16) ?? "?")…")
        let kinds = row["claims_by_kind"]?.objectValue ?? [:]
        lines.append(
            "  claims: \(row["claims"]?.integerValue ?? 0) current, \(row["retracted_claims"]?.integerValue ?? 0) retracted  ("
                + kinds.keys.sorted().map { "\($0) \(kinds[$0]!.integerValue ?? 0)" }.joined(separator: ", ") + ")")
        lines.append("  regions: " + (row["regions"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: ", "))
        var attributions = TextTable("cited", "type", "claims", "hedged")
        for item in row["attributions"]?.arrayValue ?? [] {
            attributions.add(
                item["cited"]?.stringValue ?? "(the article itself)", item["cited_type"]?.stringValue ?? "",
                String(item["claims"]?.integerValue ?? 0), String(item["hedged"]?.integerValue ?? 0))
        }
        lines.append(attributions.render().split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        for shared in row["shared_incidents"]?.arrayValue ?? [] {
            let others = (shared["corroborated_by"]?.arrayValue ?? []).compactMap(\.stringValue)
            lines.append(
                "  incident \(shared["incident_id"]?.stringValue ?? "?"): "
                    + (others.isEmpty ? "reported by this source only" : "corroborated by \(others.joined(separator: ", "))"))
        }
        for disagreement in row["disagreements"]?.arrayValue ?? [] {
            lines.append(
                "  disagrees on \(disagreement["field"]?.stringValue ?? "?") of \(disagreement["incident_id"]?.stringValue ?? "?"): "
                    + (disagreement["note"]?.stringValue ?? ""))
        }
        for change in row["corrections_and_retractions"]?.arrayValue ?? [] {
            lines.append(
                "  \(change["type"]?.stringValue ?? "?") of \(change["claim_id"]?.stringValue ?? "?") by "
                    + "\(change["recorded_by"]?.stringValue ?? "?") at \(change["recorded_at"]?.stringValue ?? "?"): \(change["reason"]?.stringValue ?? "")")
        }
        return lines.joined(separator: "\n")
    }
}
