import Foundation
import Testing
import ThreatLedgerCore
import ThreatLedgerTesting

@Suite struct EventIDTests {
    /// Every id the parser accepts, Foundation accepts and normalizes the same way; and every
    /// well-formed UUID is accepted.
    @Test func acceptedIDsAgreeWithFoundationAndWellFormedOnesAreAllAccepted() {
        var random = GeneratedLog.RandomNumbers(seed: 3)
        let alphabet = Array("0123456789abcdefABCDEFg-{} ".unicodeScalars)
        var accepted = 0
        for _ in 0..<2_000 {
            let wellFormed = UUID().uuidString
            #expect(EventID(wellFormed)?.rawValue == wellFormed.lowercased())
            #expect(EventID(wellFormed.lowercased())?.rawValue == wellFormed.lowercased())
            var mutated = Array(wellFormed.unicodeScalars)
            for _ in 0..<random.below(3) { mutated[random.below(mutated.count)] = alphabet[random.below(alphabet.count)] }
            let text = String(String.UnicodeScalarView(mutated))
            if let id = EventID(text) {
                accepted += 1
                #expect(id.rawValue == UUID(uuidString: text)?.uuidString.lowercased(), "\(text)")
            }
        }
        #expect(accepted > 0)
    }

    /// Foundation's scanf-based parser lets a space or a doubled hyphen through ("…-F333- 273-…"
    /// becomes "…-f333-0273-…"), so an id was stored other than as written. Such text is refused.
    @Test func malformedIDsThatFoundationWouldRepairAreRefused() {
        for text in [
            "6FB2271F-F333- 273-B49E-424E841C05C2", "AC9A6313-0654--874-9052-2C2E2A7DD762", " 0b7c4d0e-6a59-4c1f-9e59-3f0d3c1a000",
            "0b7c4d0e6a594c1f9e593f0d3c1a0001", "{0b7c4d0e-6a59-4c1f-9e59-3f0d3c1a0001}", "0b7c4d0g-6a59-4c1f-9e59-3f0d3c1a0001", "",
        ] {
            #expect(EventID(text) == nil, "\(text)")
        }
        #expect(UUID(uuidString: "6FB2271F-F333- 273-B49E-424E841C05C2") != nil, "the premise: Foundation repairs it")
    }
}
