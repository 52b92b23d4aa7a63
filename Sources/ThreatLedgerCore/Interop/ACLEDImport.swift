/// An ACLED export row as a source and a claim (``DatasetImport``). Reads ACLED's current columns and
/// its older ones (before 2019: `data_id`, `event_id_no_cnty`, `ally_actor_1`/`ally_actor_2`, `gwno`
/// or `iso`, `iso3`, and the older event types). `schemas/dataset-exports.md` gives the mapping.
public enum ACLEDImport {
    /// The columns a file must have: a row id, a date, the words and the country.
    static let requiredColumns = [["event_id_cnty", "data_id"], ["event_date"], ["notes"], ["country", "iso"]]

    /// What is missing from a header, if anything.
    public static func headerProblem(_ columns: [String]) -> String? {
        DatasetImport.headerProblem(columns, required: requiredColumns, dataset: "an ACLED")
    }

    public static func map(_ record: DatasetImport.Record, gazetteer: Gazetteer = .standard) throws(DatasetImport.Problem) -> DatasetImport.Mapped {
        let line = record.line
        guard let rowID = record["event_id_cnty"] ?? record["data_id"] else {
            throw DatasetImport.Problem(line: line, column: "event_id_cnty", reason: "is empty; every ACLED row has its id")
        }
        let row = DatasetRow(dataset: .acled, rowID: rowID, fields: record.fields)
        let text = try DatasetImport.quotedText(record.fields["notes"] ?? "", record: record, column: "notes")
        let date: CodedDate
        switch record["event_date"] == nil ? nil : record["time_precision"] ?? "1" {
        case nil: date = CodedDate(start: nil, end: nil, precision: .unknown, basis: nil, words: nil, note: "the row gives no event_date")
        case "1":
            let day = try DatasetImport.date(record, "event_date")
            date = CodedDate(start: day, end: day, precision: .day, basis: .stated, words: nil, note: "ACLED event_date, time_precision 1")
        case "2":
            let day = try DatasetImport.date(record, "event_date")
            date = CodedDate(
                start: day, end: day.adding(days: 6), precision: .week, basis: .stated, words: nil,
                note: "ACLED event_date, time_precision 2: within the week from this date")
        case "3":
            let day = try DatasetImport.date(record, "event_date")
            date = CodedDate(
                start: day, end: day.lastDayOfMonth, precision: .month, basis: .stated, words: nil,
                note: "ACLED event_date, time_precision 3: within the month")
        case let other?:
            throw DatasetImport.Problem(line: line, column: "time_precision", reason: "\"\(other)\" is not ACLED's 1, 2 or 3")
        }
        let country = try DatasetImport.country(record, numeric: "iso", name: "country", gazetteer: gazetteer)
        let precision: ClaimLocation.Coordinates.Precision =
            switch record["geo_precision"] {
            case "2": .near
            case "3": .admin1
            default: .exact
            }
        let location = ClaimLocation(
            country: country?.code, admin1: record["admin1"],
            place: record["location"].map { ClaimLocation.Place(asWritten: String($0.prefix(300)), transliteration: String($0.prefix(300))) },
            coordinates: try DatasetImport.coordinates(record, latitude: "latitude", longitude: "longitude", precision: precision))
        let actors = ClaimActors(
            perpetrator: DatasetImport.actor(record["actor1"], type: actorType(record["inter1"], name: record["actor1"])),
            target: DatasetImport.actor(record["actor2"], type: actorType(record["inter2"], name: record["actor2"])), authority: nil)
        var figures: [DatasetImport.Figure] = []
        if let fatalities = try DatasetImport.count(record, "fatalities") {
            figures.append(
                .init(
                    measure: "killed", low: fatalities, high: fatalities, qualifier: .exact, columns: .init(low: "fatalities", high: "fatalities"),
                    note: "ACLED fatalities: a conservative estimate"))
        }
        return DatasetImport.Mapped(
            row: row, text: text, language: "en", title: nil,
            published: CodedDate(
                start: date.start, end: date.end, precision: date.precision, basis: date.start == nil ? nil : .stated, words: nil,
                note: "the ACLED row's date"),
            kind: try kind(record), scope: record["tl_scope"].flatMap(CodedClaim.Scope.init(rawValue:)) ?? .incident,
            summary: DatasetImport.summary(text), actors: actors,
            attribution: Attribution(
                cited: record["source"].map { String($0.prefix(300)) }, citedAsWritten: record["source"].map { String($0.prefix(300)) },
                citedType: "unknown", hedged: false, hedgeWords: nil),
            date: date, location: location, figures: figures)
    }

    /// The claim's kind from ACLED's event type and sub-event type (current and pre-2019 names), or
    /// from `tl_kind` when the file is one ThreatLedger exported. Protests and riots are not ISIS
    /// activity ThreatLedger codes: such a row is refused, so filter the export first.
    static func kind(_ record: DatasetImport.Record) throws(DatasetImport.Problem) -> CodedClaim.Kind {
        if let text = record["tl_kind"] {
            guard let kind = CodedClaim.Kind(rawValue: text) else {
                throw DatasetImport.Problem(line: record.line, column: "tl_kind", reason: "\"\(text)\" is not a claim kind")
            }
            return kind
        }
        let eventType = (record["event_type"] ?? "").lowercased()
        let subEventType = (record["sub_event_type"] ?? "").lowercased()
        if eventType.hasPrefix("battle") || eventType.contains("violence") || eventType.hasPrefix("explosions") || eventType.hasPrefix("remote") {
            return eventType.contains("overtakes territory") || eventType.contains("regains territory") ? .territorial : .attack
        }
        if eventType.hasPrefix("strategic development") {
            return subEventType == "arrests" ? .arrest : .territorial
        }
        if eventType.contains("territory") || eventType.contains("headquarters") { return .territorial }
        throw DatasetImport.Problem(
            line: record.line, column: "event_type",
            reason:
                "\"\(record["event_type"] ?? "")\" is not ISIS activity ThreatLedger codes (battles, violence against civilians, explosions/remote violence, strategic developments); filter the export first"
        )
    }

    /// ACLED's actor type code as ThreatLedger's actor type: 1 state forces, 2 rebel groups (the
    /// Islamic State by name), 3 and 4 militias, 7 civilians, 8 external or other forces.
    static func actorType(_ code: String?, name: String?) -> String {
        switch code {
        case "1": "state_forces"
        case "2": name.map(DatasetImport.namesIslamicState) == true ? "isis" : "non_state_armed_group"
        case "3", "4": "non_state_armed_group"
        case "7": "civilians"
        case "8": "foreign_forces"
        default: "unknown"
        }
    }
}
