import Foundation
import ThreatLedgerCore
import ThreatLedgerPostgres
import ThreatLedgerStore

/// Backups of a live log and their restoration, verified on both ends.
///
/// - A SQLite log is copied with ``SQLiteEventLog/snapshot(of:into:)`` (`VACUUM INTO` from one read
///   snapshot, while writers go on): the copy is the whole file, projections included.
/// - A PostgreSQL log is exported as a SQLite log file, the format `copy` and `restore` read: its
///   events exactly (positions, record times, hashes), page by page, up to the head it had when the
///   backup began. Whole-cluster backups (`pg_dump`, `pg_basebackup`) are PostgreSQL's own (README).
///
/// Either way the copy is then opened as a log and verified in full (chain and content, and its
/// guards); a copy that does not verify is removed and the backup fails. The report names the
/// copy's head, which `head --sign-with` or `backup --sign-with` can sign for `restore --against`.
public enum LogBackup {
    /// What a backup or a restore produced.
    public struct Report: Sendable {
        /// The copy's head (nil for an empty log).
        public let head: ChainHead?
        /// Events checked by the verification of the copy.
        public let eventsVerified: Int64
        /// How the copy was made.
        public let method: String
    }

    /// Why a backup or a restore did not happen; each names the file or log and what to do.
    public enum Failure: Error, Sendable, CustomStringConvertible {
        case destinationExists(String)
        case notALog(String, reason: String)
        case doesNotVerify(String, reason: String)
        case notEmpty(String, events: Int64)
        case headMismatch(source: String, destination: String)
        case contradictsSignedHead(SignedHeadCheck.Failure)
        case signedHeadBeyondBackup(signed: Int64, backup: Int64)
        case failed(String)

        public var description: String {
            switch self {
            case .destinationExists(let path): "\(path) already exists: a backup is never written over another file; name a new one"
            case .notALog(let place, let reason): "\(place): \(reason)"
            case .doesNotVerify(let place, let reason): "\(place) does not verify: \(reason)"
            case .notEmpty(let place, let events):
                "\(place) already holds \(events) event(s): restore writes into an empty log; name a new file or an empty schema"
            case .headMismatch(let source, let destination): "head hashes differ after the copy: backup \(source), restored \(destination)"
            case .contradictsSignedHead(let failure): "the backup contradicts the signed head: \(failure)"
            case .signedHeadBeyondBackup(let signed, let backup):
                "the signed head is at position \(signed), beyond the backup's head at \(backup): the backup cannot show it holds that log's history; give a head signed when the backup was taken (backup --sign-with) or earlier"
            case .failed(let reason): reason
            }
        }
    }

    /// Takes a verified backup of the log at `location` into a new SQLite file at `path`.
    public static func backup(
        from location: String, to path: String, progress: @escaping @Sendable (Int64) -> Void = { _ in }
    ) async throws(Failure) -> Report {
        guard !FileManager.default.fileExists(atPath: path) else { throw .destinationExists(path) }
        let method: String
        // Only a file this backup made is removed on failure.
        var created = false
        do {
            if PostgresLocation.isURL(location) {
                let source = try await Backend.open(location, role: "threatledger backup").log
                let end = try await source.head()?.position ?? 0
                let copy = try SQLiteEventLog(path: path, create: true)
                created = true
                var copied: Int64 = 0
                pages: for try await page in source.pages(from: 1) {
                    let kept = page.filter { $0.position <= end }
                    if !kept.isEmpty { try await copy.importRecorded(kept) }
                    copied = kept.last?.position ?? copied
                    progress(copied)
                    if copied >= end { break pages }
                }
                method = "exported from PostgreSQL as a SQLite log, events 1–\(end)"
            } else {
                try SQLiteEventLog.snapshot(of: location, into: path)
                created = true
                method = "VACUUM INTO from one read snapshot"
            }
        } catch {
            if created { removeIfCreated(path) }
            if case .unusableDatabase(let place, let reason) = error as? StoreError, place == path {
                throw reason.contains("already exists") ? .destinationExists(path) : .failed("\(path): \(reason)")
            }
            if error is StoreError { throw .notALog(location, reason: "\(error)") }
            throw .failed("the backup of \(location) failed: \(error)")
        }
        do {
            return try await verified(path, method: method, progress: progress)
        } catch {
            removeIfCreated(path)
            throw error
        }
    }

    /// Restores the backup at `path` into the empty log at `location` (a new SQLite file or an empty
    /// PostgreSQL schema): the backup must verify, and extend `signedHead` when one is given; the
    /// restored log is verified again and must end at the backup's head hash. Projections are not
    /// copied: `rebuild` (or a server's follower) derives them from the restored events.
    public static func restore(
        from path: String, to location: String, against signedHead: SignedHead? = nil, progress: @escaping @Sendable (Int64) -> Void = { _ in }
    ) async throws(Failure) -> Report {
        let backup = try await verified(path, method: "", progress: progress)
        let source: SQLiteEventLog
        do { source = try SQLiteEventLog(path: path, create: false) } catch { throw .notALog(path, reason: "\(error)") }
        if let signedHead {
            let end = backup.head?.position ?? 0
            guard signedHead.position <= end else { throw .signedHeadBeyondBackup(signed: signedHead.position, backup: end) }
            do {
                if let failure = try await SignedHeadCheck.failure(of: source, against: signedHead) { throw Failure.contradictsSignedHead(failure) }
            } catch let failure as Failure {
                throw failure
            } catch {
                throw .failed("\(path): \(error)")
            }
        }
        let destination: any EventLog
        do {
            destination = try await Backend.open(location, role: "threatledger restore", create: true).log
        } catch {
            throw .notALog(location, reason: "\(error)")
        }
        do {
            if let held = try await destination.head()?.position { throw Failure.notEmpty(location, events: held) }
            for try await page in source.pages(from: 1) {
                try await destination.importRecorded(page)
                progress(page.last!.position)
            }
            let report = try await destination.verify { _ in }
            guard report.isValid else { throw Failure.doesNotVerify(location, reason: "\(report.failure!)") }
            let restored = try await destination.head()
            guard restored?.hash == backup.head?.hash else {
                throw Failure.headMismatch(source: backup.head?.hash.hex ?? "none", destination: restored?.hash.hex ?? "none")
            }
            return Report(head: restored, eventsVerified: report.eventsChecked, method: "events copied from \(path)")
        } catch let failure as Failure {
            throw failure
        } catch {
            throw .failed("restoring into \(location) failed: \(error)")
        }
    }

    /// Opens the copy at `path` as a log and verifies it in full, with its guards.
    static func verified(_ path: String, method: String, progress: @escaping @Sendable (Int64) -> Void) async throws(Failure) -> Report {
        let copy: SQLiteEventLog
        do { copy = try SQLiteEventLog(path: path, create: false) } catch { throw .notALog(path, reason: "\(error)") }
        do {
            let report = try await copy.verify(progress: progress)
            guard report.isValid else { throw Failure.doesNotVerify(path, reason: "\(report.failure!)") }
            let problems = try await copy.layoutProblems()
            guard problems.isEmpty else { throw Failure.doesNotVerify(path, reason: problems.joined(separator: "; ")) }
            return Report(head: report.head, eventsVerified: report.eventsChecked, method: method)
        } catch let failure as Failure {
            throw failure
        } catch {
            throw .doesNotVerify(path, reason: "\(error)")
        }
    }

    private static func removeIfCreated(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}
