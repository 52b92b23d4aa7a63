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
    /// country with its divisions, or one division; none when the index has no such region), with
    /// the other clocks applied. The clock report counts that region's claims.
    public static func compute(
        _ log: any EventLog, index: any ClaimVersionIndex, clocks: AuditClocks, region: String? = nil, bound: Int64? = nil
    ) async throws -> Replay {
        try await read(log, index: index, clocks: clocks, scope: region.map(AuditViews.Scope.region) ?? .everything, bound: bound).replay
    }

    /// What one read from the claim-version index found: the replay, the region key the scope's
    /// region resolved to, the index's region keys (for a region scope), and where the index stood.
    struct IndexedRead {
        let replay: Replay
        let regionKey: String?
        let regionKeys: [String]
        let indexPosition: Int64
    }

    /// Catches the index up, finds the record-time position, and reads the scope's picture there.
    /// With `bound` (a server's read, as of its projections' checkpoint), the index is not caught
    /// up: it is read as it stands, at `bound` or its own position, whichever is earlier.
    static func read(
        _ log: any EventLog, index: any ClaimVersionIndex, clocks: AuditClocks, scope: AuditViews.Scope, bound: Int64? = nil,
        progress: @Sendable (Int64, Int64) -> Void = { _, _ in }
    ) async throws -> IndexedRead {
        let (checkpoint, bounded) = try await readPosition(index, bound: bound, progress: progress)
        var position = bounded
        if let asOf = clocks.asOf { position = min(position, try await index.position(recordedAtOrBefore: asOf)) }
        var recorded = ThreatPicture()
        var key: String?
        var keys: [String] = []
        switch scope {
        case .everything:
            recorded = try await index.picture(region: nil, at: position)
        case .claim(let id):
            recorded = try await index.picture(of: .claim(id), at: position)
        case .source(let id):
            recorded = try await index.picture(of: .source(id), at: position)
        case .region(let region):
            // Only the region's own country's keys: a division's read costs its country's key list, not every region's.
            keys = try await index.regionKeys(country: RegionSelector.canonicalCountry(region))
            key = RegionSelector.exact(keys, region: region)
            if let key { recorded = try await index.picture(region: key, at: position) }
        }
        let (picture, report) = recorded.filtered(by: clocks, reportingOn: key)
        let head =
            position == 0
            ? nil
            : try await log.read(from: position, limit: 1).first.map {
                ChainHead(position: $0.position, hash: $0.hash, recordedAt: $0.recordedAt)
            }
        return IndexedRead(
            replay: Replay(clocks: clocks, picture: picture, recorded: recorded, report: report, head: head),
            regionKey: key, regionKeys: keys, indexPosition: checkpoint.position)
    }

    /// Where a read of the index stands: the index caught up first (a command), or, with `bound`
    /// (a server, at its projections' checkpoint), as it stands, at `bound` or its own position,
    /// whichever is earlier.
    static func readPosition(
        _ index: any ClaimVersionIndex, bound: Int64?, progress: @Sendable (Int64, Int64) -> Void = { _, _ in }
    ) async throws -> (checkpoint: IndexCheckpoint, position: Int64) {
        let checkpoint: IndexCheckpoint
        if bound != nil {
            guard let stored = try await index.indexCheckpoint() else { throw AuditError.notBuiltYet("the read index") }
            checkpoint = stored
        } else {
            checkpoint = try await index.ensureIndexCurrent(progress: progress)
        }
        return (checkpoint, min(checkpoint.position, bound ?? .max))
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
