/// Finds a quote in an article and anchors it as the W3C Web Annotation model does
/// (``Evidence``): its position in Unicode code points, up to 32 code points of prefix and suffix,
/// and the article's SHA-256. What `threatledger selector` prints and what the proposer uses, so a
/// hand-coded claim and a proposed one are anchored by the same code.
///
/// Matching is exact, code point for code point: no normalisation, no case folding, no tolerance
/// for diacritics (a quote is the article's own words, byte for byte).
public enum QuoteLocator {
    /// Code points of context on each side (``EvidenceCheck`` requires the stored ones to match).
    public static let contextLength = 32

    /// Why a quote cannot be anchored.
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case emptyQuote
        case absent(quote: String)
        /// The quote occurs more than once and no occurrence was chosen: the positions of each.
        case ambiguous(quote: String, starts: [Int])
        case noSuchOccurrence(quote: String, occurrence: Int, count: Int)

        public var description: String {
            switch self {
            case .emptyQuote: "the quote is empty"
            case .absent(let quote):
                "the quote \"\(quote)\" does not occur in the article (matching is exact, code point for code point: check diacritics, hamza forms, tatweel and spaces)"
            case .ambiguous(let quote, let starts):
                "the quote \"\(quote)\" occurs \(starts.count) times (at code points \(starts.map(String.init).joined(separator: ", "))): choose one with --occurrence 1…\(starts.count)"
            case .noSuchOccurrence(let quote, let occurrence, let count):
                "occurrence \(occurrence) of \"\(quote)\" was asked for, but it occurs \(count) time\(count == 1 ? "" : "s")"
            }
        }
    }

    /// Every start, in code points, where `quote` occurs in `article` (overlapping ones included).
    public static func starts(of quote: [Unicode.Scalar], in article: [Unicode.Scalar]) -> [Int] {
        guard !quote.isEmpty, quote.count <= article.count else { return [] }
        var found: [Int] = []
        let first = quote[0]
        var i = 0
        while i <= article.count - quote.count {
            if article[i] == first, article[i..<(i + quote.count)].elementsEqual(quote) { found.append(i) }
            i += 1
        }
        return found
    }

    /// The anchor of `quote` in `article`: the only occurrence, or the `occurrence`-th (from 1).
    public static func locate(_ quote: String, in article: String, occurrence: Int? = nil) throws(Failure) -> Evidence {
        let scalars = Array(article.unicodeScalars)
        let wanted = Array(quote.unicodeScalars)
        guard !wanted.isEmpty else { throw .emptyQuote }
        let found = starts(of: wanted, in: scalars)
        guard !found.isEmpty else { throw .absent(quote: quote) }
        let start: Int
        if let occurrence {
            guard occurrence >= 1, occurrence <= found.count else { throw .noSuchOccurrence(quote: quote, occurrence: occurrence, count: found.count) }
            start = found[occurrence - 1]
        } else {
            guard found.count == 1 else { throw .ambiguous(quote: quote, starts: found) }
            start = found[0]
        }
        return anchor(start: start, end: start + wanted.count, in: scalars, sha256: SHA256Hash.of(text: article).hex)
    }

    /// The anchor of the code points `start..<end` of an article given as its code points.
    public static func anchor(start: Int, end: Int, in article: [Unicode.Scalar], sha256: String) -> Evidence {
        func text(_ range: Range<Int>) -> String {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: article[range])
            return String(view)
        }
        return Evidence(
            articleSHA256: sha256, exact: text(start..<end), prefix: text(max(0, start - contextLength)..<start),
            suffix: text(end..<min(article.count, end + contextLength)), start: start, end: end)
    }
}
