import ArgumentParser
import Foundation
import ThreatLedgerStore

/// `--db`, shared by every subcommand that opens the log.
struct LogOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The log's SQLite file. Default: $THREATLEDGER_DB, else threatledger.sqlite in the working directory.",
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

    func open() throws -> SQLiteEventLog {
        do {
            return try SQLiteEventLog(path: resolvedPath)
        } catch {
            throw CommandFailure(error.description)
        }
    }
}

/// How a listing or report is printed: tables for people, JSON and JSONL for programs.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table
    case json
    case jsonl
}
