/// The typed decoders' reading of a document straight from its bytes into typed values, with no
/// `JSONValue` tree between (issue 20's typed decoding).
///
/// Decision: a typed decoder takes only documents in the plain shape the read index writes (every
/// key known to the type, written without escapes, each once; every value of the type the field
/// wants) and *misses* on anything else (``TypedDecodingMiss``), leaving the document to the
/// general path (``JSONParser`` and then the model's `init(json:path:)`), which accepts, refuses and
/// names errors exactly as before. So the typed decoders change no verdict and no message: where
/// they take a document, they give what the general path gives (pinned by
/// `TypedClaimDecodingTests` over every claim of the oracle log and thousands of mutated documents),
/// and they read every token (strings, numbers, literals) through the parser's own code.
public struct TypedDecodingMiss: Error, Sendable {
    public init() {}
}

/// An object member's key, as its bytes in the document: plain printable ASCII with no escape (a
/// key written any other way is a miss).
struct JSONKey {
    let bytes: UnsafeBufferPointer<UInt8>

    /// Whether the key is `name`, byte for byte.
    static func ~= (name: StaticString, key: JSONKey) -> Bool {
        let count = name.utf8CodeUnitCount
        guard key.bytes.count == count else { return false }
        let start = name.utf8Start
        for i in 0..<count where key.bytes[i] != start[i] { return false }
        return true
    }
}

/// The fields of one object already read: a key met twice is a miss (the parser refuses it).
struct SeenFields {
    private var bits: UInt32 = 0

    mutating func insert(_ field: Int) throws(TypedDecodingMiss) {
        let bit = UInt32(1) << UInt32(field)
        guard bits & bit == 0 else { throw TypedDecodingMiss() }
        bits |= bit
    }
}

extension JSONByteReader {
    /// Reads one whole document of `bytes` with `read`, trailing bytes refused: nil when `read`
    /// misses or the bytes are not one document.
    static func typed<T>(_ bytes: UnsafeBufferPointer<UInt8>, _ read: (inout JSONByteReader) throws(TypedDecodingMiss) -> T) -> T? {
        var reader = JSONByteReader(bytes: bytes, maximumDepth: JSONParser().maximumDepth)
        reader.skipWhitespace()
        guard let value = try? read(&reader) else { return nil }
        reader.skipWhitespace()
        return reader.index == bytes.count ? value : nil
    }

    private var next: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func expect(_ byte: UInt8) throws(TypedDecodingMiss) {
        skipWhitespace()
        guard next == byte else { throw TypedDecodingMiss() }
        index += 1
    }

    /// Reads an object, handing each member's key to `member`, which must read its value.
    mutating func members(_ member: (inout JSONByteReader, JSONKey) throws(TypedDecodingMiss) -> Void) throws(TypedDecodingMiss) {
        try list(open: UInt8(ascii: "{"), close: UInt8(ascii: "}")) { reader throws(TypedDecodingMiss) in
            try reader.expect(UInt8(ascii: "\""))
            let start = reader.index
            while reader.index < reader.bytes.count, reader.bytes[reader.index] != UInt8(ascii: "\"") {
                let byte = reader.bytes[reader.index]
                guard byte >= 0x20, byte < 0x7F, byte != UInt8(ascii: "\\") else { throw TypedDecodingMiss() }
                reader.index += 1
            }
            guard reader.index < reader.bytes.count else { throw TypedDecodingMiss() }
            let key = JSONKey(bytes: UnsafeBufferPointer(rebasing: reader.bytes[start..<reader.index]))
            reader.index += 1
            try reader.expect(UInt8(ascii: ":"))
            reader.skipWhitespace()
            try member(&reader, key)
        }
    }

    /// Reads an array, `element` reading each element.
    mutating func elements(_ element: (inout JSONByteReader) throws(TypedDecodingMiss) -> Void) throws(TypedDecodingMiss) {
        try list(open: UInt8(ascii: "["), close: UInt8(ascii: "]"), element)
    }

    /// Reads `open`, then items separated by commas (each read by `item`, spaces around it
    /// skipped), then `close`.
    private mutating func list(
        open: UInt8, close: UInt8, _ item: (inout JSONByteReader) throws(TypedDecodingMiss) -> Void
    ) throws(TypedDecodingMiss) {
        try expect(open)
        skipWhitespace()
        if next == close {
            index += 1
            return
        }
        while true {
            skipWhitespace()
            try item(&self)
            skipWhitespace()
            switch next {
            case UInt8(ascii: ",")?: index += 1
            case close?:
                index += 1
                return
            default: throw TypedDecodingMiss()
            }
        }
    }

    /// Reads `null` if it comes next: true when it did.
    mutating func null() throws(TypedDecodingMiss) -> Bool {
        guard next == UInt8(ascii: "n") else { return false }
        do { try expectLiteral("null") } catch { throw TypedDecodingMiss() }
        return true
    }

    mutating func string() throws(TypedDecodingMiss) -> String {
        guard next == UInt8(ascii: "\"") else { throw TypedDecodingMiss() }
        do { return try parseString() } catch { throw TypedDecodingMiss() }
    }

    /// A string, or nil for null (``ModelReader/optionalString(_:)``).
    mutating func optionalString() throws(TypedDecodingMiss) -> String? {
        try null() ? nil : try string()
    }

    mutating func number() throws(TypedDecodingMiss) -> Double {
        guard let byte = next, byte == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else {
            throw TypedDecodingMiss()
        }
        do { return try parseNumber() } catch { throw TypedDecodingMiss() }
    }

    /// A number that is an integer exactly and within ±2^53 (``JSONValue/integerValue``).
    mutating func integer() throws(TypedDecodingMiss) -> Int64 {
        guard let integer = JSONValue.number(try number()).integerValue else { throw TypedDecodingMiss() }
        return integer
    }

    mutating func optionalInteger() throws(TypedDecodingMiss) -> Int64? {
        try null() ? nil : try integer()
    }

    mutating func bool() throws(TypedDecodingMiss) -> Bool {
        do {
            switch next {
            case UInt8(ascii: "t")?:
                try expectLiteral("true")
                return true
            case UInt8(ascii: "f")?:
                try expectLiteral("false")
                return false
            default: throw TypedDecodingMiss()
            }
        } catch { throw TypedDecodingMiss() }
    }

    /// One of `T`'s raw values (``ModelReader/choice(_:_:)``).
    mutating func choice<T: RawRepresentable>(_ type: T.Type = T.self) throws(TypedDecodingMiss) -> T where T.RawValue == String {
        guard let value = T(rawValue: try string()) else { throw TypedDecodingMiss() }
        return value
    }

    mutating func optionalChoice<T: RawRepresentable>(_ type: T.Type = T.self) throws(TypedDecodingMiss) -> T? where T.RawValue == String {
        try null() ? nil : try choice(type)
    }

    /// A date (YYYY-MM-DD) or null (``ModelReader/date(_:)``).
    mutating func date() throws(TypedDecodingMiss) -> CalendarDate? {
        guard let text = try optionalString() else { return nil }
        guard let date = CalendarDate(iso8601: text) else { throw TypedDecodingMiss() }
        return date
    }

    /// A value read by `read`, or nil for null (``ModelReader/optional(_:_:)``).
    mutating func optional<T>(_ read: (inout JSONByteReader) throws(TypedDecodingMiss) -> T) throws(TypedDecodingMiss) -> T? {
        try null() ? nil : try read(&self)
    }
}
