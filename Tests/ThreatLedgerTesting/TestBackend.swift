import Foundation
import PostgresNIO
import ThreatLedgerCore
import ThreatLedgerPostgres
import ThreatLedgerProjections
import ThreatLedgerStore

/// The backends a conformance test runs on: SQLite always; PostgreSQL when the environment names a
/// server the postgres-nio way (`POSTGRES_HOSTNAME`, `POSTGRES_PORT`, `POSTGRES_USER`,
/// `POSTGRES_PASSWORD`, `POSTGRES_DB`), as `.ci/run` does after starting one.
public enum TestBackend: String, Sendable, CaseIterable, CustomStringConvertible {
    case sqlite, postgres

    public var description: String { rawValue }

    public static var available: [TestBackend] {
        postgresLocation(schema: "probe") == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    /// The test server, in a schema of the caller's.
    public static func postgresLocation(schema: String) -> PostgresLocation? {
        let environment = ProcessInfo.processInfo.environment
        guard let host = environment["POSTGRES_HOSTNAME"], !host.isEmpty else { return nil }
        return PostgresLocation(
            host: host, port: Int(environment["POSTGRES_PORT"] ?? "") ?? 5432, user: environment["POSTGRES_USER"] ?? "postgres",
            password: environment["POSTGRES_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 },
            database: environment["POSTGRES_DB"] ?? "postgres", schema: schema)
    }

    /// A fresh schema name, unique to one test.
    public static func freshSchema() -> String {
        "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
    }
}

/// A fresh, empty log on `backend` for one test: a temporary SQLite file, or a new PostgreSQL schema
/// dropped afterwards. `open` opens another handle on the same log (another writer).
public func withTemporaryLog<T>(
    on backend: TestBackend, clock: any RecordClock = SystemRecordClock(),
    _ body: (any EventLog, _ open: @escaping @Sendable (any RecordClock) async throws -> any EventLog) async throws -> T
) async throws -> T {
    switch backend {
    case .sqlite:
        return try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("log.sqlite").path
            return try await body(try SQLiteEventLog(path: path, clock: clock)) { clock in try SQLiteEventLog(path: path, clock: clock) }
        }
    case .postgres:
        let location = TestBackend.postgresLocation(schema: TestBackend.freshSchema())!
        let log = try await PostgresEventLog.connect(location, clock: clock)
        let others = OpenedLogs()
        return try await dropping(location, log: log, others: others) {
            try await body(log) { clock in
                let other = try await PostgresEventLog.connect(location, clock: clock)
                others.add(other)
                return other
            }
        }
    }
}

/// A fresh, empty log and its projector on `backend` (a temporary SQLite file, or a fresh
/// PostgreSQL schema), removed when `body` returns or throws. The schema is dropped by an awaited
/// call, never by a detached task, so a test run leaves nothing behind.
public func withTemporaryBackend<T>(
    _ backend: TestBackend, clock: any RecordClock = SystemRecordClock(),
    _ body: (any EventLog, any Projector & ClaimVersionIndex) async throws -> T
) async throws -> T {
    switch backend {
    case .sqlite:
        return try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("log.sqlite").path
            return try await body(try SQLiteEventLog(path: path, clock: clock), try SQLiteProjector(path: path, clock: clock))
        }
    case .postgres:
        let location = TestBackend.postgresLocation(schema: TestBackend.freshSchema())!
        let log = try await PostgresEventLog.connect(location, clock: clock)
        return try await dropping(location, log: log, others: OpenedLogs()) {
            try await body(log, try await PostgresProjector(log: log, clock: clock))
        }
    }
}

/// Runs `body`, then drops the schema and closes the logs, whether `body` returned or threw.
public func dropping<T>(_ location: PostgresLocation, log: PostgresEventLog, others: OpenedLogs, _ body: () async throws -> T) async throws -> T {
    func cleanUp() async {
        for other in others.all { await other.close() }
        _ = try? await log.client.query("DROP SCHEMA IF EXISTS \(unescaped: location.schema) CASCADE")
        await log.close()
    }
    do {
        let result = try await body()
        await cleanUp()
        return result
    } catch {
        await cleanUp()
        throw error
    }
}

/// The extra handles a test opened, closed at its end.
public final class OpenedLogs: @unchecked Sendable {
    private let lock = NSLock()
    private var logs: [PostgresEventLog] = []
    public init() {}
    public func add(_ log: PostgresEventLog) { lock.withLock { logs.append(log) } }
    public var all: [PostgresEventLog] { lock.withLock { logs } }
}

/// Opens the log a `--db` argument names (a SQLite path or a `postgres://` URL), for checking what
/// processes wrote; `close` closes it and, on PostgreSQL, drops its schema.
public func openLog(_ db: String) async throws -> (log: any EventLog, close: @Sendable () async -> Void) {
    guard PostgresLocation.isURL(db) else { return (try SQLiteEventLog(path: db), {}) }
    let location = try PostgresLocation(url: db)
    let log = try await PostgresEventLog.connect(location)
    return (
        log,
        {
            _ = try? await log.client.query("DROP SCHEMA IF EXISTS \(unescaped: location.schema) CASCADE")
            await log.close()
        }
    )
}
