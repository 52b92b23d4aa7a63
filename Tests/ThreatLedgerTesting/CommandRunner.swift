import Foundation

/// The result of running a command to completion.
public struct CommandResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

/// Runs an executable with arguments and optional standard input, and waits for it.
public func runCommand(
    _ executable: URL, _ arguments: [String], stdin: Data? = nil, environment: [String: String]? = nil,
    currentDirectory: URL? = nil
) throws -> CommandResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let environment { process.environment = environment }
    if let currentDirectory { process.currentDirectoryURL = currentDirectory }
    let out = Pipe()
    let err = Pipe()
    let input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(stdin) }
    try input.fileHandleForWriting.close()
    // Read both pipes concurrently so a chatty child cannot block on a full pipe.
    let group = DispatchGroup()
    nonisolated(unsafe) var errData = Data()
    group.enter()
    DispatchQueue.global().async {
        errData = err.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return CommandResult(
        status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData, as: UTF8.self))
}

/// The built `threatledger` executable, beside the test bundle.
public var threatledgerExecutable: URL {
    var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<3 {
        let candidate = directory.appendingPathComponent("threatledger")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        directory = directory.deletingLastPathComponent()
    }
    return packageRoot.appendingPathComponent(".build/debug/threatledger")
}

/// A temporary SQLite log with the seed corpus ingested through the `threatledger` binary.
public func withIngestedSeeds(_ body: (String) throws -> Void) async throws {
    try await withTemporaryDirectory { directory in
        let db = directory.appendingPathComponent("log.sqlite").path
        let ingest = try runCommand(threatledgerExecutable, ["ingest", packageRoot.appendingPathComponent("seeds").path, "--db", db])
        guard ingest.status == 0 else { throw IngestFailed(message: ingest.stderr) }
        try body(db)
    }
}

struct IngestFailed: Error, CustomStringConvertible {
    let message: String
    var description: String { "ingesting the seeds failed: \(message)" }
}

/// Starts the `threatledger` binary and returns the running process (for tests that kill it or run
/// several at once); standard output is discarded, standard error goes to `standardError` (a
/// `FileHandle` or a `Pipe`).
public func startThreatledger(
    _ arguments: [String], standardError: Any = FileHandle.nullDevice, environment: [String: String]? = nil
) throws -> Process {
    let process = Process()
    process.executableURL = threatledgerExecutable
    process.arguments = arguments
    if let environment { process.environment = environment }
    process.standardOutput = FileHandle.nullDevice
    process.standardError = standardError
    try process.run()
    return process
}
