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

            let (server, listening, serverLog) = try Self.startServer(["serve", "--db", db, "--port", "0"], environment: environment)

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

extension ServeCommandTests {
    /// Starts `threatledger serve` and waits for its listening line: the process, its port, and its
    /// standard error as it comes.
    static func startServer(_ arguments: [String], environment: [String: String]) throws -> (Process, Int, LogBuffer) {
        let server = Process()
        server.executableURL = threatledgerExecutable
        server.arguments = arguments
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
        return (server, listening, serverLog)
    }
}

/// Tokens change without a restart: SIGHUP re-reads the tokens file.
@Suite struct TokenReloadTests {
    func token(_ arguments: [String]) throws -> String {
        let made = try runCommand(threatledgerExecutable, ["token"] + arguments)
        #expect(made.status == 0, "\(made.stderr)")
        return String(try #require(made.stdout.split(separator: "\n").first { $0.hasPrefix("token: ") }).dropFirst(7))
    }

    func status(_ port: Int, _ token: String) async throws -> (Int, String) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/v1/sources?limit=1")!)
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    func waitFor(_ text: String, in log: LogBuffer, after count: Int) async throws {
        for _ in 0..<600 where log.text.components(separatedBy: text).count - 1 <= count { try await Task.sleep(for: .milliseconds(50)) }
        #expect(log.text.components(separatedBy: text).count - 1 > count, "no \"\(text)\" in: \(log.text)")
    }

    @Test func sighupRereadsTheTokensFileKeepingTheOldTokensWhenItDoesNotParse() async throws {
        try await withTemporaryDirectory { directory in
            let db = directory.appendingPathComponent("log.sqlite").path
            #expect(try runCommand(threatledgerExecutable, ["ingest", packageRoot.appendingPathComponent("seeds").path, "--db", db]).status == 0)
            let file = directory.appendingPathComponent("tokens.json").path
            let alice = try token(["--name", "alice", "--role", "auditor", "--tokens", file])
            let old = try token(["--name", "old", "--role", "auditor", "--expires", "2020-01-01", "--tokens", file])
            var environment = ProcessInfo.processInfo.environment
            environment.removeValue(forKey: "THREATLEDGER_TOKENS")
            let (server, port, log) = try ServeCommandTests.startServer(["serve", "--db", db, "--port", "0", "--tokens", file], environment: environment)
            defer { if server.isRunning { server.terminate() } }

            // Reads answer once the projections have caught up.
            for _ in 0..<600 {
                let (_, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/ready")!)
                if (response as? HTTPURLResponse)?.statusCode == 200 { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            let first = try await status(port, alice)
            #expect(first.0 == 200, "\(first.1)")
            let expired = try await status(port, old)
            #expect(expired.0 == 401 && expired.1.contains("expired at 2020-01-01T00:00:00.000000Z"), "\(expired)")
            // A new token works only once the server has re-read the file; a revoked one stops then.
            let bob = try token(["--name", "bob", "--role", "auditor", "--tokens", file])
            #expect(try await status(port, bob).0 == 401)
            #expect(try runCommand(threatledgerExecutable, ["token", "--revoke", "alice", "--tokens", file]).status == 0)
            kill(server.processIdentifier, SIGHUP)
            try await waitFor("tokens reloaded from \(file): 2 token(s) in force", in: log, after: 0)
            #expect(try await status(port, alice).0 == 401)
            #expect(try await status(port, bob).0 == 200)
            // A file that does not parse is not taken: the tokens in force stay.
            try "[{\"name\": \"eve\"}]".write(toFile: file, atomically: true, encoding: .utf8)
            kill(server.processIdentifier, SIGHUP)
            try await waitFor("tokens not reloaded", in: log, after: 0)
            #expect(log.text.contains("keeping the 2 token(s) in force"), "\(log.text)")
            #expect(try await status(port, bob).0 == 200)
            kill(server.processIdentifier, SIGTERM)
            server.waitUntilExit()
            #expect(server.terminationStatus == 0)
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
