/// The rules a correction or a retraction must pass against the claim as it stands: the one
/// decision that the append planner (every write: CLI, API, ingest), `copy` and `verify` all apply,
/// so no path can skip it.
///
/// - Nothing follows a retraction: a retracted claim can be neither corrected nor retracted again.
/// - Each figure update names one figure: the one at its `index`, or, without an index, the only
///   figure of its measure (a claim with two killed figures needs the index).
/// - The corrected claim passes every rule a recorded claim passes (schema, dates, bounds,
///   countries, evidence selectors, and every stated figure against its own words), except that a
///   figure's new evidence may quote another registered source (its `source_id`), whose article
///   the store checks.
/// - A figure of basis `dataset` stands as its dataset gave it: a correction may replace it with a
///   figure read from words (basis stated or inferred, with new evidence), but cannot change its
///   numbers and keep calling them the dataset's, nor make a figure of basis dataset. A dataset's
///   revision of the row is a new import, not an analyst's correction.
public enum ClaimEditRules {
    /// One event of a claim's stream, as the rules need it.
    public struct Step: Sendable {
        public let type: EventType
        public let payload: JSONValue

        public init(type: EventType, payload: JSONValue) {
            self.type = type
            self.payload = payload
        }
    }

    /// The claim as its stream leaves it: its fields after every correction, and whether it is
    /// retracted. Nil when the stream holds no `ClaimRecorded`.
    public static func current(_ history: [Step]) -> (fields: JSONValue, retracted: Bool)? {
        guard let first = history.first, first.type == .claimRecorded else { return nil }
        var fields = first.payload
        var retracted = false
        for step in history.dropFirst() {
            switch step.type {
            case .claimCorrected: fields = corrected(fields, by: step.payload)
            case .claimRetracted: retracted = true
            default: break
            }
        }
        return (fields, retracted)
    }

    /// Checks `payload` (a `ClaimCorrected` or `ClaimRetracted`) against the claim's `history`, the
    /// events of its stream before it, in order.
    /// - Throws: ``EventValidationError`` naming the field and the rule.
    public static func check(
        _ type: EventType, payload: JSONValue, history: [Step], validator: EventValidator = .standard
    ) throws(EventValidationError) {
        guard type == .claimCorrected || type == .claimRetracted else { return }
        let claimID = payload["claim_id"]?.stringValue ?? "?"
        guard let (fields, retracted) = current(history) else { return }  // the stream check reports a missing claim
        if retracted {
            let message = "claim \(claimID) is retracted; it can no longer be corrected or retracted"
            guard let stream = try? StreamName.entity("claim", claimID) else { throw .rule(path: JSONPath.root.appending("claim_id"), message: message) }
            throw .streamState(stream: stream, message: message)
        }
        guard type == .claimCorrected else { return }
        let figures = fields["figures"]?.arrayValue ?? []
        for (number, update) in (payload["figure_updates"]?.arrayValue ?? []).enumerated() {
            let path = JSONPath.root.appending("figure_updates").appending(index: number)
            let measure = update["measure"]?.stringValue ?? "?"
            let matching = figures.indices.filter { figures[$0]["measure"]?.stringValue == measure }
            if let index = update["index"]?.integerValue {
                guard index < figures.count, figures[Int(index)]["measure"]?.stringValue == measure else {
                    throw .rule(
                        path: path.appending("index"),
                        message: "claim \(claimID) has no \(measure) figure at index \(index) (its \(measure) figures: \(list(matching)))")
                }
            } else if matching.count != 1 {
                throw .rule(
                    path: path.appending("measure"),
                    message: matching.isEmpty
                        ? "claim \(claimID) has no \(measure) figure (it has: \(Set(figures.compactMap { $0["measure"]?.stringValue }).sorted().joined(separator: ", ")))"
                        : "claim \(claimID) has \(matching.count) \(measure) figures (at \(list(matching))): name the one to change with index")
            }
        }
        let after = corrected(fields, by: payload)
        let afterFigures = after["figures"]?.arrayValue ?? []
        for (index, figure) in afterFigures.enumerated() where figure["basis"] == .string("dataset") {
            if index >= figures.count || figures[index] != figure {
                throw .rule(
                    path: JSONPath.root.appending(payload["figure_updates"]?.arrayValue?.isEmpty == false ? "figure_updates" : "changes"),
                    message:
                        "claim \(claimID)'s figure \(index) would be a dataset figure the dataset did not give; a correction replaces a dataset figure with one read from words (basis stated or inferred, with evidence)"
                )
            }
        }
        do throws(EventValidationError) {
            try validator.validateClaim(after)
        } catch {
            throw .rule(path: JSONPath.root.appending("changes"), message: "the corrected claim would break a rule: \(error)")
        }
    }

    /// `claim` with `correction` applied: `changes` replace whole fields; each figure update changes
    /// the figure it names (see ``check(_:payload:history:validator:)``) and, when it brings
    /// evidence, that figure's words and source.
    public static func corrected(_ claim: JSONValue, by correction: JSONValue) -> JSONValue {
        guard var fields = claim.objectValue else { return claim }
        for (key, value) in correction["changes"]?.objectValue ?? [:] { fields[key] = value }
        var figures = fields["figures"]?.arrayValue ?? []
        let ownSource = fields["source_id"]
        for update in correction["figure_updates"]?.arrayValue ?? [] {
            let targets: [Int]
            if let index = update["index"]?.integerValue {
                targets = index < figures.count ? [Int(index)] : []
            } else {
                targets = figures.indices.filter { figures[$0]["measure"] == update["measure"] }
            }
            for index in targets {
                guard var figure = figures[index].objectValue, figure["measure"] == update["measure"] else { continue }
                for key in ["low", "high", "qualifier", "basis", "note", "evidence"] where update[key] != nil { figure[key] = update[key] }
                if let basis = update["basis"], basis != .string("dataset") { figure["dataset_fields"] = nil }
                if update["evidence"] != nil {
                    let source = update["source_id"]
                    figure["source_id"] = source == nil || source == ownSource ? nil : source
                }
                figures[index] = .object(figure)
            }
        }
        fields["figures"] = .array(figures)
        return .object(fields)
    }

    private static func list(_ indexes: [Int]) -> String {
        indexes.isEmpty ? "none" : indexes.map(String.init).joined(separator: ", ")
    }
}
