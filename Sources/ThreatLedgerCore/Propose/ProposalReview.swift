/// The review step: what turns a proposed claim into one the log accepts.
public enum ProposalReview {
    /// Why a draft line cannot be reviewed.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public let line: Int
        public let reason: String
        public var description: String { "line \(line): \(reason)" }
    }

    /// `payload` (a `ClaimRecorded` payload still proposed) accepted by `analyst`: its proposal's
    /// status becomes `accepted` and names who accepted it; everything else stays as proposed (an
    /// analyst who edits a proposal edits the draft's lines before accepting them).
    public static func accept(_ payload: JSONValue, by analyst: String) -> JSONValue {
        guard case .object(var object) = payload, case .object(var proposal)? = object["proposal"] else { return payload }
        proposal["status"] = "accepted"
        proposal["accepted_by"] = .string(analyst)
        object["proposal"] = .object(proposal)
        return .object(object)
    }

    /// Whether a payload is a proposal still awaiting review.
    public static func isProposed(_ payload: JSONValue) -> Bool { payload["proposal"]?["status"]?.stringValue == "proposed" }
}
