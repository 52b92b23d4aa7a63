/// Who a claim cites, and whether the article hedges it (`schemas/attribution.schema.json`).
public struct Attribution: Sendable, Hashable {
    /// Who is cited, in English, or nil when the article cites nobody.
    public var cited: String?
    /// Who is cited, as the article writes it.
    public var citedAsWritten: String?
    /// What kind of voice is cited (`government`, `monitor`, `isis`, …: the schema's list).
    public var citedType: String
    public var hedged: Bool
    /// The hedging words ("قيل إنه", "يُعتقد", …).
    public var hedgeWords: String?
    public var evidence: Evidence?

    public init(cited: String?, citedAsWritten: String? = nil, citedType: String, hedged: Bool, hedgeWords: String?, evidence: Evidence? = nil) {
        self.cited = cited
        self.citedAsWritten = citedAsWritten
        self.citedType = citedType
        self.hedged = hedged
        self.hedgeWords = hedgeWords
        self.evidence = evidence
    }

    public init(json: JSONValue?, path: String) throws(ModelDecodingError) {
        let reader = try ModelReader(json, path: path)
        self.init(
            cited: try reader.optionalString("cited"), citedAsWritten: try reader.optionalString("cited_as_written"),
            citedType: try reader.string("cited_type"), hedged: try reader.bool("hedged"),
            hedgeWords: try reader.optionalString("hedge_words"), evidence: try reader.optional("evidence", Evidence.init(json:path:)))
    }

    /// The attribution as the schema writes it; every field is named, null where nothing was coded.
    public var json: JSONValue {
        [
            "cited": .optional(cited), "cited_as_written": .optional(citedAsWritten), "cited_type": .string(citedType),
            "hedged": .bool(hedged), "hedge_words": .optional(hedgeWords), "evidence": .optional(evidence, \.json),
        ]
    }
}
