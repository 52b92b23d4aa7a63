import ThreatLedgerCore

/// The read index's one rule for applying an event, written once for every backend: which rows an
/// event closes and which it adds. Each new version is the version before it with the event folded
/// in by ``ThreatPicture/apply(_:)``, so the index says exactly what the whole-log fold says.
///
/// A backend reads the current version of the claim (or incident) an event edits
/// (``claimEdited(by:)``, ``incidentEdited(by:)``), asks
/// ``changes(for:current:)`` what to write, and writes it in the transaction that moves the
/// checkpoint.
public enum ClaimVersionFold {
    /// One row change.
    public enum Change: Sendable, Equatable {
        /// A source version, valid from `position` until replaced (a correction or retraction).
        case addSource(ThreatPicture.Source, position: Int64)
        /// The source's current version ends at `position`.
        case closeSource(id: String, at: Int64)
        /// The claim's current version ends at `position`.
        case closeClaim(id: String, at: Int64)
        /// A claim version valid from `position` until replaced; its region keys are recorded too.
        case addClaim(ThreatPicture.Claim, from: Int64)
        /// The incident's current version and its member rows end at `position`.
        case closeIncident(id: String, at: Int64)
        /// An incident version (and one member row per claim it lists) valid from `position`.
        case addIncident(ThreatPicture.Incident, from: Int64)
    }

    /// The claim whose current version `event` needs (a correction's or retraction's), or nil.
    public static func claimEdited(by event: RecordedEvent) throws -> String? {
        guard event.type == EventType.claimCorrected.rawValue || event.type == EventType.claimRetracted.rawValue else { return nil }
        return try event.payload()["claim_id"]?.stringValue
    }

    /// The source whose current version `event` needs (a correction's or retraction's), or nil.
    public static func sourceEdited(by event: RecordedEvent) throws -> String? {
        guard event.type == EventType.sourceCorrected.rawValue || event.type == EventType.sourceRetracted.rawValue else { return nil }
        return try event.payload()["source_id"]?.stringValue
    }

    /// The incident whose current version `event` needs (an unlink's), or nil.
    public static func incidentEdited(by event: RecordedEvent) throws -> String? {
        guard event.type == EventType.incidentUnlinked.rawValue else { return nil }
        return try event.payload()["incident_id"]?.stringValue
    }

    /// The row changes `event` makes, given the current version of the claim it edits (or, for an
    /// unlink, of the incident).
    public static func changes(
        for event: RecordedEvent, current: ThreatPicture.Claim?, currentIncident: ThreatPicture.Incident? = nil,
        currentSource: ThreatPicture.Source? = nil
    ) throws -> [Change] {
        guard let type = EventType(rawValue: event.type) else { return [] }
        switch type {
        case .sourceRegistered:
            var picture = ThreatPicture()
            try picture.apply(event)
            return picture.sources.values.map { .addSource($0, position: event.position) }
        case .claimRecorded:
            var picture = ThreatPicture()
            try picture.apply(event)
            return picture.claims.values.map { .addClaim($0, from: event.position) }
        case .claimCorrected, .claimRetracted:
            guard let current else { return [] }
            var picture = ThreatPicture(sources: [], claims: [current], incidents: [], position: event.position - 1)
            try picture.apply(event)
            guard let next = picture.claims[current.id] else { return [] }
            return [.closeClaim(id: current.id, at: event.position), .addClaim(next, from: event.position)]
        case .incidentLinked:
            var picture = ThreatPicture()
            try picture.apply(event)
            return picture.incidents.values.flatMap { [.closeIncident(id: $0.id, at: event.position), .addIncident($0, from: event.position)] }
        case .sourceCorrected, .sourceRetracted:
            guard let currentSource else { return [] }
            var picture = ThreatPicture(sources: [currentSource], claims: [], incidents: [], position: event.position - 1)
            try picture.apply(event)
            guard let next = picture.sources[currentSource.id] else { return [] }
            return [.closeSource(id: next.id, at: event.position), .addSource(next, position: event.position)]
        case .incidentUnlinked:
            guard let currentIncident else { return [] }
            var picture = ThreatPicture(sources: [], claims: [], incidents: [currentIncident], position: event.position - 1)
            try picture.apply(event)
            guard let next = picture.incidents[currentIncident.id] else { return [] }
            return [.closeIncident(id: next.id, at: event.position), .addIncident(next, from: event.position)]
        }
    }

    /// The columns a claim version is found by: its region and its dates.
    public struct ClaimColumns: Sendable {
        public let country: String?
        public let admin1: String?
        public let eventStart: String?
        public let eventEnd: String?
        public let kind: String
        /// The region keys the version is placed in (``RegionSummaries/regions(country:admin1:)``),
        /// each with the country and division it names.
        public let regions: [(key: String, country: String?, admin1: String?)]

        public init(_ claim: ThreatPicture.Claim) {
            country = claim.country
            admin1 = claim.country == nil ? nil : claim.admin1
            eventStart = claim.coded.date.start?.iso8601
            eventEnd = claim.coded.date.end?.iso8601
            kind = claim.kind.rawValue
            regions = RegionSummaries.regions(country: claim.country, admin1: claim.admin1).map { key in
                (key, claim.country, key == claim.country ? nil : claim.admin1)
            }
        }
    }
}
