/// A moment on the record clock: microseconds since 1970-01-01T00:00:00Z, in UTC.
///
/// Stored as an integer so database round trips lose nothing; written as ISO 8601 with exactly six
/// fractional digits and a `Z` (`2026-11-23T13:47:09.123456Z`), which sorts as it compares.
public struct RecordTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let microsecondsSinceEpoch: Int64

    public init(microsecondsSinceEpoch: Int64) {
        self.microsecondsSinceEpoch = microsecondsSinceEpoch
    }

    public static func < (lhs: RecordTime, rhs: RecordTime) -> Bool {
        lhs.microsecondsSinceEpoch < rhs.microsecondsSinceEpoch
    }

    /// ISO 8601 in UTC with microseconds.
    public var iso8601: String {
        let micros = microsecondsSinceEpoch
        let seconds = floorDiv(micros, 1_000_000)
        let fraction = micros - seconds * 1_000_000
        let days = floorDiv(seconds, 86_400)
        let secondOfDay = seconds - days * 86_400
        let date = CalendarDate(daysSinceEpoch: days)
        return date.iso8601 + "T" + pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay % 3600 / 60, 2) + ":"
            + pad(secondOfDay % 60, 2) + "." + pad(fraction, 6) + "Z"
    }

    public var description: String { iso8601 }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.f…](Z|±HH:MM)` or a bare date `YYYY-MM-DD` (its midnight UTC).
    /// Fractions beyond microseconds are refused rather than silently rounded.
    public init?(iso8601 text: String) {
        let chars = Array(text.utf8)
        guard chars.count >= 10, let date = CalendarDate(iso8601: String(decoding: chars[0..<10], as: UTF8.self))
        else { return nil }
        var micros = date.daysSinceEpoch * 86_400 * 1_000_000
        if chars.count == 10 {
            self.init(microsecondsSinceEpoch: micros)
            return
        }
        guard chars.count >= 20, chars[10] == UInt8(ascii: "T") || chars[10] == UInt8(ascii: " "),
            chars[13] == UInt8(ascii: ":"), chars[16] == UInt8(ascii: ":"),
            let hour = digits(chars[11..<13]), let minute = digits(chars[14..<16]),
            let second = digits(chars[17..<19]), hour < 24, minute < 60, second < 60
        else { return nil }
        micros += (hour * 3600 + minute * 60 + second) * 1_000_000
        var index = 19
        if chars[index] == UInt8(ascii: ".") {
            index += 1
            var fraction: Int64 = 0
            var count = 0
            while index < chars.count, let d = digits(chars[index..<index + 1]) {
                guard count < 6 else { return nil }
                fraction = fraction * 10 + d
                count += 1
                index += 1
            }
            guard count > 0 else { return nil }
            for _ in count..<6 { fraction *= 10 }
            micros += fraction
        }
        guard index < chars.count else { return nil }
        if chars[index] == UInt8(ascii: "Z") {
            guard index + 1 == chars.count else { return nil }
        } else if chars[index] == UInt8(ascii: "+") || chars[index] == UInt8(ascii: "-") {
            guard index + 6 == chars.count, chars[index + 3] == UInt8(ascii: ":"),
                let offsetHours = digits(chars[index + 1..<index + 3]),
                let offsetMinutes = digits(chars[index + 4..<index + 6]), offsetHours < 24, offsetMinutes < 60
            else { return nil }
            let offset = (offsetHours * 3600 + offsetMinutes * 60) * 1_000_000
            micros += chars[index] == UInt8(ascii: "+") ? -offset : offset
        } else {
            return nil
        }
        self.init(microsecondsSinceEpoch: micros)
    }
}

func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}

func pad(_ value: Int64, _ width: Int) -> String {
    let text = String(value)
    return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
}

private func digits(_ bytes: ArraySlice<UInt8>) -> Int64? {
    var value: Int64 = 0
    for byte in bytes {
        guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
        value = value * 10 + Int64(byte - UInt8(ascii: "0"))
    }
    return bytes.isEmpty ? nil : value
}
