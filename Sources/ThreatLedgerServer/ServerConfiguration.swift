import Logging
import ThreatLedgerCore

/// How a ThreatLedger server is set up.
public struct ServerConfiguration: Sendable {
    public var host: String
    /// 0 asks the system for a free port (tests); ``ServerHandle/port`` tells which.
    public var port: Int
    /// A SQLite file path or a `postgres://` URL.
    public var databasePath: String
    /// The tokens accepted, replaceable while serving (``TokenRegistry``).
    public var tokens: TokenRegistry
    /// Requests with a larger body get 413 and change nothing.
    public var maxBodyBytes: Int
    public var logLevel: Logger.Level
    /// When set, the server rebuilds every projection on this schedule.
    public var rebuildSchedule: RebuildSchedule? = nil
    /// When set, the server verifies the log (and its projections) at start and on this schedule,
    /// signing each passing run's head into ``verificationTrail`` when one is given.
    public var verifySchedule: RebuildSchedule? = nil
    public var verificationTrail: ScheduledVerification.Trail? = nil
    /// The Ed25519 private key (32 raw bytes) that signs evidence bundles (`GET /v1/evidence`);
    /// without one the route answers 503 naming `serve --sign-with`.
    public var evidenceKey: [UInt8]? = nil
    /// How often the projections are caught up when nothing in this process appended (appends
    /// made here wake the catch-up at once; this is how appends by other processes are seen).
    public var catchUpPoll: Duration = .milliseconds(250)
    /// How long a read with `at_least` waits for the projections to reach that position before
    /// it answers 503.
    public var readWaitTimeout: Duration = .seconds(10)
    /// How many projectors reads are spread over (on SQLite, connections).
    public var readConnections = 4

    public init(
        host: String = "127.0.0.1", port: Int = 8080, databasePath: String, tokens: AccessTokens,
        maxBodyBytes: Int = 4 * 1024 * 1024, logLevel: Logger.Level = .info
    ) {
        self.host = host
        self.port = port
        self.databasePath = databasePath
        self.tokens = TokenRegistry(tokens)
        self.maxBodyBytes = maxBodyBytes
        self.logLevel = logLevel
    }
}
