/// A small matcher for the regular expressions ThreatLedger's schemas use, run on Unicode scalars
/// without Foundation: on Linux, `NSRegularExpression` bridges every string to UTF-16 first, and
/// that cost a few microseconds per pattern per event on the append path.
///
/// It understands a strict subset of ECMA-262 syntax: the anchors `^` and `$`; literals and
/// escaped literals; `.`; classes `[…]` and `[^…]` with ranges, escapes and `\p{L}`, `\p{M}`,
/// `\p{N}`; groups `(…)`; and the quantifiers `*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`. Anything
/// else (alternation, lookaround, backreferences, other escapes) makes ``init(_:)`` return nil,
/// and the validator falls back to `NSRegularExpression`, so no pattern is ever matched by rules
/// it does not state. `SimplePatternTests` checks it against `NSRegularExpression` on every
/// schema pattern. One difference is deliberate: `$` matches only at the very end, as ECMA-262
/// (and so JSON Schema) says, where ICU also matches before a final line break, which let a
/// country code like "SY\n" through.
struct SimplePattern: Sendable {
    enum Property: Sendable { case letter, mark, number }

    enum Atom: Sendable {
        case any
        case scalar(Unicode.Scalar)
        case set(ranges: [ClosedRange<UInt32>], properties: [Property], negated: Bool)
        case group([Piece])
    }

    struct Piece: Sendable {
        var atom: Atom
        var min = 1
        var max = 1
    }

    /// A piece for ASCII text: its atom as a set of 128 bytes, built by asking the scalar matcher
    /// about each of them, so both paths agree by construction. Trivial to copy (no references).
    struct ASCIIPiece: Sendable {
        var low: UInt64 = 0, high: UInt64 = 0
        var min: Int, max: Int

        func contains(_ byte: UInt8) -> Bool {
            byte < 64 ? low & (1 << UInt64(byte)) != 0 : high & (1 << UInt64(byte - 64)) != 0
        }
    }

    let pieces: [Piece]
    /// The pieces for text that is all ASCII (nearly every id and code), nil for a pattern with a
    /// group: such text is matched on its UTF-8 bytes without a reference count touched per step.
    let asciiPieces: [ASCIIPiece]?
    let anchoredStart: Bool
    let anchoredEnd: Bool

    init?(_ pattern: String) {
        var scalars = Array(pattern.unicodeScalars)
        anchoredStart = scalars.first == "^"
        if anchoredStart { scalars.removeFirst() }
        anchoredEnd = scalars.last == "$" && (scalars.count < 2 || scalars[scalars.count - 2] != "\\")
        if anchoredEnd { scalars.removeLast() }
        var index = 0
        guard let pieces = Self.parseSequence(scalars, &index, inGroup: false), index == scalars.count else { return nil }
        self.pieces = pieces
        var ascii: [ASCIIPiece]? = []
        for piece in pieces {
            if case .group = piece.atom {
                ascii = nil
                break
            }
            var flat = ASCIIPiece(min: piece.min, max: piece.max)
            for byte in 0..<UInt8(128) where Self.matchesScalar(piece.atom, Unicode.Scalar(byte)) {
                if byte < 64 { flat.low |= 1 << UInt64(byte) } else { flat.high |= 1 << UInt64(byte - 64) }
            }
            ascii?.append(flat)
        }
        asciiPieces = ascii
    }

    // MARK: Parsing

    private static func parseSequence(_ s: [Unicode.Scalar], _ i: inout Int, inGroup: Bool) -> [Piece]? {
        var pieces: [Piece] = []
        while i < s.count {
            let c = s[i]
            if c == ")" { return inGroup ? pieces : nil }
            var atom: Atom
            switch c {
            case "(":
                i += 1
                if i < s.count, s[i] == "?" { return nil }  // non-capturing groups, lookaround
                guard let inner = parseSequence(s, &i, inGroup: true), i < s.count, s[i] == ")" else { return nil }
                i += 1
                atom = .group(inner)
            case "[":
                guard let set = parseClass(s, &i) else { return nil }
                atom = set
            case ".":
                i += 1
                atom = .any
            case "\\":
                guard i + 1 < s.count, let escaped = escapedLiteral(s[i + 1]) else { return nil }
                i += 2
                atom = .scalar(escaped)
            case "|", "^", "$", "*", "+", "?", "{", "}", "]":
                return nil
            default:
                i += 1
                atom = .scalar(c)
            }
            var piece = Piece(atom: atom)
            if i < s.count {
                switch s[i] {
                case "*":
                    (piece.min, piece.max) = (0, Int.max)
                    i += 1
                case "+":
                    (piece.min, piece.max) = (1, Int.max)
                    i += 1
                case "?":
                    (piece.min, piece.max) = (0, 1)
                    i += 1
                case "{":
                    guard let (low, high) = parseBraces(s, &i) else { return nil }
                    (piece.min, piece.max) = (low, high)
                default: break
                }
                if i < s.count, ["*", "+", "?", "{"].contains(s[i]) { return nil }  // lazy or possessive forms
            }
            pieces.append(piece)
        }
        return inGroup ? nil : pieces
    }

    private static func escapedLiteral(_ c: Unicode.Scalar) -> Unicode.Scalar? {
        "\\^$.|?*+()[]{}/-".unicodeScalars.contains(c) ? c : nil
    }

    private static func parseBraces(_ s: [Unicode.Scalar], _ i: inout Int) -> (Int, Int)? {
        i += 1
        func number() -> Int? {
            var value: Int?
            while i < s.count, let digit = Int(String(s[i])), ("0"..."9").contains(s[i]) {
                value = (value ?? 0) * 10 + digit
                i += 1
            }
            return value
        }
        guard let low = number() else { return nil }
        var high = low
        if i < s.count, s[i] == "," {
            i += 1
            high = number() ?? Int.max
        }
        guard i < s.count, s[i] == "}", low <= high else { return nil }
        i += 1
        return (low, high)
    }

    private static func parseClass(_ s: [Unicode.Scalar], _ i: inout Int) -> Atom? {
        i += 1
        var negated = false
        if i < s.count, s[i] == "^" {
            negated = true
            i += 1
        }
        var ranges: [ClosedRange<UInt32>] = []
        var properties: [Property] = []
        var first = true
        while i < s.count {
            var c = s[i]
            if c == "]", !first {
                i += 1
                return .set(ranges: ranges, properties: properties, negated: negated)
            }
            first = false
            if c == "\\" {
                guard i + 1 < s.count else { return nil }
                if s[i + 1] == "p" {
                    guard i + 4 < s.count, s[i + 2] == "{", s[i + 4] == "}" else { return nil }
                    switch s[i + 3] {
                    case "L": properties.append(.letter)
                    case "M": properties.append(.mark)
                    case "N": properties.append(.number)
                    default: return nil
                    }
                    i += 5
                    continue
                }
                guard let escaped = escapedLiteral(s[i + 1]) else { return nil }
                c = escaped
                i += 2
            } else {
                i += 1
            }
            if i + 1 < s.count, s[i] == "-", s[i + 1] != "]" {
                var upper = s[i + 1]
                i += 2
                if upper == "\\" {
                    guard i < s.count, let escaped = escapedLiteral(s[i]) else { return nil }
                    upper = escaped
                    i += 1
                }
                guard c.value <= upper.value else { return nil }
                ranges.append(c.value...upper.value)
            } else {
                ranges.append(c.value...c.value)
            }
        }
        return nil
    }

    // MARK: Matching

    /// Whether the pattern matches `text` (anywhere, unless anchored).
    func matches(_ text: String) -> Bool {
        if let asciiPieces {
            let settled: Bool?? = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool? in
                guard !bytes.contains(where: { $0 >= 0x80 }) else { return nil }
                return asciiPieces.withUnsafeBufferPointer { pieces in
                    if anchoredStart { return Self.matchASCII(pieces, 0, 0, bytes, anchoredEnd) }
                    for start in 0...bytes.count where Self.matchASCII(pieces, 0, start, bytes, anchoredEnd) { return true }
                    return false
                }
            }
            if case .some(.some(let result)) = settled { return result }
        }
        // The scalars go in a temporary buffer (on the stack when small), not a heap array per match.
        let count = text.scalarCount
        return withUnsafeTemporaryAllocation(of: Unicode.Scalar.self, capacity: count) { buffer in
            var filled = 0
            for scalar in text.unicodeScalars {
                buffer.initializeElement(at: filled, to: scalar)
                filled += 1
            }
            let scalars = UnsafeBufferPointer(buffer)
            let accept: (Int) -> Bool = anchoredEnd ? { $0 == count } : { _ in true }
            if anchoredStart { return Self.match(pieces, 0, 0, scalars, accept) }
            for start in 0...count where Self.match(pieces, 0, start, scalars, accept) { return true }
            return false
        }
    }

    private static func match(_ pieces: [Piece], _ k: Int, _ i: Int, _ s: UnsafeBufferPointer<Unicode.Scalar>, _ next: (Int) -> Bool) -> Bool {
        guard k < pieces.count else { return next(i) }
        let piece = pieces[k]
        if case .group = piece.atom {
            // Greedy repetition of a group, backtracking through continuations (rare: language tags).
            func repeatFrom(_ count: Int, _ i: Int) -> Bool {
                if count < piece.max, matchAtom(piece.atom, i, s, { j in j != i && repeatFrom(count + 1, j) }) { return true }
                return count >= piece.min && match(pieces, k + 1, i, s, next)
            }
            return repeatFrom(0, i)
        }
        // A one-scalar atom: take as many as allowed, then give back one at a time.
        var taken = 0
        while taken < piece.max, i + taken < s.count, matchesScalar(piece.atom, s[i + taken]) { taken += 1 }
        while taken >= piece.min {
            if match(pieces, k + 1, i + taken, s, next) { return true }
            taken -= 1
        }
        return false
    }

    private static func matchASCII(
        _ pieces: UnsafeBufferPointer<ASCIIPiece>, _ k: Int, _ i: Int, _ s: UnsafeBufferPointer<UInt8>, _ anchoredEnd: Bool
    ) -> Bool {
        guard k < pieces.count else { return !anchoredEnd || i == s.count }
        let piece = pieces[k]
        var taken = 0
        while taken < piece.max, i + taken < s.count, piece.contains(s[i + taken]) { taken += 1 }
        while taken >= piece.min {
            if matchASCII(pieces, k + 1, i + taken, s, anchoredEnd) { return true }
            taken -= 1
        }
        return false
    }

    private static func matchesScalar(_ atom: Atom, _ c: Unicode.Scalar) -> Bool {
        switch atom {
        case .group: return false
        case .any: return !["\n", "\r", "\u{85}", "\u{2028}", "\u{2029}"].contains(c)
        case .scalar(let expected): return c == expected
        case .set(let ranges, let properties, let negated):
            var inSet = ranges.contains { $0.contains(c.value) }
            if !inSet, !properties.isEmpty {
                let category = c.properties.generalCategory
                inSet = properties.contains { property in
                    switch property {
                    case .letter: [.uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter].contains(category)
                    case .mark: [.nonspacingMark, .spacingMark, .enclosingMark].contains(category)
                    case .number: [.decimalNumber, .letterNumber, .otherNumber].contains(category)
                    }
                }
            }
            return inSet != negated
        }
    }

    private static func matchAtom(_ atom: Atom, _ i: Int, _ s: UnsafeBufferPointer<Unicode.Scalar>, _ next: (Int) -> Bool) -> Bool {
        if case .group(let inner) = atom { return match(inner, 0, i, s, next) }
        return i < s.count && matchesScalar(atom, s[i]) && next(i + 1)
    }
}
