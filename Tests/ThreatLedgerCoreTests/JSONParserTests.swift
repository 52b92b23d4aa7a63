import Testing
import ThreatLedgerCore

@Suite struct JSONParserTests {
    @Test func parsesNestedDocumentsWithArabicText() throws {
        let value = try JSONParser().parse(#"{"a":[1,2.5,-3e2,true,null],"نص":"مقتل \u0031\u0031"}"#)
        #expect(value["a"] == [1, 2.5, -300, true, nil])
        #expect(value["نص"] == "مقتل 11")
    }

    @Test(arguments: [
        (#"{"a":1,"a":2}"#, "duplicate key \"a\""),
        (#"[1,2"#, "ends too early"),
        (#"{"a":1} x"#, "unexpected text after"),
        (#"1e400"#, "too large"),
        (#"NaN"#, "unexpected character"),
        (#""\ud800""#, "surrogate"),
        ("\"tab\there\"", "control character"),
        (#"[01]"#, "unexpected character"),
        (#""\x""#, "invalid escape"),
    ])
    func refusesMalformedJSONWithAReason(input: String, reason: String) {
        #expect {
            _ = try JSONParser().parse(input)
        } throws: { error in
            "\(error)".contains(reason)
        }
    }

    @Test func refusesInvalidUTF8() {
        let bytes: [UInt8] = [UInt8(ascii: "\""), 0xC3, 0x28, UInt8(ascii: "\"")]
        #expect(throws: JSONParseError.self) { try JSONParser().parse(bytes) }
        do {
            _ = try JSONParser().parse(bytes)
        } catch {
            #expect(error.reason == .invalidUTF8)
        }
    }

    @Test func refusesNestingBeyondTheLimitWithoutCrashing() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        do {
            _ = try JSONParser().parse(deep)
            Issue.record("10,000 levels were accepted")
        } catch {
            #expect(error.reason == .tooDeep(limit: 64))
        }
    }

    @Test func reportsLineAndColumnOfTheError() {
        do {
            _ = try JSONParser().parse("{\n  \"a\": 1,\n  \"b\": ?\n}")
            Issue.record("accepted")
        } catch {
            #expect(error.line == 3)
            #expect(error.column == 8)
        }
    }
}
