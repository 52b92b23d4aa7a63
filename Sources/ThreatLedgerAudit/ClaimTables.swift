import CSV
import Foundation
import ThreatLedgerCore

/// The claims export as a table: ThreatLedger's own CSV columns, or the columns of ACLED's or UCDP
/// GED's exports (``ACLEDExport``, ``UCDPExport``) followed by ThreatLedger's own. The command line
/// (`claims --format csv|acled|ucdp`) and the API (`GET /v1/claims?format=…`) write the same bytes
/// through it, with the CSV.swift library (RFC 4180: a field holding a comma, a quote or a line
/// break is quoted, its quotes doubled).
public enum ClaimTables {
    public enum Format: String, Sendable, CaseIterable {
        case csv, acled, ucdp
    }

    public static func header(_ format: Format) -> [String] {
        switch format {
        case .csv: ClaimCSV.header
        case .acled: ACLEDExport.header
        case .ucdp: UCDPExport.header
        }
    }

    public static func row(_ record: ClaimExportRecord, _ format: Format) -> [String] {
        switch format {
        case .csv: ClaimCSV.row(record)
        case .acled: ACLEDExport.row(record)
        case .ucdp: UCDPExport.row(record)
        }
    }

    /// The header and one row per record, as CSV text ending in a line break.
    public static func csv(_ records: [ClaimExportRecord], _ format: Format) throws -> String {
        let stream = OutputStream(toMemory: ())
        let writer = try CSVWriter(stream: stream)
        try writer.write(row: header(format))
        for record in records { try writer.write(row: row(record, format)) }
        stream.close()
        guard let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data else { return "" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
