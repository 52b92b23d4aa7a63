import Foundation
import Synchronization
import ThreatLedgerCore
import ThreatLedgerStore

/// Imports an ACLED or UCDP GED export into a log, all or nothing per file:
///
/// 1. **Check**: the whole file is read, row by row, and every row is mapped (``ACLEDImport``,
///    ``UCDPImport``) and its two events prepared by the log (schema, domain rules, evidence, and
///    each dataset figure against its row): the checks every append applies. A row id used twice in
///    the file, or a row imported before with other content, is refused. Nothing is written.
/// 2. **Write**: the file is read again and every row appended in one transaction
///    (``EventLog/appendAllOrNothing(_:appended:)``), batch by batch.
///
/// Memory holds one batch of rows and the set of row ids seen, never the file. Rows imported before
/// with the same content append nothing (their ids derive from the row ids), so importing a file
/// twice is safe.
public struct DatasetImporter: Sendable {
    /// What an import did.
    public struct Report: Sendable {
        public var rows = 0
        /// Rows whose events the log already held, unchanged.
        public var alreadyPresent = 0
        public var appendedEvents = 0
        public var checkSeconds = 0.0
        public var writeSeconds = 0.0
        public var head: ChainHead?
    }

    public let log: any EventLog
    public let recordedBy: String
    /// Rows per batch (two events each).
    public var rowsPerBatch: Int
    public let gazetteer: Gazetteer
    /// Called now and then with a line saying how far the import is.
    public let progress: @Sendable (String) -> Void

    public init(
        log: any EventLog, recordedBy: String, rowsPerBatch: Int = 500, gazetteer: Gazetteer = .standard,
        progress: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.log = log
        self.recordedBy = recordedBy
        self.rowsPerBatch = max(1, rowsPerBatch)
        self.gazetteer = gazetteer
        self.progress = progress
    }

    /// Checks, then writes, the file at `path`.
    /// - Throws: ``DatasetFileError`` naming the file, line and column of the first bad row, or a
    ///   ``StoreError`` from the write; either way nothing was appended.
    public func importFile(_ path: String, dataset: DatasetRow.Dataset) async throws -> Report {
        var report = Report()
        let clock = ContinuousClock()
        let checkStart = clock.now
        var seen: [String: Int] = [:]
        let checking = try DatasetFile(path: path, dataset: dataset)
        // Each batch is checked while the next is read and mapped.
        var checked: Task<Int, any Error>? = nil
        defer { checked?.cancel() }
        while true {
            let batch = try readBatch(checking, seen: &seen)
            if let checked { report.alreadyPresent += try await checked.value }
            if batch.isEmpty { break }
            report.rows += batch.count
            let importer = self
            checked = Task { try await importer.check(batch, path: path) }
            if report.rows % (rowsPerBatch * 20) < batch.count { progress("checked \(report.rows) rows") }
        }
        checked = nil
        report.checkSeconds = (clock.now - checkStart).seconds
        progress("checked \(report.rows) rows in \(String(format: "%.1f", report.checkSeconds)) s; writing")

        let writeStart = clock.now
        let writing = try DatasetFile(path: path, dataset: dataset)
        let rowsPerBatch = rowsPerBatch
        let recordedBy = recordedBy
        let gazetteer = gazetteer
        let progress = progress
        let written = Counter()
        let outcome = try await log.appendAllOrNothing(
            {
                var batch: [ProposedEvent] = []
                var rows = 0
                while rows < rowsPerBatch, let record = try writing.next() {
                    batch += try Self.events(record, dataset: dataset, recordedBy: recordedBy, gazetteer: gazetteer, path: path)
                    rows += 1
                }
                return batch.isEmpty ? nil : batch
            },
            appended: { result in
                let total = written.add(result.events.count / 2)
                if total % (rowsPerBatch * 20) < result.events.count / 2 { progress("wrote \(total) rows") }
            })
        report.writeSeconds = (clock.now - writeStart).seconds
        report.appendedEvents = outcome.appended
        report.head = outcome.head
        return report
    }

    /// Up to one batch of rows, each mapped to its events; a row id seen before in the file is refused.
    private func readBatch(_ file: DatasetFile, seen: inout [String: Int]) throws -> [Row] {
        var batch: [Row] = []
        while batch.count < rowsPerBatch, let record = try file.next() {
            let events = try Self.events(record, dataset: file.dataset, recordedBy: recordedBy, gazetteer: gazetteer, path: file.path)
            let rowID = events[0].payload["dataset_row"]?["row_id"]?.stringValue ?? ""
            if let first = seen[rowID] {
                throw DatasetFileError.badRow(
                    path: file.path,
                    DatasetImport.Problem(line: record.line, column: idColumn(file.dataset), reason: "row id \(rowID) is also the id of line \(first)"))
            }
            seen[rowID] = record.line
            batch.append(Row(record: record, events: events))
        }
        return batch
    }

    /// Checks one batch as the log would append it, without appending; answers how many of its rows
    /// the log already holds unchanged.
    private func check(_ batch: [Row], path: String) async throws -> Int {
        var present = 0
        var fresh: [Row] = []
        for row in batch {
            var same = 0
            for event in row.events {
                guard let stored = try await log.event(id: event.id) else { continue }
                let storedPayload = try stored.payload()
                guard stored.stream == event.stream, CanonicalJSON.string(storedPayload) == CanonicalJSON.string(event.payload) else {
                    throw DatasetFileError.badRow(
                        path: path,
                        DatasetImport.Problem(
                            line: row.record.line, column: nil,
                            reason:
                                "this row was imported before (as \(event.stream)) with other content; ThreatLedger does not turn a dataset's revision of a row into a correction, so record the change with `threatledger correct`"
                        ))
                }
                same += 1
            }
            if same == row.events.count { present += 1 } else { fresh.append(row) }
        }
        guard !fresh.isEmpty else { return present }
        do {
            _ = try await log.prepare(fresh.flatMap(\.events))
        } catch {
            guard let index = error.eventIndex else { throw error }
            let row = fresh[index / 2]
            let what = index % 2 == 0 ? "the source" : "the claim"
            var column: String? = nil
            var rule = error.description
            if case .invalidEvent(_, _, let invalid) = error {
                column = Self.column(for: invalid.description, dataset: row.record)
                rule = invalid.description
            }
            throw DatasetFileError.badRow(
                path: path, DatasetImport.Problem(line: row.record.line, column: column, reason: "\(what) this row makes breaks a rule: \(rule)"))
        }
        return present
    }

    /// A row read from the file, with the events it makes.
    struct Row: Sendable {
        let record: DatasetImport.Record
        let events: [ProposedEvent]
    }

    /// A row's two events, or the problem naming its line and column.
    static func events(
        _ record: DatasetImport.Record, dataset: DatasetRow.Dataset, recordedBy: String, gazetteer: Gazetteer, path: String
    ) throws -> [ProposedEvent] {
        let mapped: DatasetImport.Mapped
        do throws(DatasetImport.Problem) {
            mapped =
                switch dataset {
                case .acled: try ACLEDImport.map(record, gazetteer: gazetteer)
                case .ucdp: try UCDPImport.map(record, gazetteer: gazetteer)
                }
        } catch {
            throw DatasetFileError.badRow(path: path, error)
        }
        return try DatasetImport.events(mapped, recordedBy: recordedBy)
    }

    private func idColumn(_ dataset: DatasetRow.Dataset) -> String { dataset == .acled ? "event_id_cnty" : "id" }

    /// The file's column behind a payload field a rule names, where there is one.
    static func column(for message: String, dataset record: DatasetImport.Record) -> String? {
        let acled = record.fields["event_id_cnty"] != nil || record.fields["data_id"] != nil
        let columns: [(String, String)] = [
            ("location.admin1", acled ? "admin1" : "adm_1"), ("location.place", acled ? "location" : "where_coordinates"),
            ("actors.perpetrator", acled ? "actor1" : "side_a"), ("actors.target", acled ? "actor2" : "side_b"),
            ("attribution", acled ? "source" : "source_original"), ("payload.title", "source_headline"),
            ("location.coordinates", "latitude"), ("summary", acled ? "notes" : "source_headline"),
        ]
        return columns.first { message.contains($0.0) }?.1
    }
}

/// A count shared by the write's progress callbacks.
private final class Counter: Sendable {
    private let value = Mutex(0)

    func add(_ amount: Int) -> Int {
        value.withLock {
            $0 += amount
            return $0
        }
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
