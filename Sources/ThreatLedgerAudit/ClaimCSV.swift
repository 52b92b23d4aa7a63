import ThreatLedgerCore

/// The CSV export: ACLED-like columns, one row per claim, low/best/high per measure (``FigureTotals``).
public enum ClaimCSV {
    public static let measures = [
        "killed", "wounded", "casualties", "kidnapped", "arrested", "escaped", "recaptured", "released", "surrendered",
        "prisoners_held", "fighters", "attackers", "displaced", "amount", "accounts", "attacks", "area",
    ]
    static let leading: [String] = [
        "claim_id", "source_id", "article_sha256", "incident_ids", "event_type", "scope", "event_date_start",
        "event_date_end", "date_precision", "date_basis", "country_iso2", "admin1", "location", "location_translit",
        "latitude", "longitude", "geo_precision", "actor1", "actor2", "authority", "cited", "cited_type", "hedged",
        "summary", "quote", "quote_start", "quote_end", "revision",
    ]
    static let trailing: [String] = [
        "source_title", "source_outlet", "source_url", "source_published_start", "source_published_end", "source_published_precision",
        "admin1_code", "place_name", "place_geonames_id", "where_prec", "location_unplaced", "gazetteer",
    ]
    public static let header: [String] = {
        let bounds: [String] = measures.flatMap { ["\($0)_low", "\($0)_best", "\($0)_high"] }
        let why: [String] = measures.flatMap { ["\($0)_qualifier", "\($0)_high_open", "\($0)_unstated"] }
        return leading + bounds + ["amount_currency"] + why + trailing
    }()

    public static func row(_ record: ClaimExportRecord) -> [String] {
        let claim = record.coded
        let location = claim.location
        let placed = record.placed
        var cells = [
            claim.claimID, claim.sourceID, record.articleSHA256 ?? "", record.incidentIDs.joined(separator: " "), claim.kind.rawValue,
            claim.scope.rawValue, claim.date.start?.iso8601 ?? "", claim.date.end?.iso8601 ?? "", claim.date.precision.rawValue,
            claim.date.basis?.rawValue ?? "", location.country ?? "", location.admin1 ?? "", location.place?.asWritten ?? "",
            location.place?.transliteration ?? "", DatasetExport.number(placed.latitude), DatasetExport.number(placed.longitude),
            placed.geoPrecision.map(String.init) ?? "", claim.actors.perpetrator?.name ?? "", claim.actors.target?.name ?? "",
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
        let source = record.source
        let about = [
            source?.title ?? "", source?.outlet ?? "", source?.url ?? "", source?.published.start?.iso8601 ?? "",
            source?.published.end?.iso8601 ?? "", source?.published.precision.rawValue ?? "", placed.division?.code ?? "",
            placed.place?.name ?? "", placed.place.map { String($0.geonameID) } ?? "", placed.wherePrecision.map(String.init) ?? "",
            placed.unplaced.joined(separator: "; "), placed.gazetteerVersion,
        ]
        return cells + [currency] + why + about
    }
}
