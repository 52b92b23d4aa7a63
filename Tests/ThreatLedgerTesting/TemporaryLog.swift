import Foundation
import ThreatLedgerCore
import ThreatLedgerStore

/// A fresh directory for one test, removed afterwards whatever happens.
public func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("threatledger-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try await body(directory)
}

/// A fresh SQLite log in a temporary file for one test.
public func withTemporaryLog<T>(
    clock: any RecordClock = SystemRecordClock(), _ body: (SQLiteEventLog, String) async throws -> T
) async throws -> T {
    try await withTemporaryDirectory { directory in
        let path = directory.appendingPathComponent("log.sqlite").path
        let log = try SQLiteEventLog(path: path, clock: clock)
        return try await body(log, path)
    }
}

/// The package's root folder, found from this file's path.
public let packageRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
