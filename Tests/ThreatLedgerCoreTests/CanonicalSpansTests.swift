import Testing
import ThreatLedgerCore
import ThreatLedgerTesting

/// The parser's judgement that a member's bytes are already canonical lets an append store those
/// bytes as they are; a wrong "yes" would store and hash text that is not canonical JSON. These tests
/// hold every "yes" to the encoder's own output.
@Suite struct CanonicalSpansTests {
    /// The payload's canonical bytes as the parser judges them, or nil when it leaves them to the encoder.
    static func judged(_ line: [UInt8]) throws -> (value: JSONValue, payload: [UInt8]?) {
        try line.withUnsafeBufferPointer { buffer in
            let (value, spans) = try JSONParser().parseCanonicalSpans(buffer)
            return (value, spans["payload"].map { Array(buffer[$0]) })
        }
    }

    @Test(arguments: [
        #"{"a":1,"b":[true,false,null],"c":"مقتل 92 شخصا","d":{"x":-5,"y":"tab\tand\"quote\\"}}"#,
        #"{"":0,"A":1,"_":2,"a":3}"#,
        #"[]"#, #"{}"#, #""plain""#, #"123456789012345"#,
    ])
    func canonicalValuesAreJudgedCanonical(payload: String) throws {
        let line = Array(#"{"payload":\#(payload),"type":"x"}"#.utf8)
        let (value, bytes) = try Self.judged(line)
        #expect(bytes == Array(payload.utf8))
        #expect(bytes == CanonicalJSON.bytes(value["payload"]!))
    }

    @Test(arguments: [
        #"{"b":1,"a":2}"#,  // keys out of order
        #"{"a": 1}"#,  // whitespace
        #"[1, 2]"#,
        #""a\/b""#,  // an escape the encoder does not write
        #""\u0041""#,
        #"-0"#,  // written 0
        #"1.0"#,  // written 1
        #"1e2"#,  // written 100
        #"1234567890123456"#,  // long integers are left to the encoder
        #"{"é":1}"#,  // non-ASCII keys are left to the encoder
        #"{"a\"b":1}"#,  // keys with escapes too
    ])
    func nonCanonicalValuesAreLeftToTheEncoder(payload: String) throws {
        let line = Array(#"{"payload":\#(payload)}"#.utf8)
        #expect(try Self.judged(line).payload == nil)
    }

    @Test func whitespaceOutsideThePayloadDoesNotMatter() throws {
        let line = Array(#" { "type" : "x" , "payload" : {"a":1} } "#.utf8)
        #expect(try Self.judged(line).payload == Array(#"{"a":1}"#.utf8))
    }

    /// Every seed claim, written canonically and then mutated at random: whenever the parser says a
    /// payload is canonical, the encoder writes exactly those bytes. The unmutated lines must be
    /// judged canonical, or the fast path would never be taken.
    @Test func everyCanonicalJudgementAgreesWithTheEncoderOnMutatedClaims() throws {
        let claims = FuzzTests.seedClaimLines.compactMap { try? JSONParser().parse($0) }
        try #require(claims.count > 50)
        var random = GeneratedLog.RandomNumbers(seed: FuzzTests.seed &+ 7)
        var judgedCanonical = 0
        var checked = 0
        for (index, claim) in claims.enumerated() {
            let line = Array(#"{"payload":"#.utf8) + CanonicalJSON.bytes(claim) + Array("}".utf8)
            let (_, bytes) = try Self.judged(line)
            #expect(bytes == CanonicalJSON.bytes(claim), "seed claim \(index) written canonically must be judged canonical")
            for _ in 0..<(FuzzTests.iterations / 40 + 1) {
                let mutated = FuzzTests.mutate(line, random: &random, other: line)
                guard let (value, bytes) = try? Self.judged(mutated), let payload = value["payload"] else { continue }
                checked += 1
                if let bytes {
                    judgedCanonical += 1
                    #expect(bytes == CanonicalJSON.bytes(payload), "judged canonical but is not: \(String(decoding: mutated, as: UTF8.self))")
                }
            }
        }
        #expect(checked > 100 && judgedCanonical > 0)
    }

    @Test func changingAPayloadForgetsItsCanonicalText() throws {
        let line = Array(#"{"stream":"source-a","type":"SourceRegistered","payload":{"a":1},"metadata":{"recorded_by":"t"}}"#.utf8)
        var event = try #require(ProposedEventLines.decode(line, defaultRecordedBy: nil).first?.event)
        #expect(event.canonicalPayload == #"{"a":1}"#)
        event.payload = ["a": 2]
        #expect(event.canonicalPayload == nil)
    }
}
