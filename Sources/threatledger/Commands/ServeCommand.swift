import ArgumentParser
import Foundation
import Hummingbird
import Logging
import ThreatLedgerCore
import ThreatLedgerServer
import ThreatLedgerStore

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the HTTP API (schemas/openapi.yaml) until SIGTERM or SIGINT.",
        discussion: """
            Bearer tokens with a role (auditor: read; analyst: read and write; operator: read and rebuilds) are \
            configured by --tokens FILE or THREATLEDGER_TOKENS, as JSON [{"name", "role", "sha256", "expires"?}] holding only \
            the SHA-256 of each token; make one with `threatledger token`. SIGHUP re-reads the tokens file: a file that \
            parses replaces the tokens from the next request on (revoked and expired tokens are refused), one that does \
            not is logged and the old tokens stay. Logs go to standard error with a request id on \
            every line; tokens are never logged. /health answers at once; /ready once the projections have caught up. \
            Reads serve the projections as of their checkpoint (each answer's as_of names its log position), kept \
            caught up in the background: at once after every append made through this server, and every \
            --catch-up-poll-ms for appends made by other processes. To read your own write, pass at_least=POSITION \
            (the position the append returned): the read waits up to --read-wait-seconds for the projections to reach \
            it. On SIGTERM, requests in flight finish and nothing is left half-written.
            """
    )

    @OptionGroup var log: LogOptions

    @Option(name: .long, help: "The address to listen on.")
    var host: String = "127.0.0.1"

    @Option(name: .long, help: "The port to listen on (0: any free port, printed on start).")
    var port: Int = 8080

    @Option(name: .long, help: ArgumentHelp("The tokens file (else $THREATLEDGER_TOKENS).", valueName: "file"))
    var tokens: String?

    @Option(name: .long, help: "The largest request body accepted, in bytes (larger: 413).")
    var maxBodyBytes: Int = 4 * 1024 * 1024

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Also rebuild the projections every interval (6h, 30m); with several servers on one PostgreSQL database, one at a time.", valueName: "interval"))
    var rebuildEvery: String?

    @Option(name: .long, help: ArgumentHelp("Also rebuild the projections at the minutes of a cron expression (UTC).", valueName: "expression"))
    var rebuildCron: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Verify the log and its projections at start and every interval (1h, 30m); a failure makes /ready unready and counts in /metrics.",
            valueName: "interval"))
    var verifyEvery: String?

    @Option(name: .long, help: ArgumentHelp("With --verify-every: append each passing run's signed head to this trail.", valueName: "file"))
    var heads: String?

    @Option(
        name: .customLong("sign-with"),
        help: ArgumentHelp(
            "The private key (threatledger keygen) that signs evidence bundles (GET /v1/evidence) and, with --heads, the trail's heads.", valueName: "file"))
    var signWith: String?

    @Option(name: .long, help: ArgumentHelp("How often to look for appends made by other processes, in milliseconds.", valueName: "ms"))
    var catchUpPollMs: Int = 250

    @Option(name: .long, help: ArgumentHelp("Connections reads are spread over (SQLite; on PostgreSQL, projectors on one pool).", valueName: "n"))
    var readConnections: Int = 4

    @Option(name: .long, help: ArgumentHelp("How long a read with at_least waits for the projections before 503.", valueName: "seconds"))
    var readWaitSeconds: Int = 10

    @Flag(name: .long, help: "Serve even a log that fails verification (by default the server refuses to start on one).")
    var skipVerify = false

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    func validate() throws {
        if Logger.Level(rawValue: logLevel) == nil { throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical") }
        if !(0...65_535).contains(port) { throw ValidationError("--port must be 0 to 65535") }
        if maxBodyBytes < 1_024 { throw ValidationError("--max-body-bytes must be at least 1024") }
        if !(10...3_600_000).contains(catchUpPollMs) { throw ValidationError("--catch-up-poll-ms must be 10 to 3600000") }
        if !(1...3_600).contains(readWaitSeconds) { throw ValidationError("--read-wait-seconds must be 1 to 3600") }
        if !(1...64).contains(readConnections) { throw ValidationError("--read-connections must be 1 to 64") }
        if heads != nil, signWith == nil { throw ValidationError("--heads needs --sign-with: the key that signs the trail's heads") }
        if heads != nil, verifyEvery == nil { throw ValidationError("--heads needs --verify-every: heads are signed after each passing verification") }
    }

    func run() async throws {
        try await reportingFailures {
            let text: String
            let source: String
            if let tokens {
                guard let data = FileManager.default.contents(atPath: tokens) else { throw CommandFailure("\(tokens): cannot read the tokens file") }
                text = String(decoding: data, as: UTF8.self)
                source = tokens
            } else if let fromEnvironment = ProcessInfo.processInfo.environment["THREATLEDGER_TOKENS"], !fromEnvironment.isEmpty {
                text = fromEnvironment
                source = "THREATLEDGER_TOKENS"
            } else {
                throw CommandFailure(
                    "no tokens configured: pass --tokens FILE or set THREATLEDGER_TOKENS (make one with `threatledger token --name NAME --role ROLE`)")
            }
            let accessTokens: AccessTokens
            do throws(ServerConfigurationError) { accessTokens = try AccessTokens.parse(text, source: source) } catch {
                throw CommandFailure(error.description)
            }
            if !skipVerify {
                let report: VerificationReport
                do { report = try await log.open().verify { _ in } } catch { throw CommandFailure("cannot verify the log: \(error)") }
                if let failure = report.failure {
                    throw CommandFailure("refusing to serve a log that fails verification: \(failure); pass --skip-verify to serve it anyway")
                }
            }
            let level = Logger.Level(rawValue: logLevel)!
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
            var configuration = ServerConfiguration(
                host: host, port: port, databasePath: log.resolvedPath, tokens: accessTokens, maxBodyBytes: maxBodyBytes, logLevel: level)
            configuration.catchUpPoll = .milliseconds(catchUpPollMs)
            configuration.readWaitTimeout = .seconds(readWaitSeconds)
            configuration.readConnections = readConnections
            do throws(ScheduleError) {
                if let rebuildEvery { configuration.rebuildSchedule = try RebuildSchedule.interval(rebuildEvery) }
                if let rebuildCron { configuration.rebuildSchedule = .cron(try CronExpression(rebuildCron)) }
                if let verifyEvery { configuration.verifySchedule = try RebuildSchedule.interval(verifyEvery) }
            } catch {
                throw CommandFailure(error.description)
            }
            if let signWith {
                let key = try SignedHeadFiles.privateKey(signWith)
                configuration.evidenceKey = key
                if let heads { configuration.verificationTrail = .init(path: heads, privateKey: key) }
            }
            let host = self.host
            let databasePath = configuration.databasePath
            let app: any ApplicationProtocol
            do {
                app = try await buildApplication(configuration) { port in
                    Terminal.error("threatledger serve: listening on http://\(host):\(port) (log \(databasePath), \(accessTokens.count) token(s))")
                }
            } catch {
                throw CommandFailure("cannot start: \(error)")
            }
            let reload = TokensReload(path: tokens, registry: configuration.tokens)
            try await app.runService()
            reload.stop()
            Terminal.error("threatledger serve: stopped")
        }
    }
}
