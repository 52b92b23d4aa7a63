import ArgumentParser
import Foundation
import ThreatLedgerBackends
import ThreatLedgerCore
import ThreatLedgerProjections
import ThreatLedgerStore

/// `--db`, shared by every subcommand that opens the log.
struct LogOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The log: a SQLite file, or postgres://user@host:port/database[?schema=name]. Default: $THREATLEDGER_DB, else threatledger.sqlite here.",
            valueName: "path"))
    var db: String?

    /// The path in force: the option, then the environment, then the default.
    var resolvedPath: String {
        if let db, !db.isEmpty { return db }
        if let fromEnvironment = ProcessInfo.processInfo.environment["THREATLEDGER_DB"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return "threatledger.sqlite"
    }

    /// The log (a SQLite file, or PostgreSQL for a `postgres://` URL) and its projector.
    /// - Parameter create: only writing commands create a log where there is none.
    func backend(role: String = "threatledger", create: Bool = false) async throws -> Backend {
        do {
            return try await Backend.open(resolvedPath, role: role, create: create)
        } catch {
            throw CommandFailure("\(error)")
        }
    }

    /// The log; `create` only for writing commands (`init`, `ingest`, `append`).
    func open(create: Bool = false) async throws -> any EventLog {
        try await backend(create: create).log
    }
}

/// How a listing or report is printed: tables for people, JSON and JSONL for programs.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table
    case json
    case jsonl
}

/// `--kind attack`: the claim kinds the schema lists, checked (and listed in `--help`) by the parser.
extension CodedClaim.Kind: ExpressibleByArgument {}
