import ThreatLedgerCore

/// Why a projection could not be built or served.
public enum ProjectionError: Error, Sendable, CustomStringConvertible {
    case unknownProjection(String)
    /// Another process is rebuilding; it is named so an operator can find it.
    case rebuildInProgress(projection: String, holder: String, since: RecordTime)
    /// The event at the checkpoint no longer has the hash the checkpoint recorded: the log was rewritten.
    case checkpointMismatch(projection: String, position: Int64)
    /// This rebuild's lock was taken over while it worked (its lease expired, or an operator took it):
    /// it stopped without swapping anything in.
    case rebuildTakenOver(projection: String, by: String)
    case storage(String)

    public var description: String {
        switch self {
        case .unknownProjection(let name):
            "no projection named \(name) (known: \(ProjectionDefinition.all.map(\.name).joined(separator: ", ")))"
        case .rebuildInProgress(let projection, let holder, let since):
            "a rebuild of \(projection) is already running: held by \(holder) since \(since.iso8601); wait for it to finish, or take it over with `threatledger rebuild --take-over REASON` if it is stuck"
        case .checkpointMismatch(let projection, let position):
            "the checkpoint of \(projection) names position \(position), whose hash has changed: the log was rewritten; run `threatledger verify`"
        case .rebuildTakenOver(let projection, let by):
            "the rebuild lock of \(projection) was taken over by \(by) while this rebuild worked; it stopped and swapped nothing in"
        case .storage(let message):
            "projection storage: \(message)"
        }
    }
}
