/// One figure of a summary (killed in Syria, say): bounds, a best estimate, and the claims behind it,
/// so that every number can be traced.
public struct SummaryFigure: Sendable, Equatable {
    public var low: Int64 = 0
    /// The sum of the parts' best estimates (a part without one contributes its low).
    public var best: Int64? = 0
    /// Unbounded (nil) when any part is open-ended.
    public var high: Int64? = 0
    /// Parts that stated a number.
    public var parts: Int = 0
    /// Parts that state the measure without a number (`العشرات`, `عدد من`): counted apart, never as zero.
    public var unknownParts: Int = 0
    /// Every claim behind the figure, sorted.
    public var claimIDs: [String] = []
    /// For latest estimates: the other claims that gave an older one.
    public var supersededClaimIDs: [String] = []

    public init() {}

    /// The figure with its claim ids sorted and unique.
    public func finalized() -> SummaryFigure {
        var copy = self
        copy.claimIDs = Array(Set(claimIDs)).sorted()
        copy.supersededClaimIDs = Array(Set(supersededClaimIDs)).sorted()
        return copy
    }

    /// Bounds are null when no part stated a number: an unknown is never shown as zero.
    public var json: JSONValue {
        let known = parts > 0
        return [
            "low": known ? .number(Double(low)) : .null, "best": known ? .optional(best) : .null,
            "high": known ? .optional(high) : .null,
            "parts": .number(Double(parts)), "unknown_parts": .number(Double(unknownParts)),
            "claim_ids": .array(claimIDs.map(JSONValue.string)),
            "superseded_claim_ids": .array(supersededClaimIDs.map(JSONValue.string)),
        ]
    }
}

/// One measure of one incident, reconciled across the claims that report it.
public struct ReconciledFigure: Sendable, Equatable {
    public var low: Int64
    public var best: Int64?
    public var high: Int64?
    /// False when every claim states the measure only vaguely.
    public var numbered: Bool
    public var claimIDs: [String]
    /// The claim whose best estimate was taken.
    public var bestFrom: String?
}
