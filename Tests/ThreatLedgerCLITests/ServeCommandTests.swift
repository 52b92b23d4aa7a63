import Foundation
import Testing
import ThreatLedgerCore
import ThreatLedgerStore
import ThreatLedgerTesting

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `threatledger serve` as operators run it: the real binary, real HTTP, real signals.
@Suite struct ServeCommandTests {
    @Test func serveRefusesToStartWithoutTokens() async throws {
        try await withTemporaryDirectory { directory in
            var environment = ProcessInfo.processInfo.environment
            environment["THREATLEDGER_TOKENS"] = nil
            let result = try runCommand(
                threatledgerExecutable, ["serve", "--db", directory.appendingPathComponent("l.sqlite").path, "--port", "0"], environment: environment)
            #expect(result.status == 1)
            #expect(result.stderr.contains("no tokens configured"))
        }
    }

    @Test func sigtermLetsARequestInFlightFinishAndExitsCleanly() async throws {
        try await withTemporaryDirectory { directory in
            let db = directory.appendingPathComponent("log.sqlite").path
            let log = try SQLiteEventLog(path: db)
            for batch in GeneratedLog.batches(seed: 11, sources: 200, claimsPerSource: 10, batchSize: 500) { _ = try await log.append(batch) }
            let made = try runCommand(threatledgerExecutable, ["token", "--name", "ops", "--role", "operator"])
            let token = try #require(made.stdout.split(separator: "\n").first { $0.hasPrefix("token: ") }).dropFirst(7)
            let entry = try #require(made.stdout.split(separator: "\n").first { $0.hasPrefix("entry: ") }).dropFirst(7)
            var environment = ProcessInfo.processInfo.environment
            environment["THREATLEDGER_TOKENS"] = "[\(entry)]"

            let server = Process()
            server.executableURL = threatledgerExecutable
            server.arguments = ["serve", "--db", db, "--port", "0"]
            server.environment = environment
            let errors = Pipe()
            server.standardError = errors
            server.standardOutput = FileHandle.nullDevice
            try server.run()
            var port: Int?
            var seen = ""
            while port == nil {
                let chunk = errors.fileHandleForReading.availableData
                guard !chunk.isEmpty else { break }
                seen += String(decoding: chunk, as: UTF8.self)
                if let range = seen.range(of: "listening on http://127.0.0.1:") {
                    port = Int(seen[range.upperBound...].prefix { $0.isNumber })
                }
            }
            let listening = try #require(port, "no listening line: \(seen)")
            let serverLog = LogBuffer()
            errors.fileHandleForReading.readabilityHandler = { serverLog.append($0.availableData) }

            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(listening)/v1/rebuilds")!)
            request.httpMethod = "POST"
            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
            request.timeoutInterval = 120
            let inFlight = Task { try await URLSession.shared.data(for: request) }
            // SIGTERM only once the server has logged the request: it is then truly in flight.
            for _ in 0..<600 where !serverLog.text.contains("hb.request.path=/v1/rebuilds") {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(serverLog.text.contains("hb.request.path=/v1/rebuilds"), "the request never reached the server")
            kill(server.processIdentifier, SIGTERM)
            let (data, response) = try await inFlight.value
            #expect((response as? HTTPURLResponse)?.statusCode == 200, "\(String(decoding: data, as: UTF8.self))")
            server.waitUntilExit()
            #expect(server.terminationReason == .exit && server.terminationStatus == 0)
            let rebuilds = try runCommand(threatledgerExecutable, ["rebuilds", "--db", db, "--format", "json"])
            let records = try JSONParser().parse(rebuilds.stdout).arrayValue ?? []
            #expect(records.contains { $0["holder"]?.stringValue?.hasPrefix("threatledger serve") == true && $0["projection"] == "source-provenance" })
        }
    }
}

/// Standard error of a child process, gathered as it comes.
final class LogBuffer: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    func append(_ chunk: Data) { lock.withLock { data.append(chunk) } }
    var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
}
