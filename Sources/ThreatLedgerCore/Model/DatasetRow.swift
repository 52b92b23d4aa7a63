/// The conflict-dataset row a source was imported from (`dataset_row` of
/// `schemas/source-registered.v1.schema.json`): which dataset, the row's id there, and every cell of
/// the row as the file gave it. Figures imported with the row (basis `dataset`) are checked against
/// these cells, so the log itself holds what each imported figure rests on.
public struct DatasetRow: Sendable, Hashable {
    /// The datasets ThreatLedger imports.
    public enum Dataset: String, Sendable, Hashable, CaseIterable {
        case acled, ucdp

        /// The dataset's name as its publisher writes it: the outlet of every source imported from it.
        public var displayName: String {
            switch self {
            case .acled: "ACLED"
            case .ucdp: "UCDP GED"
            }
        }
    }

    public var dataset: Dataset
    /// The row's id in its dataset: ACLED's `event_id_cnty`, UCDP's `id`.
    public var rowID: String
    /// Every cell of the row, by its column, as text.
    public var fields: [String: String]

    public init(dataset: Dataset, rowID: String, fields: [String: String]) {
        self.dataset = dataset
        self.rowID = rowID
        self.fields = fields
    }

    public init(json: JSONValue?, path: String) throws(ModelDecodingError) {
        let reader = try ModelReader(json, path: path)
        var fields: [String: String] = [:]
        for (column, value) in try reader.nested("fields").object {
            guard let text = value.stringValue else { throw ModelDecodingError(path: "\(path).fields.\(column)", expected: "a string") }
            fields[column] = text
        }
        self.init(dataset: try reader.choice("dataset"), rowID: try reader.string("row_id"), fields: fields)
    }

    /// The row as the schema writes it.
    public var json: JSONValue {
        ["dataset": .string(dataset.rawValue), "row_id": .string(rowID), "fields": .object(JSONObject(fields.mapValues { .string($0) }))]
    }

    /// What is wrong with a figure of basis `dataset` against this row, if anything: each bound must
    /// be the number in the column its `datasetFields` names. What ``EvidenceCheck`` applies on every
    /// write, for the trace to apply again.
    public func problem(with figure: ClaimFigure) -> String? {
        guard let columns = figure.datasetFields else { return "the figure names no dataset column" }
        for (bound, column, coded) in [("low", columns.low, figure.low), ("high", columns.high, figure.high)] {
            guard let column else {
                if coded != nil { return "its \(bound) is \(coded!), but it names no column for it" }
                continue
            }
            switch count(in: column) {
            case .failure(let problem): return "its \(bound) names \(column), but in \(dataset.displayName) row \(rowID) \(problem)"
            case .success(let value) where value != coded:
                return "its \(bound) is \(coded.map(String.init) ?? "null"), but \(dataset.displayName) row \(rowID) gives \(column) = \(value)"
            default: continue
            }
        }
        return nil
    }

    /// What a dataset figure's bound rests on: the whole number in `column` of this row, or why not.
    public func count(in column: String) -> Result<Int64, DatasetCellProblem> {
        guard let text = fields[column] else { return .failure(.missingColumn(column)) }
        guard let count = Int64(text), count >= 0 else {
            return .failure(.notACount(column: column, text: text))
        }
        return .success(count)
    }
}

/// Why a cell of a dataset row cannot carry a figure.
public enum DatasetCellProblem: Error, Sendable, Hashable, CustomStringConvertible {
    case missingColumn(String)
    case notACount(column: String, text: String)

    public var description: String {
        switch self {
        case .missingColumn(let column): "the row has no column \(column)"
        case .notACount(let column, let text): "the row's \(column) is \"\(text)\", not a whole number of 0 or more"
        }
    }
}

/// Which dataset row a source was imported from, without its cells: what provenance, exports and
/// traces show to mark a claim as the dataset's.
public struct DatasetRowReference: Sendable, Hashable {
    public var dataset: DatasetRow.Dataset
    public var rowID: String

    public init(dataset: DatasetRow.Dataset, rowID: String) {
        self.dataset = dataset
        self.rowID = rowID
    }

    public var json: JSONValue { ["dataset": .string(dataset.rawValue), "row_id": .string(rowID)] }
}

extension DatasetRow {
    public var reference: DatasetRowReference { DatasetRowReference(dataset: dataset, rowID: rowID) }
}
