/// From one figure of a region's summary to every claim behind it, and how the rules combined them.
///
/// Computed with the summary's own functions (``RegionSummaries/units(of:)``, ``Reconciliation``,
/// ``RegionSummaries/rankEstimates(_:measure:currency:picture:)``), so its totals are the summary's;
/// ``consistent(with:)`` checks exactly that.
public struct FigureTrace: Sendable, Equatable {
    /// One contribution to a total: an incident (reconciled across its claims) or one claim.
    public struct Part: Sendable, Equatable {
        public var id: String
        public var kind: CodedClaim.Kind
        public var low: Int64?
        public var best: Int64?
        public var high: Int64?
        /// False when the part states the measure without a number.
        public var numbered: Bool
        public var claimIDs: [String]
        /// The claim whose best estimate was taken (incidents), or nil.
        public var bestFrom: String?
        /// For estimates: true when a later estimate replaced this one.
        public var superseded: Bool
    }

    public struct Section: Sendable, Equatable {
        /// `figures`, `amounts_seized`, `latest_estimates` or `aggregate_figures`, as in the summary.
        public var section: String
        /// The key within the section: `killed`, `USD`, `amount USD`, …
        public var key: String
        public var rule: String
        public var total: SummaryFigure
        public var parts: [Part]
    }

    public var region: String
    public var measure: String
    public var kind: CodedClaim.Kind?
    public var sections: [Section]

    /// Every claim id the trace leads to.
    public var claimIDs: [String] {
        Array(Set(sections.flatMap { $0.parts.flatMap(\.claimIDs) })).sorted()
    }

    /// Traces `measure` in `region` (restricted to claims and incidents of `kind` when given).
    public static func trace(region: String, measure: String, kind: CodedClaim.Kind? = nil, in picture: ThreatPicture) -> FigureTrace {
        var sections: [Section] = []
        let inRegion = { (country: String?, admin1: String?) in RegionSummaries.isIn(region, country: country, admin1: admin1) }
        // Only the region's own claims and the incidents they belong to are looked at, so a trace
        // costs the region, not the whole picture.
        let units = RegionSummaries.units(of: picture, in: region).filter { inRegion($0.country, $0.admin1) && (kind == nil || $0.kind == kind) }

        func incidentSection(_ name: String, key: String, currency: String?, units: [RegionSummaries.Unit]) {
            var total = SummaryFigure()
            var parts: [Part] = []
            let reconciledMeasure = currency == nil ? measure : "amount"
            for unit in units {
                guard let r = Reconciliation.reconcile(measure: reconciledMeasure, claims: unit.claims, picture: picture, currency: currency)
                else { continue }
                RegionSummaries.add(&total, low: r.low, best: r.best ?? r.low, high: r.high, numbered: r.numbered, claims: r.claimIDs)
                parts.append(
                    Part(
                        id: unit.id, kind: unit.kind, low: r.numbered ? r.low : nil, best: r.best, high: r.high, numbered: r.numbered,
                        claimIDs: r.claimIDs, bestFrom: r.bestFrom, superseded: false))
            }
            if !parts.isEmpty {
                sections.append(
                    Section(
                        section: name, key: key, rule: Reconciliation.incidentRule + " per incident, " + Reconciliation.totalRule, total: total.finalized(),
                        parts: parts))
            }
        }
        if RegionSummaries.flowMeasures.contains(measure) {
            incidentSection("figures", key: measure, currency: nil, units: units)
        }
        let requestedCurrency: String?? = measure == "amount" ? .some(nil) : (measure.hasPrefix("amount ") ? .some(String(measure.dropFirst(7))) : nil)
        if let requestedCurrency {
            let seizures = units.filter { $0.kind == .financingSeizure }
            let currencies = Set(seizures.flatMap { $0.claims.flatMap { RegionSummaries.currencies(of: $0, measure: "amount") } }.compactMap { $0 })
            for currency in currencies.sorted() where requestedCurrency == nil || requestedCurrency == currency {
                incidentSection("amounts_seized", key: currency, currency: currency, units: seizures)
            }
        }

        // Stocks: the region's own situation claims, latest estimate first among equals.
        let claims = picture.claims(possiblyIn: region).filter { picture.stands($0) && (kind == nil || $0.kind == kind) && inRegion($0.country, $0.admin1) }
            .sorted { $0.position < $1.position }
        let baseMeasure = measure.split(separator: " ").first.map(String.init) ?? measure
        if RegionSummaries.stockMeasures.contains(baseMeasure) {
            let situation = claims.filter {
                $0.scope == .situation && RegionSummaries.regions(country: $0.country, admin1: $0.admin1).last == region
            }
            var keys = Set<String>()
            for claim in situation {
                for currency in RegionSummaries.currencies(of: claim, measure: baseMeasure) {
                    keys.insert(RegionSummaries.measureKey(baseMeasure, currency))
                }
            }
            for key in keys.sorted() where key == measure || baseMeasure == measure {
                let (m, currency) = RegionSummaries.splitKey(key)
                let ranked = RegionSummaries.rankEstimates(
                    situation.filter { !RegionSummaries.currencies(of: $0, measure: m).isEmpty }, measure: m, currency: currency, picture: picture)
                guard let latest = ranked.last else { continue }
                var total = SummaryFigure()
                RegionSummaries.add(&total, low: latest.1.low, best: latest.1.best, high: latest.1.high, numbered: true, claims: [latest.0.id])
                total.supersededClaimIDs = ranked.dropLast().map(\.0.id).sorted()
                let parts = ranked.reversed().map { entry in
                    Part(
                        id: "claim:\(entry.0.id)", kind: entry.0.kind, low: entry.1.low, best: entry.1.best, high: entry.1.high,
                        numbered: true, claimIDs: [entry.0.id], bestFrom: nil, superseded: entry.0.id != latest.0.id)
                }
                sections.append(Section(section: "latest_estimates", key: key, rule: Reconciliation.stockRule, total: total.finalized(), parts: parts))
            }
        }

        // Aggregates: each claim as stated, never added to incident totals.
        var aggregates: [String: (SummaryFigure, [Part])] = [:]
        for claim in claims where claim.scope == .aggregate && inRegion(claim.country, claim.admin1) {
            for m in RegionSummaries.flowMeasures + RegionSummaries.stockMeasures where m == baseMeasure {
                let totals = FigureTotals.of(measure: m, in: claim.figures)
                guard totals.figureCount > 0 else { continue }
                let key = RegionSummaries.measureKey(m, totals.currency)
                guard key == measure || m == measure else { continue }
                var entry = aggregates.removeValue(forKey: key) ?? (SummaryFigure(), [])  // out while changed: no copy-on-write
                RegionSummaries.add(
                    &entry.0, low: totals.low, best: totals.best ?? totals.low, high: totals.high,
                    numbered: totals.numbered, claims: [claim.id])
                entry.1.append(
                    Part(
                        id: "claim:\(claim.id)", kind: claim.kind, low: totals.numbered ? totals.low : nil,
                        best: totals.best, high: totals.high, numbered: totals.numbered, claimIDs: [claim.id],
                        bestFrom: nil, superseded: false))
                aggregates[key] = entry
            }
        }
        for key in aggregates.keys.sorted() {
            sections.append(
                Section(
                    section: "aggregate_figures", key: key, rule: "aggregate claims, each as stated; not added to incidents",
                    total: aggregates[key]!.0.finalized(), parts: aggregates[key]!.1))
        }
        return FigureTrace(region: region, measure: measure, kind: kind, sections: sections)
    }

    /// Whether every section's total is the figure the summary shows for it.
    public func consistent(with summary: RegionSummary) -> Bool {
        sections.allSatisfy { section in
            let shown: SummaryFigure? =
                switch section.section {
                case "figures": summary.figures[section.key]
                case "amounts_seized": summary.amountsSeized[section.key]
                case "latest_estimates": summary.latestEstimates[section.key]
                default: summary.aggregateFigures[section.key]
                }
            return shown == section.total
        }
    }
}
