import ThreatLedgerCore

/// Why a store operation failed. When an append throws, nothing was appended.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    /// The reason given when a command that only reads is pointed at a place that holds no log.
    public static let noLogHere =
        "it holds no ThreatLedger log (check the path or URL); only `threatledger init`, `ingest`, `append` and `copy --to` create one"

    /// Event `index` of the batch (0-based) is invalid.
    case invalidEvent(index: Int, id: EventID, EventValidationError)
    /// Event `index` expected its stream at another version.
    case conflict(index: Int, ExpectedVersionConflict)
    /// Event `index` reuses the id of a different event already in the log (or earlier in the batch).
    case eventIDReused(index: Int, id: EventID, position: Int64?)
    /// The database cannot be opened, or is not a ThreatLedger log this version can read.
    case unusableDatabase(path: String, reason: String)
    /// A stored row cannot be read as an event; run `threatledger verify`.
    case corruptRow(position: Int64, reason: String)
    /// Another process holds the write lock longer than the busy timeout.
    case busy(String)
    /// Any other database failure.
    case database(String)

    public var description: String {
        switch self {
        case .invalidEvent(let index, let id, let error):
            "event \(index + 1) (\(id)): \(error); nothing was appended"
        case .conflict(let index, let conflict):
            "event \(index + 1): \(conflict)"
        case .eventIDReused(let index, let id, let position):
            "event \(index + 1): id \(id) already belongs to a different event"
                + (position.map { " at position \($0)" } ?? " earlier in this batch")
                + "; give each new event a new id. Nothing was appended"
        case .unusableDatabase(let path, let reason):
            "cannot use \(path): \(reason)"
        case .corruptRow(let position, let reason):
            "the stored event at position \(position) cannot be read (\(reason)); run `threatledger verify`"
        case .busy(let message):
            "the log is locked by another writer (\(message)); try again"
        case .database(let message):
            "database error: \(message)"
        }
    }

    /// The 0-based index of the batch event the error is about, when it is about one.
    public var eventIndex: Int? {
        switch self {
        case .invalidEvent(let index, _, _), .conflict(let index, _), .eventIDReused(let index, _, _): index
        default: nil
        }
    }
}

extension StoreError {
    init(_ error: SQLiteError) {
        self = error.isBusy ? .busy(error.description) : .database(error.description)
    }
}
