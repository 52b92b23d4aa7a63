/// The three clocks an auditor replays history by, combinable.
///
/// - **Record time** (`asOf`): exactly what the log held at that moment: the events recorded at or
///   before it, corrections included, none after. Record time never decreases along positions, so
///   this is a prefix of the log: the output a report printed at that moment would have shown.
/// - **Report time** (`reportedBy`): only claims of sources published by that day, under
///   ``reportRule``.
/// - **Event time** (`occurredBy`): only claims of things that happened by that day, under
///   ``eventRule``.
public struct AuditClocks: Sendable, Equatable {
    public var asOf: RecordTime?
    public var reportedBy: CalendarDate?
    public var occurredBy: CalendarDate?

    public init(asOf: RecordTime? = nil, reportedBy: CalendarDate? = nil, occurredBy: CalendarDate? = nil) {
        self.asOf = asOf
        self.reportedBy = reportedBy
        self.occurredBy = occurredBy
    }

    public var isEmpty: Bool { asOf == nil && reportedBy == nil && occurredBy == nil }

    /// A source counts as published by day D when its whole coded publication range ends on or before
    /// D (certainly published). A source whose range straddles D (published in a week, month or year
    /// that D falls in) is left out and counted as imprecise; one with no date is left out and
    /// counted as undated.
    public static let reportRule = "published-by/v1: whole publication range on or before the day"

    /// A claim counts as happened by day D when its whole coded date range ends on or before D
    /// (certainly happened). A claim whose range straddles D is left out and counted as imprecise; one
    /// with no date is left out and counted as undated.
    public static let eventRule = "occurred-by/v1: whole event date range on or before the day"

    public var json: JSONValue {
        [
            "as_of": .optional(asOf?.iso8601), "reported_by": .optional(reportedBy?.iso8601),
            "occurred_by": .optional(occurredBy?.iso8601),
            "report_rule": reportedBy == nil ? .null : .string(Self.reportRule),
            "event_rule": occurredBy == nil ? .null : .string(Self.eventRule),
        ]
    }

    public var description: String {
        var parts: [String] = []
        if let asOf { parts.append("as of \(asOf.iso8601) (record time)") }
        if let reportedBy { parts.append("reported by \(reportedBy.iso8601)") }
        if let occurredBy { parts.append("occurred by \(occurredBy.iso8601)") }
        return parts.isEmpty ? "now (no clock)" : parts.joined(separator: ", ")
    }
}

/// What the report-time and event-time clocks left out, and why.
public struct ClockReport: Sendable, Equatable {
    public var claimsKept = 0
    /// Claims of sources not yet published by the report day.
    public var leftOutUnpublished = 0
    /// Claims of sources whose publication range straddles the report day.
    public var leftOutImpreciseReport = 0
    /// Claims of sources with no publication date.
    public var leftOutUndatedSource = 0
    /// Claims of events after the event day.
    public var leftOutLater = 0
    /// Claims whose event date range straddles the event day.
    public var leftOutImpreciseEvent = 0
    /// Claims with no event date.
    public var leftOutUndatedEvent = 0

    public var json: JSONValue {
        [
            "claims_kept": .number(Double(claimsKept)),
            "left_out_unpublished": .number(Double(leftOutUnpublished)),
            "left_out_imprecise_publication_date": .number(Double(leftOutImpreciseReport)),
            "left_out_undated_source": .number(Double(leftOutUndatedSource)),
            "left_out_later_event": .number(Double(leftOutLater)),
            "left_out_imprecise_event_date": .number(Double(leftOutImpreciseEvent)),
            "left_out_undated_event": .number(Double(leftOutUndatedEvent)),
        ]
    }
}

extension ThreatPicture {
    /// The picture with only the claims (and sources) the report-time and event-time clocks keep.
    /// Record time is applied while folding, not here.
    ///
    /// With `region`, the report counts only the claims placed in that region now (what the clocks
    /// left out of it); the picture is filtered whole either way.
    public func filtered(by clocks: AuditClocks, reportingOn region: String? = nil) -> (ThreatPicture, ClockReport) {
        var report = ClockReport()
        func counted(_ claim: Claim) -> Bool {
            stands(claim) && (region.map { RegionSummaries.isIn($0, country: claim.country, admin1: claim.admin1) } ?? true)
        }
        guard clocks.reportedBy != nil || clocks.occurredBy != nil else {
            report.claimsKept = claims.values.filter(counted).count
            return (self, report)
        }
        var copy = self
        enum Verdict { case kept, later, imprecise, undated }
        func verdict(_ date: CodedDate?, by day: CalendarDate) -> Verdict {
            guard let start = date?.start, let end = date?.end else { return .undated }
            if end <= day { return .kept }
            return start <= day ? .imprecise : .later
        }
        var keptSources = Set<String>()
        if let day = clocks.reportedBy {
            for source in sources.values where verdict(source.published, by: day) == .kept { keptSources.insert(source.id) }
            copy.sources = sources.filter { keptSources.contains($0.key) }
        }
        for claim in claims.values {
            var keep = true
            if let day = clocks.reportedBy, !keptSources.contains(claim.sourceID) {
                keep = false
                if counted(claim) {
                    switch verdict(sources[claim.sourceID]?.published, by: day) {
                    case .imprecise: report.leftOutImpreciseReport += 1
                    case .undated: report.leftOutUndatedSource += 1
                    default: report.leftOutUnpublished += 1
                    }
                }
            }
            if keep, let day = clocks.occurredBy {
                let outcome = verdict(claim.coded.date, by: day)
                if outcome != .kept {
                    keep = false
                    if counted(claim) {
                        switch outcome {
                        case .imprecise: report.leftOutImpreciseEvent += 1
                        case .undated: report.leftOutUndatedEvent += 1
                        default: report.leftOutLater += 1
                        }
                    }
                }
            }
            if keep {
                if counted(claim) { report.claimsKept += 1 }
            } else {
                copy.claims[claim.id] = nil
            }
        }
        return (copy, report)
    }
}
