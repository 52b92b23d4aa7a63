/// A word of a normalized phrase as ``ArabicQuantityReader`` compares it: one algorithm, two ways of
/// holding a word.
///
/// - `String` compares as Swift compares text: by extended grapheme clusters, under canonical
///   equivalence. Every comparison and every dictionary lookup of Arabic text then consults Unicode
///   normalization data, which made reading a figure's words most of the figure-words rule's time.
/// - ``UTF8Word`` compares bytes, and counts and drops Unicode scalars.
///
/// The two agree on every phrase whose normalized text is *plain* (``UTF8Word/isPlain(_:)``): each of
/// its scalars is a grapheme cluster of its own and none has a canonical equivalent another plain
/// text could spell differently. The reader reads plain phrases (all the articles' figures) as bytes
/// and anything else (a stray combining mark, a script it does not know) as Strings, so a reading
/// never depends on which way was taken; `FuzzTests.plainPhrasesReadTheSameAsBytesAndAsStrings`
/// reads the seed figures and the fuzz phrases both ways.
protocol QuantityToken: Hashable, Sendable {
    /// A vocabulary word, given in normalized form.
    init(word: String)
    /// The word as text, for a reading that names it.
    var text: String { get }
    /// The number the word is written as in ASCII digits (`Int64(String)`: an optional sign, digits,
    /// nil past Int64).
    var integer: Int64? { get }
    /// How many characters the word has (grapheme clusters for `String`, scalars for bytes).
    var length: Int { get }
    func hasPrefix(_ prefix: Self) -> Bool
    /// The word without its first `count` characters.
    func dropping(_ count: Int) -> Self
}

extension String: QuantityToken {
    init(word: String) { self = word }
    var text: String { self }
    var integer: Int64? { Int64(self) }
    var length: Int { count }
    func dropping(_ count: Int) -> String { String(dropFirst(count)) }
}

/// A word as the UTF-8 bytes of its normalized text (see ``QuantityToken``).
struct UTF8Word: QuantityToken {
    let bytes: [UInt8]

    init(word: String) { bytes = Array(word.utf8) }
    init(_ bytes: some Sequence<UInt8>) { self.bytes = Array(bytes) }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    var integer: Int64? {
        guard let first = bytes.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") || (0x30...0x39).contains(first) else {
            return nil
        }
        return Int64(text)
    }

    /// Scalars: every byte but a continuation byte starts one.
    var length: Int { bytes.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) } }

    func hasPrefix(_ prefix: UTF8Word) -> Bool {
        bytes.starts(with: prefix.bytes)
    }

    func dropping(_ count: Int) -> UTF8Word {
        var index = 0
        var dropped = 0
        while index < bytes.count, dropped < count {
            index += 1
            while index < bytes.count, bytes[index] & 0xC0 == 0x80 { index += 1 }
            dropped += 1
        }
        return UTF8Word(bytes[index...])
    }

    /// Whether normalized UTF-8 text is plain: only ASCII, the Arabic letters U+0620–U+064A and the
    /// en dash (a range separator). Each such scalar is a grapheme cluster of its own (none extends,
    /// prepends or joins another), and the only ones with canonical decompositions (ؤ U+0624, ئ
    /// U+0626; the other hamza forms are folded to ا) decompose with U+0654, which normalization
    /// removes, so two plain texts are canonically equivalent exactly when their bytes are equal.
    static func isPlain(_ normalized: [UInt8]) -> Bool {
        var index = 0
        while index < normalized.count {
            let lead = normalized[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            guard index + 1 < normalized.count else { return false }
            let next = normalized[index + 1]
            // U+0620–U+063F is D8 A0–BF; U+0640–U+064A is D9 80–8A (U+0640, tatweel, never survives normalization).
            if (lead == 0xD8 && next >= 0xA0 && next <= 0xBF) || (lead == 0xD9 && next <= 0x8A) {
                index += 2
                continue
            }
            // U+2013 EN DASH is E2 80 93.
            if lead == 0xE2, next == 0x80, index + 2 < normalized.count, normalized[index + 2] == 0x93 {
                index += 3
                continue
            }
            return false
        }
        return true
    }
}
