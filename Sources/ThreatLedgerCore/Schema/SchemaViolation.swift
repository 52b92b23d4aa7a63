/// A value that does not satisfy its JSON Schema: where, and why.
public struct SchemaViolation: Error, Sendable, Equatable, CustomStringConvertible {
    /// The failing field inside the validated document, e.g. `figures[2].low`.
    public let path: JSONPath
    public let message: String

    public init(path: JSONPath, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}

/// A schema the validator cannot use: unknown keyword, bad reference. A programming error in
/// `schemas/`, reported loudly rather than validating less than the schema says.
public struct SchemaDefinitionError: Error, Sendable, CustomStringConvertible {
    public let schema: String
    public let message: String

    public var description: String { "schema \(schema): \(message)" }
}
