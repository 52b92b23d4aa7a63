/// An Arabic text folded for matching, with the way back to the original's code points: diacritics,
/// tatweel and zero-width and bidirectional marks dropped; hamza forms of alef (أ إ آ ٱ) as ا, ى and ئ
/// as ي, ؤ as و, ة as ه; Arabic-Indic and Extended Arabic-Indic digits as ASCII. The proposer matches
/// its lexicon in the folded text and quotes the original: tolerance in matching, never in the
/// stored quote.
public struct FoldedText: Sendable {
    /// The folded code points.
    public let scalars: [Unicode.Scalar]
    /// For each folded code point, the index of the original code point it came from.
    public let origin: [Int]
    /// The original's code points.
    public let original: [Unicode.Scalar]

    public init(_ text: String) {
        original = Array(text.unicodeScalars)
        var scalars: [Unicode.Scalar] = []
        var origin: [Int] = []
        scalars.reserveCapacity(original.count)
        for (index, scalar) in original.enumerated() {
            guard let folded = Self.fold(scalar) else { continue }
            scalars.append(folded)
            origin.append(index)
        }
        self.scalars = scalars
        self.origin = origin
    }

    /// One code point folded, or nil when matching ignores it.
    public static func fold(_ scalar: Unicode.Scalar) -> Unicode.Scalar? {
        let value = scalar.value
        switch value {
        case 0x064B...0x065F, 0x0670, 0x0640, 0x200B...0x200F, 0x202A...0x202E, 0x2066...0x2069: return nil
        case 0x0623, 0x0625, 0x0622, 0x0671: return "\u{0627}"
        case 0x0649, 0x0626: return "\u{064A}"
        case 0x0624: return "\u{0648}"
        case 0x0629: return "\u{0647}"
        case 0x0660...0x0669: return Unicode.Scalar(value - 0x0660 + 0x30)
        case 0x06F0...0x06F9: return Unicode.Scalar(value - 0x06F0 + 0x30)
        default: return scalar
        }
    }

    /// A pattern folded the same way.
    public static func folded(_ text: String) -> [Unicode.Scalar] { text.unicodeScalars.compactMap(fold) }

    /// The original code points a folded range covers.
    public func originalRange(_ range: Range<Int>) -> Range<Int> {
        guard !range.isEmpty else { return origin.indices.contains(range.lowerBound) ? origin[range.lowerBound]..<origin[range.lowerBound] : 0..<0 }
        return origin[range.lowerBound]..<(origin[range.upperBound - 1] + 1)
    }

    /// Every start of `pattern` (folded) in the folded text within `range`.
    public func find(_ pattern: [Unicode.Scalar], in range: Range<Int>) -> [Int] {
        guard !pattern.isEmpty, range.count >= pattern.count else { return [] }
        var found: [Int] = []
        var i = range.lowerBound
        while i <= range.upperBound - pattern.count {
            if scalars[i] == pattern[0], scalars[i..<(i + pattern.count)].elementsEqual(pattern) { found.append(i) }
            i += 1
        }
        return found
    }

    /// The folded text of a range, as a string.
    public func string(_ range: Range<Int>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[range])
        return String(view)
    }

    /// Whether the folded code point at `index` is a letter or digit (part of a word).
    public func isWordCharacter(_ index: Int) -> Bool {
        scalars.indices.contains(index) && (scalars[index].properties.isAlphabetic || ("0"..."9").contains(scalars[index]))
    }
}
