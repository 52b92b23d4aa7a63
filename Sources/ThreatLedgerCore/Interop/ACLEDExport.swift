/// A claim as a row of ACLED's export columns, then ThreatLedger's own columns that ACLED lacks.
/// `schemas/dataset-exports.md` gives each column's mapping and what cannot be mapped, and why.
public enum ACLEDExport {
    /// ACLED's export columns, in its order.
    public static let datasetColumns = [
        "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type", "actor1",
        "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting", "iso", "region", "country",
        "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
        "fatalities", "tags", "timestamp",
    ]

    public static let header = datasetColumns + DatasetExport.ownColumns

    public static func row(_ record: ClaimExportRecord, gazetteer: Gazetteer = .standard) -> [String] {
        let claim = record.coded
        let placed = record.placed
        let country = claim.location.country.flatMap { gazetteer.countries[$0] }
        let (eventType, subEventType) = eventTypes(claim)
        let inter1 = claim.actors.perpetrator.flatMap { interCode($0.type) }
        let inter2 = claim.actors.target.flatMap { interCode($0.type) }
        let interaction = [inter1, inter2].compactMap { $0 }.sorted().map(String.init).joined()
        let killed = record.totals["killed"]
        let timePrecision: String =
            switch claim.date.precision {
            case .day: "1"
            case .week: "2"
            case .month, .year: "3"
            case .unknown: ""
            }
        var tags: [String] = []
        if claim.date.precision == .year { tags.append("date known to the year only") }
        if claim.scope != .incident { tags.append("scope: \(claim.scope.rawValue)") }
        let dataset: [String] = [
            "TL-\(claim.claimID)", claim.date.start?.iso8601 ?? "", claim.date.start.map { String($0.year) } ?? "", timePrecision,
            disorderType(claim), eventType, subEventType, claim.actors.perpetrator?.name ?? "", "", inter1.map(String.init) ?? "",
            claim.actors.target?.name ?? "", "", inter2.map(String.init) ?? "", interaction,
            claim.actors.target?.type == "civilians" ? "Civilian targeting" : "", country.map { String($0.numeric) } ?? "", "",
            country?.name ?? "", placed.division?.name ?? claim.location.admin1 ?? "", "", "",
            placed.place?.name ?? claim.location.place?.transliteration ?? "", DatasetExport.number(placed.latitude),
            DatasetExport.number(placed.longitude), placed.geoPrecision.map(String.init) ?? "",
            record.source.flatMap { $0.outlet ?? $0.title } ?? "", "", record.importedFrom == .acled ? claim.statement.exact : claim.summary,
            killed.map { String($0.low) } ?? "", tags.joined(separator: "; "),
            String(record.lastChangedAt.microsecondsSinceEpoch / 1_000_000),
        ]
        return DatasetExport.carrying(carried, from: record, dataset: .acled, into: dataset, columns: datasetColumns, aliases: oldNames)
            + DatasetExport.ownCells(record)
    }

    /// Columns ThreatLedger's claim does not hold (or holds less finely than ACLED): a claim imported
    /// from ACLED exports them as its row gave them. Every other column is made from the claim.
    static let carried: Set<String> = [
        "event_id_cnty", "disorder_type", "event_type", "sub_event_type", "assoc_actor_1", "inter1", "assoc_actor_2", "inter2",
        "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3", "location", "source",
        "source_scale", "tags", "timestamp",
    ]

    /// The pre-2019 names of current columns.
    static let oldNames = ["event_id_cnty": "data_id", "assoc_actor_1": "ally_actor_1", "assoc_actor_2": "ally_actor_2"]

    /// Political violence for the violent kinds, strategic developments for the rest.
    static func disorderType(_ claim: CodedClaim) -> String {
        RegionSummaries.violentKinds.contains(claim.kind) ? "Political violence" : "Strategic developments"
    }

    /// ACLED's event type and sub-event type for a claim's kind (and, for an attack, its target).
    static func eventTypes(_ claim: CodedClaim) -> (String, String) {
        switch claim.kind {
        case .attack: claim.actors.target?.type == "civilians" ? ("Violence against civilians", "Attack") : ("Battles", "Armed clash")
        case .prisonBreak, .counterOperation: ("Battles", "Armed clash")
        case .arrest, .detention: ("Strategic developments", "Arrests")
        case .financingSeizure, .financing, .strengthEstimate, .territorial: ("Strategic developments", "Other")
        }
    }

    /// ACLED's actor type codes: 1 state forces, 2 rebel groups (ACLED codes the Islamic State as one),
    /// 7 civilians, 8 external or other forces; nil where the coded type has no ACLED counterpart.
    static func interCode(_ type: String) -> Int? {
        switch type {
        case "state_forces", "government": 1
        case "isis", "non_state_armed_group": 2
        case "civilians", "prisoners": 7
        case "foreign_forces", "coalition": 8
        default: nil
        }
    }
}
