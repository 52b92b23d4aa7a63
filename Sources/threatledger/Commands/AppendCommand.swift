import ArgumentParser
import Foundation
import ThreatLedgerCore
import ThreatLedgerStore

struct AppendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "append",
        abstract: "Append the events of a JSONL file, all or nothing.",
        discussion: """
            One event per line, as schemas/proposed-event.schema.json describes:
              {"event_id": UUID, "stream": "claim-…", "expected_version": "any"|"no_stream"|N,
               "type": "ClaimRecorded", "schema_version": 1, "payload": {…}, "metadata": {"recorded_by": …}}
            Every line is validated first; if any line is bad, or a stream is not at its expected version,
            nothing is appended and the error names the line. An event_id already in the log appends
            nothing, so re-running the same file is safe.
            """
    )

    @OptionGroup var log: LogOptions

    @Argument(help: ArgumentHelp("The JSONL file to append ('-' reads standard input).", valueName: "file"))
    var file: String

    @Option(name: .long, help: ArgumentHelp("Who records these events, for lines without metadata.recorded_by.", valueName: "name"))
    var by: String?

    @Option(name: .long, help: "Output format: table or json.")
    var format: OutputFormat = .table

    func run() async throws {
        try await reportingFailures {
            let bytes: [UInt8]
            if file == "-" {
                bytes = Array(FileHandle.standardInput.readDataToEndOfFile())
            } else {
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw CommandFailure("\(file): cannot read the file")
                }
                bytes = Array(data)
            }
            let lines: [ProposedEventLines.Line]
            do throws(ProposedEventLineError) {
                lines = try ProposedEventLines.decode(bytes, defaultRecordedBy: by)
            } catch {
                throw CommandFailure("\(file):\(error.line): \(error.message); nothing was appended")
            }
            guard !lines.isEmpty else { throw CommandFailure("\(file): holds no events; nothing was appended") }

            let store = try await log.open(create: true)
            let result: AppendResult
            do throws(StoreError) {
                result = try await store.append(lines.map(\.event))
            } catch {
                if let index = error.eventIndex {
                    throw CommandFailure("\(file):\(lines[index].number): \(error.description)")
                }
                throw CommandFailure(error.description)
            }
            let duplicates = result.events.count - result.appendedCount
            switch format {
            case .json, .jsonl:
                let events: [JSONValue] = zip(lines, result.events).map { line, appended in
                    [
                        "line": .number(Double(line.number)), "event_id": .string(appended.id.rawValue),
                        "position": .number(Double(appended.position)),
                        "stream_version": .number(Double(appended.streamVersion)),
                        "hash": .string(appended.hash.hex), "already_present": .bool(appended.alreadyPresent),
                    ]
                }
                let report: JSONValue = [
                    "appended": .number(Double(result.appendedCount)), "already_present": .number(Double(duplicates)),
                    "events": .array(events),
                    "head": ["position": .number(Double(result.head.position)), "hash": .string(result.head.hash.hex)],
                ]
                Terminal.print(CanonicalJSON.string(report))
            case .table:
                Terminal.print(
                    "appended \(result.appendedCount) event(s) from \(file)"
                        + (duplicates > 0 ? " (\(duplicates) already in the log, not appended again)" : ""))
                Terminal.print("head: position \(result.head.position), hash \(result.head.hash.hex)")
            }
        }
    }
}
