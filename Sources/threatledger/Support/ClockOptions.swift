import ArgumentParser
import ThreatLedgerCore

/// The three clocks (`--as-of`, `--reported-by`, `--occurred-by`), shared by every command that reads
/// the picture. With any of them the answer is replayed from the log, never read from today's tables.
struct ClockOptions: ParsableArguments {
    @Option(
        name: .customLong("as-of"),
        help: ArgumentHelp(
            "Record time: exactly what the log held then (YYYY-MM-DD or an ISO 8601 time, UTC unless an offset is given).",
            valueName: "time"))
    var asOf: String?

    @Option(
        name: .customLong("reported-by"),
        help: ArgumentHelp(
            "Report time: only claims of sources published by this day (whole publication range on or before it).",
            valueName: "date"))
    var reportedBy: String?

    @Option(
        name: .customLong("occurred-by"),
        help: ArgumentHelp(
            "Event time: only claims of events that happened by this day (whole date range on or before it).",
            valueName: "date"))
    var occurredBy: String?

    func validate() throws {
        _ = try clocks()
    }

    /// The clocks; a bare date for --as-of means the end of that day (UTC).
    func clocks() throws -> AuditClocks {
        var clocks = AuditClocks()
        if let asOf {
            guard let time = RecordTime(iso8601: asOf) else {
                throw ValidationError("--as-of \(asOf): not a time (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS[.ffffff]Z)")
            }
            clocks.asOf = asOf.count == 10 ? RecordTime(microsecondsSinceEpoch: time.microsecondsSinceEpoch + 86_400_000_000 - 1) : time
        }
        if let reportedBy {
            guard let day = CalendarDate(iso8601: reportedBy) else { throw ValidationError("--reported-by \(reportedBy): not a real date (YYYY-MM-DD)") }
            clocks.reportedBy = day
        }
        if let occurredBy {
            guard let day = CalendarDate(iso8601: occurredBy) else { throw ValidationError("--occurred-by \(occurredBy): not a real date (YYYY-MM-DD)") }
            clocks.occurredBy = day
        }
        return clocks
    }
}
