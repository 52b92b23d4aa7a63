import HTTPTypes
import Hummingbird
import Logging
import ThreatLedgerBackends
import ThreatLedgerCore
import ThreatLedgerProjections
import ThreatLedgerStore

/// Builds the HTTP application: the command runs it, tests run it on port 0 and talk HTTP to it.
/// - Parameter onListening: called with the bound port once the server accepts connections.
public func buildApplication(
    _ configuration: ServerConfiguration, logger baseLogger: Logger? = nil,
    onListening: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    var logger = baseLogger ?? Logger(label: "threatledger.server")
    logger.logLevel = configuration.logLevel
    let backend = try await Backend.open(configuration.databasePath, role: "threatledger serve")
    let store = backend.log
    let metrics = ServerMetrics()
    let readiness = Readiness()
    // Projections are written (caught up by the follower, rebuilt on request or on schedule) through
    // a projector of their own (on SQLite, its own connection), so a catch-up's write transaction
    // never queues in front of reads, and rebuilds and catch-ups take turns within the process.
    let writer = backend.projector
    let follower = ProjectionFollower(projector: writer, poll: configuration.catchUpPoll)
    // Reads never queue in front of appends: the log the server appends through reads nothing
    // but the head.
    var readers: [ReaderPool.Reader] = []
    for _ in 0..<max(1, configuration.readConnections) { readers.append(try await backend.another("threatledger serve")) }
    let api = ThreatLedgerAPI(
        store: store, readers: ReaderPool(readers), writer: writer, follower: follower, metrics: metrics, readiness: readiness,
        configuration: configuration)

    let router = Router(context: APIRequestContext.self)
    router.addMiddleware {
        RequestLog()
        RequestMetricsMiddleware(metrics: metrics)
        UnmatchedRoutes()
        BearerAuthentication(tokens: configuration.tokens)
    }
    // The auditor's workbench (no token needed to load the page; it asks for one and sends it with
    // every API call).
    for (path, asset) in WebAssets.files {
        router.get("\(path)") { _, _ in
            Response(
                status: .ok,
                headers: [
                    .contentType: asset.contentType, .cacheControl: "no-cache",
                    HTTPField.Name("Content-Security-Policy")!: "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
                    HTTPField.Name("X-Content-Type-Options")!: "nosniff",
                ],
                body: ResponseBody(byteBuffer: ByteBuffer(string: asset.text)))
        }
    }
    for spec in APIRoutes.all {
        router.on("\(spec.path)", method: HTTPRequest.Method(spec.method)!) { request, context in
            try await api.handle(spec, request, context)
        }
    }
    // Scheduled verification reads the whole log through a log and projector of its own, so its
    // long read transaction never stands in front of reads or appends.
    var verification: [ScheduledVerification] = []
    if let schedule = configuration.verifySchedule {
        let (log, projector) = try await backend.another("threatledger serve verify")
        verification.append(
            ScheduledVerification(
                schedule: schedule, log: log, projector: projector, trail: configuration.verificationTrail, readiness: readiness, metrics: metrics,
                logger: logger))
    }
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "threatledger"),
        // The backend's own services first: a group stops its services in reverse order, so the
        // PostgreSQL pool closes after the server and the follower have stopped using it.
        services: backend.services + [ProjectionFollowing(follower: follower, readiness: readiness, metrics: metrics, logger: logger)]
            + (configuration.rebuildSchedule.map { [ScheduledRebuilds(schedule: $0, projector: writer, metrics: metrics, logger: logger)] } ?? [])
            + verification,
        onServerRunning: { channel in await onListening(channel.localAddress?.port ?? configuration.port) },
        logger: logger
    )
}
