import Testing
import ThreatLedgerCore

@Suite struct RebuildScheduleTests {
    func time(_ text: String) -> RecordTime { RecordTime(iso8601: text)! }

    @Test(arguments: [
        ("0 */6 * * *", "2026-11-23T13:47:09Z", "2026-11-23T18:00:00.000000Z"),
        ("0 */6 * * *", "2026-11-23T18:00:00Z", "2026-11-24T00:00:00.000000Z"),
        ("30 2 * * 1", "2026-11-23T13:00:00Z", "2026-11-30T02:30:00.000000Z"),
        ("15,45 9-10 1 * *", "2026-11-23T00:00:00Z", "2026-12-01T09:15:00.000000Z"),
        ("0 0 29 2 *", "2026-03-01T00:00:00Z", "2028-02-29T00:00:00.000000Z"),
        ("0 12 1 * 0", "2026-11-23T13:00:00Z", "2026-11-29T12:00:00.000000Z"),
    ])
    func cronFindsTheNextMatchingMinuteInUTC(expression: String, after: String, expected: String) throws {
        #expect(try CronExpression(expression).next(after: time(after)).iso8601 == expected)
    }

    @Test(arguments: ["0 */6 * *", "61 * * * *", "* * 0 * *", "*/0 * * * *", "a b c d e"])
    func refusesMalformedCronExpressions(expression: String) {
        #expect(throws: ScheduleError.self) { try CronExpression(expression) }
    }

    @Test func parsesIntervalsAndRefusesOthers() throws {
        #expect(try RebuildSchedule.interval("6h") == .every(seconds: 21_600))
        #expect(try RebuildSchedule.interval("90s") == .every(seconds: 90))
        #expect(try RebuildSchedule.interval("1d").next(after: time("2026-11-23T00:00:00Z")).iso8601 == "2026-11-24T00:00:00.000000Z")
        #expect(throws: ScheduleError.badInterval("6 hours")) { try RebuildSchedule.interval("6 hours") }
        #expect(throws: ScheduleError.badInterval("0h")) { try RebuildSchedule.interval("0h") }
    }
}
