/// A UCDP GED row as a source and a claim (``DatasetImport``). `schemas/dataset-exports.md` gives the
/// mapping.
public enum UCDPImport {
    /// The columns a file must have: the id, the event's dates, the country, and words to quote.
    static let requiredColumns = [["id"], ["date_start"], ["date_end"], ["country"], ["source_headline", "source_original"]]

    /// What is missing from a header, if anything.
    public static func headerProblem(_ columns: [String]) -> String? {
        DatasetImport.headerProblem(columns, required: requiredColumns, dataset: "a UCDP GED")
    }

    public static func map(_ record: DatasetImport.Record, gazetteer: Gazetteer = .standard) throws(DatasetImport.Problem) -> DatasetImport.Mapped {
        let line = record.line
        guard let rowID = record["id"] else {
            throw DatasetImport.Problem(line: line, column: "id", reason: "is empty; every UCDP GED row has its id")
        }
        let row = DatasetRow(dataset: .ucdp, rowID: rowID, fields: record.fields)
        let headline = record["source_headline"]
        let original = record["source_original"]
        // A ThreatLedger export of a claim whose article states no headline and cites no one quotes
        // the claim's own words (`tl_quote`).
        let words = [headline, original].compactMap { $0 }.joined(separator: "\n")
        let text = try DatasetImport.quotedText(
            words.isEmpty ? record["tl_quote"] ?? "" : words, record: record, column: headline == nil ? "source_original" : "source_headline")
        if let headline, headline.unicodeScalars.count > 1_000 {
            throw DatasetImport.Problem(
                line: line, column: "source_headline", reason: "holds \(headline.unicodeScalars.count) characters; a title holds at most 1000")
        }
        let date: CodedDate
        if record["date_start"] == nil && record["date_end"] == nil {
            date = CodedDate(start: nil, end: nil, precision: .unknown, basis: nil, words: nil, note: "the row gives no date_start or date_end")
        } else {
            date = try eventDate(record)
        }
        let published =
            record["source_date"] == nil
            ? CodedDate(start: nil, end: nil, precision: .unknown, basis: nil, words: nil, note: "the UCDP row gives no source_date")
            : DatasetImport.day(try DatasetImport.date(record, "source_date"), note: "UCDP source_date")
        let country = try DatasetImport.country(record, numeric: "", name: "country", gazetteer: gazetteer)
        let coordinatePrecision: ClaimLocation.Coordinates.Precision =
            switch record["where_prec"] {
            case "2": .near
            case "3": .admin2
            case "4", "5": .admin1
            case "6", "7": .country
            default: .exact
            }
        let place = record["where_coordinates"].map { words in
            // GED writes "place village (town)"; the words as written, cut at the schema's limit.
            ClaimLocation.Place(asWritten: String(words.prefix(300)), transliteration: String(words.prefix(300)))
        }
        let location = ClaimLocation(
            country: country?.code, admin1: record["adm_1"], place: place,
            coordinates: try DatasetImport.coordinates(record, latitude: "latitude", longitude: "longitude", precision: coordinatePrecision))
        let sideA = record["side_a"]
        let sideB = record["side_b"]
        let actors = ClaimActors(
            perpetrator: DatasetImport.actor(sideA, type: actorType(sideA, first: true)),
            target: DatasetImport.actor(sideB, type: actorType(sideB, first: false)), authority: nil)
        let low = try DatasetImport.count(record, "low")
        let best = try DatasetImport.count(record, "best")
        let high = try DatasetImport.count(record, "high")
        var figures: [DatasetImport.Figure] = []
        switch (low, best, high) {
        case (let low?, _, let high?) where low == high:
            figures.append(.init(measure: "killed", low: low, high: high, qualifier: .exact, columns: .init(low: "low", high: "high"), note: "UCDP low = high"))
        case (let low?, _, let high?) where low < high:
            figures.append(
                .init(
                    measure: "killed", low: low, high: high, qualifier: .range, columns: .init(low: "low", high: "high"),
                    note: "UCDP low to high; its best estimate is \(best.map(String.init) ?? "not given")"))
        case (let low?, _, let high?):
            throw DatasetImport.Problem(line: line, column: "high", reason: "\(high) is below low \(low)")
        case (let low?, _, nil):
            figures.append(
                .init(measure: "killed", low: low, high: nil, qualifier: .atLeast, columns: .init(low: "low", high: nil), note: "UCDP low, no high"))
        case (nil, _, let high?):
            figures.append(
                .init(measure: "killed", low: nil, high: high, qualifier: .upTo, columns: .init(low: nil, high: "high"), note: "UCDP high, no low"))
        case (nil, let best?, nil):
            figures.append(.init(measure: "killed", low: best, high: best, qualifier: .exact, columns: .init(low: "best", high: "best"), note: "UCDP best"))
        default:
            break
        }
        let cited = record["source_original"].map { String($0.prefix(300)) }
        return DatasetImport.Mapped(
            row: row, text: text, language: "und", title: headline, published: published, kind: try kind(record),
            scope: record["tl_scope"].flatMap(CodedClaim.Scope.init(rawValue:)) ?? .incident, summary: DatasetImport.summary(text),
            actors: actors,
            attribution: Attribution(cited: cited, citedAsWritten: cited, citedType: "unknown", hedged: false, hedgeWords: nil),
            date: date, location: location, figures: figures)
    }

    /// The event's dates and GED's precision code (1 the day; 2 two to six days; 3 a week; 4 a
    /// month; 5 a longer span).
    static func eventDate(_ record: DatasetImport.Record) throws(DatasetImport.Problem) -> CodedDate {
        let line = record.line
        let start = try DatasetImport.date(record, "date_start")
        let end = try DatasetImport.date(record, "date_end")
        if end < start { throw DatasetImport.Problem(line: line, column: "date_end", reason: "\(end) is before date_start \(start)") }
        let precision: CodedDate.Precision
        switch record["date_prec"] ?? (start == end ? "1" : "3") {
        case "1":
            guard start == end else {
                throw DatasetImport.Problem(line: line, column: "date_prec", reason: "is 1 (the exact day), but date_start and date_end differ")
            }
            precision = .day
        case "2", "3": precision = start == end ? .day : .week
        case "4": precision = start == end ? .day : .month
        case "5": precision = start == end ? .day : .year
        case let other: throw DatasetImport.Problem(line: line, column: "date_prec", reason: "\"\(other)\" is not UCDP's 1 to 5")
        }
        return CodedDate(
            start: start, end: end, precision: precision, basis: .stated, words: nil,
            note: "UCDP date_start and date_end, date_prec \(record["date_prec"] ?? "not given")")
    }

    /// Every GED row is organized violence: an attack, unless a ThreatLedger export says otherwise
    /// (`tl_kind`).
    static func kind(_ record: DatasetImport.Record) throws(DatasetImport.Problem) -> CodedClaim.Kind {
        if let text = record["tl_kind"] {
            guard let kind = CodedClaim.Kind(rawValue: text) else {
                throw DatasetImport.Problem(line: record.line, column: "tl_kind", reason: "\"\(text)\" is not a claim kind")
            }
            return kind
        }
        switch record["type_of_violence"] {
        case nil, "1", "2", "3": return .attack
        case let other?:
            throw DatasetImport.Problem(line: record.line, column: "type_of_violence", reason: "\"\(other)\" is not UCDP's 1, 2 or 3")
        }
    }

    /// A GED side as ThreatLedger's actor type: the Islamic State by name, a government
    /// ("Government of Iraq") as state forces on side B and government on side A, civilians.
    static func actorType(_ name: String?, first: Bool) -> String {
        guard let name else { return "unknown" }
        if DatasetImport.namesIslamicState(name) { return "isis" }
        if name.hasPrefix("Government of") { return first ? "government" : "state_forces" }
        if name == "Civilians" { return "civilians" }
        return "non_state_armed_group"
    }
}
