import ArgumentParser
import ThreatLedgerStore

/// `threatledger init`: creates an empty log where there is none. Every command that only reads
/// refuses a place with no log, so a mistyped path fails instead of answering for an empty log.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create an empty log (a SQLite file, or the tables in a PostgreSQL schema); an existing log is left as it is.",
        discussion: """
            Only init and the writing commands (ingest, append, copy --to) create a log. Every other command \
            refuses a path or database that holds no ThreatLedger log, naming it.
            """
    )

    @OptionGroup var log: LogOptions

    func run() async throws {
        try await reportingFailures {
            let backend = try await log.backend(role: "threatledger init", create: true)
            let head = try await backend.log.head()
            Terminal.print(
                head.map { "\(backend.description) already holds a log: \($0.position) event(s), head \($0.hash.hex)" }
                    ?? "\(backend.description) holds an empty log")
        }
    }
}
