/// An event as the log holds it: the envelope, with its place in the log and in the hash chain.
///
/// The payload is kept as its canonical JSON text, exactly the bytes that were hashed;
/// ``payload(versions:)`` parses it (at the current version) when a reader needs the values.
public struct RecordedEvent: Sendable, Hashable {
    /// Global position: 1, 2, 3, … with no gaps, increasing in commit order.
    public let position: Int64
    public let id: EventID
    public let stream: StreamName
    /// 1-based version within the stream.
    public let streamVersion: Int64
    public let type: String
    public let schemaVersion: Int
    /// RFC 8785 canonical JSON of the payload.
    public let payloadJSON: String
    public let metadata: EventMetadata
    /// When the log recorded the event, in UTC. Never decreases along positions, so the log as of
    /// any record time is a prefix of it.
    public let recordedAt: RecordTime
    public let previousHash: SHA256Hash
    public let hash: SHA256Hash

    public init(
        position: Int64, id: EventID, stream: StreamName, streamVersion: Int64, type: String, schemaVersion: Int,
        payloadJSON: String, metadata: EventMetadata, recordedAt: RecordTime, previousHash: SHA256Hash,
        hash: SHA256Hash
    ) {
        self.position = position
        self.id = id
        self.stream = stream
        self.streamVersion = streamVersion
        self.type = type
        self.schemaVersion = schemaVersion
        self.payloadJSON = payloadJSON
        self.metadata = metadata
        self.recordedAt = recordedAt
        self.previousHash = previousHash
        self.hash = hash
    }

    /// The payload's values as every reader sees them: at its type's current version, upcast from
    /// the version it was written at (``SchemaVersions``).
    public func payload(versions: SchemaVersions = .standard) throws(JSONParseError) -> JSONValue {
        let written = try writtenPayload()
        guard let type = EventType(rawValue: type) else { return written }
        return versions.upcast(written, type: type, from: schemaVersion)
    }

    /// The payload exactly as written, at its own `schemaVersion`: what `verify` checks against that
    /// version's schema.
    public func writtenPayload() throws(JSONParseError) -> JSONValue {
        try JSONParser().parse(payloadJSON)
    }

    /// The bytes the chain hashes: RFC 8785 JSON of the envelope without `previous_hash` and `hash`:
    ///
    ///     {"event_id":…,"metadata":{"causation_id":…,"correlation_id":…,"recorded_at":…,"recorded_by":…},
    ///      "payload":…,"position":…,"schema_version":…,"stream":…,"stream_version":…,"type":…}
    ///
    /// Absent optional metadata is written as `null`. The payload text is spliced in as stored, so a
    /// stored payload edited in any way changes the hash.
    public var canonicalBytes: [UInt8] {
        EnvelopeEncoding.canonicalBytes(
            id: id, stream: stream, streamVersion: streamVersion, position: position, type: type,
            schemaVersion: schemaVersion, payloadJSON: payloadJSON, metadata: metadata, recordedAt: recordedAt)
    }

    /// Whether `hash` is what the chain rule gives for this event after `previousHash`.
    public var hashIsConsistent: Bool {
        EventChain.hash(previous: previousHash, canonicalBytes: canonicalBytes) == hash
    }

    /// The whole envelope, hashes included, as a JSON value (the `log --format jsonl` line).
    public func envelopeJSON() throws(JSONParseError) -> JSONValue {
        [
            "position": .number(Double(position)),
            "event_id": .string(id.rawValue),
            "stream": .string(stream.rawValue),
            "stream_version": .number(Double(streamVersion)),
            "type": .string(type),
            "schema_version": .number(Double(schemaVersion)),
            "payload": try payload(),
            "metadata": EnvelopeEncoding.metadataJSON(metadata, recordedAt: recordedAt),
            "previous_hash": .string(previousHash.hex),
            "hash": .string(hash.hex),
        ]
    }
}
