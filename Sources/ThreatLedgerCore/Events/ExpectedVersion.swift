/// What a writer believes a stream's version to be before its event is appended: optimistic
/// concurrency. A belief that turns out false is a ``ExpectedVersionConflict`` and appends nothing.
public enum ExpectedVersion: Sendable, Hashable, CustomStringConvertible {
    /// Append whatever the stream holds.
    case any
    /// The stream must not exist yet.
    case noStream
    /// The stream's last event must have exactly this version (1-based).
    case exact(Int64)

    /// Whether a stream currently at `version` (0 when it has no events) satisfies this expectation.
    public func isSatisfied(byCurrentVersion version: Int64) -> Bool {
        switch self {
        case .any: true
        case .noStream: version == 0
        case .exact(let expected): version == expected
        }
    }

    public var description: String {
        switch self {
        case .any: "any"
        case .noStream: "no_stream"
        case .exact(let version): String(version)
        }
    }
}

/// A stream was not at the version its writer expected.
public struct ExpectedVersionConflict: Error, Sendable, Equatable, CustomStringConvertible {
    public let stream: StreamName
    public let expected: ExpectedVersion
    public let actual: Int64

    public init(stream: StreamName, expected: ExpectedVersion, actual: Int64) {
        self.stream = stream
        self.expected = expected
        self.actual = actual
    }

    public var description: String {
        let actualText = actual == 0 ? "does not exist yet" : "is at version \(actual)"
        return "expected version conflict on stream \(stream): expected \(expected), but the stream \(actualText); "
            + "nothing was appended (re-read the stream and retry)"
    }
}
