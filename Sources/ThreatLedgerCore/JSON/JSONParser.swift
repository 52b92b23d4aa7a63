/// A strict RFC 8259 JSON parser over UTF-8 bytes.
///
/// Stricter than Foundation's on purpose, because what it accepts is hashed into the log:
/// - invalid UTF-8, unpaired surrogate escapes and control characters inside strings are refused;
/// - duplicate keys in one object are refused (RFC 8785 canonical form has no way to carry them);
/// - numbers that overflow a double (`1e400`) are refused, and `NaN`/`Infinity` are not JSON;
/// - nesting deeper than ``maximumDepth`` is refused before it can exhaust the stack.
public struct JSONParser: Sendable {
    /// The deepest nesting of arrays and objects accepted. Claims nest about 6 levels deep.
    public var maximumDepth: Int

    public init(maximumDepth: Int = 64) {
        self.maximumDepth = maximumDepth
    }

    /// Parses one complete JSON document; trailing non-space bytes are an error.
    public func parse(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> JSONValue {
        // Parse in place when the bytes are contiguous (arrays, slices, Data); copy otherwise.
        let direct: Result<JSONValue, JSONParseError>? = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(JSONParseError) -> JSONValue in try parse(buffer: buffer) }
        }
        if let direct { return try direct.get() }
        return try Array(bytes).withUnsafeBufferPointer { buffer throws(JSONParseError) in try parse(buffer: buffer) }
    }

    private func parse(buffer: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> JSONValue {
        var reader = JSONByteReader(bytes: buffer, maximumDepth: maximumDepth)
        reader.skipWhitespace()
        let value = try reader.parseValue(depth: 0)
        reader.skipWhitespace()
        if reader.index < buffer.count {
            throw reader.error(.trailingCharacters)
        }
        return value
    }

    /// Parses a document whose top level is an object, and says which of its members' values are
    /// written exactly as ``CanonicalJSON`` would write them, with their byte ranges in `buffer`.
    ///
    /// An append line is usually produced by a program that writes canonical JSON already; its
    /// payload's bytes can then be stored and hashed as they are, with no second encoding. The
    /// judgement is conservative: a value counts as canonical only with no whitespace, object keys
    /// in ascending order that are plain ASCII without escapes, no `\u` or `\/` escape in any string, and
    /// integers of at most 15 digits other than `-0` as its only numbers. Anything else is left to the
    /// encoder. (`CanonicalSpansTests` checks the judgement against ``CanonicalJSON`` on many documents.)
    public func parseCanonicalSpans(_ buffer: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> (value: JSONValue, canonical: [String: Range<Int>]) {
        var reader = JSONByteReader(bytes: buffer, maximumDepth: maximumDepth)
        reader.recordsCanonicalMembers = true
        reader.skipWhitespace()
        let value = try reader.parseValue(depth: 0)
        reader.skipWhitespace()
        if reader.index < buffer.count {
            throw reader.error(.trailingCharacters)
        }
        return (value, reader.canonicalMembers)
    }

    /// Parses a JSON document held in a string.
    public func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8))
    }
}

/// Why a JSON document was refused, and where (1-based line and column, counted in bytes).
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        case unexpectedEnd
        case unexpectedCharacter(UInt8)
        case invalidUTF8
        case invalidEscape
        case unpairedSurrogate
        case controlCharacterInString
        case invalidNumber
        case numberOutOfRange
        case duplicateKey(String)
        case tooDeep(limit: Int)
        case trailingCharacters
    }

    public var reason: Reason
    public var line: Int
    public var column: Int

    public var description: String {
        "\(reasonDescription) at line \(line), column \(column)"
    }

    /// What is wrong, without the position.
    public var reasonDescription: String {
        let what: String
        switch reason {
        case .unexpectedEnd: what = "the JSON ends too early"
        case .unexpectedCharacter(let byte):
            let shown = (0x20..<0x7F).contains(byte) ? "'\(Character(UnicodeScalar(byte)))'" : String(format: byte)
            what = "unexpected character \(shown)"
        case .invalidUTF8: what = "the text is not valid UTF-8"
        case .invalidEscape: what = "invalid escape sequence in a string"
        case .unpairedSurrogate: what = "a \\u escape names half of a surrogate pair"
        case .controlCharacterInString: what = "a raw control character inside a string (escape it)"
        case .invalidNumber: what = "malformed number"
        case .numberOutOfRange: what = "number too large for a 64-bit float"
        case .duplicateKey(let key): what = "duplicate key \"\(key)\" in one object"
        case .tooDeep(let limit): what = "JSON nested deeper than \(limit) levels"
        case .trailingCharacters: what = "unexpected text after the JSON value"
        }
        return what
    }
}

// swift-format-ignore: AlwaysUseLowerCamelCase
private func String(format byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return "byte 0x\(digits[Int(byte >> 4)])\(digits[Int(byte & 0xF)])"
}

/// The parser's cursor over a document's bytes: how it reads each token. Internal so that the typed
/// decoders (``JSONByteReader/members(_:)``) read tokens by exactly the same rules.
struct JSONByteReader {
    let bytes: UnsafeBufferPointer<UInt8>
    let maximumDepth: Int
    var index = 0
    /// Members of the objects being read, innermost last: one buffer for the whole document rather
    /// than one array per object.
    var members: [(key: String, value: JSONValue, at: Int)] = []
    /// How many things not in canonical form were met so far (see ``JSONParser/parseCanonicalSpans(_:)``):
    /// a value is canonical when this does not change while it is read.
    var departures = 0
    /// Whether the top-level object's canonical members are recorded in ``canonicalMembers``.
    var recordsCanonicalMembers = false
    var canonicalMembers: [String: Range<Int>] = [:]

    init(bytes: UnsafeBufferPointer<UInt8>, maximumDepth: Int) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
    }

    func error(_ reason: JSONParseError.Reason, at position: Int? = nil) -> JSONParseError {
        let end = min(position ?? index, bytes.count)
        var line = 1
        var column = 1
        var i = 0
        while i < end {
            if bytes[i] == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else {
                column += 1
            }
            i += 1
        }
        return JSONParseError(reason: reason, line: line, column: column)
    }

    mutating func skipWhitespace() {
        // Canonical input has no whitespace at all: most calls return here.
        guard index < bytes.count, bytes[index] <= 0x20 else { return }
        let start = index
        defer { if index != start { departures += 1 } }
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
        guard index < bytes.count else { throw error(.unexpectedEnd) }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw error(.unexpectedCharacter(bytes[index]))
        }
    }

    mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let start = index
        for i in 0..<literal.utf8CodeUnitCount {
            guard index < bytes.count else { throw error(.unexpectedEnd) }
            guard bytes[index] == literal.utf8Start[i] else { throw error(.unexpectedCharacter(bytes[index])) }
            index += 1
        }
        _ = start
    }

    mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
        if depth > maximumDepth { throw error(.tooDeep(limit: maximumDepth)) }
        index += 1
        // Members are gathered on the shared stack in the order they come; input already in key
        // order (canonical input, nearly all of it) becomes the object as it is, anything else is
        // sorted once at the end.
        let base = members.count
        var previous: String? = nil
        var needsSort = false
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(JSONObject())
        }
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw error(.unexpectedEnd) }
            guard bytes[index] == UInt8(ascii: "\"") else { throw error(.unexpectedCharacter(bytes[index])) }
            let keyStart = index
            let key = try parseString()
            if !Self.isPlainASCII(bytes, keyStart + 1..<index - 1) { departures += 1 }
            if let previous {
                let comparison = JSONObject.order(previous, key)
                if comparison == 0 { throw error(.duplicateKey(key), at: keyStart) }
                if comparison > 0 {
                    needsSort = true
                    departures += 1
                }
            }
            previous = key
            skipWhitespace()
            guard index < bytes.count else { throw error(.unexpectedEnd) }
            guard bytes[index] == UInt8(ascii: ":") else { throw error(.unexpectedCharacter(bytes[index])) }
            index += 1
            skipWhitespace()
            let valueStart = index
            let departuresBefore = departures
            let value = try parseValue(depth: depth)
            if depth == 1, recordsCanonicalMembers, departures == departuresBefore {
                canonicalMembers[key] = valueStart..<index
            }
            members.append((key, value, keyStart))
            skipWhitespace()
            guard index < bytes.count else { throw error(.unexpectedEnd) }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                var object = members[base...].map { (key: $0.key, value: $0.value) }
                if needsSort {
                    // Stable, so a key written twice keeps its occurrences in input order.
                    var order = Array(base..<members.count)
                    order.sort { a, b in
                        let comparison = JSONObject.order(members[a].key, members[b].key)
                        return comparison < 0 || (comparison == 0 && a < b)
                    }
                    var firstRepeat: Int? = nil
                    for (i, j) in zip(order, order.dropFirst()) where JSONObject.order(members[i].key, members[j].key) == 0 {
                        firstRepeat = min(firstRepeat ?? Int.max, j)
                    }
                    if let firstRepeat { throw error(.duplicateKey(members[firstRepeat].key), at: members[firstRepeat].at) }
                    object = order.map { (key: members[$0].key, value: members[$0].value) }
                }
                members.removeLast(members.count - base)
                return .object(JSONObject(sortedUniqueMembers: object))
            default: throw error(.unexpectedCharacter(bytes[index]))
            }
        }
    }

    /// Whether the bytes are printable ASCII other than `"` and `\\` (a key written with no escape).
    static func isPlainASCII(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        for i in range where bytes[i] < 0x20 || bytes[i] >= 0x80 || bytes[i] == UInt8(ascii: "\\") { return false }
        return true
    }

    mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
        if depth > maximumDepth { throw error(.tooDeep(limit: maximumDepth)) }
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            guard index < bytes.count else { throw error(.unexpectedEnd) }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                return .array(elements)
            default: throw error(.unexpectedCharacter(bytes[index]))
            }
        }
    }

    /// Reads a string literal. UTF-8 is validated here, scalar by scalar, as the closing quote is
    /// sought, so the bytes can become a `String` through the standard library's specialized UTF-8
    /// path (the generic `String(validating:as:)` looked up type metadata on every call: 7% of an
    /// append).
    mutating func parseString() throws(JSONParseError) -> String {
        index += 1  // opening quote
        var runStart = index
        var output = ""
        var escaped = false
        while true {
            guard index < bytes.count else { throw error(.unexpectedEnd) }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let run = String(decoding: UnsafeBufferPointer(rebasing: bytes[runStart..<index]), as: UTF8.self)
                index += 1
                if !escaped { return run }  // no escape met: the run is the whole string
                output += run
                return output
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
                output += String(decoding: UnsafeBufferPointer(rebasing: bytes[runStart..<index]), as: UTF8.self)
                index += 1
                guard index < bytes.count else { throw error(.unexpectedEnd) }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""): output += "\""
                case UInt8(ascii: "\\"): output += "\\"
                case UInt8(ascii: "/"):
                    output += "/"
                    departures += 1
                case UInt8(ascii: "b"): output += "\u{08}"
                case UInt8(ascii: "f"): output += "\u{0C}"
                case UInt8(ascii: "n"): output += "\n"
                case UInt8(ascii: "r"): output += "\r"
                case UInt8(ascii: "t"): output += "\t"
                case UInt8(ascii: "u"):
                    departures += 1
                    let first = try parseHex4()
                    var scalarValue = UInt32(first)
                    if (0xD800...0xDBFF).contains(first) {
                        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                            bytes[index + 1] == UInt8(ascii: "u")
                        else { throw error(.unpairedSurrogate) }
                        index += 2
                        let second = try parseHex4()
                        guard (0xDC00...0xDFFF).contains(second) else { throw error(.unpairedSurrogate) }
                        scalarValue = 0x10000 + ((UInt32(first) - 0xD800) << 10) + (UInt32(second) - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(first) {
                        throw error(.unpairedSurrogate)
                    }
                    guard let scalar = Unicode.Scalar(scalarValue) else { throw error(.invalidEscape) }
                    output.unicodeScalars.append(scalar)
                default:
                    throw error(.invalidEscape, at: index - 1)
                }
                runStart = index
            } else if byte < 0x20 {
                throw error(.controlCharacterInString)
            } else if byte < 0x80 {
                index += 1
            } else {
                try skipMultiByteScalar()
            }
        }
    }

    /// Steps over one multi-byte UTF-8 scalar, refusing what RFC 3629 does not allow: stray
    /// continuation bytes, overlong forms, surrogates, and values past U+10FFFF.
    mutating func skipMultiByteScalar() throws(JSONParseError) {
        let lead = bytes[index]
        let count: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF  // the allowed range of the second byte
        switch lead {
        case 0xC2...0xDF: count = 2
        case 0xE0:
            count = 3
            low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: count = 3
        case 0xED:
            count = 3
            high = 0x9F
        case 0xF0:
            count = 4
            low = 0x90
        case 0xF1...0xF3: count = 4
        case 0xF4:
            count = 4
            high = 0x8F
        default: throw error(.invalidUTF8)
        }
        guard index + count <= bytes.count else { throw error(.invalidUTF8) }
        guard (low...high).contains(bytes[index + 1]) else { throw error(.invalidUTF8) }
        var next = index + 2
        while next < index + count {
            guard bytes[next] & 0xC0 == 0x80 else { throw error(.invalidUTF8) }
            next += 1
        }
        index += count
    }

    mutating func parseHex4() throws(JSONParseError) -> UInt16 {
        guard index + 4 <= bytes.count else { throw error(.unexpectedEnd) }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error(.invalidEscape)
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }

    mutating func parseNumber() throws(JSONParseError) -> Double {
        let start = index
        func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count else { throw error(.invalidNumber, at: start) }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else if isDigit(bytes[index]) {
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        } else {
            throw error(.invalidNumber, at: start)
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw error(.invalidNumber, at: start) }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard index < bytes.count, isDigit(bytes[index]) else { throw error(.invalidNumber, at: start) }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        // Integers of up to 15 digits are exact in a double: read them without a string round trip.
        let digitsStart = bytes[start] == UInt8(ascii: "-") ? start + 1 : start
        if index - digitsStart <= 15, !bytes[digitsStart..<index].contains(where: { !isDigit($0) }) {
            var integer: Int64 = 0
            for byte in bytes[digitsStart..<index] { integer = integer * 10 + Int64(byte - UInt8(ascii: "0")) }
            if integer == 0 && digitsStart != start { departures += 1 }  // -0 is written 0
            return digitsStart == start ? Double(integer) : -Double(integer)
        }
        departures += 1  // fractions, exponents and long integers are left to the encoder
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let value = Double(text) else { throw error(.invalidNumber, at: start) }
        guard value.isFinite else { throw error(.numberOutOfRange, at: start) }
        return value
    }
}
