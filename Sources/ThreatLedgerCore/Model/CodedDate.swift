/// A date as coded from an article (`schemas/reported-date.schema.json`): when a claimed event
/// happened, or when a source was published. A range from `start` to `end` at a precision, with the
/// article's own words and how the coder got from them to the range.
public struct CodedDate: Sendable, Hashable {
    public enum Precision: String, Sendable, Hashable, CaseIterable {
        case day, week, month, year, unknown
    }

    /// How the range follows from the words: stated outright, resolved from a relative expression
    /// ("last Thursday") against the publication date, or inferred.
    public enum Basis: String, Sendable, Hashable, CaseIterable {
        case stated, relative, inferred
    }

    public var start: CalendarDate?
    public var end: CalendarDate?
    public var precision: Precision
    public var basis: Basis?
    /// The article's own words the date rests on.
    public var words: String?
    public var evidence: Evidence?
    /// How a relative or inferred date was resolved.
    public var note: String?

    public init(
        start: CalendarDate?, end: CalendarDate?, precision: Precision, basis: Basis?, words: String?, evidence: Evidence? = nil,
        note: String? = nil
    ) {
        self.start = start
        self.end = end
        self.precision = precision
        self.basis = basis
        self.words = words
        self.evidence = evidence
        self.note = note
    }

    /// No date at all.
    public static let unknown = CodedDate(start: nil, end: nil, precision: .unknown, basis: nil, words: nil)

    public init(json: JSONValue?, path: String) throws(ModelDecodingError) {
        let reader = try ModelReader(json, path: path)
        self.init(
            start: try reader.date("start"), end: try reader.date("end"), precision: try reader.choice("precision"),
            basis: try reader.optionalChoice("basis"), words: try reader.optionalString("words"),
            evidence: try reader.optional("evidence", Evidence.init(json:path:)),
            note: try reader.optionalString("note"))
    }

    /// The date as the schema writes it; every field is named, null where nothing was coded.
    public var json: JSONValue {
        [
            "start": .optional(start?.iso8601), "end": .optional(end?.iso8601), "precision": .string(precision.rawValue),
            "basis": .optional(basis?.rawValue), "words": .optional(words), "evidence": .optional(evidence, \.json),
            "note": .optional(note),
        ]
    }
}
