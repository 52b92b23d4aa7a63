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
    public var payload: JSONValue
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
}
