import ArgumentParser
import Foundation
import ThreatLedgerCore
import ThreatLedgerStore

struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Check a corpus folder (sources, articles, claims, incidents) and append it in one transaction.",
        discussion: """
            Everything is checked before anything is appended: every line against its schema, every article \
            against its SHA-256, every quote at its code-point position in its article, every figure inside its \
            statement and against its own Arabic words, real calendar dates, ISO 3166-1 countries. An error names \
            the file, line, field and reason, and nothing is appended. Event ids derive from content, so running \
            it again appends nothing.
            """
    )

    @OptionGroup var log: LogOptions

    @Argument(help: ArgumentHelp("The corpus folder, e.g. seeds/.", valueName: "folder"))
    var folder: String

    @Option(name: .long, help: ArgumentHelp("Who records the events.", valueName: "name"))
    var by: String = "threatledger ingest"

    @Option(name: .long, help: "Output format: table or json.")
    var format: OutputFormat = .table

    func run() async throws {
        try await reportingFailures {
            let corpus: SeedCorpus
            do throws(CorpusError) {
                corpus = try SeedCorpusReader.read(folder: folder)
            } catch {
                throw CommandFailure(error.description)
            }
            Terminal.error("ingest: checking \(corpus.claims.count) claim file(s) and \(corpus.articles.count) article(s) in \(folder)")
            let compiled: CompiledCorpus
            do throws(CorpusError) {
                compiled = try CorpusCompiler.compile(corpus, recordedBy: by)
            } catch {
                throw CommandFailure("\(error); nothing was appended")
            }
            Terminal.error("ingest: appending \(compiled.events.count) event(s) in one transaction")
            let store = try await log.open(create: true)
            let result: AppendResult
            do throws(StoreError) {
                result = try await store.append(compiled.events)
            } catch {
                if let index = error.eventIndex {
                    let origin = compiled.origins[index]
                    var message = "\(origin.file):\(origin.line): \(error)"
                    if case .invalidEvent(_, _, .streamState) = error {
                        message += " (the log holds a different version of it: record a correction instead of editing the corpus)"
                    }
                    throw CommandFailure(message)
                }
                throw CommandFailure(error.description)
            }
            let appended = result.appendedCount
            let present = result.events.count - appended
            switch format {
            case .table:
                Terminal.print(
                    "ingested \(folder): \(compiled.sourceCount) source(s), \(compiled.claimCount) claim(s), "
                        + "\(compiled.incidentCount) incident(s); appended \(appended) event(s)"
                        + (present > 0 ? ", \(present) already in the log" : ""))
                Terminal.print("head: position \(result.head.position), hash \(result.head.hash.hex)")
            case .json, .jsonl:
                Terminal.print(
                    CanonicalJSON.string([
                        "sources": .number(Double(compiled.sourceCount)), "claims": .number(Double(compiled.claimCount)),
                        "incidents": .number(Double(compiled.incidentCount)), "appended": .number(Double(appended)),
                        "already_present": .number(Double(present)),
                        "head": ["position": .number(Double(result.head.position)), "hash": .string(result.head.hash.hex)],
                    ]))
            }
        }
    }
}
