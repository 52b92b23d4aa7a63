/// A claim as coded from its article (`schemas/claim.schema.json`): what kind of thing the article
/// says happened, where and when, who it names and cites, and the figures it states, each bound to
/// its words. The payload of `ClaimRecorded`, and a claim's state after its corrections.
///
/// The read side (summaries, provenance, exports, traces) works on these typed values; JSON is
/// made only at the edge, by ``json``, which names every field the schema defines (null where
/// nothing was coded), so a claim reads the same in every answer whether its event spelled an empty
/// field as null or left it out.
public struct CodedClaim: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case attack, arrest, detention, financing, territorial
        case prisonBreak = "prison_break"
        case financingSeizure = "financing_seizure"
        case counterOperation = "counter_operation"
        case strengthEstimate = "strength_estimate"
    }

    /// incident: one real-world event; aggregate: many events summed up; situation: a state of
    /// affairs. Only incidents are counted as incidents in summaries.
    public enum Scope: String, Sendable, Hashable, CaseIterable {
        case incident, aggregate, situation
    }

    public var claimID: String
    public var sourceID: String
    public var kind: Kind
    public var scope: Scope
    /// One line in English saying what the article claims.
    public var summary: String
    /// The words of the claim.
    public var statement: Evidence
    public var actors: ClaimActors
    public var attribution: Attribution
    public var date: CodedDate
    public var location: ClaimLocation
    public var figures: [ClaimFigure]
    /// Coder's notes.
    public var notes: String?
    /// For a machine-proposed claim, how it was proposed and who accepted it (``ClaimProposal``);
    /// nil, and absent from the JSON, for a claim coded by hand.
    public var proposal: ClaimProposal?

    public init(
        claimID: String, sourceID: String, kind: Kind, scope: Scope, summary: String, statement: Evidence, actors: ClaimActors,
        attribution: Attribution, date: CodedDate, location: ClaimLocation, figures: [ClaimFigure], notes: String? = nil,
        proposal: ClaimProposal? = nil
    ) {
        self.claimID = claimID
        self.sourceID = sourceID
        self.kind = kind
        self.scope = scope
        self.summary = summary
        self.statement = statement
        self.actors = actors
        self.attribution = attribution
        self.date = date
        self.location = location
        self.figures = figures
        self.notes = notes
        self.proposal = proposal
    }

    /// Decodes a claim's fields (a `ClaimRecorded` payload, or one with corrections applied).
    public init(json: JSONValue?, path: String = "claim") throws(ModelDecodingError) {
        let reader = try ModelReader(json, path: path)
        var figures: [ClaimFigure] = []
        for (index, figure) in try reader.array("figures").enumerated() {
            figures.append(try ClaimFigure(json: figure, path: "\(path).figures[\(index)]"))
        }
        self.init(
            claimID: try reader.string("claim_id"), sourceID: try reader.string("source_id"), kind: try reader.choice("kind"),
            scope: try reader.choice("scope"), summary: try reader.string("summary"),
            statement: try Evidence(json: reader.object["statement"], path: "\(path).statement"),
            actors: try ClaimActors(json: reader.object["actors"], path: "\(path).actors"),
            attribution: try Attribution(json: reader.object["attribution"], path: "\(path).attribution"),
            date: try CodedDate(json: reader.object["date"], path: "\(path).date"),
            location: try ClaimLocation(json: reader.object["location"], path: "\(path).location"), figures: figures,
            notes: try reader.optionalString("notes"), proposal: try reader.optional("proposal", ClaimProposal.init(json:path:)))
    }

    /// The claim as the schema writes it.
    public var json: JSONValue {
        var json: JSONValue = [
            "claim_id": .string(claimID), "source_id": .string(sourceID), "kind": .string(kind.rawValue),
            "scope": .string(scope.rawValue), "summary": .string(summary), "statement": statement.json, "actors": actors.json,
            "attribution": attribution.json, "date": date.json, "location": location.json, "figures": .array(figures.map(\.json)),
            "notes": .optional(notes),
        ]
        if let proposal, case .object(var object) = json {
            object["proposal"] = proposal.json
            json = .object(object)
        }
        return json
    }

    /// The figures of `measure`, in the claim's order.
    public func figures(of measure: String) -> [ClaimFigure] { figures.filter { $0.measure == measure } }
}
