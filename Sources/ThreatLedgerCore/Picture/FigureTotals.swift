/// Low, best and high of one measure in one claim, UCDP-style, from its figures.
///
/// Figures of one measure are distinct groups and add up, except those `part_of` another. For each:
/// low is its lower bound (0 when it has none: a count is never negative); high its upper bound
/// (none when open-ended: at_least, more_than, unknown); best its stated number (exact, about;
/// at_least and more_than give their number; up_to its ceiling; a range and an unknown have none).
/// A total is known only when every figure in it is: low sums always; best and high are empty when
/// any figure lacks one.
///
/// An empty high has two possible reasons, never conflated: ``highOpen`` (a figure is open-ended:
/// at_least, more_than) and ``unstated`` (a figure states the measure with no number: unknown, as
/// «العشرات»). ``qualifiers`` keeps each figure's qualifier, so an `up_to` total (low 0: the floor of
/// any count, not a number the article states; best and high its ceiling) says why.
public struct FigureTotals: Sendable, Equatable {
    public var low: Int64
    public var best: Int64?
    public var high: Int64?
    /// How many figures were added up; 0 means the claim states nothing for the measure.
    public var figureCount: Int
    /// Whether any figure gives a number (false: the claim states the measure only vaguely).
    public var numbered: Bool = false
    public var currency: String?
    /// Each added figure's qualifier, in the claim's order.
    public var qualifiers: [String] = []
    /// Whether the total has no upper bound because a figure is open-ended (at_least, more_than).
    public var highOpen: Bool = false
    /// Whether a figure states the measure without a number (qualifier unknown): low is then a floor
    /// and best and high are unknown.
    public var unstated: Bool = false

    /// The total as exported: low, best, high, the qualifiers joined by `+`, and why any is empty.
    public var json: JSONValue {
        [
            "low": .number(Double(low)), "best": .optional(best), "high": .optional(high),
            "qualifier": .string(qualifiers.joined(separator: "+")), "high_open": .bool(highOpen), "unstated": .bool(unstated),
            "figures": .number(Double(figureCount)),
        ]
    }

    public static func of(measure: String, in figures: [ClaimFigure]) -> FigureTotals {
        var totals = FigureTotals(low: 0, best: 0, high: 0, figureCount: 0, numbered: false, currency: nil)
        for figure in figures where figure.measure == measure && figure.partOf == nil {
            let low = figure.low
            let high = figure.high
            let qualifier = figure.qualifier
            let best: Int64? =
                switch qualifier {
                case .exact, .about, .atLeast, .moreThan: low
                case .upTo: high
                case .range, .unknown: nil
                }
            totals.low += low ?? 0
            totals.best = totals.best.flatMap { sum in best.map { sum + $0 } }
            totals.high = totals.high.flatMap { sum in high.map { sum + $0 } }
            totals.figureCount += 1
            totals.numbered = totals.numbered || low != nil || high != nil
            totals.currency = totals.currency ?? figure.currency
            totals.qualifiers.append(qualifier.rawValue)
            totals.highOpen = totals.highOpen || qualifier == .atLeast || qualifier == .moreThan
            totals.unstated = totals.unstated || qualifier == .unknown
        }
        return totals
    }
}
