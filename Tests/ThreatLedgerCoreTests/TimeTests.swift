import Testing
import ThreatLedgerCore

@Suite struct TimeTests {
    @Test(arguments: ["2023-02-30", "2021-02-29", "2023-13-01", "2023-00-10", "99999-01-01", "2023-1-05", "0000-01-01"])
    func refusesDaysThatDoNotExist(text: String) {
        #expect(CalendarDate(iso8601: text) == nil)
    }

    @Test(arguments: ["2024-02-29", "2000-02-29", "2019-03-23", "2022-01-20", "9999-12-31", "0001-01-01"])
    func acceptsRealDaysAndWritesThemBack(text: String) throws {
        let date = try #require(CalendarDate(iso8601: text))
        #expect(date.iso8601 == text)
        #expect(CalendarDate(daysSinceEpoch: date.daysSinceEpoch) == date)
    }

    @Test func knowsWeekdays() throws {
        // 20 January 2022 was a Thursday; 15 August 2020 a Saturday.
        #expect(try #require(CalendarDate(iso8601: "2022-01-20")).isoWeekday == 4)
        #expect(try #require(CalendarDate(iso8601: "2020-08-15")).isoWeekday == 6)
    }

    @Test func recordTimeRoundTripsThroughISO8601WithMicroseconds() throws {
        let time = RecordTime(microsecondsSinceEpoch: 1_764_000_000_000_001)
        #expect(time.iso8601 == "2025-11-24T16:00:00.000001Z")
        #expect(RecordTime(iso8601: time.iso8601) == time)
        #expect(RecordTime(iso8601: "2025-11-24T18:00:00.000001+02:00") == time)
        #expect(RecordTime(iso8601: "2025-11-24") == RecordTime(microsecondsSinceEpoch: 1_763_942_400_000_000))
        #expect(RecordTime(iso8601: "2025-11-24T16:00:00.0000001Z") == nil)
        #expect(RecordTime(microsecondsSinceEpoch: -1).iso8601 == "1969-12-31T23:59:59.999999Z")
    }
}
