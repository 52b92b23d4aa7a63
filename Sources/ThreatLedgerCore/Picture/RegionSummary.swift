/// The threat summary of one region: a country (ISO 3166-1 alpha-2) or a first-level division within
/// it (by its ISO 3166-2 code, `SY-HA`, or by name when the gazetteer cannot place it, `SY/Region 7`:
/// ``RegionPlace``); claims with no country are summed up under `unplaced`. Every summary names
/// its places in words and the gazetteer that placed them.
///
/// Built by ``RegionSummaries/build(from:)``, a pure function of a ``ThreatPicture``. An incident
/// counts once however many claims report it; its figures are reconciled by
/// ``Reconciliation/incidentRule``, totals add incidents by ``Reconciliation/totalRule``, stocks take
/// the latest estimate by ``Reconciliation/stockRule``. Every figure carries the ids of its claims.
public struct RegionSummary: Sendable, Equatable {
    public var region: String
    public var country: String?
    public var admin1: String?
    public var incidentsByKind: [String: Int] = [:]
    public var claimsByKind: [String: Int] = [:]
    /// The incidents counted here: `incident:<id>` for linked ones, `claim:<id>` for a claim that is its own.
    public var incidentIDs: [String] = []
    /// Flows over incidents: killed, wounded, kidnapped, arrested, escaped, …
    public var figures: [String: SummaryFigure] = [:]
    /// Amounts seized (financing_seizure incidents), by currency.
    public var amountsSeized: [String: SummaryFigure] = [:]
    /// Stocks from situation claims: prisoners held, fighters, treasury (amount by currency).
    public var latestEstimates: [String: SummaryFigure] = [:]
    /// Figures of aggregate claims (campaigns, periods), reported beside the incident totals.
    public var aggregateFigures: [String: SummaryFigure] = [:]
    /// Violent incidents (attacks, prison breaks, counter-operations) for which no claim gives a death toll.
    public var incidentsWithUnknownToll: [String] = []
    public var earliest: String?
    public var latest: String?
    public var sourceIDs: [String] = []

    /// The region's country and division in words (``RegionPlace/names(gazetteer:)``).
    public var names: (country: String?, division: String?) { place.names() }

    /// The place the region is.
    public var place: RegionPlace { RegionPlace(country: country, admin1: admin1) }

    public var json: JSONValue {
        func map(_ figures: [String: SummaryFigure]) -> JSONValue { .object(JSONObject(figures.mapValues(\.json))) }
        let coordinates = place.coordinates()
        return [
            "region": .string(region), "country": .optional(country), "admin1": .optional(admin1),
            "country_name": .optional(names.country), "admin1_name": .optional(names.division),
            "gazetteer": .string(Gazetteer.standard.version),
            "latitude": .optional(coordinates.map { $0.latitude }, JSONValue.number),
            "longitude": .optional(coordinates.map { $0.longitude }, JSONValue.number),
            "incidents_by_kind": .object(JSONObject(incidentsByKind.mapValues { .number(Double($0)) })),
            "claims_by_kind": .object(JSONObject(claimsByKind.mapValues { .number(Double($0)) })),
            "incidents": .number(Double(incidentIDs.count)),
            "incident_ids": .array(incidentIDs.map(JSONValue.string)),
            "figures": map(figures), "amounts_seized": map(amountsSeized), "latest_estimates": map(latestEstimates),
            "aggregate_figures": map(aggregateFigures),
            "incidents_with_unknown_toll": .array(incidentsWithUnknownToll.map(JSONValue.string)),
            "earliest_event_date": .optional(earliest), "latest_event_date": .optional(latest),
            "sources": .array(sourceIDs.map(JSONValue.string)),
            "rules": [
                "incident": .string(Reconciliation.incidentRule), "total": .string(Reconciliation.totalRule),
                "stock": .string(Reconciliation.stockRule),
            ],
        ]
    }
}

public enum RegionSummaries {
    /// Measures that count people or things an incident affects (flows, added across incidents).
    public static let flowMeasures = [
        "killed", "wounded", "casualties", "kidnapped", "arrested", "escaped", "recaptured", "released",
        "surrendered", "displaced", "attackers", "accounts", "attacks",
    ]
    /// Measures that describe a standing quantity (stocks, latest estimate wins).
    public static let stockMeasures = ["prisoners_held", "fighters", "amount", "area"]
    public static let violentKinds: Set<CodedClaim.Kind> = [.attack, .prisonBreak, .counterOperation]

    /// An incident as the summaries count it: a linked incident, or a lone incident-scope claim.
    public struct Unit: Sendable {
        public var id: String
        public var kind: CodedClaim.Kind
        public var claims: [ThreatPicture.Claim]
        public var country: String?
        public var admin1: String?
    }

    /// The incidents of a picture: each linked incident with its current claims, and each current
    /// incident-scope claim linked to none. An incident's place is the country most of its claims
    /// name (ties: alphabetical) and, within it, the division most name.
    public static func units(of picture: ThreatPicture) -> [Unit] {
        units(of: picture, current: picture.currentClaims)
    }

    /// ``units(of:)`` given the picture's ``ThreatPicture/currentClaims``, which a summary has read
    /// already. An incident's claims are looked up in the picture (those that stand), not copied
    /// into a dictionary first.
    static func units(of picture: ThreatPicture, current: [ThreatPicture.Claim]) -> [Unit] {
        var linked = Set<String>()
        var units: [Unit] = []
        for incident in picture.incidents.values.sorted(by: { $0.id < $1.id }) {
            var claims: [ThreatPicture.Claim] = []
            for id in incident.claimIDs {
                if let claim = picture.claims[id], picture.stands(claim) { claims.append(claim) }
            }
            claims.sort { $0.position < $1.position }
            linked.formUnion(incident.claimIDs)
            guard !claims.isEmpty else { continue }
            units.append(unit(incident, claims: claims))
        }
        for claim in current where claim.scope == .incident && !linked.contains(claim.id) {
            units.append(unit(claim))
        }
        return units
    }

    /// A linked incident as a unit, placed where most of its current `claims` are.
    static func unit(_ incident: ThreatPicture.Incident, claims: [ThreatPicture.Claim]) -> Unit {
        let country = mostCommon(claims.compactMap(\.country))
        let admin1 = mostCommon(claims.filter { $0.country == country }.compactMap(\.admin1))
        return Unit(id: "incident:\(incident.id)", kind: incident.kind, claims: claims, country: country, admin1: admin1)
    }

    /// An incident-scope claim linked to no incident, as a unit of its own.
    private static func unit(_ claim: ThreatPicture.Claim) -> Unit {
        Unit(id: "claim:\(claim.id)", kind: claim.kind, claims: [claim], country: claim.country, admin1: claim.admin1)
    }

    /// The units placed in `region`, in the order ``units(of:)`` gives them, found from the region's
    /// own claims instead of the whole picture: a unit is placed where most of its claims are, so
    /// every unit placed in a region has at least one claim there.
    public static func units(of picture: ThreatPicture, in region: String) -> [Unit] {
        let here = picture.claims(possiblyIn: region).filter { picture.stands($0) && isIn(region, country: $0.country, admin1: $0.admin1) }
        let hereIDs = Set(here.map(\.id))
        let candidates = picture.incidents(listing: hereIDs)
        var linked = Set<String>()
        for incident in candidates {
            for claimID in incident.claimIDs where hereIDs.contains(claimID) { linked.insert(claimID) }
        }
        var units: [Unit] = []
        for incident in candidates.sorted(by: { $0.id < $1.id }) {
            let claims = incident.claimIDs.compactMap { picture.claims[$0] }.filter(picture.stands).sorted { $0.position < $1.position }
            let placed = unit(incident, claims: claims)
            if isIn(region, country: placed.country, admin1: placed.admin1) { units.append(placed) }
        }
        for claim in here.sorted(by: { $0.position < $1.position }) where claim.scope == .incident && !linked.contains(claim.id) {
            units.append(unit(claim))
        }
        return units
    }

    /// Whether a place belongs to `region` (`regions(country:admin1:).contains(region)`, without
    /// building the array: trace asks it of every claim).
    public static func isIn(_ region: String, country: String?, admin1: String?) -> Bool {
        guard let country else { return region == "unplaced" }
        if region == country { return true }
        guard admin1 != nil, region.hasPrefix(country) else { return false }
        return region == RegionPlace(country: country, admin1: admin1).key
    }

    static func mostCommon(_ values: [String]) -> String? {
        var counts: [String: Int] = [:]
        for value in values { counts[value, default: 0] += 1 }
        return counts.max { a, b in a.value != b.value ? a.value < b.value : a.key > b.key }?.key
    }

    /// The region keys a place belongs to: its country and, when known, its division (by code,
    /// ``RegionPlace``).
    public static func regions(country: String?, admin1: String?) -> [String] {
        guard let country else { return ["unplaced"] }
        return admin1 == nil ? [country] : [country, RegionPlace(country: country, admin1: admin1).key]
    }

    /// Every region's summary, keyed by region.
    public static func build(from picture: ThreatPicture) -> [String: RegionSummary] {
        build(from: picture, placedAt: nil)
    }

    /// The part of a region's summary that stands on what is placed exactly at `place` (its claims
    /// and the incidents placed there), or nil when nothing current is. A division's part is its
    /// whole summary; a country's part (`SY` with no division) is what its divisions leave out, and
    /// ``merged(country:parts:)`` adds its divisions' parts to it. `picture` must hold the place's
    /// claims, the incidents listing them and all of those incidents' claims (as
    /// ``ClaimVersionIndex`` reads a place).
    public static func part(at place: RegionPlace, from picture: ThreatPicture) -> RegionSummary? {
        build(from: picture, placedAt: place)[place.key]
    }

    /// With a `place`, only claims and incidents placed exactly there count, and only in the
    /// place's own key.
    static func build(from picture: ThreatPicture, placedAt place: RegionPlace?) -> [String: RegionSummary] {
        func counted(_ country: String?, _ admin1: String?) -> [String] {
            guard let place else { return regions(country: country, admin1: admin1) }
            return place.country == country && place.admin1 == admin1 ? [place.key] : []
        }
        var summaries: [String: RegionSummary] = [:]
        // Takes a region's summary out of the dictionary, to be put back after changing it: while the
        // dictionary still held it, every append to one of its arrays copied the whole array
        // (copy-on-write), which made a build quadratic in a region's claims (found at 1M events).
        func summary(_ region: String) -> RegionSummary {
            if let existing = summaries.removeValue(forKey: region) { return existing }
            let place = RegionPlace(key: region)
            return RegionSummary(region: region, country: place.country, admin1: place.admin1)
        }

        var sources: [String: Set<String>] = [:]
        // Event date bounds, compared as dates and written once at the end.
        var dates: [String: (earliest: CalendarDate?, latest: CalendarDate?)] = [:]
        // Claims: counts, dates, sources, stocks and aggregates.
        var stockCandidates: [String: [String: [ThreatPicture.Claim]]] = [:]  // region → measure key → claims
        let current = picture.currentClaims
        for claim in current {
            for region in counted(claim.country, claim.admin1) {
                var s = summary(region)
                s.claimsByKind[claim.kind.rawValue, default: 0] += 1
                sources[region, default: []].insert(claim.sourceID)
                var bounds = dates[region] ?? (nil, nil)
                if let start = claim.coded.date.start { bounds.earliest = min(bounds.earliest ?? start, start) }
                if let end = claim.coded.date.end { bounds.latest = max(bounds.latest ?? end, end) }
                dates[region] = bounds
                if claim.scope == .aggregate {
                    for measure in flowMeasures + stockMeasures {
                        let totals = FigureTotals.of(measure: measure, in: claim.figures)
                        guard totals.figureCount > 0 else { continue }
                        let key = measureKey(measure, totals.currency)
                        var figure = s.aggregateFigures.removeValue(forKey: key) ?? SummaryFigure()
                        add(
                            &figure, low: totals.low, best: totals.best ?? totals.low, high: totals.high,
                            numbered: totals.numbered, claims: [claim.id])
                        s.aggregateFigures[key] = figure
                    }
                } else if claim.scope == .situation, region == regions(country: claim.country, admin1: claim.admin1).last {
                    // A stock speaks for the place it names: a prison's inmates are not the country's total.
                    for measure in stockMeasures {
                        for currency in currencies(of: claim, measure: measure) {
                            stockCandidates[region, default: [:]][measureKey(measure, currency), default: []].append(claim)
                        }
                    }
                }
                summaries[region] = s
            }
        }
        for (region, byMeasure) in stockCandidates {
            var s = summary(region)
            for (key, claims) in byMeasure {
                let (measure, currency) = splitKey(key)
                let ranked = rankEstimates(claims, measure: measure, currency: currency, picture: picture)
                guard let latest = ranked.last else { continue }
                var figure = SummaryFigure()
                add(
                    &figure, low: latest.1.low, best: latest.1.best, high: latest.1.high, numbered: true,
                    claims: [latest.0.id])
                figure.supersededClaimIDs = ranked.dropLast().map(\.0.id).sorted()
                s.latestEstimates[key] = figure
            }
            summaries[region] = s
        }

        // Incidents: each counted once, its figures reconciled.
        for unit in units(of: picture, current: current) {
            for region in counted(unit.country, unit.admin1) {
                var s = summary(region)
                s.incidentsByKind[unit.kind.rawValue, default: 0] += 1
                s.incidentIDs.append(unit.id)
                for measure in flowMeasures {
                    guard let r = Reconciliation.reconcile(measure: measure, claims: unit.claims, picture: picture) else {
                        continue
                    }
                    var figure = s.figures.removeValue(forKey: measure) ?? SummaryFigure()
                    add(&figure, low: r.low, best: r.best ?? r.low, high: r.high, numbered: r.numbered, claims: r.claimIDs)
                    s.figures[measure] = figure
                }
                if unit.kind == .financingSeizure {
                    let seized = unit.claims.flatMap { currencies(of: $0, measure: "amount") }.compactMap { $0 }
                    for currency in Set(seized).sorted() {
                        guard let r = Reconciliation.reconcile(measure: "amount", claims: unit.claims, picture: picture, currency: currency)
                        else { continue }
                        var figure = s.amountsSeized.removeValue(forKey: currency) ?? SummaryFigure()
                        add(&figure, low: r.low, best: r.best ?? r.low, high: r.high, numbered: r.numbered, claims: r.claimIDs)
                        s.amountsSeized[currency] = figure
                    }
                }
                if violentKinds.contains(unit.kind),
                    Reconciliation.reconcile(measure: "killed", claims: unit.claims, picture: picture)?.numbered != true
                {
                    s.incidentsWithUnknownToll.append(unit.id)
                }
                summaries[region] = s
            }
        }
        for key in summaries.keys {
            summaries[key]!.sourceIDs = (sources[key] ?? []).sorted()
            summaries[key]!.earliest = dates[key]?.earliest?.iso8601
            summaries[key]!.latest = dates[key]?.latest?.iso8601
            summaries[key]!.figures = summaries[key]!.figures.mapValues { $0.finalized() }
            summaries[key]!.amountsSeized = summaries[key]!.amountsSeized.mapValues { $0.finalized() }
            summaries[key]!.latestEstimates = summaries[key]!.latestEstimates.mapValues { $0.finalized() }
            summaries[key]!.aggregateFigures = summaries[key]!.aggregateFigures.mapValues { $0.finalized() }
            summaries[key]!.incidentIDs.sort()
            summaries[key]!.incidentsWithUnknownToll.sort()
        }
        return summaries
    }

    /// Situation claims stating a stock, oldest estimate first, by ``Reconciliation/stockRule``.
    public static func rankEstimates(
        _ claims: [ThreatPicture.Claim], measure: String, currency: String?, picture: ThreatPicture
    ) -> [(ThreatPicture.Claim, FigureTotals)] {
        claims.map { claim in
            (claim, FigureTotals.of(measure: measure, in: claim.figures.filter { currency == nil || $0.currency == currency }))
        }
        .filter { $0.1.numbered }
        .sorted { a, b in
            let ka = Reconciliation.asOfKey(a.0, picture)
            let kb = Reconciliation.asOfKey(b.0, picture)
            if ka != kb { return ka < kb }
            let pa = Reconciliation.publishedKey(a.0, picture)
            let pb = Reconciliation.publishedKey(b.0, picture)
            if pa != pb { return pa < pb }
            return (a.1.high ?? a.1.low) < (b.1.high ?? b.1.low)
        }
    }

    /// Adds a part to a figure. Claim ids are gathered as they come; ``SummaryFigure/finalized()`` sorts
    /// them and drops repeats once, at the end (sorting on every addition made large summaries quadratic).
    public static func add(_ figure: inout SummaryFigure, low: Int64, best: Int64?, high: Int64?, numbered: Bool, claims: [String]) {
        figure.claimIDs.append(contentsOf: claims)
        guard numbered else {
            figure.unknownParts += 1
            return
        }
        figure.parts += 1
        figure.low += low
        figure.best = figure.best.flatMap { sum in best.map { sum + $0 } }
        figure.high = figure.high.flatMap { sum in high.map { sum + $0 } }
    }

    public static func currencies(of claim: ThreatPicture.Claim, measure: String) -> [String?] {
        let figures = claim.coded.figures(of: measure)
        guard !figures.isEmpty else { return [] }
        return measure == "amount" ? Array(Set(figures.map(\.currency))) : [nil]
    }

    public static func measureKey(_ measure: String, _ currency: String?) -> String {
        currency.map { "\(measure) \($0)" } ?? measure
    }

    public static func splitKey(_ key: String) -> (String, String?) {
        let parts = key.split(separator: " ", maxSplits: 1).map(String.init)
        return (parts[0], parts.count > 1 ? parts[1] : nil)
    }
}
