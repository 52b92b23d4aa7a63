import Foundation
import Testing
import ThreatLedgerCore
import ThreatLedgerTesting

@Suite struct ProposedEventLinesTests {
    func line(_ event: ProposedEvent, extra: [String: JSONValue] = [:]) -> String {
        var object: [String: JSONValue] = [
            "event_id": .string(event.id.rawValue), "stream": .string(event.stream.rawValue),
            "type": .string(event.type), "payload": event.payload,
        ]
        for (key, value) in extra { object[key] = value }
        return CanonicalJSON.string(.object(object))
    }

    @Test func decodesLinesSkippingBlanksAndKeepingLineNumbers() throws {
        let text =
            line(EventFixtures.sourceRegistered(id: "s1"), extra: ["expected_version": "no_stream"]) + "\n\n"
            + line(EventFixtures.claimRecorded(id: "c1", sourceID: "s1"), extra: ["expected_version": 3]) + "\r\n"
        let lines = try ProposedEventLines.decode(Array(text.utf8), defaultRecordedBy: "me")
        #expect(lines.map(\.number) == [1, 3])
        #expect(lines[0].event.expectedVersion == .noStream)
        #expect(lines[1].event.expectedVersion == .exact(3))
        #expect(lines[1].event.metadata.recordedBy == "me")
    }

    @Test func namesTheLineAndFieldOfABadLine() throws {
        let good = line(EventFixtures.sourceRegistered(id: "s1"))
        let cases: [(String, String)] = [
            ("{\"stream\":\"claim-1\"", "line 2: not valid JSON"),
            (#"{"stream":"claim-1","type":"ClaimRecorded"}"#, "line 2: payload: required field is missing"),
            (#"{"stream":"claim 1","type":"ClaimRecorded","payload":{}}"#, "line 2: stream: does not match the pattern"),
            (#"{"stream":"claim-1","type":"ClaimRecorded","payload":{},"extra":1}"#, "line 2: extra: unknown field"),
            (#"{"stream":"claim-1","type":"ClaimRecorded","payload":{},"event_id":"nope"}"#, "line 2: event_id: \"nope\" is not a UUID"),
        ]
        for (bad, message) in cases {
            #expect {
                _ = try ProposedEventLines.decode(Array((good + "\n" + bad + "\n").utf8), defaultRecordedBy: "me")
            } throws: { error in
                "\(error)".hasPrefix(message)
            }
        }
    }

    @Test func requiresSomeoneToHaveRecordedTheEvent() {
        let text = line(EventFixtures.sourceRegistered(id: "s1"))
        #expect {
            _ = try ProposedEventLines.decode(Array(text.utf8), defaultRecordedBy: nil)
        } throws: { error in
            "\(error)" == "line 1: metadata.recorded_by: required field is missing (or pass --by NAME)"
        }
    }
}
