/// The canonical byte form of a JSON value: RFC 8785, the JSON Canonicalization Scheme (JCS).
///
/// These bytes are what the hash chain hashes, so they are defined once, here, and documented in
/// `schemas/canonical-encoding.md` for auditors who recompute the chain in another language:
/// - object members sorted by their keys' UTF-16 code units, no whitespace anywhere;
/// - strings as UTF-8, escaping only `"`, `\`, and control characters below U+0020
///   (`\b \f \n \r \t` by name, the rest as lowercase `\u00xx`); nothing is Unicode-normalized;
/// - numbers as ECMAScript's `Number.prototype.toString` prints them (`1`, `0.5`, `1e+21`, `1e-7`).
public enum CanonicalJSON {
    /// The canonical UTF-8 bytes of `value`.
    public static func bytes(_ value: JSONValue) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        write(value, into: &output)
        return output
    }

    /// The canonical form as a string.
    public static func string(_ value: JSONValue) -> String {
        String(decoding: bytes(value), as: UTF8.self)
    }

    /// Appends the canonical bytes of `value` to `output`.
    public static func write(_ value: JSONValue, into output: inout [UInt8]) {
        switch value {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .number(let number): output.append(contentsOf: formatNumber(number).utf8)
        case .string(let text): writeString(text, into: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (offset, element) in elements.enumerated() {
                if offset > 0 { output.append(UInt8(ascii: ",")) }
                write(element, into: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            // Members are kept in canonical key order (JSONObject): written as they are.
            var first = true
            for member in members {
                if !first { output.append(UInt8(ascii: ",")) }
                first = false
                writeString(member.key, into: &output)
                output.append(UInt8(ascii: ":"))
                write(member.value, into: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// Keys in RFC 8785 order: by UTF-16 code units, which differs from code-point order only for
    /// characters outside the Basic Multilingual Plane.
    public static func sortedKeys(_ keys: some Collection<String>) -> [String] {
        keys.sorted { JSONObject.order($0, $1) < 0 }
    }

    /// Appends `text` as a canonical JSON string literal.
    public static func writeString(_ text: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            // Most strings need no escape and are copied whole; the rest up to the first byte that does.
            let plain = ByteScan.firstIndex(in: bytes, below: 0x20, orEqualTo: (UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "\"")))
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[..<plain]))
            for byte in bytes[plain...] {
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                    output.append(UInt8(ascii: "\\"))
                    output.append(byte)
                case 0x08:
                    output.append(UInt8(ascii: "\\"))
                    output.append(UInt8(ascii: "b"))
                case 0x0C:
                    output.append(UInt8(ascii: "\\"))
                    output.append(UInt8(ascii: "f"))
                case 0x0A:
                    output.append(UInt8(ascii: "\\"))
                    output.append(UInt8(ascii: "n"))
                case 0x0D:
                    output.append(UInt8(ascii: "\\"))
                    output.append(UInt8(ascii: "r"))
                case 0x09:
                    output.append(UInt8(ascii: "\\"))
                    output.append(UInt8(ascii: "t"))
                case 0x00..<0x20:
                    let hex = Array("0123456789abcdef".utf8)
                    output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                    output.append(hex[Int(byte >> 4)])
                    output.append(hex[Int(byte & 0x0F)])
                default: output.append(byte)
                }
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    /// A finite double as ECMAScript prints it (ECMA-262, Number::toString), from the shortest
    /// digit string that round-trips, which Swift's `description` also produces.
    public static func formatNumber(_ value: Double) -> String {
        precondition(value.isFinite, "JSON numbers are finite; the parser refuses NaN and infinities")
        if value == 0 { return "0" }
        if value < 0 { return "-" + formatNumber(-value) }
        if value < 9_007_199_254_740_992, value.rounded() == value { return String(Int64(value)) }

        // Decompose Swift's shortest representation into digits and a decimal exponent n,
        // so that value = 0.d1d2...dk × 10^n.
        let text = value.description
        let parts = text.split(separator: "e", maxSplits: 1)
        let mantissa = parts[0]
        let exponent = parts.count > 1 ? Int(parts[1])! : 0
        let pieces = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let integerPart = String(pieces[0])
        let fractionPart = pieces.count > 1 ? String(pieces[1]) : ""
        var digits = Array(integerPart + fractionPart)
        var n = integerPart.count + exponent
        while digits.first == "0" {
            digits.removeFirst()
            n -= 1
        }
        while digits.last == "0" { digits.removeLast() }
        let k = digits.count
        let digitString = String(digits)

        if k <= n && n <= 21 {
            return digitString + String(repeating: "0", count: n - k)
        }
        if 0 < n && n <= 21 {
            return String(digits[0..<n]) + "." + String(digits[n...])
        }
        if -6 < n && n <= 0 {
            return "0." + String(repeating: "0", count: -n) + digitString
        }
        let e = n - 1
        let sign = e < 0 ? "-" : "+"
        if k == 1 {
            return digitString + "e" + sign + String(abs(e))
        }
        return String(digits[0]) + "." + String(digits[1...]) + "e" + sign + String(abs(e))
    }
}
