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

    public let clock: Clock
    public let changes: [Change]
    /// The events that made the difference, in log order.
    public let events: [RecordedEvent]
    public let from: Replay
    public let to: Replay

    /// Compares the summaries at `from` and `to` on `clock`; `region` limits it to one region key or
    /// a country with its divisions. With the claim-version `index`, each moment is read from it
    /// (for the region only, when one is given) instead of folding the log.
    public static func compute(
        _ log: any EventLog, clock: Clock, from: String, to: String, region: String? = nil, index: (any ClaimVersionIndex)? = nil
    ) async throws(AuditError) -> SummaryDiff {
        func clocks(_ text: String) throws(AuditError) -> AuditClocks {
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
                before = try await Replay.compute(log, index: index, clocks: fromClocks, region: region)
                after = try await Replay.compute(log, index: index, clocks: toClocks, region: region)
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
            let events = try await responsibleEvents(log, clock: clock, before: before, after: after)
            return SummaryDiff(clock: clock, changes: changes, events: events, from: before, to: after)
        } catch let error as AuditError {
            throw error
        } catch {
            throw .log("\(error)")
        }
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
            for id in a.symmetricDifference(b).sorted() {
                if let stream = try? StreamName.entity("claim", id) { result += try await log.readWholeStream(stream) }
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
        }
    }
}
