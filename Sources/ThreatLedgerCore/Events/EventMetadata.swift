/// Who recorded an event and why, beside the payload. `recordedAt` is set by the log, not the writer.
public struct EventMetadata: Sendable, Hashable {
    /// The person or program that recorded the event (an analyst's name, `threatledger ingest`).
    public var recordedBy: String
    /// Ties together the events of one user action or one request.
    public var correlationID: String?
    /// The event or command that caused this one.
    public var causationID: String?

    public init(recordedBy: String, correlationID: String? = nil, causationID: String? = nil) {
        self.recordedBy = recordedBy
        self.correlationID = correlationID
        self.causationID = causationID
    }
}
