import Foundation
import Testing
import ThreatLedgerTesting

@testable import ThreatLedgerCore

/// The fast pattern matcher agrees with NSRegularExpression on every pattern the schemas use.
@Suite struct SimplePatternTests {
    static let patterns: [String] = {
        var found = Set<String>()
        func walk(_ value: JSONValue) {
            switch value {
            case .object(let members):
                if let pattern = members["pattern"]?.stringValue { found.insert(pattern) }
                members.values.forEach(walk)
            case .array(let items): items.forEach(walk)
            default: break
            }
        }
        for text in EmbeddedSchemas.byFileName.values { walk(try! JSONParser().parse(text)) }
        return found.sorted()
    }()

    static func samples(_ random: inout GeneratedLog.RandomNumbers) -> [String] {
        var texts = [
            "", "SY", "sy", "SYR", "S", "IQ\n", "1aee4b5224ae9675-01", "claim-1aee4b5224ae9675-01", "-bad", "a", "ar", "ar-SY", "ar-", "en-GB-oxford",
            "articles/000.txt", "articles/", "articles/a/b", "Deir ez-Zor", "Al-Hasakah", "Sa\u{2019}dah", "ديالى", "Diyala'); DROP TABLE events; --",
            String(repeating: "a", count: 64), String(repeating: "0123456789abcdef", count: 4), String(repeating: "A", count: 200),
            String(repeating: "A", count: 201),
            "x\u{0301}", "\u{0301}x", "1st", "Région", "a..b", "a:b", "A_b.c-d:e",
        ]
        let alphabet = Array("aAzZ09-_.:/ '’()\u{2019}é\u{0651}ي٣\n$^[]".unicodeScalars)
        for _ in 0..<400 {
            var view = String.UnicodeScalarView()
            for _ in 0..<random.below(12) { view.append(alphabet[random.below(alphabet.count)]) }
            texts.append(String(view))
        }
        return texts
    }

    @Test func everySchemaPatternIsHandledByTheFastMatcher() {
        #expect(Self.patterns.count >= 6)
        for pattern in Self.patterns {
            #expect(SendableRegex(pattern)?.isSimple == true, "\(pattern)")
        }
    }

    @Test func theFastMatcherAgreesWithNSRegularExpressionOnEverySchemaPattern() {
        var random = GeneratedLog.RandomNumbers(seed: 7)
        let texts = Self.samples(&random)
        for pattern in Self.patterns {
            let regex = SendableRegex(pattern)!
            for text in texts {
                let fast = regex.matches(text)
                let foundation = regex.foundationMatches(text)
                if fast != foundation {
                    // The one deliberate difference: ICU's $ also matches before a final line break.
                    #expect(
                        foundation && !fast && text.hasSuffix("\n"), "\(pattern) on \(text.debugDescription): fast \(fast), NSRegularExpression \(foundation)")
                }
            }
        }
    }

    @Test func unsupportedSyntaxFallsBackRatherThanMatchingWrongly() {
        for pattern in ["a|b", "(?=a)", "\\d+", "a*?", "(a)\\1", "[[:alpha:]]"] {
            #expect(SimplePattern(pattern) == nil, "\(pattern)")
        }
        #expect(SendableRegex("a|b")?.matches("b") == true)
    }

    @Test func aCountryCodeWithATrailingLineBreakIsRefused() {
        #expect(SendableRegex("^[A-Z]{2}$")?.matches("SY\n") == false)
        #expect(SendableRegex("^[A-Z]{2}$")?.matches("SY") == true)
    }
}
