#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// An event's identity: a UUID, written in lowercase.
///
/// Appending an id that is already in the log appends nothing and answers the original position,
/// so a writer that retries after a timeout cannot duplicate an event.
public struct EventID: Sendable, Hashable, CustomStringConvertible, Comparable {
    /// The lowercase 8-4-4-4-12 form.
    public let rawValue: String

    /// Parses a UUID in either case; `nil` when `text` is not one.
    /// Accepts exactly what `UUID(uuidString:)` accepts (36 characters, hyphens at 8, 13, 18 and 23,
    /// hex digits in either case) and keeps it in lowercase, without Foundation's scanf-based parser,
    /// which cost microseconds on every append line (`EventIDTests` pins the equivalence).
    public init?(_ text: String) {
        var bytes = Array(text.utf8)
        guard bytes.count == 36 else { return nil }
        for index in bytes.indices {
            let byte = bytes[index]
            switch index {
            case 8, 13, 18, 23:
                guard byte == UInt8(ascii: "-") else { return nil }
            default:
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"): break
                case UInt8(ascii: "A")...UInt8(ascii: "F"): bytes[index] = byte + 0x20
                default: return nil
                }
            }
        }
        self.rawValue = String(decoding: bytes, as: UTF8.self)
    }

    public init(_ uuid: UUID) {
        self.rawValue = uuid.uuidString.lowercased()
    }

    /// A fresh random (version 4) id.
    public static func random() -> EventID {
        EventID(UUID())
    }

    /// A name-based id derived from content: the first 16 bytes of SHA-256 over `namespace` and
    /// `name`, stamped as an RFC 9562 version 8 UUID. The same content always yields the same id, which
    /// is what makes re-running an ingest append nothing.
    public static func derived(namespace: String, name: String) -> EventID {
        var bytes = SHA256Hash.of(Array(namespace.utf8) + [0] + Array(name.utf8)).bytes.prefix(16).map { $0 }
        bytes[6] = (bytes[6] & 0x0F) | 0x80
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let uuid = UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
        return EventID(uuid)
    }

    public var description: String { rawValue }

    public static func < (lhs: EventID, rhs: EventID) -> Bool { lhs.rawValue < rhs.rawValue }
}
