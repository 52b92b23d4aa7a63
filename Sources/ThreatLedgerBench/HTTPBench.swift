import Foundation
import ThreatLedgerCore
import ThreatLedgerProjections
import ThreatLedgerStore

/// `--http`: the read path as users meet it. Starts the real `threatledger serve` (the binary beside
/// this one) on loopback over a log, and drives it from `clients` concurrent keep-alive
/// connections (``HTTPLoad``) with `GET /v1/summary?region=<division>` and
/// `GET /v1/trace?region=<division>&measure=killed`, while one more client appends a `ClaimRecorded`
/// (`POST /v1/claims`) every 10 ms, for a bounded count of requests.
struct HTTPBench {
    let clients: Int
    let requests: Int
    /// Milliseconds between appends; 0: no writer.
    let appendEvery: Int
    let progress: (String) -> Void

    /// The server binary: `threatledger`, built beside this benchmark.
    static var serverExecutable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("threatledger")
    }

    /// Measures the log at `path`; keys start with `label`.
    func measure(logPath path: String, label: String, events: Int) async throws -> [String: Double] {
        // Sources for the writer's claims (10,000 of them: 100 s of appends), registered before the
        // server starts; their claims are what the writer appends, one at a time.
        var generator = SyntheticLog(seed: 4_242, events: max(events, 30_000))
        generator.source = 40_000_000
        var sources: [ProposedEvent] = []
        var claims: [[UInt8]] = []
        for _ in 0..<1_000 {
            for event in generator.nextSource() {
                if event.type == "SourceRegistered" { sources.append(event) }
                if event.type == "ClaimRecorded" { claims.append(CanonicalJSON.bytes(["payload": event.payload])) }
            }
        }
        let log = try SQLiteEventLog(path: path)
        _ = try await log.append(sources)

        // The server starts warm: index and projections current, as a running server's are.
        progress("\(label): bringing the read index and projections to the head")
        let projector = try SQLiteProjector(path: path, role: "bench")
        _ = try await projector.ensureIndexCurrent(progress: { _, _ in })
        for definition in ProjectionDefinition.all { try await projector.ensureCurrent(definition) }
        let rows = try await projector.rows(.regionSummary)
        let divisions = rows.keys.filter { RegionPlace(key: $0).admin1 != nil }.sorted()
        let killed = divisions.filter { rows[$0]?["figures"]?["killed"] != nil }
        guard !divisions.isEmpty, !killed.isEmpty else { throw HTTPConnection.Failure(description: "\(label): no division with a killed figure") }
        func query(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text }
        let paths =
            divisions.map { "/v1/summary?region=\(query($0))" } + killed.map { "/v1/trace?region=\(query($0))&measure=killed" }

        let (token, entry) = try Self.makeToken()
        progress("\(label): starting threatledger serve (it verifies the log first)")
        let server = Process()
        server.executableURL = Self.serverExecutable
        server.arguments = ["serve", "--db", path, "--port", "0"]
        var environment = ProcessInfo.processInfo.environment
        environment["THREATLEDGER_TOKENS"] = "[\(entry)]"
        server.environment = environment
        let errors = Pipe()
        server.standardError = errors
        server.standardOutput = FileHandle.nullDevice
        try server.run()
        defer {
            if server.isRunning {
                kill(server.processIdentifier, SIGTERM)
                server.waitUntilExit()
            }
        }
        var port: Int?
        var seen = ""
        while port == nil {
            let chunk = errors.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw HTTPConnection.Failure(description: "the server stopped: \(seen.suffix(600))") }
            seen += String(decoding: chunk, as: UTF8.self)
            if let range = seen.range(of: "listening on http://127.0.0.1:") { port = Int(seen[range.upperBound...].prefix { $0.isNumber }) }
        }
        // The server logs every request: drained, so that a full pipe never stalls it.
        errors.fileHandleForReading.readabilityHandler = { _ = $0.availableData }
        var ready = false
        for _ in 0..<3_000 where !ready {
            ready = (try? HTTPConnection(port: port!).send(method: "GET", path: "/ready", token: token).status) == 200
            if !ready { try await Task.sleep(for: .milliseconds(200)) }
        }
        guard ready else { throw HTTPConnection.Failure(description: "\(label): the server never became ready") }

        // Each view's data, one request at a time to the idle server, before the load.
        let claimIDs = killed.prefix(200).flatMap { rows[$0]?["figures"]?["killed"]?["claim_ids"]?.arrayValue?.compactMap(\.stringValue) ?? [] }
        let sourceIDs = killed.prefix(200).flatMap { rows[$0]?["sources"]?.arrayValue?.compactMap(\.stringValue) ?? [] }
        let views = HTTPViews.views(
            divisions: killed, sources: sourceIDs.isEmpty ? ["none"] : sourceIDs, claims: claimIDs.isEmpty ? ["none"] : claimIDs,
            days: 16_436...20_086)
        progress("\(label): each view's data, one request at a time")
        let viewTimes = try HTTPViews(port: port!, token: token).measure(views, label: label, progress: progress)

        progress(
            "\(label): \(requests) requests from \(clients) clients over \(divisions.count) divisions, \(appendEvery > 0 ? "one append every \(appendEvery) ms" : "no appends")"
        )
        let load = HTTPLoad(
            port: port!, token: token, clients: clients, requests: requests, paths: paths, writePath: "/v1/claims", writes: appendEvery > 0 ? claims : [],
            writeEvery: .milliseconds(max(1, appendEvery)))
        let result = load.run()
        if let failure = result.firstFailure { progress("\(label): first failure: \(failure)") }
        progress(String(format: "%@: slowest request %.1f ms: %@", label, result.slowest.ms, result.slowest.path))
        var byRoute: [String: Double] = [:]
        for (route, name) in [("/v1/summary", "summary"), ("/v1/trace", "trace")] {
            let latencies = result.latenciesByRoute[route] ?? []
            byRoute["\(label)_\(name)_p50_ms"] = percentile(latencies, 0.5)
            byRoute["\(label)_\(name)_p99_ms"] = percentile(latencies, 0.99)
            byRoute["\(label)_\(name)_samples"] = Double(latencies.count)
        }
        return byRoute.merging(viewTimes) { $1 }.merging([
            "\(label)_requests_per_s": Double(result.ok) / result.seconds,
            "\(label)_p50_ms": percentile(result.latenciesMs, 0.5), "\(label)_p99_ms": percentile(result.latenciesMs, 0.99),
            "\(label)_samples": Double(result.latenciesMs.count), "\(label)_failed": Double(result.failed),
            "\(label)_clients": Double(clients), "\(label)_appends": Double(result.writesOK), "\(label)_appends_failed": Double(result.writesFailed),
            "\(label)_append_p50_ms": percentile(result.writeLatenciesMs, 0.5), "\(label)_append_p99_ms": percentile(result.writeLatenciesMs, 0.99),
        ]) { $1 }
    }

    /// A fresh analyst token (it reads and appends): the token, and its entry for THREATLEDGER_TOKENS.
    static func makeToken() throws -> (token: String, entry: String) {
        let process = Process()
        process.executableURL = serverExecutable
        process.arguments = ["token", "--name", "bench", "--role", "analyst"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let lines = text.split(separator: "\n")
        guard let token = lines.first(where: { $0.hasPrefix("token: ") })?.dropFirst(7),
            let entry = lines.first(where: { $0.hasPrefix("entry: ") })?.dropFirst(7)
        else { throw HTTPConnection.Failure(description: "threatledger token printed no token: \(text)") }
        return (String(token), String(entry))
    }

    /// The seed corpus ingested into a fresh log by the real binary.
    static func seedLog(seeds: String, at path: String) throws {
        let process = Process()
        process.executableURL = serverExecutable
        process.arguments = ["ingest", seeds, "--db", path]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw HTTPConnection.Failure(description: "threatledger ingest \(seeds) failed") }
    }

    /// The lines the report prints for `label`.
    static func rows(_ r: [String: Double], label: String, title: String) -> [(String, String)] {
        [
            (
                title,
                String(
                    format: "%7.0f requests/s (2xx)   p50 %6.1f ms   p99 %6.1f ms   (%.0f requests, %.0f clients, %.0f failed)",
                    r["\(label)_requests_per_s"] ?? 0, r["\(label)_p50_ms"] ?? 0, r["\(label)_p99_ms"] ?? 0, r["\(label)_samples"] ?? 0,
                    r["\(label)_clients"] ?? 0, r["\(label)_failed"] ?? 0)
            ),
            (
                "  of which GET /v1/summary",
                String(
                    format: "%7.0f requests        p50 %6.1f ms   p99 %6.1f ms", r["\(label)_summary_samples"] ?? 0, r["\(label)_summary_p50_ms"] ?? 0,
                    r["\(label)_summary_p99_ms"] ?? 0)
            ),
            (
                "  of which GET /v1/trace",
                String(
                    format: "%7.0f requests        p50 %6.1f ms   p99 %6.1f ms", r["\(label)_trace_samples"] ?? 0, r["\(label)_trace_p50_ms"] ?? 0,
                    r["\(label)_trace_p99_ms"] ?? 0)
            ),
            (
                "  meanwhile, appends every 10 ms",
                String(
                    format: "%7.0f appended   p50 %6.1f ms   p99 %6.1f ms   (%.0f failed)", r["\(label)_appends"] ?? 0, r["\(label)_append_p50_ms"] ?? 0,
                    r["\(label)_append_p99_ms"] ?? 0, r["\(label)_appends_failed"] ?? 0)
            ),
        ]
    }
}
