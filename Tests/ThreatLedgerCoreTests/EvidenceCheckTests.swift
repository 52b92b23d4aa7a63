import Testing
import ThreatLedgerCore
import ThreatLedgerTesting

/// Quotes are matched code point for code point, never "after normalization".
@Suite struct EvidenceCheckTests {
    // ربَّة with fatha before shadda; the same word with shadda first is canonically equivalent
    // (Unicode reorders the marks), so Swift's String == calls the two equal.
    let written = "\u{0631}\u{0628}\u{064E}\u{0651}\u{0629}"
    let reordered = "\u{0631}\u{0628}\u{0651}\u{064E}\u{0629}"
    var text: String { "قال المصدر إن " + written + " البيت غادرت المدينة." }

    func check(_ quote: String) -> (field: String, reason: String)? {
        var evidence = EventFixtures.evidence(written, in: text)
        if case .object(var members) = evidence, case .object(var selector)? = members["quote"] {
            selector["exact"] = .string(quote)
            members["quote"] = .object(selector)
            evidence = .object(members)
        }
        return EvidenceCheck.firstFailure(in: evidence, article: EvidenceCheck.Article(text: text, sha256: SHA256Hash.of(text: text).hex))
    }

    @Test func theArticlesOwnCodePointsHold() {
        #expect(check(written) == nil)
    }

    @Test func aCanonicallyEquivalentQuoteWithOtherCodePointsIsRefused() {
        #expect(reordered == written, "the premise: String equality normalizes")
        let failure = check(reordered)
        #expect(failure?.field.hasSuffix("position") == true)
        #expect(failure?.reason.contains("no normalization") == true, "\(String(describing: failure))")
    }
}
