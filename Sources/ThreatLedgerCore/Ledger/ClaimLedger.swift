/// The current state of every claim, folded from the log: what `threatledger claims` lists.
///
/// A pure fold (``apply(_:)``): `ClaimRecorded` adds a claim; `ClaimCorrected` replaces the fields
/// in its `changes` and updates the bounds of the figures of each measure in `figure_updates`;
/// `ClaimRetracted` withdraws it (it stays in the log and in every replay before the retraction);
/// `IncidentLinked` ties claims to an incident; `SourceRegistered` records each article's hash.
public struct ClaimLedger: Sendable {
    /// A claim as it stands after every event applied so far.
    public struct Entry: Sendable {
        public var claim: JSONValue
        /// How many events its stream holds (1 = never corrected).
        public var revision: Int64
        public var recordedAt: RecordTime
        public var lastChangedAt: RecordTime
        public var retracted: Bool
    }

    public private(set) var claims: [String: Entry] = [:]
    /// Claim ids in the order they were recorded.
    public private(set) var order: [String] = []
    public private(set) var articleHashBySource: [String: String] = [:]
    public private(set) var incidentsByClaim: [String: [String]] = [:]

    public init() {}

    /// Folds one event in. Events of other types are ignored.
    public mutating func apply(_ event: RecordedEvent) throws(JSONParseError) {
        guard let type = EventType(rawValue: event.type) else { return }
        let payload = try event.payload()
        switch type {
        case .sourceRegistered:
            articleHashBySource[payload["source_id"]!.stringValue!] = payload["text_sha256"]!.stringValue!
        case .claimRecorded:
            let id = payload["claim_id"]!.stringValue!
            if claims[id] == nil { order.append(id) }
            claims[id] = Entry(
                claim: payload, revision: event.streamVersion, recordedAt: event.recordedAt,
                lastChangedAt: event.recordedAt, retracted: false)
        case .claimCorrected:
            let id = payload["claim_id"]!.stringValue!
            guard var entry = claims[id] else { return }
            entry.claim = Self.corrected(entry.claim, by: payload)
            entry.revision = event.streamVersion
            entry.lastChangedAt = event.recordedAt
            claims[id] = entry
        case .claimRetracted:
            let id = payload["claim_id"]!.stringValue!
            claims[id]?.retracted = true
            claims[id]?.revision = event.streamVersion
            claims[id]?.lastChangedAt = event.recordedAt
        case .incidentLinked:
            let incident = payload["incident_id"]!.stringValue!
            for claim in payload["claim_ids"]!.arrayValue!.compactMap(\.stringValue) {
                incidentsByClaim[claim, default: []].append(incident)
            }
        }
    }

    /// Claims that are not retracted, in recording order.
    public var current: [(id: String, entry: Entry)] {
        order.compactMap { id in claims[id].flatMap { $0.retracted ? nil : (id, $0) } }
    }

    /// A claim with a correction's changes applied.
    public static func corrected(_ claim: JSONValue, by correction: JSONValue) -> JSONValue {
        guard var fields = claim.objectValue else { return claim }
        for (key, value) in correction["changes"]?.objectValue ?? [:] { fields[key] = value }
        var figures = fields["figures"]?.arrayValue ?? []
        for update in correction["figure_updates"]?.arrayValue ?? [] {
            for index in figures.indices where figures[index]["measure"] == update["measure"] {
                guard var figure = figures[index].objectValue else { continue }
                for key in ["low", "high", "qualifier"] where update[key] != nil { figure[key] = update[key] }
                figures[index] = .object(figure)
            }
        }
        fields["figures"] = .array(figures)
        return .object(fields)
    }

    /// The claim as the public export describes it (`schemas/claim-export.schema.json`).
    public func exportRecord(id: String, entry: Entry) -> JSONValue {
        guard var record = entry.claim.objectValue else { return entry.claim }
        let source = record["source_id"]?.stringValue ?? ""
        record["article_sha256"] = .optional(articleHashBySource[source])
        record["incident_ids"] = .array((incidentsByClaim[id] ?? []).map(JSONValue.string))
        record["revision"] = .number(Double(entry.revision))
        record["recorded_at"] = .string(entry.recordedAt.iso8601)
        record["last_changed_at"] = .string(entry.lastChangedAt.iso8601)
        return .object(record)
    }
}
