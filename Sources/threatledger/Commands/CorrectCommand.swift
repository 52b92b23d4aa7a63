import ArgumentParser
import ThreatLedgerAudit
import ThreatLedgerCore
import ThreatLedgerStore

struct CorrectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "correct",
        abstract: "Append a ClaimCorrected event: new figure bounds or new field values, with the reason.",
        discussion: """
            threatledger correct a896289027671bb9-08 --figure killed --low 18 --reason "later reports" --by "A. Analyst"
            threatledger correct CLAIM --change 'location={"country":"SY","admin1":"Homs","place":null}' --reason … --by …
            The original claim is never lost: `threatledger history CLAIM` shows every version. The corrected claim \
            must still satisfy every rule (bounds that fit their qualifier, real dates, ISO countries), and the \
            correction is appended only if nobody changed the claim since it was read.
            """
    )

    @OptionGroup var log: LogOptions

    @Argument(help: ArgumentHelp("The claim id.", valueName: "claim"))
    var claim: String

    @Option(name: .long, help: ArgumentHelp("The measure whose figures change (killed, wounded, …).", valueName: "measure"))
    var figure: String?

    @Option(name: .long, help: "The figure's new lower bound.")
    var low: Int64?

    @Option(name: .long, help: "The figure's new upper bound.")
    var high: Int64?

    @Option(name: .long, help: ArgumentHelp("The figure's new qualifier (exact, about, at_least, more_than, up_to, range, unknown).", valueName: "qualifier"))
    var qualifier: String?

    @Option(name: .long, parsing: .singleValue, help: ArgumentHelp("Replace a whole field: FIELD=JSON (kind, scope, summary, date, location, actors, attribution, figures, notes).", valueName: "field=json"))
    var change: [String] = []

    @Option(name: .long, help: "Why the claim is corrected.")
    var reason: String

    @Option(name: .long, help: ArgumentHelp("Who corrects it.", valueName: "name"))
    var by: String

    func validate() throws {
        if figure == nil && change.isEmpty { throw ValidationError("give --figure with --low/--high/--qualifier, or --change FIELD=JSON") }
        if figure != nil && low == nil && high == nil && qualifier == nil { throw ValidationError("--figure needs --low, --high or --qualifier") }
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
                guard current["figures"]?.arrayValue?.contains(where: { $0["measure"]?.stringValue == figure }) == true else {
                    let measures = Set((current["figures"]?.arrayValue ?? []).compactMap { $0["measure"]?.stringValue }).sorted()
                    throw CommandFailure("claim \(claim) has no \(figure) figure (it has: \(measures.isEmpty ? "none" : measures.joined(separator: ", ")))")
                }
                var update: [String: JSONValue] = ["measure": .string(figure)]
                if let low { update["low"] = .number(Double(low)) }
                if let high { update["high"] = .number(Double(high)) }
                if let qualifier { update["qualifier"] = .string(qualifier) }
                updates.append(.object(update))
            }
            let payload: JSONValue = [
                "claim_id": .string(claim), "reason": .string(reason), "changes": .object(changes), "figure_updates": .array(updates),
            ]
            do throws(EventValidationError) {
                try ClaimCorrectionCheck.validate(current: current, correction: payload, stream: stream)
            } catch {
                throw CommandFailure("the corrected claim would be invalid: \(error); nothing was appended")
            }
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

    /// The claim's current fields and its stream version; fails for an unknown or retracted claim.
    static func current(_ claim: String, stream: StreamName, store: any EventLog) async throws -> (JSONValue, Int64) {
        guard let state = try await ClaimState.current(claim, log: store) else { throw CommandFailure("no claim \(claim) in the log") }
        if state.retracted { throw CommandFailure("claim \(claim) is retracted; it can no longer be corrected or retracted") }
        return (state.fields, state.version)
    }

    static func append(_ event: ProposedEvent, store: any EventLog) async throws {
        do {
            let result = try await store.append([event])
            let appended = result.events[0]
            Terminal.print("appended \(event.type) for \(event.stream) at position \(appended.position) (claim version \(appended.streamVersion))")
        } catch {
            throw CommandFailure("\(error)")
        }
    }
}
