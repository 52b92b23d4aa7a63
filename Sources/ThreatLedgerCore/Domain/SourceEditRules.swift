/// The rules a `SourceCorrected` or `SourceRetracted` must pass against the source as it stands, and
/// the one a new claim must pass against its source: the decision the append planner (every
/// write), `copy` and `verify` all apply.
///
/// - Nothing follows a source's retraction: it can be neither corrected nor retracted again, and no
///   new claim may cite it (its claims recorded before stay in the log, shown as standing on a
///   retracted source, and stop counting in figures).
/// - A correction replaces whole metadata fields (``corrected(_:by:)``); the text and its SHA-256
///   never change, since every quote is anchored to them. The corrected source passes every rule
///   a registered one passes, its publication date's words standing at their selectors in its own
///   article.
public enum SourceEditRules {
    /// The source's registration as its stream leaves it: the fields after every correction, and
    /// whether it is retracted (with the reason). Nil when the stream holds no `SourceRegistered`.
    public static func current(_ history: [ClaimEditRules.Step]) -> (fields: JSONValue, retracted: String?)? {
        guard let first = history.first, first.type == .sourceRegistered else { return nil }
        var fields = first.payload
        var retracted: String?
        for step in history.dropFirst() {
            switch step.type {
            case .sourceCorrected: fields = corrected(fields, by: step.payload)
            case .sourceRetracted: retracted = step.payload["reason"]?.stringValue ?? ""
            default: break
            }
        }
        return (fields, retracted)
    }

    /// `source` (a registration's fields) with `correction`'s `changes` in place of its own.
    public static func corrected(_ source: JSONValue, by correction: JSONValue) -> JSONValue {
        guard var fields = source.objectValue else { return source }
        for (key, value) in correction["changes"]?.objectValue ?? [:] { fields[key] = value }
        return .object(fields)
    }

    /// Checks a `SourceCorrected` or `SourceRetracted` payload against the source's `history` (its
    /// stream's events before it, in order).
    /// - Throws: ``EventValidationError`` naming the field and the rule.
    public static func check(
        _ type: EventType, payload: JSONValue, history: [ClaimEditRules.Step], validator: EventValidator = .standard
    ) throws(EventValidationError) {
        guard type == .sourceCorrected || type == .sourceRetracted, let (fields, retracted) = current(history) else { return }
        let sourceID = payload["source_id"]?.stringValue ?? "?"
        if retracted != nil {
            let message = "source \(sourceID) is retracted; it can no longer be corrected or retracted"
            guard let stream = try? StreamName.entity("source", sourceID) else { throw .rule(path: JSONPath.root.appending("source_id"), message: message) }
            throw .streamState(stream: stream, message: message)
        }
        guard type == .sourceCorrected else { return }
        let after = corrected(fields, by: payload)
        do throws(EventValidationError) {
            try validator.validateSource(after)
        } catch {
            throw .rule(path: JSONPath.root.appending("changes"), message: "the corrected source would break a rule: \(error)")
        }
        if let published = payload["changes"]?["published"],
            let failure = EvidenceCheck.firstFailure(
                in: published, at: JSONPath.root.appending("changes").appending("published"), article: EvidenceCheck.Article(sourceRegistered: after))
        {
            throw .rule(path: JSONPath([.key(failure.field)]), message: failure.reason)
        }
    }

    /// Whether a new claim may cite the source whose `history` this is: not once it is retracted.
    /// - Throws: ``EventValidationError`` at the claim's `source_id`.
    public static func checkCitable(_ history: [ClaimEditRules.Step], sourceID: String) throws(EventValidationError) {
        guard let reason = current(history)?.retracted else { return }
        throw .rule(path: JSONPath.root.appending("source_id"), message: "source \(sourceID) is retracted (\(reason)); no new claim may cite it")
    }
}
