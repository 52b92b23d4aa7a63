/// What ACLED and UCDP imports share: a row as read from its file, why a row cannot be imported,
/// and how a row becomes a source and a claim.
///
/// Each row becomes two events, written by `threatledger import`:
/// - a `SourceRegistered` whose text is the row's own words (ACLED's `notes`; UCDP's
///   `source_headline` and `source_original`, one per line), whose outlet is the dataset
///   (``DatasetRow/Dataset/displayName``), and whose `dataset_row` keeps every cell of the row;
/// - a `ClaimRecorded` whose statement quotes that whole text, with the dataset's date, place and
///   actors, and its figures under basis `dataset`, each naming the column it equals.
///
/// Ids derive from the dataset and the row id (``ids(for:)``), so importing the same file twice
/// appends nothing the second time. Both events pass every rule any other append passes.
public enum DatasetImport {
    /// One row of a dataset file: its cells by column and the line it starts on (line 1 is the header).
    public struct Record: Sendable {
        public let line: Int
        public let fields: [String: String]

        public init(line: Int, fields: [String: String]) {
            self.line = line
            self.fields = fields
        }

        /// The cell of `column`, nil when the file has no such column or the cell is empty.
        public subscript(_ column: String) -> String? {
            guard let text = fields[column], !text.isEmpty else { return nil }
            return text
        }
    }

    /// Why a row cannot be imported: its line, the column at fault (nil for the row as a whole) and why.
    public struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
        public let line: Int
        public let column: String?
        public let reason: String

        public init(line: Int, column: String?, reason: String) {
            self.line = line
            self.column = column
            self.reason = reason
        }

        public var description: String {
            "line \(line)" + (column.map { ", column \($0)" } ?? "") + ": \(reason)"
        }
    }

    /// A row as ThreatLedger holds it, before it becomes events.
    public struct Mapped: Sendable {
        public var row: DatasetRow
        public var text: String
        /// The BCP 47 tag of the row's words (`und` when the dataset does not say).
        public var language: String
        public var title: String?
        public var published: CodedDate
        public var kind: CodedClaim.Kind
        public var scope: CodedClaim.Scope
        public var summary: String
        public var actors: ClaimActors
        public var attribution: Attribution
        public var date: CodedDate
        public var location: ClaimLocation
        /// The dataset's figures; each one's evidence is the statement.
        public var figures: [Figure]
    }

    /// One figure of a row: the measure, bounds and qualifier, the columns the bounds equal, and a
    /// note saying what the dataset's field is.
    public struct Figure: Sendable {
        public var measure: String
        public var low: Int64?
        public var high: Int64?
        public var qualifier: ClaimFigure.Qualifier
        public var columns: ClaimFigure.DatasetFields
        public var note: String
    }

    /// The ids a row's events take: its source and claim id (`acled-syr1234`) and both event ids.
    public static func ids(for row: DatasetRow) -> (entity: String, source: EventID, claim: EventID) {
        let prefix = "\(row.dataset.rawValue)-"
        let folded = String(
            row.rowID.lowercased().unicodeScalars.map { scalar -> Character in
                ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "." || scalar == "_" || scalar == "-"
                    ? Character(scalar) : "-"
            })
        // Ids that fold losslessly read as the row id; any other gets a digest, so two rows never share one.
        let readable = folded == row.rowID.lowercased() && prefix.count + folded.count <= 64
        let entity = readable ? prefix + folded : prefix + String(SHA256Hash.of(text: row.rowID).hex.prefix(32))
        let name = "\(row.dataset.rawValue)/\(row.rowID)"
        return (
            entity, EventID.derived(namespace: "threatledger-import-source", name: name),
            EventID.derived(namespace: "threatledger-import-claim", name: name)
        )
    }

    /// The longest text a claim's statement can quote (the schema's limit on a quote).
    static let longestQuote = 4_000
    /// The longest summary a claim can have (the schema's limit).
    static let longestSummary = 1_000

    /// The two events of a mapped row.
    public static func events(_ mapped: Mapped, recordedBy: String) throws -> [ProposedEvent] {
        let (entity, sourceEventID, claimEventID) = ids(for: mapped.row)
        let sha256 = SHA256Hash.of(text: mapped.text).hex
        let length = mapped.text.unicodeScalars.count
        let statement = Evidence(articleSHA256: sha256, exact: mapped.text, prefix: "", suffix: "", start: 0, end: length)
        let source = SourceDescription(
            sourceID: entity, textSHA256: sha256, title: mapped.title, author: nil, outlet: mapped.row.dataset.displayName, url: nil,
            dateline: nil, section: nil, language: mapped.language, published: mapped.published,
            notes: "Imported from \(mapped.row.dataset.displayName), row \(mapped.row.rowID).", dataset: mapped.row)
        var sourcePayload = source.registeredJSON
        sourcePayload["text"] = .string(mapped.text)
        let claim = CodedClaim(
            claimID: entity, sourceID: entity, kind: mapped.kind, scope: mapped.scope, summary: mapped.summary, statement: statement,
            actors: mapped.actors, attribution: mapped.attribution, date: mapped.date, location: mapped.location,
            figures: mapped.figures.map { figure in
                ClaimFigure(
                    measure: figure.measure, unit: "people", low: figure.low, high: figure.high, qualifier: figure.qualifier,
                    evidence: statement, basis: .dataset, note: figure.note, datasetFields: figure.columns)
            })
        let metadata = EventMetadata(recordedBy: recordedBy)
        return [
            ProposedEvent(
                id: sourceEventID, stream: try StreamName.entity("source", entity), expectedVersion: nil, type: "SourceRegistered",
                payload: .object(sourcePayload), metadata: metadata),
            ProposedEvent(
                id: claimEventID, stream: try StreamName.entity("claim", entity), expectedVersion: nil, type: "ClaimRecorded",
                payload: claim.json, metadata: metadata),
        ]
    }

    // MARK: Reading cells

    /// One day, stated.
    static func day(_ date: CalendarDate, note: String) -> CodedDate {
        CodedDate(start: date, end: date, precision: .day, basis: .stated, words: nil, note: note)
    }

    /// A date cell: ISO 8601 (`2019-01-15`), ACLED's `15 January 2019` and `15-January-2019`, or
    /// `15/01/2019` (day first, as ACLED's older spreadsheets wrote it).
    static func date(_ record: Record, _ column: String) throws(Problem) -> CalendarDate {
        guard let text = record[column] else { throw Problem(line: record.line, column: column, reason: "is empty; the row needs a date") }
        if let date = CalendarDate(iso8601: text) { return date }
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "/" }).map(String.init)
        if parts.count == 3, let day = Int(parts[0]), let year = Int(parts[2]) {
            let month = Int(parts[1]) ?? monthNames.firstIndex { parts[1].lowercased().hasPrefix($0) }.map { $0 + 1 }
            if let month, let date = CalendarDate(year: year, month: month, day: day) { return date }
        }
        throw Problem(
            line: record.line, column: column, reason: "\"\(text)\" is not a date (YYYY-MM-DD, 15 January 2019, 15-January-2019 or 15/01/2019)")
    }

    private static let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// A whole number of 0 or more, or nil for an empty cell.
    static func count(_ record: Record, _ column: String) throws(Problem) -> Int64? {
        guard let text = record[column] else { return nil }
        guard let value = Int64(text), value >= 0 else {
            throw Problem(line: record.line, column: column, reason: "\"\(text)\" is not a whole number of 0 or more")
        }
        return value
    }

    /// A coordinate in range, or nil for an empty cell.
    static func coordinate(_ record: Record, _ column: String, limit: Double) throws(Problem) -> Double? {
        guard let text = record[column] else { return nil }
        guard let value = Double(text), value.isFinite, abs(value) <= limit else {
            throw Problem(line: record.line, column: column, reason: "\"\(text)\" is not a coordinate between -\(Int(limit)) and \(Int(limit))")
        }
        return value
    }

    /// The country of a row: by ISO 3166-1 numeric code, else by English name (or a common short
    /// name: `Turkey`, `DR Congo (Zaire)`), in the gazetteer. Nil when the row names none (a
    /// ThreatLedger export of a claim spanning several countries).
    static func country(_ record: Record, numeric numericColumn: String, name nameColumn: String, gazetteer: Gazetteer) throws(Problem)
        -> Gazetteer.Country?
    {
        if let text = record[numericColumn], let numeric = Int(text), let found = gazetteer.countries.values.first(where: { $0.numeric == numeric }) {
            return found
        }
        if let name = record[nameColumn] {
            let folded = PlaceName.folded(name)
            if let found = gazetteer.countries.values.first(where: { PlaceName.folded($0.name) == folded }) { return found }
            if let code = commonCountryNames[folded], let found = gazetteer.countries[code] { return found }
            throw Problem(
                line: record.line, column: nameColumn,
                reason: "\"\(name)\" is not a country of the gazetteer (\(gazetteer.countries.count) countries; scripts/gazetteer.py adds more)")
        }
        return nil
    }

    /// Short names datasets use for countries whose ISO 3166 name is longer, folded.
    static let commonCountryNames: [String: String] = [
        "turkey": "TR", "drcongozaire": "CD", "drcongo": "CD", "democraticrepublicofcongo": "CD", "democraticrepublicofthecongo": "CD",
        "unitedstatesofamerica": "US", "usa": "US", "syrianarabrepublic": "SY",
    ]

    /// Coordinates from two cells and a precision, or nil when the row gives none.
    static func coordinates(_ record: Record, latitude: String, longitude: String, precision: ClaimLocation.Coordinates.Precision) throws(Problem)
        -> ClaimLocation.Coordinates?
    {
        let lat = try coordinate(record, latitude, limit: 90)
        let lon = try coordinate(record, longitude, limit: 180)
        switch (lat, lon) {
        case (let lat?, let lon?): return ClaimLocation.Coordinates(lat: lat, lon: lon, precision: precision)
        case (nil, nil): return nil
        default:
            throw Problem(line: record.line, column: lat == nil ? latitude : longitude, reason: "is empty, but the row gives the other coordinate")
        }
    }

    /// The text a claim quotes: refused when empty or longer than a quote can be.
    static func quotedText(_ text: String, record: Record, column: String) throws(Problem) -> String {
        if text.isEmpty {
            throw Problem(line: record.line, column: column, reason: "is empty; an imported row needs its own words to quote")
        }
        if text.unicodeScalars.count > longestQuote {
            throw Problem(
                line: record.line, column: column,
                reason: "holds \(text.unicodeScalars.count) characters; a claim quotes at most \(longestQuote)")
        }
        return text
    }

    /// What is missing from a dataset file's header, if anything: each entry of `required` lists the
    /// columns any one of which will do.
    static func headerProblem(_ columns: [String], required: [[String]], dataset: String) -> String? {
        let missing = required.filter { alternatives in !alternatives.contains { columns.contains($0) } }
        guard !missing.isEmpty else { return nil }
        return "\(dataset) export needs the column\(missing.count == 1 ? "" : "s") "
            + missing.map { $0.joined(separator: " or ") }.joined(separator: ", ") + " (found: \(columns.joined(separator: ", ")))"
    }

    /// A one-line summary in ThreatLedger's words: the row's text, with line breaks as spaces and
    /// cut at the schema's limit.
    static func summary(_ text: String) -> String {
        let line = String(text.map { $0 == "\n" || $0 == "\r" || $0 == "\t" ? " " : $0 })
        return line.count <= longestSummary ? line : String(line.prefix(longestSummary - 1)) + "…"
    }

    /// An actor from a dataset's name and its type, or nil for an empty name.
    static func actor(_ name: String?, type: String) -> Actor? {
        guard let name else { return nil }
        return Actor(name: String(name.prefix(300)), nameAsWritten: String(name.prefix(300)), type: type)
    }

    /// Whether an actor's name is the Islamic State's under one of its names (UCDP writes `IS`).
    static func namesIslamicState(_ name: String) -> Bool {
        let lowered = name.lowercased()
        if ["is", "isis", "isil", "is (islamic state)"].contains(lowered) { return true }
        return ["islamic state", "isis", "isil", "daesh", "داعش", "الدولة الإسلامية"].contains { lowered.contains($0) }
    }
}

extension SourceDescription {
    /// The `SourceRegistered` payload of this description, without its text.
    var registeredJSON: JSONObject {
        [
            "source_id": .string(sourceID), "text_sha256": .string(textSHA256), "file_name": .optional(fileName), "title": .optional(title),
            "author": .optional(author), "outlet": .optional(outlet), "url": .optional(url), "dateline": .optional(dateline),
            "section": .optional(section), "language": .string(language), "published": published.json, "notes": .optional(notes),
            "dataset_row": .optional(dataset, \.json),
        ]
    }
}
