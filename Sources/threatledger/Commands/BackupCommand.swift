import ArgumentParser
import Foundation
import ThreatLedgerBackends
import ThreatLedgerCore
import ThreatLedgerStore

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Take a consistent, verified backup of a live log into a new SQLite file, while writers go on.",
        discussion: """
            threatledger backup --to backups/log-2026-11-26.sqlite [--sign-with head.key] [--db LOG]
            A SQLite log is copied whole (events, projections, the read index) from one read snapshot (VACUUM INTO): \
            appends continue meanwhile, and the copy holds exactly the events committed when it began. A PostgreSQL log \
            is exported as a SQLite log file (the format copy and restore read), events only, up to its head when the \
            backup began; for whole-cluster backups use pg_dump or pg_basebackup (README, operations). The copy is then \
            verified in full (chain, content, guards); one that does not verify is removed and the command fails. \
            With --sign-with, the copy's head is signed and written beside it (PATH.head.json) for restore --against.
            """
    )

    @OptionGroup var log: LogOptions

    @Option(name: .long, help: ArgumentHelp("The new backup file (never an existing one).", valueName: "path"))
    var to: String

    @Option(name: .customLong("sign-with"), help: ArgumentHelp("Sign the backup's head with this private key (threatledger keygen).", valueName: "file"))
    var signWith: String?

    func run() async throws {
        try await reportingFailures {
            if let signWith { try SigningKeyFile.checkPrivate(signWith) }
            let progress = ProgressReporter(label: "backup", total: nil)
            let report: LogBackup.Report
            do {
                report = try await LogBackup.backup(from: log.resolvedPath, to: to) { progress.update($0) }
            } catch {
                throw CommandFailure("backup: \(error)")
            }
            progress.finish()
            guard let head = report.head else {
                Terminal.print("backup \(to): an empty log (\(report.method)); verified")
                return
            }
            if let signWith {
                let signed = try await SignedHeadFiles.sign(try SQLiteEventLog(path: to, create: false), keyPath: signWith)
                try Data((CanonicalJSON.string(signed.json) + "\n").utf8).write(to: URL(fileURLWithPath: to + ".head.json"), options: .withoutOverwriting)
            }
            Terminal.print(
                "backup \(to): position \(head.position), head hash \(head.hash.hex) (\(report.method)); \(report.eventsVerified) events verified"
                    + (signWith == nil ? "" : "; signed head in \(to).head.json"))
        }
    }
}
