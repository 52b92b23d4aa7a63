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
                for key in keys { Terminal.print("\n" + (try render(rows[key]!))) }
            }
        }
    }

    func render(_ row: JSONValue) throws -> String {
        let source: SourceProvenance
        do { source = try SourceProvenance(json: row) } catch {
            throw CommandFailure("the stored provenance row does not read back (\(error)); run verify --projections")
        }
        var lines: [String] = []
        if let title = source.title { lines.append(TextTable.isolated(title)) }
        lines.append("\(source.sourceID)  published \(DateText.of(source.published))  sha256 \(source.articleSHA256.prefix(16))…")
        lines.append(
            "  claims: \(source.claims) current, \(source.retractedClaims) retracted  ("
                + source.claimsByKind.keys.sorted().map { "\($0) \(source.claimsByKind[$0]!)" }.joined(separator: ", ") + ")")
        lines.append("  regions: " + source.regions.joined(separator: ", "))
        var attributions = TextTable("cited", "type", "claims", "hedged")
        for item in source.attributions {
            attributions.add(item.cited ?? "(the article itself)", item.citedType, String(item.claimIDs.count), String(item.hedged))
        }
        lines.append(attributions.render().split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        for shared in source.sharedIncidents {
            lines.append(
                "  incident \(shared.incidentID): "
                    + (shared.corroboratedBy.isEmpty ? "reported by this source only" : "corroborated by \(shared.corroboratedBy.joined(separator: ", "))"))
        }
        for entry in source.disagreements {
            lines.append("  disagrees on \(entry.disagreement.field) of \(entry.incidentID): " + (entry.disagreement.note ?? ""))
        }
        for entry in source.changes {
            let change = entry.change
            lines.append("  \(change.type) of \(entry.claimID) by \(change.recordedBy) at \(change.recordedAt.iso8601): \(change.reason ?? "")")
        }
        return lines.joined(separator: "\n")
    }
}
