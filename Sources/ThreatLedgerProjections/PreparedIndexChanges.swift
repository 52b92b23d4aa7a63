import ThreatLedgerCore

extension ClaimVersionFold {
    /// One row change with what writing it needs worked out: the canonical document of a version it
    /// adds (nil for a change that only closes one).
    public struct PreparedChange: Sendable {
        public let change: Change
        public let document: String?

        /// `change` with its document encoded: the text the index stores and `verify` compares.
        public init(_ change: Change) {
            self.change = change
            switch change {
            case .addSource(let source, _): document = ThreatPicture.canonicalDocument(of: source)
            case .addClaim(let claim, _): document = ThreatPicture.canonicalDocument(of: claim)
            case .addIncident(let incident, _): document = ThreatPicture.canonicalDocument(of: incident)
            case .closeSource, .closeClaim, .closeIncident: document = nil
            }
        }
    }

    /// Whether the rows `event` changes follow from the event alone, whatever the index holds: a
    /// registration, a recorded claim, a link (each adds versions of its own). A correction, a
    /// retraction or an unlink needs the current version of what it edits, read in the write.
    public static func standsAlone(_ event: RecordedEvent) -> Bool {
        switch EventType(rawValue: event.type) {
        case .sourceRegistered?, .claimRecorded?, .incidentLinked?: return true
        case .claimCorrected?, .claimRetracted?, .sourceCorrected?, .sourceRetracted?, .incidentUnlinked?, nil: return false
        }
    }

    /// The changes of an event that ``standsAlone(_:)``, prepared; the same as ``changes(for:current:currentIncident:currentSource:)``
    /// gives it, since such an event reads no current version.
    public static func preparedChanges(ofStandAlone event: RecordedEvent) throws -> [PreparedChange] {
        try changes(for: event, current: nil).map(PreparedChange.init)
    }
}
