/// A claim as a row of UCDP GED's columns, then ThreatLedger's own columns that GED lacks.
/// `schemas/dataset-exports.md` gives each column's mapping and what cannot be mapped, and why.
public enum UCDPExport {
    /// UCDP GED's columns, in its order.
    public static let datasetColumns = [
        "id", "year", "type_of_violence", "side_a", "side_b", "source_article", "source_office", "source_date", "source_headline",
        "source_original", "where_prec", "where_coordinates", "adm_1", "adm_2", "latitude", "longitude", "country", "country_id", "region",
        "event_clarity", "date_prec", "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "best",
        "high", "low", "number_of_sources",
    ]

    public static let header = datasetColumns + DatasetExport.ownColumns

    public static func row(_ record: ClaimExportRecord, gazetteer: Gazetteer = .standard) -> [String] {
        let claim = record.coded
        let placed = record.placed
        let country = claim.location.country.flatMap { gazetteer.countries[$0] }
        let killed = record.totals["killed"]
        let civilians = claim.actors.target?.type == "civilians"
        let best = killed.flatMap { $0.best ?? ($0.numbered ? $0.low : nil) }
        let datePrecision: String =
            switch claim.date.precision {
            case .day: claim.date.start == claim.date.end ? "1" : "2"
            case .week: "3"
            case .month: "4"
            case .year: "5"
            case .unknown: ""
            }
        let source = record.source
        let dataset: [String] = [
            "TL-\(claim.claimID)", claim.date.start.map { String($0.year) } ?? "", typeOfViolence(claim).map(String.init) ?? "",
            claim.actors.perpetrator?.name ?? "", claim.actors.target?.name ?? "",
            [source?.outlet, source?.title].compactMap { $0 }.joined(separator: ", "), source?.outlet ?? "",
            source?.published.start?.iso8601 ?? "", source?.title ?? "", claim.attribution.citedAsWritten ?? claim.attribution.cited ?? "",
            placed.wherePrecision.map(String.init) ?? "",
            [placed.place?.name, placed.division?.name].compactMap { $0 }.first ?? claim.location.place?.transliteration ?? "",
            placed.division?.name ?? claim.location.admin1 ?? "", "", DatasetExport.number(placed.latitude),
            DatasetExport.number(placed.longitude), country?.name ?? "", "", "", claim.scope == .incident ? "1" : "2", datePrecision,
            claim.date.start?.iso8601 ?? "", claim.date.end?.iso8601 ?? "", "", "", civilians ? best.map(String.init) ?? "" : "",
            civilians ? "" : best.map(String.init) ?? "", best.map(String.init) ?? "", killed?.high.map(String.init) ?? "",
            killed.map { $0.numbered ? String($0.low) : "" } ?? "", "1",
        ]
        return DatasetExport.carrying(carried, from: record, dataset: .ucdp, into: dataset, columns: datasetColumns, aliases: [:])
            + DatasetExport.ownCells(record)
    }

    /// Columns ThreatLedger's claim does not hold (or holds less finely than GED: its best estimate
    /// inside a range, deaths by side, GED's own codes): a claim imported from UCDP exports them as
    /// its row gave them. Every other column is made from the claim.
    static let carried: Set<String> = [
        "id", "type_of_violence", "source_article", "source_office", "where_coordinates", "adm_1", "adm_2", "country", "country_id",
        "region", "event_clarity", "date_prec", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "best", "number_of_sources",
    ]

    /// 1 state-based (the Islamic State against a government's forces), 2 non-state (against
    /// another armed group), 3 one-sided (against civilians); nil for claims that are not violence.
    static func typeOfViolence(_ claim: CodedClaim) -> Int? {
        guard RegionSummaries.violentKinds.contains(claim.kind) else { return nil }
        switch claim.actors.target?.type {
        case "civilians", "prisoners": return 3
        case "state_forces", "government", "foreign_forces", "coalition": return 1
        case "non_state_armed_group": return 2
        default: return nil
        }
    }
}
