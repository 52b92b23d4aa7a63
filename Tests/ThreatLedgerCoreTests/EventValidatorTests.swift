import Foundation
import Testing
import ThreatLedgerCore
import ThreatLedgerTesting

@Suite struct EventValidatorTests {
    let validator = EventValidator.standard

    @Test func acceptsValidSourceAndClaim() throws {
        #expect(try validator.validate(EventFixtures.sourceRegistered(id: "s1")) == .sourceRegistered)
        #expect(try validator.validate(EventFixtures.claimRecorded(id: "c1", sourceID: "s1")) == .claimRecorded)
    }

    /// Each broken claim names its failing field; the expected text is part of the message.
    @Test(arguments: [
        (
            "figures",
            #"[{"measure":"killed","unit":"people","currency":null,"low":-1,"high":5,"qualifier":"exact","basis":"stated","evidence":{"article_sha256":"0000000000000000000000000000000000000000000000000000000000000000","quote":{"type":"TextQuoteSelector","exact":"x","prefix":"","suffix":""},"position":{"type":"TextPositionSelector","start":0,"end":1}}}]"#,
            "payload.figures[0].low: must be at least 0"
        ),
        ("kind", #""bombing""#, "payload.kind: must be one of"),
        ("location", #"{"country":"XX","admin1":null,"place":null}"#, "payload.location.country: \"XX\" is not an assigned ISO 3166-1"),
        ("location", #"{"country":"sy","admin1":null,"place":null}"#, "payload.location.country: does not match the pattern"),
        (
            "date", #"{"start":"2023-02-30","end":"2023-03-01","precision":"week","basis":"stated","words":"x"}"#,
            "payload.date.start: \"2023-02-30\" is not a real calendar date"
        ),
        (
            "date", #"{"start":"2023-03-02","end":"2023-03-01","precision":"week","basis":"stated","words":"x"}"#,
            "payload.date.end: 2023-03-01 is before the start"
        ),
        ("surprise", #"1"#, "payload.surprise: unknown field"),
        ("summary", #""""#, "payload.summary: must be at least 1 character"),
        (
            "proposal", #"{"status":"proposed","proposer":"threatledger propose 1","confidence":0.8,"cues":["trigger"],"accepted_by":null}"#,
            "payload.proposal.status: is proposed: a machine proposal is a draft"
        ),
        (
            "proposal", #"{"status":"accepted","proposer":"threatledger propose 1","confidence":0.8,"cues":["trigger"],"accepted_by":null}"#,
            "payload.proposal.accepted_by: an accepted proposal names the analyst"
        ),
        (
            "proposal", #"{"status":"accepted","proposer":"p","confidence":1.5,"cues":[],"accepted_by":"A. Analyst"}"#,
            "payload.proposal.confidence: must be at most 1"
        ),
    ])
    func refusesABrokenClaimNamingTheField(field: String, json: String, message: String) throws {
        var event = EventFixtures.claimRecorded(id: "c1", sourceID: "s1")
        var payload = event.payload.objectValue!
        payload[field] = try JSONParser().parse(json)
        event.payload = .object(payload)
        #expect {
            try validator.validate(event)
        } throws: { error in
            "\(error)".contains(message)
        }
    }

    @Test func acceptsAReviewedProposalAndKeepsItsMarkOnTheTypedClaim() throws {
        var event = EventFixtures.claimRecorded(id: "c1", sourceID: "s1")
        var payload = event.payload.objectValue!
        payload["proposal"] = try JSONParser().parse(
            #"{"status":"accepted","proposer":"threatledger propose 1","confidence":0.75,"cues":["trigger \"هاجم\" → attack"],"accepted_by":"A. Analyst"}"#)
        event.payload = .object(payload)
        #expect(try validator.validate(event) == .claimRecorded)
        let claim = try CodedClaim(json: event.payload, path: "payload")
        #expect(claim.proposal?.acceptedBy == "A. Analyst")
        #expect(claim.json["proposal"] == event.payload["proposal"])
        // A claim coded by hand has no mark, and its JSON names none.
        #expect(try CodedClaim(json: EventFixtures.claimRecorded(id: "c2", sourceID: "s1").payload, path: "payload").json["proposal"] == nil)
    }

    @Test(arguments: [
        ("exact", 10, 12, "qualifier exact: low and high must both be set and equal"),
        ("range", 18, 14, "qualifier range: low and high must both be set, with low < high"),
        ("at_least", 16, 20, "qualifier at_least: low must be set and high null"),
    ])
    func refusesBoundsThatContradictTheirQualifier(qualifier: String, low: Int, high: Int, message: String) throws {
        var event = EventFixtures.claimRecorded(id: "c1", sourceID: "s1")
        var payload = event.payload.objectValue!
        var figure = payload["figures"]!.arrayValue![0].objectValue!
        figure["qualifier"] = .string(qualifier)
        figure["low"] = .number(Double(low))
        figure["high"] = .number(Double(high))
        payload["figures"] = [.object(figure)]
        event.payload = .object(payload)
        #expect {
            try validator.validate(event)
        } throws: { error in
            "\(error)".contains("payload.figures[0]: \(message)")
        }
    }

    @Test func refusesEvidenceWhosePositionsDoNotSpanItsQuote() throws {
        var event = EventFixtures.claimRecorded(id: "c1", sourceID: "s1")
        var payload = event.payload.objectValue!
        var statement = payload["statement"]!.objectValue!
        statement["position"] = ["type": "TextPositionSelector", "start": 24, "end": 36]
        payload["statement"] = .object(statement)
        event.payload = .object(payload)
        #expect {
            try validator.validate(event)
        } throws: { error in
            "\(error)".contains("payload.statement.position: start 24 and end 36 span 12 code points, but the quote has 14")
        }
    }

    @Test func refusesAnArticleWhoseHashIsNotItsText() {
        var event = EventFixtures.sourceRegistered(id: "s1")
        var payload = event.payload.objectValue!
        payload["text"] = "نص آخر"
        event.payload = .object(payload)
        #expect {
            try validator.validate(event)
        } throws: { error in
            "\(error)".contains("payload.text_sha256: is ") && "\(error)".contains("but the SHA-256 of the text is")
        }
    }

    @Test func refusesAnEventOnAnotherEntitysStream() throws {
        var event = EventFixtures.claimRecorded(id: "c1", sourceID: "s1")
        event.stream = try StreamName("claim-c2")
        #expect(throws: EventValidationError.wrongStream(expected: try StreamName("claim-c1"), found: event.stream)) {
            try validator.validate(event)
        }
    }

    @Test func refusesUnknownTypesAndSchemaVersions() {
        var event = EventFixtures.claimRetracted(id: "c1")
        event.type = "ClaimDeleted"
        #expect(throws: EventValidationError.unknownType("ClaimDeleted")) { try validator.validate(event) }
        event.type = "ClaimRetracted"
        event.schemaVersion = 2
        #expect(throws: EventValidationError.unsupportedSchemaVersion(type: "ClaimRetracted", version: 2, newest: 1)) {
            try validator.validate(event)
        }
    }

    @Test func listsTheStreamsAnEventRefersTo() throws {
        let refs = validator.references(of: EventFixtures.claimRecorded(id: "c1", sourceID: "s9"))
        #expect(refs.map(\.stream) == [try StreamName("source-s9")])
        #expect(refs.map(\.path.description) == ["source_id"])
    }

    @Test func knowsAll249AssignedCountryCodes() {
        #expect(CountryCode.assigned.count == 249)
        #expect(CountryCode.isAssigned("SY") && CountryCode.isAssigned("IQ") && !CountryCode.isAssigned("XK"))
    }
}
