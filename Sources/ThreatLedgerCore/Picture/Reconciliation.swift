/// How the summaries combine claims. Named and versioned, because every summary says which rule made it.
public enum Reconciliation {
    /// The rule for an incident reported by several claims (several sources, or one article's summary and body):
    /// - **low** = the lowest lower bound any claim gives;
    /// - **high** = the highest upper bound, or unbounded when any claim is open-ended (at least, more than);
    /// - **best** = the best estimate of the claim from the most recently published source (ties: the claim
    ///   recorded last), because later reporting usually corrects earlier; none when no claim has one.
    /// Claims that state the measure only vaguely widen nothing and make it "unknown" only when no claim
    /// gives a number.
    public static let incidentRule = "widest-bounds-latest-best/v1"

    /// The rule for a stock (prisoners held, fighters, a treasury) stated by several situation claims
    /// placed at the same level (a country's own claims for the country, a division's for the division):
    /// the latest estimate wins: the claim with the latest date (its own date's end, else its source's
    /// publication), ties broken by the later-published source, then the larger figure. The older
    /// estimates are listed as superseded.
    public static let stockRule = "latest-estimate/v1"

    /// The rule for a region's totals: incidents (each counted once) add up: lows and highs sum, a best sums
    /// the parts' best estimates (a part without one contributes its low); an unbounded part makes the
    /// total unbounded. Aggregate claims (a campaign's toll) are reported beside, never added, since they
    /// sum up events that may also be counted one by one.
    public static let totalRule = "sum-of-incidents/v1"

    /// Reconciles one measure across an incident's claims.
    public static func reconcile(
        measure: String, claims: [ThreatPicture.Claim], picture: ThreatPicture, currency: String? = nil
    ) -> ReconciledFigure? {
        var stating: [(ThreatPicture.Claim, FigureTotals)] = []
        for claim in claims {
            var figures = claim.figures
            if let currency { figures = figures.filter { $0.currency == currency } }
            let totals = FigureTotals.of(measure: measure, in: figures)
            if totals.figureCount > 0 { stating.append((claim, totals)) }
        }
        guard !stating.isEmpty else { return nil }
        let ids = stating.map(\.0.id).sorted()
        let numbered = stating.filter { $0.1.numbered }
        guard !numbered.isEmpty else {
            return ReconciledFigure(low: 0, best: nil, high: nil, numbered: false, claimIDs: ids, bestFrom: nil)
        }
        let low = numbered.map(\.1.low).min()!
        let high: Int64? = numbered.allSatisfy { $0.1.high != nil } ? numbered.compactMap(\.1.high).max() : nil
        let withBest = numbered.filter { $0.1.best != nil }.sorted { a, b in
            let pa = publishedKey(a.0, picture)
            let pb = publishedKey(b.0, picture)
            return pa != pb ? pa < pb : a.0.position < b.0.position
        }
        return ReconciledFigure(
            low: low, best: withBest.last?.1.best, high: high, numbered: true, claimIDs: ids, bestFrom: withBest.last?.0.id)
    }

    /// Sorts by when a claim's source was published (its coded start), unknown first. A day number,
    /// so that sorting compares integers instead of formatting dates.
    static func publishedKey(_ claim: ThreatPicture.Claim, _ picture: ThreatPicture) -> Int64 {
        picture.sources[claim.sourceID]?.published.start?.daysSinceEpoch ?? .min
    }

    /// The date a situation claim speaks for: its own date's end, else its source's publication end
    /// (a day number, unknown first).
    static func asOfKey(_ claim: ThreatPicture.Claim, _ picture: ThreatPicture) -> Int64 {
        (claim.coded.date.end ?? picture.sources[claim.sourceID]?.published.end)?.daysSinceEpoch ?? .min
    }
}
