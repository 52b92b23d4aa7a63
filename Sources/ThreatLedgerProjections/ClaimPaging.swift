import ThreatLedgerCore

/// What one page of the claims listing asks the read index for: the claims standing at a log
/// position (not retracted), in claim-id order after a cursor, filtered.
///
/// The cursor is the last claim id of the page before: claim ids never change, so a page asked for
/// again at the same position holds the same claims, and a claim recorded meanwhile lands in the
/// page its id sorts into, never shifting the others. Every filter is a bound on columns of the
/// index's claim rows (``ClaimVersionIndexLayout``), so a page costs its own rows, not the log.
public struct ClaimPageQuery: Sendable, Equatable {
    public static let defaultLimit = 100
    public static let maximumLimit = 1_000

    /// The page holds the claims whose ids sort after this one.
    public var after: String?
    public var limit: Int
    /// Only claims placed here: a country with its divisions (`SY`), one division (`SY-HA`,
    /// `SY/Region 7`), or `unplaced`: a region key as the summaries name them.
    public var region: RegionPlace?
    public var kind: CodedClaim.Kind?
    public var sourceID: String?
    /// Only claims whose event date range reaches this day or later (it may have happened then).
    public var occurredFrom: CalendarDate?
    /// Only claims whose event date range starts on this day or before.
    public var occurredTo: CalendarDate?
    /// Report time (``AuditClocks/reportRule``): only claims whose source's whole publication range
    /// ends on or before this day.
    public var reportedBy: CalendarDate?
    /// Event time (``AuditClocks/eventRule``): only claims whose whole event date range ends on or
    /// before this day.
    public var occurredBy: CalendarDate?

    public init(
        after: String? = nil, limit: Int = ClaimPageQuery.defaultLimit, region: RegionPlace? = nil, kind: CodedClaim.Kind? = nil,
        sourceID: String? = nil, occurredFrom: CalendarDate? = nil, occurredTo: CalendarDate? = nil, reportedBy: CalendarDate? = nil,
        occurredBy: CalendarDate? = nil
    ) {
        self.after = after
        self.limit = limit
        self.region = region
        self.kind = kind
        self.sourceID = sourceID
        self.occurredFrom = occurredFrom
        self.occurredTo = occurredTo
        self.reportedBy = reportedBy
        self.occurredBy = occurredBy
    }

    /// The filters as the answer states them (null where not given).
    public var filtersJSON: JSONValue {
        [
            "region": .optional(region?.key), "kind": .optional(kind?.rawValue), "source": .optional(sourceID),
            "occurred_from": .optional(occurredFrom?.iso8601), "occurred_to": .optional(occurredTo?.iso8601),
        ]
    }
}

/// One page of claims read from the index: the claims in claim-id order, each one's incidents, the
/// sources they stand on, and the cursor of the next page (nil on the last).
public struct ClaimPage: Sendable {
    public let claims: [ThreatPicture.Claim]
    public let incidentIDs: [String: [String]]
    public let sources: [String: ThreatPicture.Source]
    public let nextAfter: String?
    public let position: Int64

    public init(claims: [ThreatPicture.Claim], incidentIDs: [String: [String]], sources: [String: ThreatPicture.Source], nextAfter: String?, position: Int64) {
        self.claims = claims
        self.incidentIDs = incidentIDs
        self.sources = sources
        self.nextAfter = nextAfter
        self.position = position
    }

    /// The public export record of each claim (`schemas/claim-export.schema.json`), in page order.
    public var records: [ClaimExportRecord] {
        let picture = ThreatPicture(sources: Array(sources.values), claims: claims, incidents: [], position: position)
        return claims.map { picture.exportRecord($0, incidents: incidentIDs[$0.id] ?? []) }
    }

    /// The page from `rows` read with `limit + 1`: the extra row only says that a next page exists.
    public static func trimmed(
        _ rows: [ThreatPicture.Claim], limit: Int, incidentIDs: [String: [String]], sources: [String: ThreatPicture.Source], position: Int64
    ) -> ClaimPage {
        let claims = Array(rows.prefix(limit))
        return ClaimPage(
            claims: claims, incidentIDs: incidentIDs, sources: sources, nextAfter: rows.count > limit ? claims.last?.id : nil, position: position)
    }
}
