/// Writes RFC 8785 canonical JSON (``CanonicalJSON``) straight from typed values, with no
/// `JSONValue` tree between: how the read index encodes the documents it stores.
///
/// The writer does not sort: each type writes its members in canonical key order itself (plain
/// ASCII keys, so byte order), and `CanonicalDocumentTests` requires its bytes to equal
/// ``CanonicalJSON/bytes(_:)`` of the tree for every document of the oracle log and for documents
/// with every optional field filled in. Strings and numbers go through ``CanonicalJSON``'s own
/// code.
struct CanonicalWriter {
    private(set) var bytes: [UInt8] = []
    /// Whether the object being written has no member yet.
    private var first = true

    init(capacity: Int = 1_024) { bytes.reserveCapacity(capacity) }

    /// An object whose members `body` writes, each with ``key(_:)`` then its value.
    mutating func object(_ body: (inout CanonicalWriter) -> Void) {
        bytes.append(UInt8(ascii: "{"))
        let outer = first
        first = true
        body(&self)
        first = outer
        bytes.append(UInt8(ascii: "}"))
    }

    /// The next member's key (plain ASCII, written as it is).
    mutating func key(_ name: StaticString) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func array<C: Collection>(_ items: C, _ each: (inout CanonicalWriter, C.Element) -> Void) {
        bytes.append(UInt8(ascii: "["))
        var firstItem = true
        for item in items {
            if !firstItem { bytes.append(UInt8(ascii: ",")) }
            firstItem = false
            each(&self, item)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    mutating func string(_ text: String) { CanonicalJSON.writeString(text, into: &bytes) }

    mutating func optionalString(_ text: String?) {
        if let text { string(text) } else { null() }
    }

    mutating func null() { bytes.append(contentsOf: "null".utf8) }

    mutating func bool(_ flag: Bool) { bytes.append(contentsOf: (flag ? "true" : "false").utf8) }

    /// An integer, as ``CanonicalJSON`` writes the double it stands for.
    mutating func integer(_ value: Int64) {
        guard value.magnitude < 9_007_199_254_740_992 else {
            number(Double(value))
            return
        }
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var digits = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
            var start = buffer.count
            repeat {
                start -= 1
                buffer[start] = UInt8(ascii: "0") + UInt8(digits % 10)
                digits /= 10
            } while digits > 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start...]))
        }
    }

    mutating func optionalInteger(_ value: Int64?) {
        if let value { integer(value) } else { null() }
    }

    mutating func number(_ value: Double) { bytes.append(contentsOf: CanonicalJSON.formatNumber(value).utf8) }

    /// A value written by `write`, or null.
    mutating func optional<T>(_ value: T?, _ write: (inout CanonicalWriter, T) -> Void) {
        if let value { write(&self, value) } else { null() }
    }

    /// Any JSON value, through ``CanonicalJSON/write(_:into:)``.
    mutating func value(_ value: JSONValue) { CanonicalJSON.write(value, into: &bytes) }
}
