import CSQLite
import Foundation
import ThreatLedgerCore

/// The floor: the same rows inserted and scanned through the raw SQLite C API, with one prepared
/// statement, the same durability (WAL, synchronous=FULL), no validation and no hashing.
enum RawSQLiteFloor {
    struct Row {
        let position: Int64
        let id: String
        let stream: String
        let type: String
        let payload: String
    }

    static func rows(from events: [ProposedEvent], startingAt position: Int64) -> [Row] {
        events.enumerated().map { offset, event in
            Row(
                position: position + Int64(offset), id: event.id.rawValue, stream: event.stream.rawValue, type: event.type,
                payload: CanonicalJSON.string(event.payload))
        }
    }

    final class Database {
        var db: OpaquePointer?
        var insert: OpaquePointer?

        init(path: String) {
            sqlite3_open(path, &db)
            sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", nil, nil, nil)
            sqlite3_exec(
                db,
                """
                CREATE TABLE IF NOT EXISTS raw (position INTEGER PRIMARY KEY, event_id TEXT NOT NULL, stream TEXT NOT NULL,
                    stream_version INTEGER NOT NULL, type TEXT NOT NULL, payload TEXT NOT NULL, recorded_at INTEGER NOT NULL,
                    previous_hash BLOB NOT NULL, hash BLOB NOT NULL)
                """, nil, nil, nil)
            sqlite3_prepare_v2(db, "INSERT INTO raw VALUES (?, ?, ?, 1, ?, ?, 0, zeroblob(32), zeroblob(32))", -1, &insert, nil)
        }

        deinit {
            sqlite3_finalize(insert)
            sqlite3_close(db)
        }

        /// Inserts `rows` in one transaction; returns the seconds it took.
        func insert(_ rows: [Row]) -> Double {
            let start = ContinuousClock.now
            sqlite3_exec(db, "BEGIN", nil, nil, nil)
            let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
            for row in rows {
                sqlite3_reset(insert)
                sqlite3_bind_int64(insert, 1, row.position)
                sqlite3_bind_text(insert, 2, row.id, -1, transient)
                sqlite3_bind_text(insert, 3, row.stream, -1, transient)
                sqlite3_bind_text(insert, 4, row.type, -1, transient)
                sqlite3_bind_text(insert, 5, row.payload, -1, transient)
                sqlite3_step(insert)
            }
            sqlite3_exec(db, "COMMIT", nil, nil, nil)
            return (ContinuousClock.now - start).seconds
        }

        /// Reads every row and every column; returns (rows, seconds).
        func scan() -> (Int64, Double) {
            let start = ContinuousClock.now
            var statement: OpaquePointer?
            sqlite3_prepare_v2(
                db, "SELECT position, event_id, stream, stream_version, type, payload, recorded_at, previous_hash, hash FROM raw ORDER BY position", -1,
                &statement, nil)
            var count: Int64 = 0
            var bytes = 0
            while sqlite3_step(statement) == SQLITE_ROW {
                count += 1
                bytes &+= Int(sqlite3_column_bytes(statement, 5))
                _ = sqlite3_column_text(statement, 5)
                _ = sqlite3_column_text(statement, 1)
            }
            sqlite3_finalize(statement)
            return (count, (ContinuousClock.now - start).seconds)
        }
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
