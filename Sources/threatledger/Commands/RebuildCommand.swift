import ArgumentParser
import Foundation
import ThreatLedgerCore
import ThreatLedgerProjections

struct RebuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Rebuild projections from the whole log, swapping them in atomically.",
        discussion: """
            Folds the log into shadow tables and swaps them in within one transaction: readers never see a \
            half-built projection, and a rebuild killed midway leaves the previous tables serving. One rebuild \
            of a projection at a time: a second one names the holder and exits 1. Each rebuild is recorded \
            (see `threatledger rebuilds`). Without --projection, the claim-version read index (claim-versions, what \
            region reads, the clocks and traces read) is rebuilt too, in bounded memory.
            """
    )

    @OptionGroup var log: LogOptions

    @Option(name: .long, help: ArgumentHelp("Only this projection (region-summary, source-provenance, claim-versions).", valueName: "name"))
    var projection: String?

    @Option(
        name: .customLong("take-over"),
        help: ArgumentHelp(
            "Take over a rebuild lock held by a live but stuck holder, for this reason (recorded; see `rebuilds --take-overs`).", valueName: "reason"))
    var takeOver: String?

    @Option(name: .long, help: "Output format: table or json.")
    var format: OutputFormat = .table

    func validate() throws {
        if let takeOver {
            if takeOver.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--take-over needs a reason: it is recorded") }
            if let problem = FreeText.problem(takeOver, multiLine: false) { throw ValidationError("--take-over \(problem)") }
        }
    }

    func run() async throws {
        try await reportingFailures {
            let projector = try await Serving.projector(log, role: "threatledger rebuild")
            var records: [RebuildRecord] = []
            do throws(ProjectionError) {
                for target in try projector.rebuildTargets(named: projection) {
                    let progress = ProgressReporter(label: "rebuild \(target.name)", total: nil)
                    defer { progress.finish() }
                    records.append(try await target.rebuild(takeOver: takeOver) { done, total in progress.update(done, total: total) })
                }
            } catch {
                throw CommandFailure(error.description)
            }
            switch format {
            case .table:
                for record in records { Terminal.print(RebuildsCommand.line(record)) }
            case .json, .jsonl:
                Terminal.print(CanonicalJSON.string(.array(records.map(RebuildsCommand.json))))
            }
        }
    }

    static func definitions(_ name: String?) throws -> [ProjectionDefinition] {
        guard let name else { return ProjectionDefinition.all }
        guard let definition = ProjectionDefinition.named(name) else {
            throw CommandFailure(ProjectionError.unknownProjection(name).description)
        }
        return [definition]
    }
}

struct RebuildsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuilds",
        abstract: "List recorded rebuilds: projection, version, times, events folded, log head and result digest."
    )

    @OptionGroup var log: LogOptions

    @Option(name: .long, help: ArgumentHelp("Only this projection.", valueName: "name"))
    var projection: String?

    @Flag(name: .customLong("take-overs"), help: "List the take-overs of rebuild locks instead (who took a lock from whom, when, why).")
    var takeOvers = false

    @Option(name: .long, help: "Output format: table or json.")
    var format: OutputFormat = .table

    func run() async throws {
        try await reportingFailures {
            let projector = try await Serving.projector(log, role: "threatledger rebuilds")
            if takeOvers {
                try await listTakeOvers(projector)
                return
            }
            let records: [RebuildRecord]
            do throws(ProjectionError) {
                records = try await projector.rebuilds(projection: projection)
            } catch {
                throw CommandFailure(error.description)
            }
            switch format {
            case .table:
                var table = TextTable("id", "projection", "version", "started", "seconds", "events", "head", "head hash", "digest", "by")
                for record in records {
                    let seconds = Double(record.finishedAt.microsecondsSinceEpoch - record.startedAt.microsecondsSinceEpoch) / 1e6
                    table.add(
                        String(record.id), record.projection, String(record.version), record.startedAt.iso8601,
                        String(format: "%.3f", seconds), String(record.eventsFolded), String(record.headPosition),
                        String(record.headHash?.hex.prefix(16) ?? "—"), String(record.digest.hex.prefix(16)), record.holder)
                }
                Terminal.print(records.isEmpty ? "no rebuilds recorded" : table.render())
            case .json, .jsonl:
                Terminal.print(CanonicalJSON.string(.array(records.map(Self.json))))
            }
        }
    }

    func listTakeOvers(_ projector: any Projector) async throws {
        let takeOvers: [RebuildTakeOver]
        do throws(ProjectionError) { takeOvers = try await projector.takeOvers(projection: projection) } catch {
            throw CommandFailure(error.description)
        }
        switch format {
        case .table:
            var table = TextTable("projection", "at", "taken by", "from", "held since", "why")
            for t in takeOvers {
                table.add(t.projection, t.at.iso8601, t.holder, t.previousHolder, t.previousSince.iso8601, TextTable.isolated(t.reason))
            }
            Terminal.print(takeOvers.isEmpty ? "no take-overs recorded" : table.render())
        case .json, .jsonl:
            Terminal.print(
                CanonicalJSON.string(
                    .array(
                        takeOvers.map { t in
                            [
                                "projection": .string(t.projection), "at": .string(t.at.iso8601), "holder": .string(t.holder),
                                "previous_holder": .string(t.previousHolder), "previous_since": .string(t.previousSince.iso8601), "reason": .string(t.reason),
                            ]
                        })))
        }
    }

    static func line(_ record: RebuildRecord) -> String {
        "rebuilt \(record.projection) v\(record.version): \(record.eventsFolded) event(s) to head \(record.headPosition)"
            + (record.headHash.map { " (\($0.hex.prefix(16))…)" } ?? "") + ", digest \(record.digest.hex)"
    }

    static func json(_ record: RebuildRecord) -> JSONValue {
        [
            "id": .number(Double(record.id)), "projection": .string(record.projection),
            "version": .number(Double(record.version)), "started_at": .string(record.startedAt.iso8601),
            "finished_at": .string(record.finishedAt.iso8601), "events_folded": .number(Double(record.eventsFolded)),
            "head_position": .number(Double(record.headPosition)), "head_hash": .optional(record.headHash?.hex),
            "digest": .string(record.digest.hex), "holder": .string(record.holder),
        ]
    }
}
