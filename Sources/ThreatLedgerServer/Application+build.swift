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
    let projector = backend.projector
    let metrics = ServerMetrics()
    let readiness = Readiness()
    let api = ThreatLedgerAPI(store: store, projector: projector, metrics: metrics, readiness: readiness, configuration: configuration)

    let router = Router(context: APIRequestContext.self)
    router.addMiddleware {
        RequestLog()
        RequestMetricsMiddleware(metrics: metrics)
        UnmatchedRoutes()
        BearerAuthentication(tokens: configuration.tokens)
    }
    for spec in APIRoutes.all {
        router.on("\(spec.path)", method: HTTPRequest.Method(spec.method)!) { request, context in
            try await api.handle(spec, request, context)
        }
    }
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "threatledger"),
        services: [ProjectionWarmUp(projector: projector, readiness: readiness, logger: logger)]
            + (configuration.rebuildSchedule.map { [ScheduledRebuilds(schedule: $0, projector: projector, metrics: metrics, logger: logger)] } ?? []),
        onServerRunning: { channel in await onListening(channel.localAddress?.port ?? configuration.port) },
        logger: logger
    )
}
