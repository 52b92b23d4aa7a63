/// Why an event could not be folded into the picture. The log's rules accept only events that fold,
/// so either names a log written around them (`verify` says more).
public enum PictureFoldError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The payload at `position` is not JSON.
    case unreadable(position: Int64, JSONParseError)
    /// The payload at `position` is JSON, but a field does not hold what its schema says.
    case malformed(position: Int64, ModelDecodingError)

    public var description: String {
        switch self {
        case .unreadable(let position, let error): "the event at log position \(position) cannot be read: \(error)"
        case .malformed(let position, let error): "the event at log position \(position) does not fit its schema: \(error)"
        }
    }
}
