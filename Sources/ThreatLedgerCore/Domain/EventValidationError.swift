/// Why an event was refused before anything was appended.
public enum EventValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The type is not one ThreatLedger records.
    case unknownType(String)
    /// The payload schema version is not one the log knows for this type.
    case unsupportedSchemaVersion(type: String, version: Int, newest: Int)
    /// The payload does not satisfy its JSON Schema.
    case schema(SchemaViolation)
    /// The payload satisfies its schema but breaks a domain rule (dates, bounds, codes, hashes).
    case rule(path: JSONPath, message: String)
    /// The event's metadata (who recorded it, its correlation or causation id) breaks a rule.
    case metadata(path: JSONPath, message: String)
    /// The event was sent to a stream other than the one its payload names.
    case wrongStream(expected: StreamName, found: StreamName)
    /// The event starts a stream that already has events, or continues one that does not exist.
    case streamState(stream: StreamName, message: String)
    /// The payload names a source, claim or incident that is not in the log.
    case missingReference(path: JSONPath, stream: StreamName)

    public var description: String {
        switch self {
        case .unknownType(let type):
            "unknown event type \"\(type)\" (known: \(EventType.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .unsupportedSchemaVersion(let type, let version, let newest):
            "\(type) has no schema version \(version); versions 1 to \(newest) are known"
        case .schema(let violation):
            "payload.\(violation.path): \(violation.message)"
        case .rule(let path, let message):
            "payload.\(path): \(message)"
        case .metadata(let path, let message):
            "\(path): \(message)"
        case .wrongStream(let expected, let found):
            "the payload belongs on stream \(expected), but the event was sent to \(found)"
        case .streamState(let stream, let message):
            "stream \(stream): \(message)"
        case .missingReference(let path, let stream):
            "payload.\(path): refers to \(stream), which is not in the log"
        }
    }
}
