/// Limits on input that every reader enforces before parsing, so hostile input is refused fast and
/// with a clear message instead of being parsed at length.
public enum InputLimits {
    /// The longest JSONL line `append` and `ingest` accept: 16 MiB. An event carries at most one
    /// article (the longest seed is about 10 KB), so a longer line is a mistake or an attack.
    public static let maxLineBytes = 16 * 1_048_576

    /// The message for a line over the limit.
    public static func lineTooLong(_ bytes: Int) -> String {
        "the line is \(bytes) bytes; lines over \(maxLineBytes / 1_048_576) MiB are refused"
    }
}
