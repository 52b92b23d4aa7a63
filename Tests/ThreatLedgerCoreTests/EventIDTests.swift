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

    /// Ids the log mints follow the clock (version 7), so the unique index on ids grows at its end
    /// instead of on a page chosen at random; within a process each sorts after the one before.
    @Test func mintedIDsAreVersionSevenAndEachSortsAfterTheOneBefore() {
        let ids = (0..<20_000).map { _ in EventID.random() }
        for id in ids {
            let characters = Array(id.rawValue)
            #expect(characters[14] == "7", "\(id) is not version 7")
            #expect("89ab".contains(characters[19]), "\(id) has not the RFC 9562 variant")
            #expect(EventID(id.rawValue) == id)
        }
        for (earlier, later) in zip(ids, ids.dropFirst()) { #expect(earlier < later, "\(earlier) then \(later)") }
        #expect(Set(ids).count == ids.count)
    }

    /// The first 48 bits of a minted id are the Unix time of its minting, in milliseconds.
    @Test func aMintedIDCarriesTheMillisecondItWasMadeIn() throws {
        let before = UInt64(Date().timeIntervalSince1970 * 1_000)
        let id = EventID.random()
        let after = UInt64(Date().timeIntervalSince1970 * 1_000)
        let hex = id.rawValue.replacingOccurrences(of: "-", with: "").prefix(12)
        let milliseconds = try #require(UInt64(hex, radix: 16))
        // Ids minted by other tests in this process may have pushed the stamp ahead by a few ticks
        // of 1/4096 ms each; a second is far more than that.
        #expect(milliseconds >= before && milliseconds <= after + 1_000, "\(id): \(milliseconds) not in \(before)...\(after)")
    }

    /// The layout, bit by bit: 48 bits of milliseconds, version 7, 12 bits of the millisecond's
    /// fraction, the variant, 62 random bits.
    @Test func aTimeOrderedIDLaysOutItsStampVersionVariantAndRandomBits() {
        let stamp: UInt64 = (0x0123_4567_89AB << 12) | 0xCDE
        #expect(EventID.timeOrdered(stamp: stamp, random: .max).rawValue == "01234567-89ab-7cde-bfff-ffffffffffff")
        #expect(EventID.timeOrdered(stamp: stamp, random: 0).rawValue == "01234567-89ab-7cde-8000-000000000000")
        #expect(EventID.timeOrdered(stamp: stamp + 1, random: 0) > EventID.timeOrdered(stamp: stamp, random: .max))
    }
}
