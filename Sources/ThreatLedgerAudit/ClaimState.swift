import ThreatLedgerCore
import ThreatLedgerStore

/// A claim as it stands now, read from its own stream: what a correction or retraction starts from.
public struct ClaimState: Sendable {
    public let coded: CodedClaim
    /// The stream's last version: the expected version of the next event on it.
    public let version: Int64
    public let retracted: Bool

    /// Nil when the claim is not in the log.
    public static func current(_ claimID: String, log: any EventLog) async throws -> ClaimState? {
        guard let stream = try? StreamName.entity("claim", claimID) else { return nil }
        let events = try await log.readWholeStream(stream)
        var picture = ThreatPicture()
        for event in events { try picture.apply(event) }
        guard let claim = picture.claims[claimID], let last = events.last else { return nil }
        return ClaimState(coded: claim.coded, version: last.streamVersion, retracted: claim.retracted)
    }
}
