/// The name of a stream: the history of one thing (`source-<id>`, `claim-<id>`, `incident-<id>`).
///
/// 1 to 200 characters from `A–Z a–z 0–9 . _ : -`, starting with a letter or digit: safe in a URL
/// path, a shell argument and a SQL literal alike.
public struct StreamName: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let rawValue: String

    public init(_ rawValue: String) throws(StreamNameError) {
        let utf8 = rawValue.utf8
        guard !utf8.isEmpty else { throw .empty }
        guard utf8.count <= 200 else { throw .tooLong(rawValue.count) }
        for (offset, byte) in utf8.enumerated() {
            let alnum =
                (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            let punct =
                byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":")
                || byte == UInt8(ascii: "-")
            guard alnum || (offset > 0 && punct) else { throw .invalidCharacter(rawValue) }
        }
        self.rawValue = rawValue
    }

    /// The stream of a source, a claim or an incident: `prefix-id`.
    public static func entity(_ prefix: String, _ id: String) throws(StreamNameError) -> StreamName {
        try StreamName(prefix + "-" + id)
    }

    public var description: String { rawValue }

    public static func < (lhs: StreamName, rhs: StreamName) -> Bool { lhs.rawValue < rhs.rawValue }
}

public enum StreamNameError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case tooLong(Int)
    case invalidCharacter(String)

    public var description: String {
        switch self {
        case .empty: "the stream name is empty"
        case .tooLong(let count): "the stream name has \(count) characters; at most 200 are allowed"
        case .invalidCharacter(let name):
            "the stream name \"\(name)\" may hold only letters, digits and . _ : - (starting with a letter or digit)"
        }
    }
}
