import ServiceLifecycle
import ThreatLedgerCore
import ThreatLedgerPostgres
import ThreatLedgerProjections
import ThreatLedgerStore

/// A log and its projector on one backend, chosen by location: a `postgres://` URL selects
/// PostgreSQL, anything else is a SQLite file path.
public struct Backend: Sendable {
    public let log: any EventLog
    public let projector: any Projector
    /// The location, with any password removed, for messages.
    public let description: String
    /// What a long-running command's `ServiceGroup` must run beside its own services: on
    /// PostgreSQL, the client's pool (``PostgresClientService``), closed after the services listed
    /// after it have stopped. Nothing on SQLite.
    public let services: [any Service]
    /// Opens the same log and a projector on it again: on SQLite each with a connection of its
    /// own, on PostgreSQL the same log with another projector on its client's pool. A server
    /// writes projections through one such pair and spreads its reads over others.
    public let another: @Sendable (_ role: String) async throws -> (log: any EventLog, projector: any Projector)

    /// Opens the log at `location` with its projector.
    /// - Parameter create: whether a place with no log becomes a new, empty one. Only writing
    ///   commands (`init`, `ingest`, `append`, `copy --to`) pass true; everything that reads refuses
    ///   a mistyped path instead of answering for an empty log.
    public static func open(
        _ location: String, role: String, create: Bool = false, clock: any RecordClock = SystemRecordClock()
    ) async throws -> Backend {
        if PostgresLocation.isURL(location) {
            let parsed: PostgresLocation
            do { parsed = try PostgresLocation(url: location) } catch { throw StoreError.unusableDatabase(path: "the --db URL", reason: error.description) }
            let log = try await PostgresEventLog.connect(parsed, create: create, clock: clock)
            return Backend(
                log: log, projector: try await PostgresProjector(log: log, clock: clock, role: role), description: parsed.description,
                services: [PostgresClientService(log: log)],
                another: { role in (log, try await PostgresProjector(log: log, clock: clock, role: role)) })
        }
        let log = try SQLiteEventLog(path: location, create: create, clock: clock)
        return Backend(
            log: log, projector: try SQLiteProjector(path: location, clock: clock, role: role), description: location, services: [],
            another: { role in
                (try SQLiteEventLog(path: location, create: false, clock: clock), try SQLiteProjector(path: location, clock: clock, role: role))
            })
    }
}
