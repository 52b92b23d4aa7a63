import ArgumentParser
import ThreatLedgerCore
import ThreatLedgerStore

struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Count the log's events by type and stream, and show its head."
    )

    @OptionGroup var log: LogOptions

    @Option(name: .long, help: "Output format: table or json.")
    var format: OutputFormat = .table

    func run() async throws {
        try await reportingFailures {
            let store = try await log.open()
            let stats: LogStatistics
            do throws(StoreError) { stats = try await store.statistics() } catch { throw CommandFailure(error.description) }
            switch format {
            case .table:
                var table = TextTable("type", "events")
                for type in stats.countsByType.keys.sorted() { table.add(type, String(stats.countsByType[type]!)) }
                Terminal.print(stats.storageDescription)
                Terminal.print("events: \(stats.eventCount) in \(stats.streamCount) stream(s)")
                if let head = stats.head {
                    Terminal.print("head: position \(head.position), hash \(head.hash.hex)")
                    Terminal.print("recorded: \(stats.firstRecordedAt?.iso8601 ?? "?") to \(head.recordedAt.iso8601)")
                }
                if !stats.countsByType.isEmpty { Terminal.print(table.render()) }
            case .json, .jsonl:
                let json: JSONValue = [
                    "events": .number(Double(stats.eventCount)),
                    "streams": .number(Double(stats.streamCount)),
                    "by_type": .object(stats.countsByType.mapValues { .number(Double($0)) }),
                    "head": stats.head.map {
                        [
                            "position": .number(Double($0.position)), "hash": .string($0.hash.hex),
                            "recorded_at": .string($0.recordedAt.iso8601),
                        ]
                    } ?? .null,
                    "first_recorded_at": .optional(stats.firstRecordedAt?.iso8601),
                    "storage": .string(stats.storageDescription),
                ]
                Terminal.print(CanonicalJSON.string(json))
            }
        }
    }
}
