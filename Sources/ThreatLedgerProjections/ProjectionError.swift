import ThreatLedgerCore

/// Why a projection could not be built or served.
public enum ProjectionError: Error, Sendable, CustomStringConvertible {
    case unknownProjection(String)
    /// Another process is rebuilding; it is named so an operator can find it.
    case rebuildInProgress(projection: String, holder: String, since: RecordTime)
    /// The event at the checkpoint no longer has the hash the checkpoint recorded: the log was rewritten.
    case checkpointMismatch(projection: String, position: Int64)
    case storage(String)

    public var description: String {
        switch self {
        case .unknownProjection(let name):
            "no projection named \(name) (known: \(ProjectionDefinition.all.map(\.name).joined(separator: ", ")))"
        case .rebuildInProgress(let projection, let holder, let since):
            "a rebuild of \(projection) is already running: held by \(holder) since \(since.iso8601); wait for it to finish"
        case .checkpointMismatch(let projection, let position):
            "the checkpoint of \(projection) names position \(position), whose hash has changed: the log was rewritten; run `threatledger verify`"
        case .storage(let message):
            "projection storage: \(message)"
        }
    }
}
