import ThreatLedgerCore
import ThreatLedgerProjections
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

    /// The picture as the clocks see it, read from the claim-version index instead of folding the
    /// log: the rows valid at the record-time position, for `region` only when one is given (a
    /// country with its divisions, or one division), with the other clocks applied. The clock report
    /// counts that region's claims.
    public static func compute(
        _ log: any EventLog, index: any ClaimVersionIndex, clocks: AuditClocks, region: String? = nil
    ) async throws -> Replay {
        let checkpoint = try await index.ensureIndexCurrent(progress: { _, _ in })
        var position = checkpoint.position
        if let asOf = clocks.asOf { position = min(position, try await index.position(recordedAtOrBefore: asOf)) }
        var recorded = ThreatPicture()
        var key: String?
        if let region {
            key = RegionSelector.exact(try await index.regionKeys(), region: region)
            if let key { recorded = try await index.picture(region: key, at: position) }
        } else {
            recorded = try await index.picture(region: nil, at: position)
        }
        let (picture, wholeReport) = recorded.filtered(by: clocks)
        let report = key.map { recorded.restricted(to: $0).filtered(by: clocks).1 } ?? wholeReport
        let head =
            position == 0
            ? nil
            : try await log.read(from: position, limit: 1).first.map {
                ChainHead(position: $0.position, hash: $0.hash, recordedAt: $0.recordedAt)
            }
        return Replay(clocks: clocks, picture: picture, recorded: recorded, report: report, head: head)
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
