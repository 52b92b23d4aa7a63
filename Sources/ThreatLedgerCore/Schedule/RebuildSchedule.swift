/// When scheduled rebuilds run: every fixed interval (`6h`, `30m`, `90s`, `1d`), or at the minutes a
/// five-field cron expression names (`0 */6 * * *`), always in UTC.
public enum RebuildSchedule: Sendable, Equatable, CustomStringConvertible {
    case every(seconds: Int64)
    case cron(CronExpression)

    /// Parses an interval: a positive whole number followed by s, m, h or d.
    public static func interval(_ text: String) throws(ScheduleError) -> RebuildSchedule {
        guard let unit = text.last, let count = Int64(text.dropLast()), count > 0 else { throw .badInterval(text) }
        let seconds: Int64
        switch unit {
        case "s": seconds = count
        case "m": seconds = count * 60
        case "h": seconds = count * 3_600
        case "d": seconds = count * 86_400
        default: throw .badInterval(text)
        }
        return .every(seconds: seconds)
    }

    /// The first run strictly after `time`.
    public func next(after time: RecordTime) -> RecordTime {
        switch self {
        case .every(let seconds):
            return RecordTime(microsecondsSinceEpoch: time.microsecondsSinceEpoch + seconds * 1_000_000)
        case .cron(let expression):
            return expression.next(after: time)
        }
    }

    public var description: String {
        switch self {
        case .every(let seconds): "every \(seconds)s"
        case .cron(let expression): "cron \"\(expression.text)\" (UTC)"
        }
    }
}

/// A five-field cron expression: minute, hour, day of month, month, day of week (0 or 7 = Sunday),
/// each `*`, a number, a range `a-b`, a list `a,b`, or a step `*/n` / `a-b/n`. As in cron, when both
/// day fields are restricted a day matching either runs.
public struct CronExpression: Sendable, Equatable {
    public let text: String
    let minutes: Set<Int>, hours: Set<Int>, days: Set<Int>, months: Set<Int>, weekdays: Set<Int>
    let dayRestricted: Bool, weekdayRestricted: Bool

    public init(_ text: String) throws(ScheduleError) {
        let fields = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard fields.count == 5 else { throw .badCron(text, "needs 5 fields (minute hour day month weekday), has \(fields.count)") }
        self.text = text
        minutes = try Self.field(fields[0], 0...59, name: "minute", in: text)
        hours = try Self.field(fields[1], 0...23, name: "hour", in: text)
        days = try Self.field(fields[2], 1...31, name: "day of month", in: text)
        months = try Self.field(fields[3], 1...12, name: "month", in: text)
        weekdays = Set(try Self.field(fields[4], 0...7, name: "day of week", in: text).map { $0 % 7 })
        dayRestricted = fields[2] != "*"
        weekdayRestricted = fields[4] != "*"
    }

    static func field(_ text: String, _ range: ClosedRange<Int>, name: String, in expression: String) throws(ScheduleError) -> Set<Int> {
        var values = Set<Int>()
        for part in text.split(separator: ",") {
            let pieces = part.split(separator: "/", maxSplits: 1).map(String.init)
            let step = pieces.count > 1 ? Int(pieces[1]) : 1
            guard let step, step > 0 else { throw .badCron(expression, "bad step in the \(name) field \"\(text)\"") }
            var bounds = range
            if pieces[0] != "*" {
                let ends = pieces[0].split(separator: "-", maxSplits: 1).compactMap { Int($0) }
                guard !ends.isEmpty, ends.count == pieces[0].split(separator: "-").count,
                    let low = ends.first, let high = ends.last, range.contains(low), range.contains(high), low <= high
                else { throw .badCron(expression, "the \(name) field \"\(text)\" is outside \(range.lowerBound)-\(range.upperBound)") }
                bounds = low...(pieces.count > 1 && ends.count == 1 ? range.upperBound : high)
            }
            values.formUnion(stride(from: bounds.lowerBound, through: bounds.upperBound, by: step))
        }
        return values
    }

    /// The first matching minute strictly after `time` (searching up to five years ahead).
    public func next(after time: RecordTime) -> RecordTime {
        let minute: Int64 = 60_000_000
        var candidate = (time.microsecondsSinceEpoch / minute + 1) * minute
        let limit = candidate + 5 * 366 * 24 * 60 * minute
        while candidate < limit {
            let days = candidate / (86_400 * 1_000_000)
            let date = CalendarDate(daysSinceEpoch: days)
            let minuteOfDay = Int((candidate / minute) % (24 * 60))
            if months.contains(date.month), dayMatches(date) {
                if hours.contains(minuteOfDay / 60), minutes.contains(minuteOfDay % 60) {
                    return RecordTime(microsecondsSinceEpoch: candidate)
                }
                candidate += minute
            } else {
                candidate = (days + 1) * 86_400 * 1_000_000
            }
        }
        return RecordTime(microsecondsSinceEpoch: limit)
    }

    private func dayMatches(_ date: CalendarDate) -> Bool {
        let byDay = days.contains(date.day)
        let byWeekday = weekdays.contains(date.isoWeekday % 7)
        switch (dayRestricted, weekdayRestricted) {
        case (true, true): return byDay || byWeekday
        case (true, false): return byDay
        case (false, true): return byWeekday
        case (false, false): return true
        }
    }
}

public enum ScheduleError: Error, Sendable, Equatable, CustomStringConvertible {
    case badInterval(String)
    case badCron(String, String)

    public var description: String {
        switch self {
        case .badInterval(let text): "\"\(text)\" is not an interval: write a whole number and s, m, h or d (6h, 30m)"
        case .badCron(let text, let why): "\"\(text)\" is not a cron expression: \(why)"
        }
    }
}
