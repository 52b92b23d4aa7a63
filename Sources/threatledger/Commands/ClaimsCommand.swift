import ArgumentParser
import ThreatLedgerAudit
import ThreatLedgerCore
import ThreatLedgerStore

struct ClaimsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "claims",
        abstract: "List the current claims (after corrections and retractions).",
        discussion: """
            jsonl: one claim per line, the public export of schemas/claim-export.schema.json (stable).
            csv: ACLED-like snake_case columns with UCDP-like low/best/high per measure (see that schema's description).
            acled, ucdp: the columns of ACLED's and UCDP GED's exports, then ThreatLedger's own (schemas/dataset-exports.md).
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, jsonl, csv, acled, ucdp
    }

    @OptionGroup var log: LogOptions

    @OptionGroup var clocks: ClockOptions

    @Option(name: .long, help: "Output format: table, jsonl, csv, acled or ucdp.")
    var format: Format = .table

    func run() async throws {
        try await reportingFailures {
            let view = try await Serving.view(.regionSummary, log: log, clocks: try clocks.clocks(), role: "threatledger claims", needs: .picture)
            let picture = view.picture
            if format == .table { Terminal.error("claims — \(view.headline)") }
            let claims = picture.currentClaims
            let incidents = picture.incidentsByClaim
            let records = AuditViews.claimRecords(view)
            switch format {
            case .jsonl:
                for record in records { Terminal.print(CanonicalJSON.string(record.json)) }
            case .csv, .acled, .ucdp:
                let table = ClaimTables.Format(rawValue: format.rawValue)!
                Terminal.write(try ClaimTables.csv(records, table))
            case .table:
                var table = TextTable("claim", "kind", "scope", "date", "country", "admin1", "figures", "incident")
                for claim in claims {
                    table.add(
                        claim.id, claim.kind.rawValue, claim.scope.rawValue, DateText.of(claim.coded.date), claim.country ?? "?",
                        claim.admin1 ?? "", FigureText.of(claim.figures), (incidents[claim.id] ?? []).joined(separator: " "))
                }
                Terminal.print(claims.isEmpty ? "no claims" : table.render())
                Terminal.print("\(claims.count) current claim(s)")
            }
        }
    }
}

/// A reported date in one short cell: `2023-02-11`, `2023-02-01..2023-02-28 (month)`, `unknown`.
enum DateText {
    static func of(_ date: CodedDate) -> String {
        guard let start = date.start?.iso8601, let end = date.end?.iso8601 else { return "unknown" }
        let basis = date.basis.map { $0 == .stated ? "" : ", \($0.rawValue)" } ?? ""
        return start == end ? start + (basis.isEmpty ? "" : " (\(basis.dropFirst(2)))") : "\(start)..\(end) (\(date.precision.rawValue)\(basis))"
    }
}

/// Figures in one short cell: `killed ≥16; kidnapped ~75; amount ? USD`.
enum FigureText {
    static func of(_ figures: [ClaimFigure]) -> String {
        figures.map { figure in
            let low = figure.low.map(String.init) ?? ""
            let high = figure.high.map(String.init) ?? ""
            let value: String =
                switch figure.qualifier {
                case .exact: low
                case .about: "~" + low
                case .atLeast: "≥" + low
                case .moreThan: ">" + low
                case .upTo: "≤" + high
                case .range: low + "–" + high
                case .unknown: "?"
                }
            let currency = figure.currency.map { " " + $0 } ?? ""
            let part = figure.partOf != nil ? " (of which)" : ""
            return "\(figure.measure) \(value)\(currency)\(part)"
        }.joined(separator: "; ")
    }
}
