/// Stored claim documents read straight from their bytes: how the read index's pictures are read
/// (a rebuild's render decodes every current claim once or more).
extension ThreatPicture {
    /// A claim version from the bytes of its stored document: the typed decoders where they take
    /// the document (every document the index writes), the general path
    /// (``claim(id:document:)`` over ``JSONParser``) otherwise, which gives the same value or names
    /// what does not fit.
    /// Throws what the general path throws (``JSONParseError``, ``ModelDecodingError``), so a
    /// broken document is named exactly as before.
    public static func claim(id: String, documentBytes bytes: UnsafeBufferPointer<UInt8>) throws -> Claim {
        if let claim = JSONByteReader.typed(bytes, { reader throws(TypedDecodingMiss) in try typedClaim(id: id, reading: &reader) }) {
            return claim
        }
        return try claim(id: id, document: try JSONParser().parse(bytes))
    }

    /// ``claim(id:documentBytes:)`` for a document held in a string.
    public static func claim(id: String, documentText text: String) throws -> Claim {
        var text = text
        return try text.withUTF8 { bytes in try claim(id: id, documentBytes: bytes) }
    }

    /// Follows ``claim(id:document:)`` field by field; misses where it would not decode exactly
    /// the same (a time that is not an integer, which it reads as 0, is left to it).
    static func typedClaim(id: String, reading reader: inout JSONByteReader) throws(TypedDecodingMiss) -> Claim {
        var seen = SeenFields()
        var coded: CodedClaim?
        var revision: Int64?
        var recordedAt: Int64 = 0
        var lastChangedAt: Int64 = 0
        var retracted: Bool?
        var position: Int64?
        var changes: [Change] = []
        try reader.members { reader, key throws(TypedDecodingMiss) in
            switch key {
            case "fields":
                try seen.insert(0)
                coded = try CodedClaim(reading: &reader)
            case "revision":
                try seen.insert(1)
                revision = try reader.integer()
            case "recorded_at":
                try seen.insert(2)
                recordedAt = try reader.integer()
            case "last_changed_at":
                try seen.insert(3)
                lastChangedAt = try reader.integer()
            case "retracted":
                try seen.insert(4)
                retracted = try reader.bool()
            case "position":
                try seen.insert(5)
                position = try reader.integer()
            case "changes":
                try seen.insert(6)
                try reader.elements { reader throws(TypedDecodingMiss) in changes.append(try typedChange(reading: &reader)) }
            default: throw TypedDecodingMiss()
            }
        }
        guard let coded, let revision, let retracted, let position else { throw TypedDecodingMiss() }
        return Claim(
            id: id, coded: coded, revision: revision, recordedAt: RecordTime(microsecondsSinceEpoch: recordedAt),
            lastChangedAt: RecordTime(microsecondsSinceEpoch: lastChangedAt), retracted: retracted, changes: changes, position: position)
    }

    private static func typedChange(reading reader: inout JSONByteReader) throws(TypedDecodingMiss) -> Change {
        var seen = SeenFields()
        var type: String?
        var position: Int64?
        var recordedAt: Int64 = 0
        var recordedBy: String?
        var reason: String?
        try reader.members { reader, key throws(TypedDecodingMiss) in
            switch key {
            case "type":
                try seen.insert(0)
                type = try reader.string()
            case "position":
                try seen.insert(1)
                position = try reader.integer()
            case "recorded_at":
                try seen.insert(2)
                recordedAt = try reader.integer()
            case "recorded_by":
                try seen.insert(3)
                recordedBy = try reader.string()
            case "reason":
                try seen.insert(4)
                reason = try reader.optionalString()
            default: throw TypedDecodingMiss()
            }
        }
        guard let type, let position, let recordedBy else { throw TypedDecodingMiss() }
        return Change(type: type, position: position, recordedAt: RecordTime(microsecondsSinceEpoch: recordedAt), recordedBy: recordedBy, reason: reason)
    }
}
