/// Where the claims of one incident disagree (`schemas/incident-linked.v1.schema.json`): on what,
/// each claim's value as coded, and what the disagreement is. Recorded, never resolved by picking one.
public struct IncidentDisagreement: Sendable, Hashable {
    public struct Value: Sendable, Hashable {
        public var claimID: String
        /// That claim's value, as coded (any JSON: a date, a place, a number).
        public var value: JSONValue

        public init(claimID: String, value: JSONValue) {
            self.claimID = claimID
            self.value = value
        }
    }

    /// What they disagree on: `date`, `location`, or `figures.MEASURE`.
    public var field: String
    public var values: [Value]
    public var note: String?

    public init(field: String, values: [Value], note: String?) {
        self.field = field
        self.values = values
        self.note = note
    }

    public init(json: JSONValue?, path: String) throws(ModelDecodingError) {
        let reader = try ModelReader(json, path: path)
        var values: [Value] = []
        for (index, item) in try reader.array("values").enumerated() {
            let value = try ModelReader(item, path: "\(path).values[\(index)]")
            values.append(Value(claimID: try value.string("claim_id"), value: value.object["value"] ?? .null))
        }
        self.init(field: try reader.string("field"), values: values, note: try reader.optionalString("note"))
    }

    public var json: JSONValue {
        [
            "field": .string(field), "values": .array(values.map { ["claim_id": .string($0.claimID), "value": $0.value] }),
            "note": .optional(note),
        ]
    }

    /// Decodes an incident's list of disagreements.
    public static func list(json: JSONValue?, path: String) throws(ModelDecodingError) -> [IncidentDisagreement] {
        guard let items = json?.arrayValue else { throw ModelDecodingError(path: path, expected: "an array") }
        var result: [IncidentDisagreement] = []
        for (index, item) in items.enumerated() { result.append(try IncidentDisagreement(json: item, path: "\(path)[\(index)]")) }
        return result
    }
}
