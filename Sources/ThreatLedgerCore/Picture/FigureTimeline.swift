/// How one region's figure of one flow measure (`killed`, `arrested`, …) moved along a clock: the
/// figure as the sources published by each day give it (report time), as the events that happened
/// by each day make it (event time), or as the log held it at each moment (record time).
///
/// Each step is exactly what `summary --region R` under that clock says for the measure's incident
/// total (`figures[measure]`: low, best, high, numbered parts and parts with no number), because
/// it is computed by the same rules: an incident is placed where most of its current claims are
/// (``RegionSummaries/units(of:)``) and its figure reconciled over them (``Reconciliation``); the
/// parts are summed as ``RegionSummaries/add(_:low:best:high:numbered:claims:)`` sums them. It is
/// computed incrementally, not by building a summary per day: a step re-reconciles only the
/// incidents and lone claims its changes touch, and keeps the totals as sums that can be taken
/// back, so a region's timeline costs about one pass over its history.
///
/// Only the steps where the figure moved are listed (the first is the first that has the measure at
/// all); between two steps the figure stands as the earlier one says.
public struct FigureTimeline: Sendable, Equatable {
    /// The clock a timeline runs along.
    public enum Clock: String, Sendable, CaseIterable {
        /// Report time: the day each claim's source was certainly published by
        /// (``AuditClocks/reportRule``), over the log as it stands.
        case report
        /// Event time: the day each claim's event certainly happened by (``AuditClocks/eventRule``).
        case event
        /// Record time: the moment each version entered the log.
        case record
    }

    /// One moment the figure moved, and what it became.
    public struct Step: Sendable, Equatable {
        /// The day (report and event time).
        public var day: CalendarDate?
        /// The record time of the last event the step includes (record time), and its position.
        public var recordedAt: RecordTime?
        public var position: Int64?
        public var figure: SummaryFigure
    }

    public let region: String
    public let measure: String
    public let clock: Clock
    public let steps: [Step]
    /// Claims of the region's history the clock can never count: sources with no publication date
    /// (report time) or claims with no event date (event time). Record time leaves none out.
    public let undated: Int

    /// The timeline of `measure` in `region` (a region key: `SY`, `SY-HA`, `unplaced`) over
    /// `history`. Report and event time run over the claims as they stand at the history's
    /// position; record time over every version.
    public static func build(region: String, measure: String, clock: Clock, history: PictureHistory) -> FigureTimeline {
        // Report and event time read the sources as they stand; record time starts from each
        // source's first version and applies its corrections and retraction where they were recorded.
        let firstVersions = Dictionary(grouping: history.sources.filter { $0.validFrom <= history.position }, by: \.value.id).compactMap { _, versions in
            versions.min { $0.validFrom < $1.validFrom }
        }
        let initial = clock == .record ? firstVersions.map(\.value) : history.currentSources
        var state = State(region: region, measure: measure, sources: ThreatPicture(sources: initial, claims: [], incidents: [], position: 0))
        var steps: [Step] = []
        var undated = 0
        func record(_ step: Step) {
            guard step.figure.parts + step.figure.unknownParts > 0 || !steps.isEmpty else { return }
            if let last = steps.last, last.figure == step.figure { return }
            steps.append(step)
        }
        switch clock {
        case .report, .event:
            let current = history.claims.filter { $0.validTo == nil || $0.validTo! > history.position }.map(\.value)
            let incidents = history.incidents.filter { $0.isValid(at: history.position) }.map(\.value)
            state.change(claims: [], removing: [], incidents: incidents, removingIncidents: [])
            let published = Dictionary(history.currentSources.map { ($0.id, $0.published) }, uniquingKeysWith: { a, _ in a })
            var byDay: [CalendarDate: [ThreatPicture.Claim]] = [:]
            for claim in current {
                let date = clock == .report ? published[claim.sourceID] : claim.coded.date
                guard let date, date.start != nil, let end = date.end else {
                    if state.stands(claim), RegionSummaries.isIn(region, country: claim.country, admin1: claim.admin1) { undated += 1 }
                    continue
                }
                byDay[end, default: []].append(claim)
            }
            for day in byDay.keys.sorted() {
                state.change(claims: byDay[day]!, removing: [], incidents: [], removingIncidents: [])
                record(Step(day: day, figure: state.figure))
            }
        case .record:
            var starting: [Int64: [ThreatPicture.Claim]] = [:]
            var ending: [Int64: [String]] = [:]
            var incidentsStarting: [Int64: [ThreatPicture.Incident]] = [:]
            var incidentsEnding: [Int64: [String]] = [:]
            for version in history.claims where version.validFrom <= history.position {
                starting[version.validFrom, default: []].append(version.value)
                if let end = version.validTo, end <= history.position { ending[end, default: []].append(version.value.id) }
            }
            for version in history.incidents where version.validFrom <= history.position {
                incidentsStarting[version.validFrom, default: []].append(version.value)
                if let end = version.validTo, end <= history.position { incidentsEnding[end, default: []].append(version.value.id) }
            }
            let firstFrom = Dictionary(uniqueKeysWithValues: firstVersions.map { ($0.value.id, $0.validFrom) })
            var sourcesChanging: [Int64: [ThreatPicture.Source]] = [:]
            for version in history.sources where version.validFrom <= history.position && firstFrom[version.value.id] != version.validFrom {
                sourcesChanging[version.validFrom, default: []].append(version.value)
            }
            let positions = Set(starting.keys).union(ending.keys).union(incidentsStarting.keys).union(incidentsEnding.keys).union(sourcesChanging.keys)
                .sorted()
            // Events recorded at one moment (one batch) are one step: "as of" that moment holds them all.
            var index = 0
            while index < positions.count {
                let moment = history.recordedAt[positions[index]]
                var last = positions[index]
                repeat {
                    let p = positions[index]
                    last = p
                    if let changed = sourcesChanging[p] { state.change(sources: changed) }
                    let replaced = Set((starting[p] ?? []).map(\.id))
                    state.change(
                        claims: starting[p] ?? [], removing: (ending[p] ?? []).filter { !replaced.contains($0) },
                        incidents: incidentsStarting[p] ?? [],
                        removingIncidents: (incidentsEnding[p] ?? []).filter { id in !(incidentsStarting[p] ?? []).contains { $0.id == id } })
                    index += 1
                } while index < positions.count && moment != nil && history.recordedAt[positions[index]] == moment
                record(Step(recordedAt: moment, position: last, figure: state.figure))
            }
        }
        return FigureTimeline(region: region, measure: measure, clock: clock, steps: steps, undated: undated)
    }

    /// The running state: what is visible, each unit's part, and the totals kept as sums that can
    /// be taken back.
    struct State {
        let region: String
        let measure: String
        /// Sources only: reconciliation orders estimates by their publication dates, and a
        /// retracted source's claims do not stand.
        var sources: ThreatPicture
        var claims: [String: ThreatPicture.Claim] = [:]
        var incidents: [String: ThreatPicture.Incident] = [:]
        var listedBy: [String: Set<String>] = [:]
        var parts: [String: ReconciledFigure] = [:]
        var low: Int64 = 0
        var best: Int64 = 0
        var high: Int64 = 0
        var openHigh = 0
        var numbered = 0
        var unnumbered = 0

        init(region: String, measure: String, sources: ThreatPicture) {
            self.region = region
            self.measure = measure
            self.sources = sources
        }

        var figure: SummaryFigure {
            var figure = SummaryFigure()
            figure.low = low
            figure.best = best
            figure.high = openHigh > 0 ? nil : high
            figure.parts = numbered
            figure.unknownParts = unnumbered
            return figure
        }

        /// Whether a claim counts: neither it nor its source is retracted.
        func stands(_ claim: ThreatPicture.Claim) -> Bool { sources.stands(claim) }

        /// New versions of sources (a correction, a retraction): every unit holding one of their
        /// claims is reconciled again.
        mutating func change(sources changed: [ThreatPicture.Source]) {
            let ids = Set(changed.map(\.id))
            sources = ThreatPicture(
                sources: sources.sources.values.filter { !ids.contains($0.id) } + changed, claims: [], incidents: [], position: 0)
            var touched = Set<String>()
            for claim in claims.values where ids.contains(claim.sourceID) {
                touched.insert("claim:\(claim.id)")
                for incident in listedBy[claim.id] ?? [] { touched.insert("incident:\(incident)") }
            }
            for unit in touched { update(unit) }
        }

        /// Applies one step's changes and re-reconciles the units they touch, before and after.
        mutating func change(
            claims added: [ThreatPicture.Claim], removing removed: [String], incidents addedIncidents: [ThreatPicture.Incident],
            removingIncidents removedIncidents: [String]
        ) {
            var touched = Set<String>()
            func touch(claim id: String) {
                touched.insert("claim:\(id)")
                for incident in listedBy[id] ?? [] { touched.insert("incident:\(incident)") }
            }
            func touch(incident id: String) {
                touched.insert("incident:\(id)")
                for claim in incidents[id]?.claimIDs ?? [] { touched.insert("claim:\(claim)") }
            }
            for claim in added { touch(claim: claim.id) }
            for id in removed { touch(claim: id) }
            for incident in addedIncidents { touch(incident: incident.id) }
            for id in removedIncidents { touch(incident: id) }
            for id in removedIncidents + addedIncidents.map(\.id) {
                for claim in incidents[id]?.claimIDs ?? [] { listedBy[claim]?.remove(id) }
                incidents[id] = nil
            }
            for incident in addedIncidents {
                incidents[incident.id] = incident
                for claim in incident.claimIDs { listedBy[claim, default: []].insert(incident.id) }
            }
            for id in removed { claims[id] = nil }
            for claim in added { claims[claim.id] = claim }
            for claim in added { touch(claim: claim.id) }
            for incident in addedIncidents { touch(incident: incident.id) }
            for unit in touched { update(unit) }
        }

        private mutating func update(_ unit: String) {
            if let old = parts.removeValue(forKey: unit) { count(old, sign: -1) }
            guard let part = reconcile(unit) else { return }
            parts[unit] = part
            count(part, sign: 1)
        }

        private mutating func count(_ part: ReconciledFigure, sign: Int64) {
            guard part.numbered else {
                unnumbered += Int(sign)
                return
            }
            numbered += Int(sign)
            low += sign * part.low
            best += sign * (part.best ?? part.low)
            if let value = part.high { high += sign * value } else { openHigh += Int(sign) }
        }

        /// A unit's reconciled figure when it is placed in the region and states the measure.
        private func reconcile(_ unit: String) -> ReconciledFigure? {
            if unit.hasPrefix("incident:") {
                guard let incident = incidents[String(unit.dropFirst(9))] else { return nil }
                let listed = incident.claimIDs.compactMap { claims[$0] }.filter(stands).sorted { $0.position < $1.position }
                guard !listed.isEmpty else { return nil }
                let placed = RegionSummaries.unit(incident, claims: listed)
                guard RegionSummaries.isIn(region, country: placed.country, admin1: placed.admin1) else { return nil }
                return Reconciliation.reconcile(measure: measure, claims: listed, picture: sources)
            }
            let id = String(unit.dropFirst(6))
            guard let claim = claims[id], stands(claim), claim.scope == .incident, (listedBy[id] ?? []).isEmpty,
                RegionSummaries.isIn(region, country: claim.country, admin1: claim.admin1)
            else { return nil }
            return Reconciliation.reconcile(measure: measure, claims: [claim], picture: sources)
        }
    }
}
