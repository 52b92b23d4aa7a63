import CSV
import Foundation
import Synchronization
import ThreatLedgerCore

/// A dataset export (CSV with a header row) read one row at a time with yaslab/CSV.swift, so a file
/// of any size is read in bounded memory. Each row comes with the line it starts on: line 1 is the
/// header, and a row whose cells hold line breaks (ACLED's `notes` may) moves the next row down.
public final class DatasetFile: Sendable {
    public let path: String
    public let dataset: DatasetRow.Dataset
    /// The header's columns, in order (a UTF-8 byte order mark before the first is dropped).
    public let columns: [String]
    private let state: Mutex<State>

    private struct State: ~Copyable {
        var reader: CSVReader
        var nextLine = 2
    }

    /// Opens `path` and reads its header.
    /// - Throws: ``DatasetFileError`` when the file cannot be read or its header lacks a column the
    ///   dataset's rows need.
    public init(path: String, dataset: DatasetRow.Dataset) throws(DatasetFileError) {
        self.path = path
        self.dataset = dataset
        guard let stream = InputStream(fileAtPath: path), FileManager.default.isReadableFile(atPath: path) else {
            throw .unreadable(path: path, reason: "cannot read the file")
        }
        let reader: CSVReader
        do {
            reader = try CSVReader(stream: stream, hasHeaderRow: true)
        } catch {
            throw .unreadable(path: path, reason: "\(error)")
        }
        var columns = reader.headerRow ?? []
        if let first = columns.first, first.hasPrefix("\u{FEFF}") { columns[0] = String(first.dropFirst()) }
        columns = columns.map { $0.trimmingCharacters(in: .whitespaces) }
        self.columns = columns
        let missing =
            switch dataset {
            case .acled: ACLEDImport.headerProblem(columns)
            case .ucdp: UCDPImport.headerProblem(columns)
            }
        if let missing { throw .badRow(path: path, DatasetImport.Problem(line: 1, column: nil, reason: missing)) }
        if let repeated = Dictionary(grouping: columns, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
            throw .badRow(path: path, DatasetImport.Problem(line: 1, column: repeated, reason: "the header names this column twice"))
        }
        state = Mutex(State(reader: reader))
    }

    /// The next row, or nil at the end of the file. A blank line is skipped.
    /// - Throws: ``DatasetFileError`` for a row with more cells than the header or a file that stops
    ///   being readable CSV.
    public func next() throws(DatasetFileError) -> DatasetImport.Record? {
        let columns = columns
        let path = path
        return try state.withLock { state throws(DatasetFileError) -> DatasetImport.Record? in
            while true {
                guard let cells = state.reader.next() else {
                    // CSV.swift reports the end of the stream as cannotReadFile: that is the end, not an error.
                    if let error = state.reader.error, !(error is CSVError && "\(error)" == "cannotReadFile") {
                        let reason = "\(error)" == "unicodeDecoding" ? "is not valid UTF-8" : "\(error)"
                        throw .unreadable(path: path, reason: "after line \(state.nextLine - 1): \(reason)")
                    }
                    return nil
                }
                let line = state.nextLine
                state.nextLine += 1 + cells.reduce(0) { $0 + $1.unicodeScalars.reduce(0) { $1 == "\n" ? $0 + 1 : $0 } }
                if cells.count == 1 && cells[0].isEmpty { continue }
                guard cells.count <= columns.count else {
                    throw .badRow(
                        path: path,
                        DatasetImport.Problem(line: line, column: nil, reason: "has \(cells.count) cells, but the header names \(columns.count) columns"))
                }
                var fields: [String: String] = [:]
                for (index, column) in columns.enumerated() { fields[column] = index < cells.count ? cells[index] : "" }
                return DatasetImport.Record(line: line, fields: fields)
            }
        }
    }
}

/// Why a dataset file cannot be imported, naming the file and, for a row, its line and column.
public enum DatasetFileError: Error, Sendable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case badRow(path: String, DatasetImport.Problem)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "\(path): \(reason)"
        case .badRow(let path, let problem): "\(path): \(problem)"
        }
    }
}
