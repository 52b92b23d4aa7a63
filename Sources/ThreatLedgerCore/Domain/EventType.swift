/// The event types ThreatLedger records, with the stream each belongs to and the schema of its payload.
public enum EventType: String, Sendable, CaseIterable, Hashable {
    case sourceRegistered = "SourceRegistered"
    case claimRecorded = "ClaimRecorded"
    case claimCorrected = "ClaimCorrected"
    case claimRetracted = "ClaimRetracted"
    case incidentLinked = "IncidentLinked"
    case incidentUnlinked = "IncidentUnlinked"
    case sourceCorrected = "SourceCorrected"
    case sourceRetracted = "SourceRetracted"

    /// The newest payload schema version of this type in ``SchemaVersions/standard``; the log
    /// accepts versions 1 through this.
    public var currentSchemaVersion: Int { SchemaVersions.standard.current(self) }

    /// The schema file that describes payload version `version`.
    public func schemaFile(version: Int) -> String {
        let base: String
        switch self {
        case .sourceRegistered: base = "source-registered"
        case .claimRecorded: base = "claim-recorded"
        case .claimCorrected: base = "claim-corrected"
        case .claimRetracted: base = "claim-retracted"
        case .incidentLinked: base = "incident-linked"
        case .incidentUnlinked: base = "incident-unlinked"
        case .sourceCorrected: base = "source-corrected"
        case .sourceRetracted: base = "source-retracted"
        }
        return "\(base).v\(version).schema.json"
    }

    /// The stream prefix (`source`, `claim`, `incident`) and the payload field holding the id.
    public var streamBinding: (prefix: String, idField: String) {
        switch self {
        case .sourceRegistered, .sourceCorrected, .sourceRetracted: ("source", "source_id")
        case .claimRecorded, .claimCorrected, .claimRetracted: ("claim", "claim_id")
        case .incidentLinked, .incidentUnlinked: ("incident", "incident_id")
        }
    }

    /// Whether the event starts its stream (it must be the stream's first event) or continues one
    /// that already exists (a correction needs a claim to correct).
    public var startsStream: Bool {
        switch self {
        case .sourceRegistered, .claimRecorded, .incidentLinked: true
        case .claimCorrected, .claimRetracted, .incidentUnlinked, .sourceCorrected, .sourceRetracted: false
        }
    }
}
