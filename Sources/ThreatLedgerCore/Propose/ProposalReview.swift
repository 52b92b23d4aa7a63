/// The review step: what turns a proposed claim into one the log accepts.
public enum ProposalReview {
    /// Why a draft line cannot be reviewed.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public let line: Int
        public let reason: String
        public var description: String { "line \(line): \(reason)" }
    }

    /// `payload` (a `ClaimRecorded` payload still proposed) accepted by `analyst`: its proposal's
    /// status becomes `accepted` and names who accepted it; everything else stays as proposed or as
    /// the analyst edited it (``edited(_:by:)``).
    public static func accept(_ payload: JSONValue, by analyst: String) -> JSONValue {
        guard case .object(var object) = payload, case .object(var proposal)? = object["proposal"] else { return payload }
        proposal["status"] = "accepted"
        proposal["accepted_by"] = .string(analyst)
        object["proposal"] = .object(proposal)
        return .object(object)
    }

    /// `payload` as an analyst edited it in review: a last cue says who, so the proposal's record
    /// tells the machine's words from the analyst's.
    public static func edited(_ payload: JSONValue, by analyst: String) -> JSONValue {
        guard case .object(var object) = payload, case .object(var proposal)? = object["proposal"] else { return payload }
        let cues = proposal["cues"]?.arrayValue ?? []
        let note = JSONValue.string("edited in review by \(analyst)")
        if cues.last != note { proposal["cues"] = .array(cues + [note]) }
        object["proposal"] = .object(proposal)
        return .object(object)
    }

    /// Whether a payload is a proposal still awaiting review.
    public static func isProposed(_ payload: JSONValue) -> Bool { payload["proposal"]?["status"]?.stringValue == "proposed" }
}
