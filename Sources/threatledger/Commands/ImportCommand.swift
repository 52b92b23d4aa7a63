import ArgumentParser
import Foundation
import ThreatLedgerAudit
import ThreatLedgerCore
import ThreatLedgerStore

/// `acled` or `ucdp`, checked by the parser.
extension DatasetRow.Dataset: ExpressibleByArgument {}

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import an ACLED or UCDP GED export (CSV) as sources and claims, all or nothing.",
        discussion: """
            Each row becomes a source whose text is the row's own words (ACLED: notes; UCDP: source_headline and
            source_original), published at the row's date, with the dataset as its outlet and every cell of the row
            kept in the log; and a claim quoting that text, with the dataset's date, place, actors and figures.
            The figures have basis "dataset": each is the dataset's own field (ACLED fatalities; UCDP low and high,
            or best), checked against the row rather than against words, and shown as such by trace and provenance.

            The whole file is checked first (every rule an append applies); a bad row stops the import with its
            file, line and column, and nothing is written. Then every row is written in one transaction. Ids
            derive from the dataset's row ids, so importing the same file again appends nothing. Reads ACLED's
            current columns and its older ones (data_id, event_id_no_cnty, ally_actor_1, gwno), and UCDP GED's.
            Large files are read row by row in bounded memory, with progress on standard error.
            schemas/dataset-exports.md gives every column's mapping.
            """
    )

    @OptionGroup var log: LogOptions

    @Argument(help: ArgumentHelp("The dataset the file was exported from.", valueName: "acled|ucdp"))
    var dataset: DatasetRow.Dataset

    @Argument(help: ArgumentHelp("The CSV file, with its header row.", valueName: "file"))
    var file: String

    @Option(name: .long, help: ArgumentHelp("Who records the imported events.", valueName: "name"))
    var by: String = "threatledger import"

    @Option(name: .long, help: ArgumentHelp("Rows per batch inside the one transaction.", valueName: "n"))
    var batchRows: Int = 500

    @Option(name: .long, help: "Output format: table or json.")
    var format: OutputFormat = .table

    func run() async throws {
        try await reportingFailures {
            guard batchRows > 0 else { throw CommandFailure("--batch-rows must be at least 1") }
            if let problem = FreeText.problem(by, multiLine: false) { throw CommandFailure("--by: \(problem)") }
            let store = try await log.open(create: true)
            let importer = DatasetImporter(
                log: store, recordedBy: by, rowsPerBatch: batchRows, progress: { Terminal.error("import: \($0)") })
            let report: DatasetImporter.Report
            do {
                report = try await importer.importFile(file, dataset: dataset)
            } catch let error as DatasetFileError {
                throw CommandFailure("\(error); nothing was imported")
            } catch let error as StoreError {
                throw CommandFailure("\(file): \(error); nothing was imported")
            }
            let seconds = report.checkSeconds + report.writeSeconds
            let rowsPerSecond = seconds > 0 ? Double(report.rows) / seconds : 0
            let peak = PeakMemory.megabytes()
            switch format {
            case .json, .jsonl:
                Terminal.print(
                    CanonicalJSON.string([
                        "dataset": .string(dataset.rawValue), "file": .string(file), "rows": .number(Double(report.rows)),
                        "already_present": .number(Double(report.alreadyPresent)), "appended_events": .number(Double(report.appendedEvents)),
                        "check_seconds": .number(report.checkSeconds), "write_seconds": .number(report.writeSeconds),
                        "rows_per_second": .number(rowsPerSecond.rounded()), "peak_rss_mb": .number(peak.rounded()),
                        "head": report.head.map { ["position": .number(Double($0.position)), "hash": .string($0.hash.hex)] } ?? .null,
                    ]))
            case .table:
                Terminal.print(
                    "imported \(report.rows) \(dataset.displayName) row(s) from \(file): \(report.appendedEvents) event(s) appended"
                        + (report.alreadyPresent > 0 ? ", \(report.alreadyPresent) row(s) already in the log" : ""))
                Terminal.print(
                    String(
                        format: "checked in %.1f s, written in %.1f s: %.0f rows/s; peak resident memory %.0f MB", report.checkSeconds,
                        report.writeSeconds, rowsPerSecond, peak))
                if let head = report.head { Terminal.print("head: position \(head.position), hash \(head.hash.hex)") }
            }
        }
    }
}

/// This process's peak resident memory (VmHWM from /proc/self/status), in MB; 0 where unknown.
enum PeakMemory {
    static func megabytes() -> Double {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let kilobytes =
            status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }
            .flatMap { Double($0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") } ?? 0
        return kilobytes / 1024
    }
}
