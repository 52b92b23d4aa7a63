/// A stored document that does not have the shape its type needs: which field, and why.
///
/// Events reach the read side only after the log's rules accepted them, so this names a log or a
/// projection row written around those rules (or edited by hand): `verify` and
/// `verify --projections` say which.
public struct ModelDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where in the document, as a JSON path (`claim.figures[2].low`).
    public let path: String
    /// What the field should have held.
    public let expected: String

    public init(path: String, expected: String) {
        self.path = path
        self.expected = expected
    }

    public var description: String { "\(path): expected \(expected)" }
}
