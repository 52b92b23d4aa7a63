/// One number a claim states (`schemas/figure.schema.json`): what it counts, its bounds, how the
/// article qualifies it, and the words it stands on.
public struct ClaimFigure: Sendable, Hashable {
    /// How the article qualifies the number: "exactly", "about", "at least", …
    public enum Qualifier: String, Sendable, Hashable, CaseIterable {
        case exact, about
        case atLeast = "at_least"
        case moreThan = "more_than"
        case upTo = "up_to"
        case range, unknown
    }

    /// Whether the number is in the evidence words, the coder derived it from them, or it is a
    /// conflict dataset's own field, imported with its row.
    public enum Basis: String, Sendable, Hashable, CaseIterable {
        case stated, inferred, dataset
    }

    /// For a figure of basis `dataset`: the column of the source's dataset row that each bound equals.
    public struct DatasetFields: Sendable, Hashable {
        public var low: String?
        public var high: String?

        public init(low: String?, high: String?) {
            self.low = low
            self.high = high
        }

        init(json: JSONValue, path: String) throws(ModelDecodingError) {
            let reader = try ModelReader(json, path: path)
            self.init(low: try reader.optionalString("low"), high: try reader.optionalString("high"))
        }

        public var json: JSONValue { ["low": .optional(low), "high": .optional(high)] }
    }

    /// What is counted (`killed`, `arrested`, `amount`, …: the schema's list).
    public var measure: String
    public var unit: String?
    /// ISO 4217, for amounts.
    public var currency: String?
    public var low: Int64?
    public var high: Int64?
    public var qualifier: Qualifier
    public var evidence: Evidence
    public var basis: Basis
    /// Who or what is counted, or how an inferred figure was derived.
    public var note: String?
    /// The index (in the claim's figures) of a figure of the same measure that already counts this
    /// one: summaries add up only figures that are part of no other.
    public var partOf: Int?
    /// The source whose article the evidence quotes, when it is not the claim's own.
    public var sourceID: String?
    /// The dataset columns a `dataset` figure's bounds equal; nil for every other basis.
    public var datasetFields: DatasetFields?

    public init(
        measure: String, unit: String?, currency: String? = nil, low: Int64?, high: Int64?, qualifier: Qualifier, evidence: Evidence,
        basis: Basis, note: String? = nil, partOf: Int? = nil, sourceID: String? = nil,
        datasetFields: DatasetFields? = nil
    ) {
        self.measure = measure
        self.unit = unit
        self.currency = currency
        self.low = low
        self.high = high
        self.qualifier = qualifier
        self.evidence = evidence
        self.basis = basis
        self.note = note
        self.partOf = partOf
        self.sourceID = sourceID
        self.datasetFields = datasetFields
    }

    public init(json: JSONValue?, path: String) throws(ModelDecodingError) {
        let reader = try ModelReader(json, path: path)
        self.init(
            measure: try reader.string("measure"), unit: try reader.optionalString("unit"), currency: try reader.optionalString("currency"),
            low: try reader.optionalInteger("low"), high: try reader.optionalInteger("high"), qualifier: try reader.choice("qualifier"),
            evidence: try Evidence(json: reader.object["evidence"], path: "\(path).evidence"), basis: try reader.choice("basis"),
            note: try reader.optionalString("note"), partOf: try reader.optionalInteger("part_of").map { Int($0) },
            sourceID: try reader.optionalString("source_id"),
            datasetFields: try reader.optional("dataset_fields", DatasetFields.init(json:path:)))
    }

    /// The figure as the schema writes it; every field is named, null where nothing was coded.
    public var json: JSONValue {
        [
            "measure": .string(measure), "unit": .optional(unit), "currency": .optional(currency), "low": .optional(low),
            "high": .optional(high), "qualifier": .string(qualifier.rawValue), "evidence": evidence.json,
            "basis": .string(basis.rawValue), "note": .optional(note), "part_of": .optional(partOf.map { Int64($0) }),
            "source_id": .optional(sourceID), "dataset_fields": .optional(datasetFields, \.json),
        ]
    }
}
