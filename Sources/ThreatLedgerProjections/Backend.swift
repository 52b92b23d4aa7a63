import ThreatLedgerCore
import ThreatLedgerPostgres
import ThreatLedgerStore

/// A log and its projector on one backend, chosen by location: a `postgres://` URL selects
/// PostgreSQL, anything else is a SQLite file path.
public struct Backend: Sendable {
    public let log: any EventLog
    public let projector: any Projector
    /// The location, with any password removed, for messages.
    public let description: String

    public static func open(_ location: String, role: String, clock: any RecordClock = SystemRecordClock()) async throws -> Backend {
        if PostgresLocation.isURL(location) {
            let parsed: PostgresLocation
            do { parsed = try PostgresLocation(url: location) } catch { throw StoreError.unusableDatabase(path: "the --db URL", reason: error.description) }
            let log = try await PostgresEventLog.connect(parsed, clock: clock)
            return Backend(log: log, projector: try await PostgresProjector(log: log, clock: clock, role: role), description: parsed.description)
        }
        let log = try SQLiteEventLog(path: location, clock: clock)
        return Backend(log: log, projector: try SQLiteProjector(path: location, clock: clock, role: role), description: location)
    }
}
