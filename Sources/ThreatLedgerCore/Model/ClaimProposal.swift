/// How a machine-proposed claim came to be (issue 18): the proposer, its confidence, the cues that
/// produced it, and, once an analyst has reviewed it, who accepted it.
///
/// Decision: the mark stays on the claim after review (status `accepted`, `accepted_by` naming the
/// analyst), so an auditor can always tell a claim a person coded from one a person confirmed; a
/// claim coded by hand has none (the field is absent, so every claim recorded before it existed
/// reads and hashes as before). The log refuses a claim still `proposed` (``DomainRules``): only
/// the review step turns a draft into a claim.
public struct ClaimProposal: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable, CaseIterable {
        /// A draft: refused by the log.
        case proposed
        /// Reviewed and accepted by `acceptedBy`.
        case accepted
    }

    public var status: Status
    /// The proposer and its version (`threatledger propose 1`).
    public var proposer: String
    /// How sure the proposer is, from 0 to 1.
    public var confidence: Double
    /// What produced the proposal, in words (`trigger "هاجم" → attack`, `figure "11 جنديًا" → killed`).
    public var cues: [String]
    /// The analyst who accepted it (nil while proposed).
    public var acceptedBy: String?

    public init(status: Status, proposer: String, confidence: Double, cues: [String], acceptedBy: String? = nil) {
        self.status = status
        self.proposer = proposer
        self.confidence = confidence
        self.cues = cues
        self.acceptedBy = acceptedBy
    }

    public init(json: JSONValue?, path: String) throws(ModelDecodingError) {
        let reader = try ModelReader(json, path: path)
        var cues: [String] = []
        for (index, cue) in try reader.array("cues").enumerated() {
            guard let text = cue.stringValue else { throw ModelDecodingError(path: "\(path).cues[\(index)]", expected: "a string") }
            cues.append(text)
        }
        self.init(
            status: try reader.choice("status"), proposer: try reader.string("proposer"), confidence: try reader.number("confidence"), cues: cues,
            acceptedBy: try reader.optionalString("accepted_by"))
    }

    public var json: JSONValue {
        [
            "status": .string(status.rawValue), "proposer": .string(proposer), "confidence": .number(confidence),
            "cues": .array(cues.map(JSONValue.string)), "accepted_by": .optional(acceptedBy),
        ]
    }
}
