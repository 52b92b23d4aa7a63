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
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, jsonl, csv
    }

    @OptionGroup var log: LogOptions

    @OptionGroup var clocks: ClockOptions

    @Option(name: .long, help: "Output format: table, jsonl or csv.")
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
            case .csv:
                Terminal.print(ClaimCSV.header.joined(separator: ","))
                for record in records { Terminal.print(ClaimCSV.row(record).map(ClaimCSV.escape).joined(separator: ",")) }
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

/// The CSV export: ACLED-like columns, one row per claim, low/best/high per measure (``FigureTotals``).
enum ClaimCSV {
    static let measures = [
        "killed", "wounded", "casualties", "kidnapped", "arrested", "escaped", "recaptured", "released", "surrendered",
        "prisoners_held", "fighters", "attackers", "displaced", "amount", "accounts", "attacks", "area",
    ]
    static let header =
        [
            "claim_id", "source_id", "article_sha256", "incident_ids", "event_type", "scope", "event_date_start",
            "event_date_end", "date_precision", "date_basis", "country_iso2", "admin1", "location", "location_translit",
            "latitude", "longitude", "geo_precision", "actor1", "actor2", "authority", "cited", "cited_type", "hedged",
            "summary", "quote", "quote_start", "quote_end", "revision",
        ] + measures.flatMap { ["\($0)_low", "\($0)_best", "\($0)_high"] } + ["amount_currency"]
        + measures.flatMap { ["\($0)_qualifier", "\($0)_high_open", "\($0)_unstated"] }

    static func row(_ record: ClaimExportRecord) -> [String] {
        let claim = record.coded
        let location = claim.location
        func number(_ value: Double?) -> String { value.map { CanonicalJSON.string(.number($0)) } ?? "" }
        var cells = [
            claim.claimID, claim.sourceID, record.articleSHA256 ?? "", record.incidentIDs.joined(separator: " "), claim.kind.rawValue,
            claim.scope.rawValue, claim.date.start?.iso8601 ?? "", claim.date.end?.iso8601 ?? "", claim.date.precision.rawValue,
            claim.date.basis?.rawValue ?? "", location.country ?? "", location.admin1 ?? "", location.place?.asWritten ?? "",
            location.place?.transliteration ?? "", number(location.coordinates?.lat), number(location.coordinates?.lon),
            location.coordinates?.precision.rawValue ?? "", claim.actors.perpetrator?.name ?? "", claim.actors.target?.name ?? "",
            claim.actors.authority?.name ?? "", claim.attribution.cited ?? "", claim.attribution.citedType,
            String(claim.attribution.hedged), claim.summary, claim.statement.exact, String(claim.statement.start),
            String(claim.statement.end), String(record.revision),
        ]
        let figures = claim.figures
        var currency = ""
        var why: [String] = []
        for measure in measures {
            let totals = FigureTotals.of(measure: measure, in: figures)
            if totals.figureCount == 0 {
                cells += ["", "", ""]
                why += ["", "", ""]
            } else {
                cells += [String(totals.low), totals.best.map(String.init) ?? "", totals.high.map(String.init) ?? ""]
                why += [totals.qualifiers.joined(separator: "+"), String(totals.highOpen), String(totals.unstated)]
                if measure == "amount" { currency = totals.currency ?? "" }
            }
        }
        return cells + [currency] + why
    }

    /// RFC 4180: quote a field holding a comma, quote or line break; double the quotes inside.
    static func escape(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
