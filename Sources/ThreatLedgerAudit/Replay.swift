import ThreatLedgerCore
import ThreatLedgerStore

/// The picture as the clocks see it, computed from the log itself, never from today's projection tables.
public struct Replay: Sendable {
    public let clocks: AuditClocks
    /// The picture after record time and with the report- and event-time clocks applied.
    public let picture: ThreatPicture
    /// The unfiltered picture at record time (for what the clocks left out).
    public let recorded: ThreatPicture
    public let report: ClockReport
    /// The last event folded: the log head the replay was computed from.
    public let head: ChainHead?

    /// Folds the log up to `clocks.asOf` (all of it when nil) and applies the other clocks.
    public static func compute(_ log: any EventLog, clocks: AuditClocks) async throws -> Replay {
        var picture = ThreatPicture()
        var head: ChainHead?
        fold: for try await page in log.pages() {
            for event in page {
                if let asOf = clocks.asOf, event.recordedAt > asOf { break fold }
                try picture.apply(event)
                head = ChainHead(position: event.position, hash: event.hash, recordedAt: event.recordedAt)
            }
        }
        let (filtered, report) = picture.filtered(by: clocks)
        return Replay(clocks: clocks, picture: filtered, recorded: picture, report: report, head: head)
    }

    /// What the output says about how it was computed.
    public var provenanceJSON: JSONValue {
        [
            "clocks": clocks.json, "computed_from": "log replay",
            "log_position": .number(Double(head?.position ?? 0)), "log_hash": .optional(head?.hash.hex),
            "clock_report": report.json,
        ]
    }
}
