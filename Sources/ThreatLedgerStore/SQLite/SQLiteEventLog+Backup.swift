import CSQLite
import ThreatLedgerCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension SQLiteEventLog {
    /// Copies the log at `source` into a new file at `destination`, consistently, while writers go on.
    ///
    /// Decision: `VACUUM INTO` on a connection of its own rather than the online backup API. The
    /// backup API copies pages in steps and starts again whenever another connection writes, so
    /// under a steady stream of appends it may never finish; `VACUUM INTO` reads one snapshot in
    /// one read transaction, which WAL lets writers work beside (they are not blocked, and the copy
    /// holds exactly the events committed when it began), and writes a compact file. The copy
    /// holds everything the file does (events, projections, the read index), so a restored SQLite
    /// log serves at once.
    ///
    /// The destination is created first, empty and readable by its owner alone (0600, as a new
    /// log is); a destination that already exists is refused, so a backup never writes over
    /// another file. On failure the partial file is removed.
    /// - Throws: ``StoreError/unusableDatabase(path:reason:)`` naming the file and why.
    public static func snapshot(of source: String, into destination: String) throws(StoreError) {
        // Refuse what is not a log before making anything.
        _ = try SQLiteEventLog(path: source, create: false)
        let descriptor = open(destination, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let reason =
                errno == EEXIST ? "it already exists; a backup is never written over another file, so name a new one" : String(cString: strerror(errno))
            throw .unusableDatabase(path: destination, reason: reason)
        }
        close(descriptor)
        do {
            let connection = try SQLiteConnection(path: source, readOnly: true, create: false)
            try connection.execute("PRAGMA busy_timeout = 10000")
            let statement = try connection.statement("VACUUM INTO ?")
            statement.bind(1, destination)
            _ = try statement.step()
        } catch {
            unlink(destination)
            throw .unusableDatabase(path: destination, reason: "the copy of \(source) failed: \(error.message)")
        }
    }
}
