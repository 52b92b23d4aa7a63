import Crypto

/// A SHA-256 digest: the identity of an article text, and a link in the event hash chain.
public struct SHA256Hash: Sendable, Hashable, CustomStringConvertible, Comparable {
    /// The 32 digest bytes.
    public let bytes: [UInt8]

    /// The hash that precedes the first event of every log: 32 zero bytes.
    public static let genesis = SHA256Hash(uncheckedBytes: [UInt8](repeating: 0, count: 32))

    init(uncheckedBytes: [UInt8]) {
        self.bytes = uncheckedBytes
    }

    /// A hash from its 32 raw bytes; `nil` for any other length.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 32 else { return nil }
        self.bytes = Array(bytes)
    }

    /// A hash from 64 hexadecimal digits (either case); `nil` otherwise.
    public init?(hex: some StringProtocol) {
        let utf8 = Array(hex.utf8)
        guard utf8.count == 64 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        var index = 0
        while index < 64 {
            guard let high = Self.nibble(utf8[index]), let low = Self.nibble(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        self.bytes = bytes
    }

    /// The digest of `data`.
    public static func of(_ data: some Sequence<UInt8>) -> SHA256Hash {
        var hasher = SHA256()
        hasher.update(data: Array(data))
        return SHA256Hash(uncheckedBytes: Array(hasher.finalize()))
    }

    /// The digest of a text's UTF-8 bytes, exactly as they are (no normalization).
    public static func of(text: String) -> SHA256Hash {
        var copy = text
        return copy.withUTF8 { buffer in
            var hasher = SHA256()
            hasher.update(bufferPointer: UnsafeRawBufferPointer(buffer))
            return SHA256Hash(uncheckedBytes: Array(hasher.finalize()))
        }
    }

    /// Lowercase hexadecimal, 64 digits.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    public var description: String { hex }

    public static func < (lhs: SHA256Hash, rhs: SHA256Hash) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// A SHA-256 digest computed over data fed in pieces: the digest of a table read row by row,
/// without holding the table.
public struct SHA256Hasher {
    private var hasher = SHA256()

    public init() {}

    public mutating func update(_ bytes: [UInt8]) { hasher.update(data: bytes) }

    public mutating func update(text: String) { update(Array(text.utf8)) }

    public func finalize() -> SHA256Hash { SHA256Hash(uncheckedBytes: Array(hasher.finalize())) }
}
