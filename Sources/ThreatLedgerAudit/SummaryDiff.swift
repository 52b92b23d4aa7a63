import ThreatLedgerCore
import ThreatLedgerProjections
import ThreatLedgerStore

/// What changed in the region summaries between two moments on one clock, figure by figure, and the
/// events that changed it.
public struct SummaryDiff: Sendable {
    public enum Clock: String, Sendable, CaseIterable {
        case record, report, event
    }

    public struct Change: Sendable, Equatable {
        public let region: String
        /// `incidents`, `claims`, or `section.key` (`figures.killed`, `latest_estimates.fighters`).
        public let figure: String
        public let before: JSONValue
        public let after: JSONValue
    }

    /// One event behind the changes, and what it did, in words.
    public struct Cause: Sendable {
        public let event: RecordedEvent
        /// "source 1aee… (published 2022-01-24..2022-01-31) became visible", "claim … corrected by …: reason …".
        public let words: String

        public var json: JSONValue {
            [
                "position": .number(Double(event.position)), "type": .string(event.type), "stream": .string(event.stream.rawValue),
                "recorded_at": .string(event.recordedAt.iso8601), "recorded_by": .string(event.metadata.recordedBy), "words": .string(words),
            ]
        }
    }

    public let clock: Clock
    public let changes: [Change]
    /// The events that made the difference, in log order (only those touching the region's claims,
    /// their sources and incidents, when a region is given).
    public let events: [RecordedEvent]
    /// The same events, each with what it did in words.
    public let causes: [Cause]
    public let from: Replay
    public let to: Replay

    /// Compares the summaries at `from` and `to` on `clock`; `region` limits it to one region key or
    /// a country with its divisions. With the claim-version `index`, each moment is read from it
    /// (for the region only, when one is given) instead of folding the log.
    /// - Parameter bound: a server's read: the index is read as it stands, up to this position (its
    ///   projections' checkpoint), never caught up.
    public static func compute(
        _ log: any EventLog, clock: Clock, from: String, to: String, region: String? = nil, index: (any ClaimVersionIndex)? = nil,
        bound: Int64? = nil
    ) async throws(AuditError) -> SummaryDiff {
        func clocks(_ text: String) throws(AuditError) -> AuditClocks {
            if text.lowercased() == "now" { return AuditClocks() }  // the log as it stands, every clock open
            switch clock {
            case .record:
                guard let time = RecordTime(iso8601: text) else { throw .badTime(text) }
                // A bare day means the end of it, as --as-of reads it.
                return AuditClocks(asOf: text.count == 10 ? RecordTime(microsecondsSinceEpoch: time.microsecondsSinceEpoch + 86_400_000_000 - 1) : time)
            case .report:
                guard let day = CalendarDate(iso8601: String(text.prefix(10))) else { throw .badTime(text) }
                return AuditClocks(reportedBy: day)
            case .event:
                guard let day = CalendarDate(iso8601: String(text.prefix(10))) else { throw .badTime(text) }
                return AuditClocks(occurredBy: day)
            }
        }
        let fromClocks = try clocks(from)
        let toClocks = try clocks(to)
        do {
            let before: Replay
            let after: Replay
            if let index {
                before = try await Replay.compute(log, index: index, clocks: fromClocks, region: region, bound: bound)
                after = try await Replay.compute(log, index: index, clocks: toClocks, region: region, bound: bound)
            } else {
                before = try await Replay.compute(log, clocks: fromClocks)
                after = try await Replay.compute(log, clocks: toClocks)
            }
            let a = RegionSummaries.build(from: before.picture)
            let b = RegionSummaries.build(from: after.picture)
            var changes: [Change] = []
            let keys = Set(a.keys).union(b.keys).sorted().filter { key in
                guard let region else { return true }
                return RegionSelector.select([key], region: region) != nil
            }
            for key in keys {
                let x = a[key]?.json ?? .null
                let y = b[key]?.json ?? .null
                for field in ["incidents", "claims_by_kind"] where x[field] != y[field] {
                    changes.append(Change(region: key, figure: field, before: x[field] ?? .null, after: y[field] ?? .null))
                }
                for section in ["figures", "amounts_seized", "latest_estimates", "aggregate_figures"] {
                    let xs = x[section]?.objectValue ?? [:]
                    let ys = y[section]?.objectValue ?? [:]
                    for name in Set(xs.keys).union(ys.keys).sorted() where xs[name] != ys[name] {
                        changes.append(Change(region: key, figure: "\(section).\(name)", before: xs[name] ?? .null, after: ys[name] ?? .null))
                    }
                }
            }
            var events = try await responsibleEvents(log, clock: clock, before: before, after: after)
            if let region { events = Self.touching(region, events: events, before: before, after: after) }
            let causes = try await Self.causes(of: events, clock: clock, log: log, pictures: [before.recorded, after.recorded])
            return SummaryDiff(
                clock: clock, changes: changes, events: events.filter { event in causes.contains { $0.event.position == event.position } }, causes: causes,
                from: before, to: after)
        } catch let error as AuditError {
            throw error
        } catch {
            throw .log("\(error)")
        }
    }

    /// The diff as JSON, as the command line and `GET /v1/diff` answer it.
    public var json: JSONValue {
        [
            "clock": .string(clock.rawValue), "from": from.provenanceJSON, "to": to.provenanceJSON,
            "changes": .array(changes.map { ["region": .string($0.region), "figure": .string($0.figure), "before": $0.before, "after": $0.after] }),
            "events": .array(causes.map(\.json)),
        ]
    }

    /// The events that touch `region`: those of its claims (as either moment recorded them), of
    /// their sources, and of the incidents that list them.
    static func touching(_ region: String, events: [RecordedEvent], before: Replay, after: Replay) -> [RecordedEvent] {
        var claims = Set<String>()
        var sources = Set<String>()
        var incidents = Set<String>()
        for picture in [before.recorded, after.recorded] {
            for claim in picture.claims.values
            where RegionSelector.select(RegionSummaries.regions(country: claim.country, admin1: claim.admin1), region: region) != nil {
                claims.insert(claim.id)
                sources.insert(claim.sourceID)
            }
            for incident in picture.incidents.values where incident.claimIDs.contains(where: claims.contains) { incidents.insert(incident.id) }
        }
        let streams = Set(
            claims.compactMap { try? StreamName.entity("claim", $0).rawValue } + sources.compactMap { try? StreamName.entity("source", $0).rawValue }
                + incidents.compactMap { try? StreamName.entity("incident", $0).rawValue })
        return events.filter { streams.contains($0.stream.rawValue) }
    }

    /// Each event in words. On the report clock a source's registration is said as the source
    /// becoming visible (its publication date passed), and the source of each claim that appears or
    /// disappears is named even when it was registered before both moments.
    static func causes(of events: [RecordedEvent], clock: Clock, log: any EventLog, pictures: [ThreatPicture]) async throws -> [Cause] {
        func source(_ id: String) -> ThreatPicture.Source? { pictures.lazy.compactMap { $0.sources[id] }.first }
        func published(_ id: String) -> String {
            guard let date = source(id)?.published else { return "publication not coded" }
            guard let start = date.start else { return "publication date unknown" }
            return "published \(start.iso8601)" + (date.end.map { $0 == start ? "" : "..\($0.iso8601)" } ?? "")
        }
        var causes: [Cause] = []
        for event in events {
            let payload = (try? event.payload()) ?? .null
            let by = event.metadata.recordedBy
            let words: String
            switch EventType(rawValue: event.type) {
            case .sourceRegistered?:
                let id = payload["source_id"]?.stringValue ?? "?"
                words =
                    clock == .report
                    ? "source \(id) (\(published(id))) became visible" : "source \(id) (\(published(id))) registered by \(by)"
            case .claimRecorded?:
                let id = payload["claim_id"]?.stringValue ?? "?"
                let sourceID = payload["source_id"]?.stringValue ?? "?"
                let summary = payload["summary"]?.stringValue ?? ""
                switch clock {
                case .record: words = "claim \(id) recorded by \(by): \(summary)"
                case .report: words = "claim \(id) of source \(sourceID) (\(published(sourceID))) counts or stops counting: \(summary)"
                case .event:
                    let date = payload["date"]
                    let when = date?["start"]?.stringValue.map { "occurred \($0)" + (date?["end"]?.stringValue.map { "..\($0)" } ?? "") } ?? "undated"
                    words = "claim \(id) (\(when)) counts or stops counting: \(summary)"
                }
            case .claimCorrected?:
                words = "claim \(payload["claim_id"]?.stringValue ?? "?") corrected by \(by): reason \(payload["reason"]?.stringValue ?? "none given")"
            case .claimRetracted?:
                words = "claim \(payload["claim_id"]?.stringValue ?? "?") retracted by \(by): reason \(payload["reason"]?.stringValue ?? "none given")"
            case .incidentLinked?:
                let members = payload["claim_ids"]?.arrayValue?.compactMap(\.stringValue).joined(separator: ", ") ?? ""
                words = "incident \(payload["incident_id"]?.stringValue ?? "?") linked by \(by): claims \(members)"
            case .sourceCorrected?:
                let id = payload["source_id"]?.stringValue ?? "?"
                let fields = payload["changes"]?.objectValue?.keys.sorted().joined(separator: ", ") ?? ""
                words =
                    "source \(id)'s \(fields) corrected by \(by)" + (clock == .report ? " (\(published(id)))" : "")
                    + ": reason \(payload["reason"]?.stringValue ?? "none given")"
            case .sourceRetracted?:
                words =
                    "source \(payload["source_id"]?.stringValue ?? "?") retracted by \(by), with every claim citing it: reason \(payload["reason"]?.stringValue ?? "none given")"
            case .incidentUnlinked?:
                let members = payload["claim_ids"]?.arrayValue?.compactMap(\.stringValue).joined(separator: ", ") ?? ""
                words =
                    "claims \(members) unlinked from incident \(payload["incident_id"]?.stringValue ?? "?") by \(by): reason \(payload["reason"]?.stringValue ?? "none given")"
            case nil:
                words = "\(event.type) on \(event.stream)"
            }
            causes.append(Cause(event: event, words: words))
        }
        return causes
    }

    /// Record clock: the events appended between the two moments. Report and event clocks: the
    /// events of the claims that one moment keeps and the other does not.
    static func responsibleEvents(_ log: any EventLog, clock: Clock, before: Replay, after: Replay) async throws -> [RecordedEvent] {
        var result: [RecordedEvent] = []
        switch clock {
        case .record:
            let low = min(before.head?.position ?? 0, after.head?.position ?? 0)
            let high = max(before.head?.position ?? 0, after.head?.position ?? 0)
            var next = low + 1
            while next <= high {
                let page = try await log.read(from: next, limit: min(1_000, Int(high - next + 1)))
                result += page
                guard let last = page.last else { break }
                next = last.position + 1
            }
        case .report, .event:
            let a = Set(before.picture.claims.keys)
            let b = Set(after.picture.claims.keys)
            var sources = Set<String>()
            for id in a.symmetricDifference(b).sorted() {
                if let stream = try? StreamName.entity("claim", id) { result += try await log.readWholeStream(stream) }
                if clock == .report, let source = (before.recorded.claims[id] ?? after.recorded.claims[id])?.sourceID { sources.insert(source) }
            }
            // On the report clock a claim appears or goes with its source's publication: name the source.
            for id in sources.sorted() {
                if let stream = try? StreamName.entity("source", id), let first = try await log.readStream(stream, fromVersion: 1, limit: 1).first {
                    result.append(first)
                }
            }
            result.sort { $0.position < $1.position }
        }
        return result
    }
}

/// Why an audit query could not be answered.
public enum AuditError: Error, Sendable, CustomStringConvertible {
    case badTime(String)
    case unknownClaim(String)
    case unknownRegion(String, known: [String])
    case noFigure(region: String, measure: String, kind: CodedClaim.Kind?)
    case inconsistent(String)
    case projection(String)
    case log(String)
    /// What the read needs has not been built yet (a server builds it in the background).
    case notBuiltYet(String)
    /// A timeline runs over incident totals, which only flow measures have.
    case notAFlowMeasure(String)
    /// An evidence bundle cannot be made, and why.
    case cannotBundle(String)

    public var description: String {
        switch self {
        case .badTime(let text):
            "\"\(text)\" is not a time: write YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS[.ffffff]Z (UTC) or with an offset"
        case .unknownClaim(let id): "no claim \(id) in the log"
        case .unknownRegion(let region, let known):
            "no summary for region \(region) (regions with claims: \(known.joined(separator: ", ")))"
        case .noFigure(let region, let measure, let kind):
            "region \(region) has no figure \(measure)\(kind.map { " for kind \($0)" } ?? "")"
        case .inconsistent(let message): message + "; please report this"
        case .projection(let message): message
        case .log(let message): message
        case .notBuiltYet(let what): "\(what) has not been built yet; the server builds it in the background: try again shortly"
        case .cannotBundle(let why): "no evidence bundle: \(why)"
        case .notAFlowMeasure(let measure):
            "\"\(measure)\" has no timeline: a timeline follows an incident total, one of \(RegionSummaries.flowMeasures.joined(separator: ", "))"
        }
    }
}
