import Synchronization

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

    /// A fresh id for an event this process writes: an RFC 9562 version 7 UUID, time-ordered.
    ///
    /// Why not version 4 (fully random, as before issue 20): the log keeps a unique index on event
    /// ids, and at a million events a random id lands each insert on a different index page, so a
    /// commit of 1,000 events rewrites about as many pages and syncs them (`threatledger-bench
    /// --id-cost`, "ordered ids" against "text ids"). Ids that follow the clock land on the index's
    /// last pages. What they add is the minting time to the millisecond, which the log records anyway
    /// (`recorded_at`). Ids derived from content (``derived(namespace:name:)``, for imports that must
    /// be idempotent) stay as they are.
    ///
    /// The first 48 bits are the Unix time in milliseconds, the next 12 the fraction of the
    /// millisecond (RFC 9562 §6.2, method 3), the last 62 random; within one process each id is
    /// greater than the one before, even when the clock stands still or steps back.
    public static func random() -> EventID {
        var generator = SystemRandomNumberGenerator()
        let now = Date().timeIntervalSince1970
        let ticks = UInt64(max(now, 0) * 1_000 * 4_096)  // 1/4096 ms
        let stamp = lastStamp.withLock { last in
            last = max(ticks, last + 1)
            return last
        }
        return timeOrdered(stamp: stamp, random: generator.next())
    }

    /// The 60 bits of time (milliseconds, then twelve bits of the millisecond) of the last id this
    /// process minted.
    private static let lastStamp = Mutex<UInt64>(0)

    /// The version 7 UUID with the 60-bit `stamp` (48 bits of Unix milliseconds, 12 of the
    /// millisecond's fraction) and 62 of `random`'s bits.
    package static func timeOrdered(stamp: UInt64, random: UInt64) -> EventID {
        let milliseconds = stamp >> 12
        let fraction = stamp & 0xFFF
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: milliseconds >> (8 * (5 - index))) }
        bytes[6] = 0x70 | UInt8(fraction >> 8)
        bytes[7] = UInt8(truncatingIfNeeded: fraction)
        for index in 8..<16 { bytes[index] = UInt8(truncatingIfNeeded: random >> (8 * (15 - index))) }
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return EventID(bytes: bytes)
    }

    /// The id of 16 bytes, in RFC 9562's order.
    private init(bytes: [UInt8]) {
        let uuid = UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
        self.init(uuid)
    }

    /// A name-based id derived from content: the first 16 bytes of SHA-256 over `namespace` and
    /// `name`, stamped as an RFC 9562 version 8 UUID. The same content always yields the same id, which
    /// is what makes re-running an ingest append nothing.
    public static func derived(namespace: String, name: String) -> EventID {
        var bytes = SHA256Hash.of(Array(namespace.utf8) + [0] + Array(name.utf8)).bytes.prefix(16).map { $0 }
        bytes[6] = (bytes[6] & 0x0F) | 0x80
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return EventID(bytes: bytes)
    }

    public var description: String { rawValue }

    public static func < (lhs: EventID, rhs: EventID) -> Bool { lhs.rawValue < rhs.rawValue }
}
