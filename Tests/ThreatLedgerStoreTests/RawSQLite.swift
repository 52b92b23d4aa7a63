import CSQLite

/// Direct access to a log file behind ThreatLedger's back, as a tamperer would have it.
func rawSQL(_ path: String, _ sql: String) throws {
    var db: OpaquePointer?
    guard sqlite3_open(path, &db) == SQLITE_OK else { throw RawSQLiteError(message: "cannot open \(path)") }
    defer { sqlite3_close(db) }
    sqlite3_busy_timeout(db, 5_000)
    var message: UnsafeMutablePointer<CChar>?
    if sqlite3_exec(db, sql, nil, nil, &message) != SQLITE_OK {
        let text = message.map { String(cString: $0) } ?? "?"
        sqlite3_free(message)
        throw RawSQLiteError(message: text)
    }
}

/// The first column of the first row of `sql`, as text.
func rawScalar(_ path: String, _ sql: String) throws -> String? {
    var db: OpaquePointer?
    guard sqlite3_open(path, &db) == SQLITE_OK else { throw RawSQLiteError(message: "cannot open \(path)") }
    defer { sqlite3_close(db) }
    var statement: OpaquePointer?
    guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK else {
        throw RawSQLiteError(message: String(cString: sqlite3_errmsg(db)))
    }
    defer { sqlite3_finalize(statement) }
    guard sqlite3_step(statement) == SQLITE_ROW, let text = sqlite3_column_text(statement, 0) else { return nil }
    return String(cString: text)
}

struct RawSQLiteError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
