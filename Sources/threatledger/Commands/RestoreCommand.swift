import ArgumentParser
import Foundation
import ThreatLedgerBackends
import ThreatLedgerCore

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a backup into an empty log, refusing a backup that does not verify or contradicts a signed head.",
        discussion: """
            threatledger restore --from backups/log.sqlite --db restored.sqlite [--against HEAD.json [--public-key HEX]]
            The backup is verified in full first. With --against, it must extend the signed head (hold its hash at its \
            position): a head signed when the backup was taken (backup --sign-with) or any earlier one. The events are \
            then copied exactly into the log at --db, which must be empty (a new SQLite file, or an empty PostgreSQL \
            schema), verified again, and must end at the backup's head hash. Projections are derived again from the \
            restored events: run threatledger rebuild (a server's follower also catches up by itself).
            """
    )

    @OptionGroup var log: LogOptions

    @Option(name: .long, help: ArgumentHelp("The backup file (from threatledger backup).", valueName: "path"))
    var from: String

    @Option(name: .long, help: ArgumentHelp("A signed head the backup must extend.", valueName: "file"))
    var against: String?

    @Option(name: .customLong("public-key"), help: ArgumentHelp("Trust only this Ed25519 public key (hex) for --against.", valueName: "hex"))
    var publicKey: String?

    func run() async throws {
        try await reportingFailures {
            let head = try against.map { try SignedHeadFiles.read($0, publicKey: publicKey) }
            let progress = ProgressReporter(label: "restore", total: nil)
            let report: LogBackup.Report
            do {
                report = try await LogBackup.restore(from: from, to: log.resolvedPath, against: head) { progress.update($0) }
            } catch {
                throw CommandFailure("restore: \(error)")
            }
            progress.finish()
            Terminal.print(
                "restored \(from) into \(log.resolvedPath): position \(report.head?.position ?? 0), head hash \(report.head?.hash.hex ?? "none"); \(report.eventsVerified) events verified"
                    + (head == nil ? "" : "; extends the signed head at position \(head!.position)")
                    + ". Derive the projections: threatledger rebuild")
        }
    }
}
