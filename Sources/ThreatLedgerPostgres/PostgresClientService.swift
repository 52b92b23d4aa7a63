import ServiceLifecycle

/// The log's PostgreSQL connection pool as a `Service`, for a `ServiceGroup` (`serve`'s
/// application, `schedule`'s group) to shut down in order.
///
/// The pool starts with ``PostgresEventLog/connect(_:create:clock:validator:logger:)``, because
/// opening a log runs its migration through it before any group runs; this service is what ends
/// it. It waits for the group's graceful shutdown and then closes the pool. A group shuts its
/// services down in the reverse of their order, so listed before the HTTP server it closes the
/// pool only once the server has finished the requests in flight, never under one.
public struct PostgresClientService: Service {
    public let log: PostgresEventLog

    public init(log: PostgresEventLog) {
        self.log = log
    }

    public func run() async throws {
        // Returns at the group's graceful shutdown; throws when the group is cancelled instead.
        // Either way the pool closes.
        try? await gracefulShutdown()
        await log.close()
    }
}
