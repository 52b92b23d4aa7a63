import Testing
import ThreatLedgerTesting

@testable import ThreatLedgerCore

/// The byte-level fast paths (eight bytes at a time, ``ByteScan``; normalization straight from UTF-8)
/// against plain one-byte and one-scalar references, on random text: every length around a word of
/// eight, and the bytes that matter at every position in it.
@Suite struct ByteScanTests {
    /// Random text mixing ASCII, the bytes each scan looks for, Arabic, Arabic-Indic digits, marks,
    /// bidirectional controls, C1 controls, and scalars of three and four bytes.
    static func text(_ random: inout GeneratedLog.RandomNumbers) -> String {
        let pieces: [String] = [
            "a", "7", " ", "\"", "\\", "\n", "\t", "\u{0}", "\u{1F}", "\u{7F}", "\u{85}", "\u{A0}", "©", ",", "،", "٬", "٫",
            "قتل", "أ", "إ", "آ", "ى", "ة", "ـ", "\u{064B}", "٣", "۵", "\u{200D}", "\u{202E}", "\u{2067}", "\u{2009}", "–", "€", "🙂", "\u{FEFF}",
        ]
        var text = ""
        for _ in 0..<random.below(24) { text += pieces[random.below(pieces.count)] }
        return text
    }

    /// RFC 8785's string escaping, one byte at a time.
    static func referenceEscaped(_ text: String) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "\"")]
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), byte]
            case 0x08: out += Array(#"\b"#.utf8)
            case 0x0C: out += Array(#"\f"#.utf8)
            case 0x0A: out += Array(#"\n"#.utf8)
            case 0x0D: out += Array(#"\r"#.utf8)
            case 0x09: out += Array(#"\t"#.utf8)
            case 0x00..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out += Array(#"\u00"#.utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            default: out.append(byte)
            }
        }
        return out + [UInt8(ascii: "\"")]
    }

    /// The free-text scan's verdict, one byte at a time.
    static func referenceMayHoldRefused(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        for (index, byte) in bytes.enumerated() {
            switch byte {
            case 0x00...0x08, 0x0B...0x1F, 0x7F: return true
            case 0xC2: if index + 1 < bytes.count, (0x80...0x9F).contains(bytes[index + 1]) { return true }
            case 0xE2: if index + 1 < bytes.count, bytes[index + 1] == 0x80 || bytes[index + 1] == 0x81 { return true }
            default: continue
            }
        }
        return false
    }

    /// Normalization for the quantity reader, one scalar at a time (as it was written first).
    static func referenceNormalized(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        var lastIsArabic = false
        func write(_ value: UInt32) {
            UTF8.encode(Unicode.Scalar(value)!) { out.append($0) }
            lastIsArabic = value >= 0x0600 && value <= 0x06FF
        }
        for scalar in text.unicodeScalars {
            let value = scalar.value
            switch value {
            case 0x0660...0x0669: write(value - 0x0660 + 0x30)
            case 0x06F0...0x06F9: write(value - 0x06F0 + 0x30)
            case 0x0640, 0x064B...0x065F, 0x0670, 0x200B...0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x061C, 0xFEFF: continue
            case 0x0623, 0x0625, 0x0622, 0x0671: write(0x0627)
            case 0x0649: write(0x064A)
            case 0x0629: write(0x0647)
            case 0x00A0, 0x2009, 0x202F, 0x0009, 0x000A: write(0x20)
            case 0x066C, 0x002C: continue
            case 0x066B: write(0x2E)
            default:
                if (0x30...0x39).contains(value), lastIsArabic { write(0x20) }
                write(value)
            }
        }
        return out
    }

    @Test func canonicalStringsEscapeExactlyAsOneByteAtATime() {
        var random = GeneratedLog.RandomNumbers(seed: 81)
        for _ in 0..<20_000 {
            let text = Self.text(&random)
            var out: [UInt8] = []
            CanonicalJSON.writeString(text, into: &out)
            #expect(out == Self.referenceEscaped(text), "\(Array(text.utf8))")
        }
    }

    @Test func theFreeTextScanFindsWhatOneByteAtATimeFinds() {
        var random = GeneratedLog.RandomNumbers(seed: 82)
        var refused = 0
        for _ in 0..<20_000 {
            let text = Self.text(&random)
            let expected = Self.referenceMayHoldRefused(text)
            #expect(FreeText.mayHoldRefused(text) == expected, "\(Array(text.utf8))")
            if expected { refused += 1 }
        }
        #expect(refused > 1_000 && refused < 19_000, "both verdicts are exercised (\(refused) refused)")
    }

    @Test func normalizingFromUTF8EqualsNormalizingScalarByScalar() {
        var random = GeneratedLog.RandomNumbers(seed: 83)
        for _ in 0..<20_000 {
            let text = Self.text(&random)
            #expect(ArabicQuantityReader.normalizedUTF8(text) == Self.referenceNormalized(text), "\(Array(text.utf8))")
        }
    }

    /// A figure's words are normalized once and joined with its selector's prefix and suffix
    /// normalized apart (``FigureWords``): the same bytes as normalizing the three joined by spaces.
    @Test func normalizingPartsApartAndJoiningThemWithSpacesIsNormalizingTheWhole() {
        var random = GeneratedLog.RandomNumbers(seed: 84)
        for _ in 0..<20_000 {
            let (prefix, words, suffix) = (Self.text(&random), Self.text(&random), Self.text(&random))
            let apart =
                ArabicQuantityReader.normalizedUTF8(prefix) + [0x20] + ArabicQuantityReader.normalizedUTF8(words) + [0x20]
                + ArabicQuantityReader.normalizedUTF8(suffix)
            #expect(apart == ArabicQuantityReader.normalizedUTF8(prefix + " " + words + " " + suffix), "\([prefix, words, suffix])")
        }
    }

    /// Each byte a scan looks for is found at every offset of a word and past it, in text of every
    /// length from 0 to 24.
    @Test func aByteOfInterestIsFoundAtEveryOffset() {
        for length in 0...24 {
            var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
            bytes.withUnsafeBufferPointer { #expect(ByteScan.firstIndex(in: $0, below: 0x20, orEqualTo: (0x22, 0x5C, 0x7F)) == length) }
            for position in 0..<length {
                for byte: UInt8 in [0x00, 0x1F, 0x22, 0x5C, 0x7F] {
                    bytes[position] = byte
                    bytes.withUnsafeBufferPointer {
                        #expect(ByteScan.firstIndex(in: $0, below: 0x20, orEqualTo: (0x22, 0x5C, 0x7F)) == position)
                        #expect(ByteScan.firstIndex(in: $0, from: min(position + 1, length), below: 0x20, orEqualTo: (0x22, 0x5C, 0x7F)) == length)
                    }
                    bytes[position] = UInt8(ascii: "a")
                }
                for byte: UInt8 in [0x20, 0x21, 0x23, 0x5B, 0x5D, 0x7E, 0x80, 0xFF] {  // neighbours, not of interest
                    bytes[position] = byte
                    bytes.withUnsafeBufferPointer { #expect(ByteScan.firstIndex(in: $0, below: 0x20, orEqualTo: (0x22, 0x5C, 0x7F)) == length) }
                    bytes[position] = UInt8(ascii: "a")
                }
            }
        }
    }
}
