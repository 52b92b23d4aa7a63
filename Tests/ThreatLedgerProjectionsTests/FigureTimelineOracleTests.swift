import Foundation
import Testing
import ThreatLedgerAudit
import ThreatLedgerCore
import ThreatLedgerProjections
import ThreatLedgerStore
import ThreatLedgerTesting

/// A timeline (``FigureTimeline``, computed incrementally from the index's history of a region)
/// against the oracle: the region summary built from the whole-log fold under the same clock, at
/// every step, on the day (or moment) before each step, and at every batch boundary in between.
@Suite struct FigureTimelineOracleTests {
    /// The figure's numbers, as a summary states them.
    static func numbers(_ figure: SummaryFigure?) -> [Int64?] {
        let f = figure ?? SummaryFigure()
        return [f.low, f.best, f.high, Int64(f.parts), Int64(f.unknownParts)]
    }

    /// The summaries of the whole-log fold under each clock setting, built once per setting.
    final class Oracle {
        var built: [String: [String: RegionSummary]] = [:]
        func figure(_ picture: ThreatPicture, region: String, measure: String, clocks: AuditClocks) -> [Int64?] {
            let key = "\(picture.position) \(clocks.description)"
            if built[key] == nil { built[key] = RegionSummaries.build(from: picture.filtered(by: clocks).0) }
            return FigureTimelineOracleTests.numbers(built[key]![region]?.figures[measure])
        }
    }

    @Test(arguments: TestBackend.available)
    func everyStepOnEveryClockEqualsTheSummaryOfTheWholeLogFoldAndNothingMovesBetweenSteps(backend: TestBackend) async throws {
        try await withTemporaryBackend(backend) { log, projector in
            var fold = ThreatPicture()
            var snapshots: [(position: Int64, picture: ThreatPicture)] = []
            for batch in try ReadIndexOracleTests.batches() {
                _ = try await log.append(batch)
                for event in try await log.read(from: fold.position + 1, limit: batch.count) { try fold.apply(event) }
                snapshots.append((fold.position, fold))
            }
            let oracle = Oracle()
            var steps = 0
            let keys = fold.regionKeys
            #expect(keys.count > 5)
            for key in keys {
                for measure in ["killed", "arrested", "escaped"] {
                    for clock in [FigureTimeline.Clock.report, .event] {
                        let report = try await TimelineReport.compute(log, index: projector, region: key, measure: measure, clock: clock)
                        var previous = Self.numbers(nil)
                        for step in report.timeline.steps {
                            func clocks(_ day: CalendarDate) -> AuditClocks {
                                clock == .report ? AuditClocks(reportedBy: day) : AuditClocks(occurredBy: day)
                            }
                            let day = try #require(step.day)
                            #expect(
                                Self.numbers(step.figure) == oracle.figure(fold, region: key, measure: measure, clocks: clocks(day)),
                                "\(measure) in \(key) on the \(clock) clock at \(day.iso8601)")
                            #expect(
                                oracle.figure(fold, region: key, measure: measure, clocks: clocks(day.adding(days: -1))) == previous,
                                "\(measure) in \(key) on the \(clock) clock the day before \(day.iso8601)")
                            #expect(Self.numbers(step.figure) != previous, "a step that does not move")
                            previous = Self.numbers(step.figure)
                            steps += 1
                        }
                        let farFuture = CalendarDate(year: 2100, month: 1, day: 1)!
                        #expect(
                            oracle.figure(
                                fold, region: key, measure: measure,
                                clocks: clock == .report ? AuditClocks(reportedBy: farFuture) : AuditClocks(occurredBy: farFuture))
                                == previous, "\(measure) in \(key) on the \(clock) clock after the last step")
                    }
                    let record = try await TimelineReport.compute(log, index: projector, region: key, measure: measure, clock: .record)
                    for (position, picture) in snapshots {
                        let standing = record.timeline.steps.last { $0.position! <= position }
                        #expect(
                            Self.numbers(standing?.figure) == oracle.figure(picture, region: key, measure: measure, clocks: AuditClocks()),
                            "\(measure) in \(key) on the record clock at position \(position)")
                    }
                    for step in record.timeline.steps {
                        // A step is one moment: it stands at the record time of its last event.
                        #expect(try await log.read(from: step.position!, limit: 1).first?.recordedAt == step.recordedAt)
                        steps += 1
                    }
                }
            }
            #expect(steps > 50)
        }
    }

    @Test
    func aTimelineRefusesAMeasureThatIsNotAFlowAndARegionWithNoClaims() async throws {
        try await withTemporaryBackend(.sqlite) { log, projector in
            _ = try await log.append(try seedEvents())
            await #expect(throws: AuditError.self) {
                try await TimelineReport.compute(log, index: projector, region: "SY", measure: "fighters", clock: .report)
            }
            do {
                _ = try await TimelineReport.compute(log, index: projector, region: "FR", measure: "killed", clock: .report)
                Issue.record("a region with no claims gave a timeline")
            } catch {
                #expect("\(error)".contains("no summary for region FR"))
            }
        }
    }
}
