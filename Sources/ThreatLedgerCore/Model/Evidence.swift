/// Where a coded value stands in its article, as the W3C Web Annotation model anchors it: the exact
/// quote with up to 32 code points on either side (`TextQuoteSelector`), its position in Unicode
/// code points (`TextPositionSelector`), and the SHA-256 of the article's UTF-8 text
/// (`schemas/evidence.schema.json`).
public struct Evidence: Sendable, Hashable {
    public var articleSHA256: String
    public var exact: String
    public var prefix: String
    public var suffix: String
    /// The quote's first code point, counted from 0.
    public var start: Int
    /// One past the quote's last code point.
    public var end: Int

    public init(articleSHA256: String, exact: String, prefix: String, suffix: String, start: Int, end: Int) {
        self.articleSHA256 = articleSHA256
        self.exact = exact
        self.prefix = prefix
        self.suffix = suffix
        self.start = start
        self.end = end
    }

    public init(json: JSONValue?, path: String) throws(ModelDecodingError) {
        let reader = try ModelReader(json, path: path)
        let quote = try reader.nested("quote")
        let position = try reader.nested("position")
        self.init(
            articleSHA256: try reader.string("article_sha256"), exact: try quote.string("exact"),
            prefix: try quote.string("prefix"), suffix: try quote.string("suffix"), start: Int(try position.integer("start")),
            end: Int(try position.integer("end")))
    }

    /// The anchor as the schema writes it.
    public var json: JSONValue {
        [
            "article_sha256": .string(articleSHA256),
            "quote": ["type": "TextQuoteSelector", "exact": .string(exact), "prefix": .string(prefix), "suffix": .string(suffix)],
            "position": ["type": "TextPositionSelector", "start": .number(Double(start)), "end": .number(Double(end))],
        ]
    }
}
