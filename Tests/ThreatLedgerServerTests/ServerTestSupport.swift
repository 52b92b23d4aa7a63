import Foundation
import Logging
import ThreatLedgerCore
import ThreatLedgerServer
import ThreatLedgerStore
import ThreatLedgerTesting

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Log lines a server wrote, captured for assertions.
final class LogCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var captured: [String] = []

    var lines: [String] { lock.withLock { captured } }

    func handler(label: String) -> some LogHandler { Handler(capture: self) }

    struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            let text = "\(event.level) \(event.message) " + all.keys.sorted().map { "\($0)=\(all[$0]!)" }.joined(separator: " ")
            capture.lock.withLock { capture.captured.append(text) }
        }
    }
}

/// A running server on a free loopback port, with one token per role.
struct RunningServer: Sendable {
    let port: Int
    let databasePath: String
    let tokens: [Role: String]
    let logs: LogCapture

    var base: String { "http://127.0.0.1:\(port)" }

    struct Reply: Sendable {
        let status: Int
        let headers: [String: String]
        let body: Data
        var json: JSONValue { (try? JSONParser().parse(Array(body))) ?? .null }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// One real HTTP request over TCP.
    func send(_ method: String, _ path: String, role: Role? = nil, token: String? = nil, body: JSONValue? = nil, raw: Data? = nil) async throws -> Reply {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = method
        if let role { request.setValue("Bearer \(tokens[role]!)", forHTTPHeaderField: "Authorization") }
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body { request.httpBody = Data(CanonicalJSON.bytes(body)) }
        if let raw { request.httpBody = raw }
        if request.httpBody != nil { request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        var headers: [String: String] = [:]
        for (key, value) in http.allHeaderFields { headers[String(describing: key).lowercased()] = String(describing: value) }
        return Reply(status: http.statusCode, headers: headers, body: data)
    }

    func head() async throws -> ChainHead? { try await SQLiteEventLog(path: databasePath).head() }
}

/// Starts the real application on port 0 over a fresh log (with the seed corpus unless `seeded` is false),
/// runs `body`, then shuts it down.
func withServer(
    seeded: Bool = true, maxBodyBytes: Int = 4 * 1024 * 1024, configure: (inout ServerConfiguration) -> Void = { _ in },
    _ body: (RunningServer) async throws -> Void
) async throws {
    try await withTemporaryDirectory { directory in
        let path = directory.appendingPathComponent("log.sqlite").path
        let log = try SQLiteEventLog(path: path)
        if seeded {
            _ = try await log.append(
                try CorpusCompiler.compile(
                    try SeedCorpusReader.read(folder: packageRoot.appendingPathComponent("seeds").path), recordedBy: "test"
                ).events)
        }
        var tokens: [Role: String] = [:]
        var entries: [(name: String, role: Role, sha256: String)] = []
        for role in Role.allCases {
            let (token, _) = AccessTokens.generate(name: "test-\(role.rawValue)", role: role)
            tokens[role] = token
            entries.append(("test-\(role.rawValue)", role, SHA256Hash.of(text: token).hex))
        }
        let logs = LogCapture()
        var configuration = ServerConfiguration(
            host: "127.0.0.1", port: 0, databasePath: path, tokens: AccessTokens(entries), maxBodyBytes: maxBodyBytes)
        configure(&configuration)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = try await buildApplication(configuration, logger: Logger(label: "test", factory: logs.handler)) { port in
            continuation.yield(port)
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw CancellationError() }
            let server = RunningServer(port: port, databasePath: path, tokens: tokens, logs: logs)
            // Wait until the projections have caught up.
            for _ in 0..<200 where try await server.send("GET", "/ready").status != 200 {
                try await Task.sleep(for: .milliseconds(50))
            }
            try await body(server)
            group.cancelAll()
        }
    }
}

/// The OpenAPI contract, read with the project's own JSON parser (the file is JSON, valid YAML).
enum Contract {
    static let document: JSONValue = {
        let data = FileManager.default.contents(atPath: packageRoot.appendingPathComponent("schemas/openapi.yaml").path)!
        return try! JSONParser().parse(Array(data))
    }()

    /// Whether the contract documents `status` for `method` on the path template.
    static func documents(_ method: String, _ path: String, _ status: Int) -> Bool {
        document["paths"]?[path]?[method.lowercased()]?["responses"]?[String(status)] != nil
    }

    static var problemValidator: SchemaValidator {
        try! SchemaValidator(schemas: ["problem.json": document["components"]!["schemas"]!["ProblemDetails"]!])
    }
}
