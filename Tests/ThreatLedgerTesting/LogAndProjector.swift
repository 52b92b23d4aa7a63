import Foundation
import ThreatLedgerCore
import ThreatLedgerProjections
import ThreatLedgerStore

/// A fresh log and a projector on it.
public func withLogAndProjector<T>(_ body: (SQLiteEventLog, SQLiteProjector, String) async throws -> T) async throws -> T {
    try await withTemporaryLog { log, path in
        try await body(log, try SQLiteProjector(path: path), path)
    }
}
