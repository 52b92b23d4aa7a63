/// A place exactly as a claim names it: a country and a division (`SY/Al-Hasakah`), a country with
/// no division (`SY`), or no country (`unplaced`). Every claim and every incident is placed at
/// exactly one; a region's summary is made of the parts of the places in it.
public struct RegionPlace: Sendable, Hashable {
    public var country: String?
    public var admin1: String?

    public init(country: String?, admin1: String?) {
        self.country = country
        self.admin1 = country == nil ? nil : admin1
    }

    /// The place a region key names: `SY/Al-Hasakah`, `SY` (the country with no division), `unplaced`.
    public init(key: String) {
        guard key != "unplaced" else {
            self.init(country: nil, admin1: nil)
            return
        }
        let parts = key.split(separator: "/", maxSplits: 1).map(String.init)
        self.init(country: parts[0], admin1: parts.count > 1 ? parts[1] : nil)
    }

    /// The region key of the place itself (the last of ``RegionSummaries/regions(country:admin1:)``).
    public var key: String {
        guard let country else { return "unplaced" }
        return admin1.map { "\(country)/\($0)" } ?? country
    }
}

/// How region summaries are kept per place and put together again: a stored part per place
/// (``RegionSummaries/part(at:from:)``), a division's summary is its part, a country's is the sum of
/// its parts (``RegionSummaries/merged(country:parts:)``). The sum gives exactly what
/// ``RegionSummaries/build(from:)`` gives for the whole picture: an incident is placed at one place,
/// so parts never count it twice; flows, seized amounts and aggregates add; counts add; dates take
/// the earliest and latest; sources unite; a stock speaks only for the place it names, so a
/// country's latest estimates are those of its own part.
extension RegionSummaries {
    /// A country's summary from the parts of the places in it (its own part, if any, and its
    /// divisions'), in any order.
    public static func merged(country: String, parts: [RegionSummary]) -> RegionSummary {
        var merged = RegionSummary(region: country, country: country, admin1: nil)
        var sources = Set<String>()
        func add(_ figures: [String: SummaryFigure], into target: inout [String: SummaryFigure]) {
            for (key, figure) in figures {
                var sum = target.removeValue(forKey: key) ?? SummaryFigure()
                sum.low += figure.low
                sum.best = sum.best.flatMap { total in figure.best.map { total + $0 } }
                sum.high = sum.high.flatMap { total in figure.high.map { total + $0 } }
                sum.parts += figure.parts
                sum.unknownParts += figure.unknownParts
                sum.claimIDs.append(contentsOf: figure.claimIDs)
                target[key] = sum
            }
        }
        for part in parts {
            for (kind, count) in part.incidentsByKind { merged.incidentsByKind[kind, default: 0] += count }
            for (kind, count) in part.claimsByKind { merged.claimsByKind[kind, default: 0] += count }
            merged.incidentIDs.append(contentsOf: part.incidentIDs)
            merged.incidentsWithUnknownToll.append(contentsOf: part.incidentsWithUnknownToll)
            add(part.figures, into: &merged.figures)
            add(part.amountsSeized, into: &merged.amountsSeized)
            add(part.aggregateFigures, into: &merged.aggregateFigures)
            if part.admin1 == nil { merged.latestEstimates = part.latestEstimates }
            if let earliest = part.earliest { merged.earliest = min(merged.earliest ?? earliest, earliest) }
            if let latest = part.latest { merged.latest = max(merged.latest ?? latest, latest) }
            sources.formUnion(part.sourceIDs)
        }
        merged.incidentIDs.sort()
        merged.incidentsWithUnknownToll.sort()
        merged.sourceIDs = sources.sorted()
        merged.figures = merged.figures.mapValues { $0.finalized() }
        merged.amountsSeized = merged.amountsSeized.mapValues { $0.finalized() }
        merged.aggregateFigures = merged.aggregateFigures.mapValues { $0.finalized() }
        return merged
    }

    /// The summaries served, keyed by region, from the stored parts keyed by place: divisions and
    /// `unplaced` as stored, each country merged from its parts.
    public static func served(parts: [String: RegionSummary]) -> [String: RegionSummary] {
        var served: [String: RegionSummary] = [:]
        var byCountry: [String: [RegionSummary]] = [:]
        for (key, part) in parts {
            if part.admin1 != nil || part.country == nil { served[key] = part }
            if let country = part.country { byCountry[country, default: []].append(part) }
        }
        for (country, parts) in byCountry { served[country] = merged(country: country, parts: parts) }
        return served
    }

    /// ``served(parts:)`` over stored JSON rows.
    public static func servedRows(parts: [String: JSONValue]) throws(RegionSummaryDecodingError) -> [String: JSONValue] {
        var typed: [String: RegionSummary] = [:]
        for (key, row) in parts { typed[key] = try RegionSummary(json: row, key: key) }
        return served(parts: typed).mapValues(\.json)
    }
}

/// A stored summary row that does not read as a summary: what is wrong and where.
public struct RegionSummaryDecodingError: Error, CustomStringConvertible, Sendable {
    public let key: String
    public let field: String

    public var description: String { "stored region summary \(key): field \(field) is missing or malformed" }
}

extension RegionSummary {
    /// A summary read back from its ``json``; `key` names the row in errors.
    public init(json: JSONValue, key: String) throws(RegionSummaryDecodingError) {
        func fail(_ field: String) -> RegionSummaryDecodingError { RegionSummaryDecodingError(key: key, field: field) }
        guard let region = json["region"]?.stringValue else { throw fail("region") }
        self.init(region: region, country: json["country"]?.stringValue, admin1: json["admin1"]?.stringValue)
        func counts(_ field: String) throws(RegionSummaryDecodingError) -> [String: Int] {
            guard let object = json[field]?.objectValue else { throw fail(field) }
            var result: [String: Int] = [:]
            for (kind, value) in object {
                guard let count = value.integerValue else { throw fail("\(field).\(kind)") }
                result[kind] = Int(count)
            }
            return result
        }
        func strings(_ field: String) throws(RegionSummaryDecodingError) -> [String] {
            guard let array = json[field]?.arrayValue else { throw fail(field) }
            var result: [String] = []
            for value in array {
                guard let text = value.stringValue else { throw fail(field) }
                result.append(text)
            }
            return result
        }
        func figures(_ field: String) throws(RegionSummaryDecodingError) -> [String: SummaryFigure] {
            guard let object = json[field]?.objectValue else { throw fail(field) }
            var result: [String: SummaryFigure] = [:]
            for (name, value) in object {
                guard let figure = SummaryFigure(json: value) else { throw fail("\(field).\(name)") }
                result[name] = figure
            }
            return result
        }
        incidentsByKind = try counts("incidents_by_kind")
        claimsByKind = try counts("claims_by_kind")
        incidentIDs = try strings("incident_ids")
        self.figures = try figures("figures")
        amountsSeized = try figures("amounts_seized")
        latestEstimates = try figures("latest_estimates")
        aggregateFigures = try figures("aggregate_figures")
        incidentsWithUnknownToll = try strings("incidents_with_unknown_toll")
        earliest = json["earliest_event_date"]?.stringValue
        latest = json["latest_event_date"]?.stringValue
        sourceIDs = try strings("sources")
    }
}

extension SummaryFigure {
    /// A figure read back from its ``json`` (a figure with no numbered part keeps best and high at 0,
    /// as adding only unknown parts leaves them); nil when a member is missing or malformed.
    public init?(json: JSONValue) {
        self.init()
        guard let parts = json["parts"]?.integerValue, let unknown = json["unknown_parts"]?.integerValue,
            let claimIDs = json["claim_ids"]?.arrayValue, let superseded = json["superseded_claim_ids"]?.arrayValue
        else { return nil }
        self.parts = Int(parts)
        unknownParts = Int(unknown)
        if parts > 0 {
            guard let low = json["low"]?.integerValue else { return nil }
            self.low = low
            best = json["best"]?.integerValue
            high = json["high"]?.integerValue
        }
        self.claimIDs = claimIDs.compactMap(\.stringValue)
        supersededClaimIDs = superseded.compactMap(\.stringValue)
    }
}
