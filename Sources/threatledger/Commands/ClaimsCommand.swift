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
                for record in records { Terminal.print(CanonicalJSON.string(record)) }
            case .csv:
                Terminal.print(ClaimCSV.header.joined(separator: ","))
                for record in records { Terminal.print(ClaimCSV.row(record).map(ClaimCSV.escape).joined(separator: ",")) }
            case .table:
                var table = TextTable("claim", "kind", "scope", "date", "country", "admin1", "figures", "incident")
                for claim in claims {
                    table.add(
                        claim.id, claim.kind, claim.scope, DateText.of(claim.fields["date"]), claim.country ?? "?",
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
    static func of(_ date: JSONValue?) -> String {
        guard let date, let start = date["start"]?.stringValue, let end = date["end"]?.stringValue else { return "unknown" }
        let precision = date["precision"]?.stringValue ?? ""
        let basis = date["basis"]?.stringValue.map { $0 == "stated" ? "" : ", \($0)" } ?? ""
        return start == end ? start + (basis.isEmpty ? "" : " (\(basis.dropFirst(2)))") : "\(start)..\(end) (\(precision)\(basis))"
    }
}

/// Figures in one short cell: `killed ≥16; kidnapped ~75; amount ? USD`.
enum FigureText {
    static func of(_ figures: [JSONValue]) -> String {
        figures.map { figure in
            let measure = figure["measure"]?.stringValue ?? "?"
            let low = figure["low"]?.integerValue.map(String.init) ?? ""
            let high = figure["high"]?.integerValue.map(String.init) ?? ""
            let value: String =
                switch figure["qualifier"]?.stringValue {
                case "exact": low
                case "about": "~" + low
                case "at_least": "≥" + low
                case "more_than": ">" + low
                case "up_to": "≤" + high
                case "range": low + "–" + high
                default: "?"
                }
            let currency = figure["currency"]?.stringValue.map { " " + $0 } ?? ""
            let part = figure["part_of"]?.integerValue != nil ? " (of which)" : ""
            return "\(measure) \(value)\(currency)\(part)"
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

    static func row(_ claim: JSONValue) -> [String] {
        func text(_ value: JSONValue?) -> String {
            switch value {
            case .string(let s): s
            case .number: value!.integerValue.map(String.init) ?? CanonicalJSON.string(value!)
            case .bool(let b): b ? "true" : "false"
            default: ""
            }
        }
        let location = claim["location"]
        let figures = claim["figures"]?.arrayValue ?? []
        var cells = [
            text(claim["claim_id"]), text(claim["source_id"]), text(claim["article_sha256"]),
            (claim["incident_ids"]?.arrayValue ?? []).map { text($0) }.joined(separator: " "),
            text(claim["kind"]), text(claim["scope"]), text(claim["date"]?["start"]), text(claim["date"]?["end"]),
            text(claim["date"]?["precision"]), text(claim["date"]?["basis"]), text(location?["country"]),
            text(location?["admin1"]), text(location?["place"]?["as_written"]), text(location?["place"]?["transliteration"]),
            text(location?["coordinates"]?["lat"]), text(location?["coordinates"]?["lon"]),
            text(location?["coordinates"]?["precision"]), text(claim["actors"]?["perpetrator"]?["name"]),
            text(claim["actors"]?["target"]?["name"]), text(claim["actors"]?["authority"]?["name"]),
            text(claim["attribution"]?["cited"]), text(claim["attribution"]?["cited_type"]),
            text(claim["attribution"]?["hedged"]), text(claim["summary"]), text(claim["statement"]?["quote"]?["exact"]),
            text(claim["statement"]?["position"]?["start"]), text(claim["statement"]?["position"]?["end"]),
            text(claim["revision"]),
        ]
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
