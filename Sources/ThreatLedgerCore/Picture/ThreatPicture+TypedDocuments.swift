/// Stored documents (claims, sources, incidents) read straight from their bytes: how the read
/// index's pictures are read (a rebuild's render decodes every current claim once or more, and each
/// source and incident once for every place it reaches).
extension ThreatPicture {
    /// A claim version from the bytes of its stored document: the typed decoders where they take
    /// the document (every document the index writes), the general path
    /// (``claim(id:document:)`` over ``JSONParser``) otherwise, which gives the same value or names
    /// what does not fit.
    /// Throws what the general path throws (``JSONParseError``, ``ModelDecodingError``), so a
    /// broken document is named exactly as before.
    public static func claim(id: String, documentBytes bytes: UnsafeBufferPointer<UInt8>) throws -> Claim {
        try read(bytes, typed: { reader throws(TypedDecodingMiss) in try typedClaim(id: id, reading: &reader) }, general: { try claim(id: id, document: $0) })
    }

    /// ``claim(id:documentBytes:)`` for a document held in a string.
    public static func claim(id: String, documentText text: String) throws -> Claim {
        var text = text
        return try text.withUTF8 { bytes in try claim(id: id, documentBytes: bytes) }
    }

    /// A source version from the bytes of its stored document, as ``claim(id:documentBytes:)`` reads
    /// a claim's (a source imported from a dataset row is left to the general path).
    public static func source(id: String, documentBytes bytes: UnsafeBufferPointer<UInt8>) throws -> Source {
        try read(bytes, typed: { reader throws(TypedDecodingMiss) in try typedSource(id: id, reading: &reader) }, general: { try source(id: id, document: $0) })
    }

    /// An incident version from the bytes of its stored document, as ``claim(id:documentBytes:)``
    /// reads a claim's.
    public static func incident(id: String, documentBytes bytes: UnsafeBufferPointer<UInt8>) throws -> Incident {
        try read(
            bytes, typed: { reader throws(TypedDecodingMiss) in try typedIncident(id: id, reading: &reader) }, general: { try incident(id: id, document: $0) })
    }

    /// `typed` over `bytes` when it takes them, else the general path: `general` over the parsed
    /// document, throwing what the parser or the model throws.
    private static func read<T>(
        _ bytes: UnsafeBufferPointer<UInt8>, typed: (inout JSONByteReader) throws(TypedDecodingMiss) -> T, general: (JSONValue) throws -> T
    ) throws -> T {
        if let value = JSONByteReader.typed(bytes, typed) { return value }
        return try general(try JSONParser().parse(bytes))
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

    /// Follows ``source(id:document:)``; misses on a dataset row (rare: a source imported from a
    /// conflict dataset), on a time that is not an integer, and on a `retracted` that is not a bool
    /// (which that reads as false).
    static func typedSource(id: String, reading reader: inout JSONByteReader) throws(TypedDecodingMiss) -> Source {
        var seen = SeenFields()
        var sha256: String?
        var title: String?
        var outlet: String?
        var url: String?
        var published: CodedDate?
        var recordedAt: Int64 = 0
        var retracted = false
        var changes: [Change] = []
        try reader.members { reader, key throws(TypedDecodingMiss) in
            switch key {
            case "sha256":
                try seen.insert(0)
                sha256 = try reader.string()
            case "title":
                try seen.insert(1)
                title = try reader.optionalString()
            case "outlet":
                try seen.insert(2)
                outlet = try reader.optionalString()
            case "url":
                try seen.insert(3)
                url = try reader.optionalString()
            case "published":
                try seen.insert(4)
                published = try CodedDate(reading: &reader)
            case "recorded_at":
                try seen.insert(5)
                recordedAt = try reader.integer()
            case "dataset_row":
                try seen.insert(6)
                guard try reader.null() else { throw TypedDecodingMiss() }
            case "retracted":
                try seen.insert(7)
                retracted = try reader.bool()
            case "changes":
                try seen.insert(8)
                try reader.elements { reader throws(TypedDecodingMiss) in changes.append(try typedChange(reading: &reader)) }
            default: throw TypedDecodingMiss()
            }
        }
        guard let sha256, let published else { throw TypedDecodingMiss() }
        var source = Source(
            id: id, sha256: sha256, title: title, outlet: outlet, url: url, published: published,
            recordedAt: RecordTime(microsecondsSinceEpoch: recordedAt))
        source.retracted = retracted
        source.changes = changes
        return source
    }

    /// Follows ``incident(id:document:)``. A disagreement's values are any JSON, read by the
    /// parser itself at the depth it would read them.
    static func typedIncident(id: String, reading reader: inout JSONByteReader) throws(TypedDecodingMiss) -> Incident {
        var seen = SeenFields()
        var label: String?
        var kind: CodedClaim.Kind?
        var claimIDs: [String]?
        var disagreements: [IncidentDisagreement]?
        try reader.members { reader, key throws(TypedDecodingMiss) in
            switch key {
            case "label":
                try seen.insert(0)
                label = try reader.string()
            case "kind":
                try seen.insert(1)
                kind = try reader.choice()
            case "claim_ids":
                try seen.insert(2)
                var ids: [String] = []
                try reader.elements { reader throws(TypedDecodingMiss) in ids.append(try reader.string()) }
                claimIDs = ids
            case "disagreements":
                try seen.insert(3)
                var read: [IncidentDisagreement] = []
                try reader.elements { reader throws(TypedDecodingMiss) in read.append(try typedDisagreement(reading: &reader)) }
                disagreements = read
            default: throw TypedDecodingMiss()
            }
        }
        guard let label, let kind, let claimIDs, let disagreements else { throw TypedDecodingMiss() }
        return Incident(id: id, label: label, kind: kind, claimIDs: claimIDs, disagreements: disagreements)
    }

    /// One disagreement of an incident document (nested three deep: document, list, disagreement;
    /// each value's object five deep, where the parser reads its `value` member).
    private static func typedDisagreement(reading reader: inout JSONByteReader) throws(TypedDecodingMiss) -> IncidentDisagreement {
        var seen = SeenFields()
        var field: String?
        var values: [IncidentDisagreement.Value]?
        var note: String?
        try reader.members { reader, key throws(TypedDecodingMiss) in
            switch key {
            case "field":
                try seen.insert(0)
                field = try reader.string()
            case "values":
                try seen.insert(1)
                var read: [IncidentDisagreement.Value] = []
                try reader.elements { reader throws(TypedDecodingMiss) in
                    var valueSeen = SeenFields()
                    var claimID: String?
                    var value: JSONValue = .null
                    try reader.members { reader, key throws(TypedDecodingMiss) in
                        switch key {
                        case "claim_id":
                            try valueSeen.insert(0)
                            claimID = try reader.string()
                        case "value":
                            try valueSeen.insert(1)
                            do { value = try reader.parseValue(depth: 5) } catch { throw TypedDecodingMiss() }
                        default: throw TypedDecodingMiss()
                        }
                    }
                    guard let claimID else { throw TypedDecodingMiss() }
                    read.append(.init(claimID: claimID, value: value))
                }
                values = read
            case "note":
                try seen.insert(2)
                note = try reader.optionalString()
            default: throw TypedDecodingMiss()
            }
        }
        guard let field, let values else { throw TypedDecodingMiss() }
        return IncidentDisagreement(field: field, values: values, note: note)
    }
}
