import ThreatLedgerCore
import ThreatLedgerStore

/// Every version of a claim: the original as recorded, then each correction and the retraction, with
/// who made it, when and why, and the claim as it stood after. Nothing is ever lost.
public struct ClaimHistory: Sendable {
    public struct Version: Sendable {
        public let version: Int64
        public let position: Int64
        public let type: String
        public let recordedAt: RecordTime
        public let recordedBy: String
        public let reason: String?
        /// The event's payload: the claim, or the correction's changes.
        public let payload: JSONValue
        /// The claim after this version (nil when the stream does not begin with its recording).
        public let claimAfter: CodedClaim?
        public let retractedAfter: Bool
    }

    public let claimID: String
    public let versions: [Version]
    /// The events of the claim's source after its registration (its corrections and retraction),
    /// in order: what the claim stands on changed with them.
    public var sourceEvents: [Version] = []
    /// Whether the claim's source is retracted: the claim then stands on a retracted source and
    /// counts in no figure.
    public var sourceRetracted: Bool = false

    /// Reads the claim's stream; nil when the claim is not in the log.
    public static func read(_ claimID: String, from log: any EventLog) async throws -> ClaimHistory? {
        guard let stream = try? StreamName.entity("claim", claimID) else { return nil }
        let events = try await log.readWholeStream(stream)
        guard !events.isEmpty else { return nil }
        var picture = ThreatPicture()
        var versions: [Version] = []
        for event in events {
            try picture.apply(event)
            let payload = try event.payload()
            let claim = picture.claims[claimID]
            versions.append(
                Version(
                    version: event.streamVersion, position: event.position, type: event.type, recordedAt: event.recordedAt,
                    recordedBy: event.metadata.recordedBy, reason: payload["reason"]?.stringValue, payload: payload,
                    claimAfter: claim?.coded, retractedAfter: claim?.retracted ?? false))
        }
        var history = ClaimHistory(claimID: claimID, versions: versions)
        if let sourceID = picture.claims[claimID]?.sourceID, let sourceStream = try? StreamName.entity("source", sourceID) {
            let sourceEvents = try await log.readWholeStream(sourceStream)
            for event in sourceEvents { try picture.apply(event) }
            for event in sourceEvents.dropFirst() {
                let payload = try event.payload()
                history.sourceEvents.append(
                    Version(
                        version: event.streamVersion, position: event.position, type: event.type, recordedAt: event.recordedAt,
                        recordedBy: event.metadata.recordedBy, reason: payload["reason"]?.stringValue, payload: payload, claimAfter: nil,
                        retractedAfter: event.type == EventType.sourceRetracted.rawValue))
            }
            history.sourceRetracted = picture.sources[sourceID]?.retracted ?? false
        }
        return history
    }

    /// The history as JSON, the same from the command line and the API: each version with its
    /// event's payload as the log holds it and the claim as it stood after.
    public var json: JSONValue {
        [
            "claim_id": .string(claimID),
            "versions": .array(
                versions.map { v in
                    [
                        "version": .number(Double(v.version)), "position": .number(Double(v.position)), "type": .string(v.type),
                        "recorded_at": .string(v.recordedAt.iso8601), "recorded_by": .string(v.recordedBy), "reason": .optional(v.reason),
                        "payload": v.payload, "claim_after": v.claimAfter?.json ?? .null, "retracted_after": .bool(v.retractedAfter),
                    ]
                }),
            "source_events": .array(
                sourceEvents.map { v in
                    [
                        "version": .number(Double(v.version)), "position": .number(Double(v.position)), "type": .string(v.type),
                        "recorded_at": .string(v.recordedAt.iso8601), "recorded_by": .string(v.recordedBy), "reason": .optional(v.reason),
                        "payload": v.payload,
                    ]
                }),
            "source_retracted": .bool(sourceRetracted),
        ]
    }
}
