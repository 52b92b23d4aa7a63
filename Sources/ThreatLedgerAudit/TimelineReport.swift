import ThreatLedgerCore
import ThreatLedgerProjections
import ThreatLedgerStore

/// A region's figure of one flow measure along one clock (``FigureTimeline``), read from the read
/// index in one query of the region's history, with where it stands and, for each step, the diff
/// that explains it. Shared by `threatledger timeline` and `GET /v1/timeline`.
public struct TimelineReport: Sendable {
    public let timeline: FigureTimeline
    /// The log position the history was read at, and its hash.
    public let position: Int64
    public let hash: SHA256Hash?

    /// The timeline of `measure` in `region` (a region key, a country's code or name, or a
    /// division's code or name) on `clock`, over the index caught up first (a command) or, with
    /// `bound`, as it stands up to that position (a server, at its projections' checkpoint).
    public static func compute(
        _ log: any EventLog, index: any ClaimVersionIndex, region: String, measure: String, clock: FigureTimeline.Clock, bound: Int64? = nil
    ) async throws(AuditError) -> TimelineReport {
        guard RegionSummaries.flowMeasures.contains(measure) else { throw .notAFlowMeasure(measure) }
        do {
            let position = try await Replay.readPosition(index, bound: bound).position
            let keys = try await index.regionKeys(country: RegionSelector.canonicalCountry(region))
            guard let key = RegionSelector.exact(keys, region: region) else {
                throw AuditError.unknownRegion(region, known: RegionSelector.countries(try await index.regionKeys()))
            }
            let history = try await index.history(region: key, through: position)
            let hash = position == 0 ? nil : try await index.hash(at: position)
            return TimelineReport(
                timeline: FigureTimeline.build(region: key, measure: measure, clock: clock, history: history), position: position, hash: hash)
        } catch let error as AuditError {
            throw error
        } catch {
            throw .projection("\(error)")
        }
    }

    /// The rule each clock counts a claim by.
    public var rule: String? {
        switch timeline.clock {
        case .report: AuditClocks.reportRule
        case .event: AuditClocks.eventRule
        case .record: nil
        }
    }

    /// What moved between the step before `index` (or the day or moment before the first) and it,
    /// as `diff` takes it: the clock, from, to.
    public func diffBounds(of index: Int) -> (clock: String, from: String, to: String) {
        let steps = timeline.steps
        let step = steps[index]
        switch timeline.clock {
        case .report, .event:
            let from = index > 0 ? steps[index - 1].day! : step.day!.adding(days: -1)
            return (timeline.clock.rawValue, from.iso8601, step.day!.iso8601)
        case .record:
            let to = step.recordedAt ?? RecordTime(microsecondsSinceEpoch: 0)
            let from = index > 0 ? steps[index - 1].recordedAt ?? to : RecordTime(microsecondsSinceEpoch: to.microsecondsSinceEpoch - 1)
            return ("record", from.iso8601, to.iso8601)
        }
    }

    public var json: JSONValue {
        let steps = timeline.steps.enumerated().map { index, step -> JSONValue in
            let diff = diffBounds(of: index)
            let f = step.figure
            let figure: JSONValue = [
                "low": f.parts > 0 ? .number(Double(f.low)) : .null, "best": f.parts > 0 ? .optional(f.best) : .null,
                "high": f.parts > 0 ? .optional(f.high) : .null, "parts": .number(Double(f.parts)),
                "unknown_parts": .number(Double(f.unknownParts)),
            ]
            return [
                "day": .optional(step.day?.iso8601), "recorded_at": .optional(step.recordedAt?.iso8601),
                "position": step.position.map { .number(Double($0)) } ?? .null, "figure": figure,
                "diff": ["clock": .string(diff.clock), "from": .string(diff.from), "to": .string(diff.to), "region": .string(timeline.region)],
            ]
        }
        return [
            "region": .string(timeline.region), "measure": .string(timeline.measure), "clock": .string(timeline.clock.rawValue),
            "rule": .optional(rule), "log_position": .number(Double(position)), "log_hash": .optional(hash?.hex),
            "computed_from": "claim versions", "undated_claims": .number(Double(timeline.undated)), "steps": .array(steps),
        ]
    }
}
