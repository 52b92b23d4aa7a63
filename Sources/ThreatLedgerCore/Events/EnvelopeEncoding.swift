/// Builds the canonical envelope bytes without re-serializing the payload, so that appending and
/// verifying cost one pass over the payload text. Keys are written in RFC 8785 order by hand; the
/// test suite checks the result against ``CanonicalJSON`` over the same envelope.
public enum EnvelopeEncoding {
    public static func canonicalBytes(
        id: EventID, stream: StreamName, streamVersion: Int64, position: Int64, type: String, schemaVersion: Int,
        payloadJSON: String, metadata: EventMetadata, recordedAt: RecordTime
    ) -> [UInt8] {
        canonicalBytes(
            id: id, stream: stream, streamVersion: streamVersion, position: position, type: type, schemaVersion: schemaVersion,
            payloadJSON: payloadJSON, metadataBytes: CanonicalJSON.bytes(metadataJSON(metadata, recordedAt: recordedAt)))
    }

    /// The same, with the metadata already in canonical bytes (``metadataBytes(_:recordedAt:)``): a
    /// batch shares one record time and usually one writer, so an append encodes it once.
    public static func canonicalBytes(
        id: EventID, stream: StreamName, streamVersion: Int64, position: Int64, type: String, schemaVersion: Int,
        payloadJSON: String, metadataBytes: [UInt8]
    ) -> [UInt8] {
        var out: [UInt8] = []
        write(
            id: id, stream: stream, streamVersion: streamVersion, position: position, type: type, schemaVersion: schemaVersion,
            payloadJSON: payloadJSON, metadataBytes: metadataBytes, into: &out)
        return out
    }

    /// Writes the canonical envelope into `out`, replacing what it held but keeping its storage, so
    /// that an append reuses one buffer for a whole batch.
    public static func write(
        id: EventID, stream: StreamName, streamVersion: Int64, position: Int64, type: String, schemaVersion: Int,
        payloadJSON: String, metadataBytes: [UInt8], into out: inout [UInt8]
    ) {
        out.removeAll(keepingCapacity: true)
        out.reserveCapacity(payloadJSON.utf8.count + metadataBytes.count + 300)
        out.append(contentsOf: #"{"event_id":"#.utf8)
        CanonicalJSON.writeString(id.rawValue, into: &out)
        out.append(contentsOf: #","metadata":"#.utf8)
        out.append(contentsOf: metadataBytes)
        out.append(contentsOf: #","payload":"#.utf8)
        out.append(contentsOf: payloadJSON.utf8)
        out.append(contentsOf: #","position":"#.utf8)
        out.append(contentsOf: String(position).utf8)
        out.append(contentsOf: #","schema_version":"#.utf8)
        out.append(contentsOf: String(schemaVersion).utf8)
        out.append(contentsOf: #","stream":"#.utf8)
        CanonicalJSON.writeString(stream.rawValue, into: &out)
        out.append(contentsOf: #","stream_version":"#.utf8)
        out.append(contentsOf: String(streamVersion).utf8)
        out.append(contentsOf: #","type":"#.utf8)
        CanonicalJSON.writeString(type, into: &out)
        out.append(UInt8(ascii: "}"))
    }

    /// The metadata object's canonical bytes as they appear in the envelope.
    public static func metadataBytes(_ metadata: EventMetadata, recordedAt: RecordTime) -> [UInt8] {
        CanonicalJSON.bytes(metadataJSON(metadata, recordedAt: recordedAt))
    }

    /// The metadata object as it appears in the envelope.
    public static func metadataJSON(_ metadata: EventMetadata, recordedAt: RecordTime) -> JSONValue {
        [
            "recorded_at": .string(recordedAt.iso8601),
            "recorded_by": .string(metadata.recordedBy),
            "correlation_id": .optional(metadata.correlationID),
            "causation_id": .optional(metadata.causationID),
        ]
    }
}
