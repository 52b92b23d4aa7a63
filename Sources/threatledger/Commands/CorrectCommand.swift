import ArgumentParser
import ThreatLedgerAudit
import ThreatLedgerCore
import ThreatLedgerStore

struct CorrectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "correct",
        abstract: "Append a ClaimCorrected event: a figure's new bounds (and, with them, new words), or new field values, with the reason.",
        discussion: """
            threatledger correct a896289027671bb9-08 --figure killed --index 1 --low 18 --source LATER --quote "18 شخصًا" --reason "the toll rose" --by "A. Analyst"
            threatledger correct CLAIM --change 'location={"country":"SY","admin1":"Homs","place":null}' --reason … --by …
            A figure update changes one figure: the one at --index, or the only figure of its measure. A stated \
            figure must say what its words say, so new bounds need new words: --quote gives them, from the claim's \
            own article or from the article of any registered --source (a later report that revised the toll); \
            --at picks one occurrence when the words stand more than once. The original claim is never lost: \
            `threatledger history CLAIM` shows every version. The log refuses a correction whose claim would break \
            a rule (bounds that fit their qualifier, real dates, ISO countries, figures against their words), a \
            correction of a retracted claim, and one made while somebody else changed the claim.
            """
    )

    @OptionGroup var log: LogOptions

    @Argument(help: ArgumentHelp("The claim id.", valueName: "claim"))
    var claim: String

    @Option(name: .long, help: ArgumentHelp("The measure of the figure that changes (killed, wounded, …).", valueName: "measure"))
    var figure: String?

    @Option(
        name: .long, help: ArgumentHelp("Which figure of the claim changes (its index, from 0); needed when it has several of the measure.", valueName: "n"))
    var index: Int?

    @Option(name: .long, help: "The figure's new lower bound.")
    var low: Int64?

    @Option(name: .long, help: "The figure's new upper bound.")
    var high: Int64?

    @Option(name: .long, help: ArgumentHelp("The figure's new qualifier (exact, about, at_least, more_than, up_to, range, unknown).", valueName: "qualifier"))
    var qualifier: String?

    @Option(name: .long, help: ArgumentHelp("The figure's new words, exactly as they stand in the article.", valueName: "words"))
    var quote: String?

    @Option(name: .long, help: ArgumentHelp("The registered source whose article --quote is in (default: the claim's own).", valueName: "source"))
    var source: String?

    @Option(name: .long, help: ArgumentHelp("The code-point position of --quote, when it stands more than once.", valueName: "start"))
    var at: Int?

    @Option(name: .long, help: ArgumentHelp("The figure's basis: stated (its words say it) or inferred (derived; say how with --note).", valueName: "basis"))
    var basis: String?

    @Option(name: .long, help: ArgumentHelp("The figure's note: who is counted, or how an inferred figure was derived.", valueName: "text"))
    var note: String?

    @Option(
        name: .long, parsing: .singleValue,
        help: ArgumentHelp(
            "Replace a whole field: FIELD=JSON (kind, scope, summary, date, location, actors, attribution, figures, notes).", valueName: "field=json"))
    var change: [String] = []

    @Option(name: .long, help: "Why the claim is corrected.")
    var reason: String

    @Option(name: .long, help: ArgumentHelp("Who corrects it.", valueName: "name"))
    var by: String

    func validate() throws {
        if figure == nil && change.isEmpty { throw ValidationError("give --figure with --low/--high/--qualifier/--quote, or --change FIELD=JSON") }
        if figure != nil && low == nil && high == nil && qualifier == nil && quote == nil && basis == nil && note == nil {
            throw ValidationError("--figure needs something to change: --low, --high, --qualifier, --quote, --basis or --note")
        }
        if figure == nil && (index != nil || quote != nil || basis != nil || note != nil || low != nil || high != nil || qualifier != nil) {
            throw ValidationError("--index, --low, --high, --qualifier, --quote, --basis and --note go with --figure")
        }
        if quote == nil && (source != nil || at != nil) { throw ValidationError("--source and --at go with --quote") }
        if reason.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--reason must say why") }
    }

    func run() async throws {
        try await reportingFailures {
            let store = try await log.open()
            let stream = try ClaimEdits.stream(claim)
            let (current, version) = try await ClaimEdits.current(claim, stream: stream, store: store)
            var changes: [String: JSONValue] = [:]
            for item in change {
                guard let equals = item.firstIndex(of: "=") else { throw CommandFailure("--change \(item): write FIELD=JSON") }
                let field = String(item[..<equals])
                do { changes[field] = try JSONParser().parse(String(item[item.index(after: equals)...])) } catch {
                    throw CommandFailure("--change \(field): not valid JSON: \(error)")
                }
            }
            var updates: [JSONValue] = []
            if let figure {
                var update: [String: JSONValue] = ["measure": .string(figure)]
                if let index { update["index"] = .number(Double(index)) }
                if let low { update["low"] = .number(Double(low)) }
                if let high { update["high"] = .number(Double(high)) }
                if let qualifier { update["qualifier"] = .string(qualifier) }
                if let basis { update["basis"] = .string(basis) }
                if let note { update["note"] = .string(note) }
                if let quote {
                    let sourceID = source ?? current.sourceID
                    update["evidence"] = try await SourceQuote.evidence(quoting: quote, at: at, source: sourceID, store: store)
                    if let source { update["source_id"] = .string(source) }
                }
                updates.append(.object(update))
            }
            let payload: JSONValue = [
                "claim_id": .string(claim), "reason": .string(reason), "changes": .object(changes), "figure_updates": .array(updates),
            ]
            let event = ProposedEvent(
                id: .random(), stream: stream, expectedVersion: .exact(version), type: "ClaimCorrected", payload: payload,
                metadata: EventMetadata(recordedBy: by, correlationID: "threatledger correct"))
            try await ClaimEdits.append(event, store: store)
        }
    }
}

struct RetractCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retract",
        abstract: "Append a ClaimRetracted event: the claim stops counting from now on; every replay before keeps it."
    )

    @OptionGroup var log: LogOptions

    @Argument(help: ArgumentHelp("The claim id.", valueName: "claim"))
    var claim: String

    @Option(name: .long, help: "Why the claim is retracted.")
    var reason: String

    @Option(name: .long, help: ArgumentHelp("Who retracts it.", valueName: "name"))
    var by: String

    func run() async throws {
        try await reportingFailures {
            let store = try await log.open()
            let stream = try ClaimEdits.stream(claim)
            let (_, version) = try await ClaimEdits.current(claim, stream: stream, store: store)
            let event = ProposedEvent(
                id: .random(), stream: stream, expectedVersion: .exact(version), type: "ClaimRetracted",
                payload: ["claim_id": .string(claim), "reason": .string(reason)],
                metadata: EventMetadata(recordedBy: by, correlationID: "threatledger retract"))
            try await ClaimEdits.append(event, store: store)
        }
    }
}

/// What `correct` and `retract` share: reading the claim as it stands, and appending with its version.
enum ClaimEdits {
    static func stream(_ claim: String) throws -> StreamName {
        do { return try StreamName.entity("claim", claim) } catch { throw CommandFailure("\(claim) is not a claim id: \(error)") }
    }

    /// The claim's current fields and its stream version; fails for an unknown claim. (Whether it may
    /// still be changed is the log's decision, made when the event is appended.)
    static func current(_ claim: String, stream: StreamName, store: any EventLog) async throws -> (CodedClaim, Int64) {
        guard let state = try await ClaimState.current(claim, log: store) else { throw CommandFailure("no claim \(claim) in the log") }
        return (state.coded, state.version)
    }

    static func append(_ event: ProposedEvent, store: any EventLog) async throws {
        try await append(event, store: store, noun: "claim")
    }

    /// Appends one edit (of a claim, a source, an incident) and says where it went.
    static func append(_ event: ProposedEvent, store: any EventLog, noun: String) async throws {
        do {
            let result = try await store.append([event])
            let appended = result.events[0]
            Terminal.print("appended \(event.type) for \(event.stream) at position \(appended.position) (\(noun) version \(appended.streamVersion))")
        } catch {
            throw CommandFailure("\(error)")
        }
    }
}
