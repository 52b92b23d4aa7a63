import Foundation
import ThreatLedgerCore
import ThreatLedgerProjections
import ThreatLedgerStore
import ThreatLedgerTesting

/// The seed corpus as events.
func seedEvents() throws -> [ProposedEvent] {
    try CorpusCompiler.compile(
        try SeedCorpusReader.read(folder: packageRoot.appendingPathComponent("seeds").path), recordedBy: "test"
    ).events
}

/// A fresh log and a projector on it.
func withLogAndProjector<T>(_ body: (SQLiteEventLog, SQLiteProjector, String) async throws -> T) async throws -> T {
    try await withTemporaryLog { log, path in
        try await body(log, try SQLiteProjector(path: path), path)
    }
}
