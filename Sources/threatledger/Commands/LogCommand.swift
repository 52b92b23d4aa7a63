import ArgumentParser
import ThreatLedgerCore
import ThreatLedgerStore

struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "List the events of the log, or of one stream, in order.",
        discussion: "Reads page by page, so memory stays bounded on a log of any length."
    )

    @OptionGroup var log: LogOptions

    @Option(name: .long, help: "Start at this global position (or stream version, with --stream).")
    var from: Int64 = 1

    @Option(name: .long, help: "Only this stream (source-…, claim-…, incident-…).")
    var stream: String?

    @Option(name: .long, help: "At most this many events.")
    var limit: Int?

    @Option(name: .long, help: "Output format: table, json or jsonl (one envelope per line, with hashes).")
    var format: OutputFormat = .table

    func validate() throws {
        if from < 1 { throw ValidationError("--from must be 1 or more") }
        if let limit, limit < 1 { throw ValidationError("--limit must be 1 or more") }
    }

    func run() async throws {
        try await reportingFailures {
            let store = try await log.open()
            var table = TextTable("position", "recorded_at", "stream", "version", "type", "recorded_by", "hash")
            var printed = 0
            var first = true
            if format == .json { Terminal.print("[") }
            func emit(_ event: RecordedEvent) throws {
                switch format {
                case .table:
                    table.add(
                        String(event.position), event.recordedAt.iso8601, event.stream.rawValue,
                        String(event.streamVersion), event.type, event.metadata.recordedBy,
                        String(event.hash.hex.prefix(16)))
                case .jsonl, .json:
                    let line = CanonicalJSON.string(try event.envelopeJSON())
                    Terminal.print(format == .json ? (first ? "  " : ", ") + line : line)
                    first = false
                }
            }
            if let stream {
                let name: StreamName
                do { name = try StreamName(stream) } catch { throw CommandFailure("--stream: \(error)") }
                var version = from
                pageLoop: while true {
                    let page = try await store.readStream(name, fromVersion: version, limit: 1_000)
                    for event in page {
                        if let limit, printed >= limit { break pageLoop }
                        try emit(event)
                        printed += 1
                    }
                    guard page.count == 1_000, let last = page.last else { break }
                    version = last.streamVersion + 1
                }
            } else {
                pageLoop: for try await page in store.pages(from: from) {
                    for event in page {
                        if let limit, printed >= limit { break pageLoop }
                        try emit(event)
                        printed += 1
                    }
                    if format == .table && table.rows.count >= 10_000 {
                        Terminal.print(table.render())
                        table.rows.removeAll()
                    }
                }
            }
            switch format {
            case .table: Terminal.print(printed == 0 ? "no events" : table.render())
            case .json: Terminal.print("]")
            case .jsonl: break
            }
        }
    }
}
