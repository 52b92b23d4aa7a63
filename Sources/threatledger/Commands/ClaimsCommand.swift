import ArgumentParser
import ThreatLedgerAudit
import ThreatLedgerCore
import ThreatLedgerProjections
import ThreatLedgerStore

struct ClaimsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "claims",
        abstract: "List the current claims (after corrections and retractions), all of them or a page at a time.",
        discussion: """
            Claims are listed in claim-id order, read from the claim-version index page by page, so a listing of a \
            large log streams in bounded memory; filters and clocks are conditions on the same rows.
            threatledger claims --region SY --kind attack --occurred-from 2022-01-01 --occurred-to 2022-12-31
            threatledger claims --limit 100 [--after LAST_ID]    one page; the next page's --after is printed on stderr
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

    @Option(name: .long, help: ArgumentHelp("Only claims placed in this region: a country (SY), a division (SY-HA), or unplaced.", valueName: "region"))
    var region: String?

    @Option(name: .long, help: ArgumentHelp("Only claims of this kind (attack, arrest, prison_break, …).", valueName: "kind"))
    var kind: CodedClaim.Kind?

    @Option(name: .long, help: ArgumentHelp("Only claims of this source.", valueName: "source id"))
    var source: String?

    @Option(name: .customLong("occurred-from"), help: ArgumentHelp("Only claims whose event date range reaches this day or later.", valueName: "date"))
    var occurredFrom: String?

    @Option(name: .customLong("occurred-to"), help: ArgumentHelp("Only claims whose event date range starts on this day or before.", valueName: "date"))
    var occurredTo: String?

    @Option(name: .long, help: ArgumentHelp("List one page of at most this many claims (1–1000); without it, every page.", valueName: "n"))
    var limit: Int?

    @Option(name: .long, help: ArgumentHelp("Start after this claim id (the previous page's next).", valueName: "claim id"))
    var after: String?

    func validate() throws {
        if let limit, !(1...ClaimPageQuery.maximumLimit).contains(limit) {
            throw ValidationError("--limit \(limit): give a number from 1 to \(ClaimPageQuery.maximumLimit)")
        }
        for (name, text) in [("--occurred-from", occurredFrom), ("--occurred-to", occurredTo)] {
            if let text, CalendarDate(iso8601: text) == nil { throw ValidationError("\(name) \(text): not a real date (YYYY-MM-DD)") }
        }
    }

    func run() async throws {
        try await reportingFailures {
            let backend = try await log.backend(role: "threatledger claims")
            let clocks = try clocks.clocks()
            var query = ClaimPageQuery(
                after: after, limit: limit ?? ClaimPageQuery.maximumLimit, kind: kind, sourceID: source,
                occurredFrom: occurredFrom.flatMap(CalendarDate.init(iso8601:)), occurredTo: occurredTo.flatMap(CalendarDate.init(iso8601:)))
            var table = TextTable("claim", "kind", "scope", "date", "country", "admin1", "figures", "incident")
            var count = 0
            var wroteHeader = false
            let progress = ProgressReporter(label: "rebuild \(ClaimVersionIndexLayout.name)", total: nil)
            while true {
                let listing: ClaimListing
                do throws(AuditError) {
                    listing = try await ClaimListing.read(
                        query, region: region, clocks: clocks, projector: backend.projector, log: backend.log, freshness: .catchUp
                    ) { done, total in progress.update(done, total: total) }
                } catch {
                    progress.finish()
                    throw CommandFailure(error.description)
                }
                progress.finish()
                if count == 0, format == .table {
                    Terminal.error("claims — read from the claim-version index at log position \(listing.page.position); clocks: \(clocks.description)")
                }
                let records = listing.page.records
                switch format {
                case .jsonl:
                    for record in records { Terminal.print(CanonicalJSON.string(record.json)) }
                case .csv, .acled, .ucdp:
                    let csv = try ClaimTables.csv(records, ClaimTables.Format(rawValue: format.rawValue)!)
                    // The header once, at the top of the first page.
                    Terminal.write(wroteHeader ? String(csv.drop { $0 != "\n" }.dropFirst()) : csv)
                    wroteHeader = true
                case .table:
                    for claim in listing.page.claims {
                        table.add(
                            claim.id, claim.kind.rawValue, claim.scope.rawValue, DateText.of(claim.coded.date), claim.country ?? "?",
                            claim.admin1 ?? "", FigureText.of(claim.figures), (listing.page.incidentIDs[claim.id] ?? []).joined(separator: " "))
                    }
                }
                count += records.count
                guard let next = listing.page.nextAfter else { break }
                if limit != nil {
                    Terminal.error("next page: --after \(next)")
                    break
                }
                query.after = next
            }
            if format == .table {
                Terminal.print(count == 0 ? "no claims" : table.render())
                Terminal.print("\(count) current claim(s)")
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
