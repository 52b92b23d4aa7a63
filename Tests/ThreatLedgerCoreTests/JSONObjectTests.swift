import Testing
import ThreatLedgerCore

@Suite struct JSONObjectTests {
    @Test func aMissingKeyIsNilAndAPresentNullIsNull() throws {
        let value = try JSONParser().parse(#"{"b":1,"a":null}"#)
        #expect(value["a"] == .some(.null))
        #expect(value["missing"] == Optional<JSONValue>.none)
        var object = try #require(value.objectValue)
        object["a"] = nil
        #expect(object.keys == ["b"])
    }

    @Test func membersAreKeptInUTF16OrderWhateverOrderTheyCameIn() throws {
        // U+1F600 (a surrogate pair in UTF-16) sorts before U+FF21 in UTF-16, after it in code points.
        let value = try JSONParser().parse(#"{"\uFF21":1,"😀":2,"b":3,"a":4,"ب":5}"#)
        #expect(value.objectValue?.keys == ["a", "b", "ب", "😀", "\u{FF21}"])
        #expect(CanonicalJSON.bytes(value) == Array(#"{"a":4,"b":3,"ب":5,"😀":2,"Ａ":1}"#.utf8))
        var built: JSONObject = ["\u{FF21}": 1, "😀": 2]
        built["a"] = 0
        #expect(built.keys == ["a", "😀", "\u{FF21}"])
    }

    @Test func keysThatDifferOnlyInNormalizationAreTwoKeys() throws {
        let value = try JSONParser().parse("{\"\u{E9}\":1,\"e\u{301}\":2}")
        #expect(value.objectValue?.count == 2)
        #expect(value["\u{E9}"] == 1 && value["e\u{301}"] == 2)
    }

    @Test func aKeyWrittenTwiceIsRefusedWhereverItComes() {
        for text in [#"{"a":1,"a":2}"#, #"{"b":1,"a":2,"b":3}"#] {
            #expect(throws: JSONParseError.self) { try JSONParser().parse(text) }
        }
    }
}
