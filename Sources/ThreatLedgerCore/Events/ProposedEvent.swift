/// An event a writer asks the log to append. The log gives it a position, a stream version, a record
/// time and its hashes, and turns it into a ``RecordedEvent``.
public struct ProposedEvent: Sendable, Hashable {
    public var id: EventID
    public var stream: StreamName
    /// Checked against the stream's version just before this event, counting earlier events of the
    /// same batch. `nil` means ``ExpectedVersion/any``.
    public var expectedVersion: ExpectedVersion?
    public var type: String
    public var schemaVersion: Int
    public var payload: JSONValue {
        didSet { canonicalPayload = nil }  // any change to the payload forgets its canonical text
    }
    /// The payload's canonical text (``CanonicalJSON``), when it is already known: an append line
    /// written in canonical form carries it from the parser, so the store need not encode it again.
    /// Cleared whenever `payload` changes; never part of equality.
    public internal(set) var canonicalPayload: String?
    public var metadata: EventMetadata

    public init(
        id: EventID, stream: StreamName, expectedVersion: ExpectedVersion? = nil, type: String,
        schemaVersion: Int = 1, payload: JSONValue, metadata: EventMetadata
    ) {
        self.id = id
        self.stream = stream
        self.expectedVersion = expectedVersion
        self.type = type
        self.schemaVersion = schemaVersion
        self.payload = payload
        self.metadata = metadata
    }

    public static func == (a: ProposedEvent, b: ProposedEvent) -> Bool {
        a.id == b.id && a.stream == b.stream && a.expectedVersion == b.expectedVersion && a.type == b.type
            && a.schemaVersion == b.schemaVersion && a.payload == b.payload && a.metadata == b.metadata
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(stream)
        hasher.combine(type)
        hasher.combine(payload)
    }
}
