import CSQLite
import Foundation
import ThreatLedgerCore
import ThreatLedgerStore

/// `--id-cost`: what the log's event ids cost SQLite per row, measured before deciding whether to
/// store them as 16-byte blobs (issue 20's "compact ids"). The same generated rows are inserted, batch
/// by batch in turn, into five tables with the floor's durability (WAL, `synchronous=FULL`) and the
/// log's page cache (64 MiB):
///
/// - `floor`: the raw floor (no index but the position);
/// - `text ids`: plus the log's two unique indexes, the event id as its 36-character text (today's
///   layout) and (stream, stream version);
/// - `blob ids`: the same with the id as 16 bytes;
/// - `ordered ids`: the same as `text ids` with time-ordered ids in place of the generator's, as
///   ``EventID/random()`` mints them (``SyntheticLog/mintedID(number:random:)``), to tell the
///   index's scatter apart from its size;
/// - `text id index only` and `stream index only`: one of the two indexes each, to tell their costs apart.
///
/// Each batch (`--id-cost-batch`, 1,000 by default) is one transaction, with the log's checkpoint
/// interval for a batch of its size (``SQLiteEventLog/checkpointInterval(forBatchOf:)``). It
/// prints rows/s and µs per row for each and the cost per row of the first and the last tenth of
/// the batches, so how it grows with N shows too.
enum IDCost {
    enum Variant: String, CaseIterable {
        case floor
        case textIDs = "text ids"
        case blobIDs = "blob ids"
        case orderedIDs = "ordered ids"
        case textIDOnly = "text id index only"
        case streamOnly = "stream index only"

        var createSQL: String {
            let id = self == .blobIDs ? "BLOB" : "TEXT"
            let unique =
                switch self {
                case .floor: ""
                case .textIDs, .blobIDs, .orderedIDs: ", UNIQUE (event_id), UNIQUE (stream, stream_version)"
                case .textIDOnly: ", UNIQUE (event_id)"
                case .streamOnly: ", UNIQUE (stream, stream_version)"
                }
            return """
                CREATE TABLE raw (position INTEGER PRIMARY KEY, event_id \(id) NOT NULL, stream TEXT NOT NULL,
                    stream_version INTEGER NOT NULL, type TEXT NOT NULL, payload TEXT NOT NULL, recorded_at INTEGER NOT NULL,
                    previous_hash BLOB NOT NULL, hash BLOB NOT NULL\(unique))
                """
        }
    }

    static func run(events total: Int, batch: Int, directory: URL, progress: (String) -> Void) throws -> JSONValue {
        let root = directory.appendingPathComponent("threatledger-id-cost-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        var databases: [OpaquePointer?] = []
        var statements: [OpaquePointer?] = []
        for variant in Variant.allCases {
            var db: OpaquePointer?
            sqlite3_open(root.appendingPathComponent(variant.rawValue.replacingOccurrences(of: " ", with: "-") + ".sqlite").path, &db)
            sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-65536;", nil, nil, nil)
            sqlite3_exec(db, "PRAGMA wal_autocheckpoint=\(SQLiteEventLog.checkpointInterval(forBatchOf: batch))", nil, nil, nil)
            sqlite3_exec(db, variant.createSQL, nil, nil, nil)
            var insert: OpaquePointer?
            sqlite3_prepare_v2(db, "INSERT INTO raw VALUES (?, ?, ?, ?, ?, ?, 0, zeroblob(32), zeroblob(32))", -1, &insert, nil)
            databases.append(db)
            statements.append(insert)
        }
        defer {
            for (db, statement) in zip(databases, statements) {
                sqlite3_finalize(statement)
                sqlite3_close(db)
            }
        }
        var generator = SyntheticLog(seed: 42, events: total)
        var seconds = [Double](repeating: 0, count: Variant.allCases.count)
        var batchSeconds: [[Double]] = Array(repeating: [], count: Variant.allCases.count)
        var versions: [String: Int64] = [:]
        var randomBits = SplitMix64(seed: 7)
        var inserted = 0
        let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
        while inserted < total {
            let events = generator.next(min(batch, total - inserted))
            let rows = events.enumerated().map { offset, event -> (Int64, EventID, EventID, String, Int64, String, String) in
                let version = (versions[event.stream.rawValue] ?? 0) + 1
                versions[event.stream.rawValue] = version
                let position = Int64(inserted + offset + 1)
                let ordered = SyntheticLog.mintedID(number: UInt64(position), random: randomBits.next())
                return (position, event.id, ordered, event.stream.rawValue, version, event.type, CanonicalJSON.string(event.payload))
            }
            // The tables in a turn that moves with each batch, so the machine's drift falls on all alike.
            for step in 0..<Variant.allCases.count {
                let which = (step + inserted / batch) % Variant.allCases.count
                let (db, insert) = (databases[which], statements[which])
                let start = ContinuousClock.now
                sqlite3_exec(db, "BEGIN", nil, nil, nil)
                for (position, id, ordered, stream, version, type, payload) in rows {
                    sqlite3_reset(insert)
                    sqlite3_bind_int64(insert, 1, position)
                    if Variant.allCases[which] == .blobIDs {
                        var uuid = UUID(uuidString: id.rawValue)!.uuid
                        _ = withUnsafeBytes(of: &uuid) { sqlite3_bind_blob(insert, 2, $0.baseAddress, 16, transient) }
                    } else if Variant.allCases[which] == .orderedIDs {
                        sqlite3_bind_text(insert, 2, ordered.rawValue, -1, transient)
                    } else {
                        sqlite3_bind_text(insert, 2, id.rawValue, -1, transient)
                    }
                    sqlite3_bind_text(insert, 3, stream, -1, transient)
                    sqlite3_bind_int64(insert, 4, version)
                    sqlite3_bind_text(insert, 5, type, -1, transient)
                    sqlite3_bind_text(insert, 6, payload, -1, transient)
                    guard sqlite3_step(insert) == SQLITE_DONE else {
                        throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: sqlite3_errmsg(db))])
                    }
                }
                sqlite3_exec(db, "COMMIT", nil, nil, nil)
                let elapsed = (ContinuousClock.now - start).seconds
                seconds[which] += elapsed
                batchSeconds[which].append(elapsed / Double(rows.count))
            }
            inserted += rows.count
            if inserted % 100_000 < rows.count { progress("  \(inserted)/\(total) rows in each table") }
        }
        var results: [String: JSONValue] = ["rows": .number(Double(total)), "batch": .number(Double(batch))]
        for (index, variant) in Variant.allCases.enumerated() {
            let key = variant.rawValue.replacingOccurrences(of: " ", with: "_")
            let tenth = max(batchSeconds[index].count / 10, 1)
            let first = batchSeconds[index].prefix(tenth).reduce(0, +) / Double(tenth)
            let last = batchSeconds[index].suffix(tenth).reduce(0, +) / Double(tenth)
            results[key + "_rows_per_s"] = .number((Double(total) / seconds[index]).rounded())
            results[key + "_us_per_row"] = .number((seconds[index] / Double(total) * 1e7).rounded() / 10)
            results[key + "_first_tenth_us_per_row"] = .number((first * 1e7).rounded() / 10)
            results[key + "_last_tenth_us_per_row"] = .number((last * 1e7).rounded() / 10)
        }
        return .object(results)
    }
}
