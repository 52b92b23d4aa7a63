import Logging
import ThreatLedgerCore

/// How a ThreatLedger server is set up.
public struct ServerConfiguration: Sendable {
    public var host: String
    /// 0 asks the system for a free port (tests); ``ServerHandle/port`` tells which.
    public var port: Int
    /// A SQLite file path or a `postgres://` URL.
    public var databasePath: String
    public var tokens: AccessTokens
    /// Requests with a larger body get 413 and change nothing.
    public var maxBodyBytes: Int
    public var logLevel: Logger.Level
    /// When set, the server rebuilds every projection on this schedule.
    public var rebuildSchedule: RebuildSchedule? = nil

    public init(
        host: String = "127.0.0.1", port: Int = 8080, databasePath: String, tokens: AccessTokens,
        maxBodyBytes: Int = 4 * 1024 * 1024, logLevel: Logger.Level = .info
    ) {
        self.host = host
        self.port = port
        self.databasePath = databasePath
        self.tokens = tokens
        self.maxBodyBytes = maxBodyBytes
        self.logLevel = logLevel
    }
}
