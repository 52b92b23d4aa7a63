import ArgumentParser
import ThreatLedgerCore
import ThreatLedgerStore

struct UnlinkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unlink",
        abstract: "Append an IncidentUnlinked event: take claims out of an incident they were linked to by mistake.",
        discussion: """
            threatledger unlink hasakah-prison-assault-2022 --claim 9fda8b7b93fb41eb-05 --reason "reports the 2021 attack" --by analyst
            From this event on the incident counts only its other claims, and each claim taken out counts on its own \
            again; every replay before keeps the link. Each claim must be one of the incident's claims now.
            """
    )

    @OptionGroup var log: LogOptions

    @Argument(help: ArgumentHelp("The incident id.", valueName: "incident"))
    var incident: String

    @Option(name: .customLong("claim"), help: ArgumentHelp("A claim to take out (repeat for several).", valueName: "claim id"))
    var claims: [String] = []

    @Option(name: .long, help: "Why the claims are not part of the incident.")
    var reason: String

    @Option(name: .long, help: ArgumentHelp("Who unlinks them.", valueName: "name"))
    var by: String

    func validate() throws {
        if claims.isEmpty { throw ValidationError("name at least one --claim to take out of the incident") }
    }

    func run() async throws {
        try await reportingFailures {
            let store = try await log.open()
            let stream: StreamName
            do { stream = try StreamName.entity("incident", incident) } catch { throw CommandFailure("\(incident) is not an incident id: \(error)") }
            let version = try await store.streamVersion(stream)
            guard version > 0 else { throw CommandFailure("no incident \(incident) in the log") }
            let event = ProposedEvent(
                id: .random(), stream: stream, expectedVersion: .exact(version), type: EventType.incidentUnlinked.rawValue,
                payload: ["incident_id": .string(incident), "claim_ids": .array(claims.map(JSONValue.string)), "reason": .string(reason)],
                metadata: EventMetadata(recordedBy: by, correlationID: "threatledger unlink"))
            try await ClaimEdits.append(event, store: store, noun: "incident")
        }
    }
}
