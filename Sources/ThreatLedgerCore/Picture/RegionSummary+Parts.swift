import Synchronization

/// A place exactly as a claim names it: a country and a division, a country with no division
/// (`SY`), or no country (`unplaced`). Every claim and every incident is placed at exactly one; a
/// region's summary is made of the parts of the places in it.
///
/// **Regions are keyed by code.** A division the gazetteer knows is keyed by its ISO 3166-2 code
/// (`SY-HA`, `IQ-DI`), whatever spelling the claim used (`Hasakah`, `Al-Hasakah`, ACLED's `Al
/// Hasakeh`); a division it cannot place keeps the name as coded after its country (`SY/Region 7`).
/// Events are never rewritten for this: the code is resolved from the claim's own `admin1` when the
/// projection reads it (``division(of:in:)``), so a new gazetteer is a new projection version and a
/// rebuild, recorded like any other.
public struct RegionPlace: Sendable, Hashable {
    public var country: String?
    /// The division: its ISO 3166-2 code, or the name as coded when the gazetteer cannot place it.
    public var admin1: String?

    public init(country: String?, admin1: String?) {
        self.country = country
        self.admin1 = country == nil ? nil : admin1
    }

    /// The place a region key names: `SY-HA` (a division by code), `SY/Region 7` (a division the
    /// gazetteer does not know, by name), `SY` (the country with no division), `unplaced`.
    public init(key: String) {
        guard key != "unplaced" else {
            self.init(country: nil, admin1: nil)
            return
        }
        if let slash = key.firstIndex(of: "/") {
            self.init(country: String(key[..<slash]), admin1: String(key[key.index(after: slash)...]))
        } else if Self.isDivisionCode(key) {
            self.init(country: String(key.prefix(2)), admin1: key)
        } else {
            self.init(country: key, admin1: nil)
        }
    }

    /// The region key of the place itself (the last of ``RegionSummaries/regions(country:admin1:)``).
    public var key: String {
        guard let country else { return "unplaced" }
        guard let admin1 else { return country }
        return admin1.utf8.count > 3 && admin1.hasPrefix(country + "-") && Self.isDivisionCode(admin1) ? admin1 : "\(country)/\(admin1)"
    }

    /// The names of the place, for people: the country's and the division's (the gazetteer's
    /// English names; an unplaced division's name as coded).
    public func names(gazetteer: Gazetteer = .standard) -> (country: String?, division: String?) {
        let countryName = country.map { gazetteer.countries[$0]?.name ?? $0 }
        let divisionName = admin1.map { gazetteer.divisions[$0]?.name ?? $0 }
        return (countryName, divisionName)
    }

    /// Where a map draws the place, from the gazetteer: a division at its capital; a country at the
    /// mean of its divisions' capitals; nil for a division the gazetteer cannot place, and for
    /// `unplaced`.
    public func coordinates(gazetteer: Gazetteer = .standard) -> (latitude: Double, longitude: Double)? {
        guard let country else { return nil }
        if let admin1 {
            guard let capital = gazetteer.divisions[admin1]?.capitalID.flatMap({ gazetteer.places[$0] }) else { return nil }
            return (capital.latitude, capital.longitude)
        }
        // Summed in the divisions' code order: a dictionary's order changes from run to run, and a
        // floating-point sum with it, so a stored row would not equal the same row rendered again.
        let capitals = gazetteer.divisions.values.filter { $0.country == country }.sorted { $0.code < $1.code }
            .compactMap { $0.capitalID.flatMap { gazetteer.places[$0] } }
        guard !capitals.isEmpty else { return nil }
        let count = Double(capitals.count)
        return (capitals.map(\.latitude).reduce(0, +) / count, capitals.map(\.longitude).reduce(0, +) / count)
    }

    /// Whether `text` is an ISO 3166-2 code as keys write it: two capital letters, a hyphen, one to
    /// three capital letters or digits.
    static func isDivisionCode(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard (4...6).contains(scalars.count), scalars[2] == "-" else { return false }
        return scalars[..<2].allSatisfy { ("A"..."Z").contains($0) }
            && scalars[3...].allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }

    /// The division part of a claim's region: the ISO 3166-2 code of the division its `admin1`
    /// names in `country` (``Gazetteer/division(named:in:)``), else `admin1` as coded. Resolved
    /// once per spelling and remembered, so a fold of a million claims pays for a few hundred.
    public static func division(of admin1: String?, in country: String?) -> String? {
        guard let admin1, let country else { return admin1 }
        let key = country + "\u{0}" + admin1
        if let known = resolved.withLock({ $0[key] }) { return known }
        let code = Gazetteer.standard.division(named: admin1, in: country)?.code ?? admin1
        resolved.withLock { cache in
            if cache.count > 100_000 { cache.removeAll() }
            cache[key] = code
        }
        return code
    }

    private static let resolved = Mutex<[String: String]>([:])
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
