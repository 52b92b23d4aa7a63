import Testing
import ThreatLedgerCore

@Suite struct CanonicalJSONTests {
    /// ECMAScript Number::toString results, including RFC 8785's appendix B examples.
    @Test(arguments: [
        (0.0, "0"), (-0.0, "0"), (1.0, "1"), (-1.0, "-1"), (0.5, "0.5"), (1e21, "1e+21"), (1e20, "100000000000000000000"),
        (1e-7, "1e-7"), (0.000001, "0.000001"), (4.5e-7, "4.5e-7"), (333333333.3333333, "333333333.3333333"),
        (1.5e300, "1.5e+300"), (9007199254740994.0, "9007199254740994"),
        (1.7976931348623157e308, "1.7976931348623157e+308"), (Double.leastNonzeroMagnitude, "5e-324"), (295147905179352830000.0, "295147905179352830000"),
        (36.2, "36.2"), (-12.75, "-12.75"),
    ])
    func formatsNumbersAsECMAScriptDoes(value: Double, expected: String) {
        #expect(CanonicalJSON.formatNumber(value) == expected)
    }

    @Test func sortsKeysByUTF16CodeUnitsAndWritesNoWhitespace() {
        // RFC 8785 §3.2.3: "\u{10000}" (UTF-16 D800 DC00) sorts before "\u{FB33}" though its code point is higher.
        let value: JSONValue = ["b": 1, "a": ["z": true, "y": nil], "\u{FB33}": 2, "\u{10000}": 3, "1": 4]
        #expect(CanonicalJSON.string(value) == "{\"1\":4,\"a\":{\"y\":null,\"z\":true},\"b\":1,\"\u{10000}\":3,\"\u{FB33}\":2}")
    }

    @Test func escapesOnlyWhatRFC8785Escapes() {
        let value: JSONValue = .string("q\"b\\s/\u{08}\u{0C}\n\r\t\u{01}\u{1F}\u{7F}\u{2028}ـ\u{200D}\u{00A0}")
        #expect(CanonicalJSON.string(value) == "\"q\\\"b\\\\s/\\b\\f\\n\\r\\t\\u0001\\u001f\u{7F}\u{2028}ـ\u{200D}\u{00A0}\"")
    }

    @Test func parsingCanonicalBytesGivesTheSameValueBack() throws {
        let value: JSONValue = ["text": "قرابة 75\u{200F}", "n": [1, 2.5, 1e-7, 1e21], "nested": ["k": nil]]
        let bytes = CanonicalJSON.bytes(value)
        #expect(try JSONParser().parse(bytes) == value)
        #expect(CanonicalJSON.bytes(try JSONParser().parse(bytes)) == bytes)
    }

    @Test func envelopeFastPathEqualsGenericCanonicalizationOfTheEnvelope() throws {
        let payload: JSONValue = ["claim_id": "c1", "reason": "تصحيح \"الرقم\""]
        let event = RecordedEvent(
            position: 42, id: EventID("6F9619FF-8B86-D011-B42D-00C04FC964FF")!, stream: try StreamName("claim-c1"),
            streamVersion: 3, type: "ClaimRetracted", schemaVersion: 1, payloadJSON: CanonicalJSON.string(payload),
            metadata: EventMetadata(recordedBy: "analyst", correlationID: "req-1", causationID: nil),
            recordedAt: RecordTime(microsecondsSinceEpoch: 1_700_000_000_123_456), previousHash: .genesis,
            hash: .genesis)
        var envelope = try event.envelopeJSON().objectValue!
        envelope["hash"] = nil
        envelope["previous_hash"] = nil
        #expect(event.canonicalBytes == CanonicalJSON.bytes(.object(envelope)))
    }
}
