import ThreatLedgerCore
import ThreatLedgerStore

/// Finds words in a registered source's article and writes their evidence (W3C Web Annotation
/// selectors: the exact quote with up to 32 code points of prefix and suffix, its code-point
/// position, the article's SHA-256), so that an analyst types the words, not the offsets.
enum QuoteLocator {
    static let contextLength = 32

    /// The evidence of `quote` in `source`'s article: its only occurrence, or the one at `start`.
    static func evidence(quoting quote: String, at start: Int?, source: String, store: any EventLog) async throws -> JSONValue {
        guard let stream = try? StreamName.entity("source", source),
            let registered = try await store.readStream(stream, fromVersion: 1, limit: 1).first
        else { throw CommandFailure("--source \(source): no such source in the log") }
        let payload = try registered.payload()
        let text = Array((payload["text"]?.stringValue ?? "").unicodeScalars)
        let needle = Array(quote.unicodeScalars)
        guard !needle.isEmpty, needle.count <= text.count else { throw CommandFailure("--quote: the words are not in source \(source)'s article") }
        let found = (0...(text.count - needle.count)).filter { Array(text[$0..<$0 + needle.count]) == needle }
        let chosen: Int
        if let start {
            guard found.contains(start) else {
                throw CommandFailure(
                    "--at \(start): the words do not stand there in source \(source)'s article (they stand at \(found.isEmpty ? "no position" : found.map(String.init).joined(separator: ", ")))"
                )
            }
            chosen = start
        } else {
            guard let only = found.first else {
                throw CommandFailure("--quote: the words are not in source \(source)'s article (matching is exact: no normalization)")
            }
            guard found.count == 1 else {
                throw CommandFailure(
                    "--quote: the words stand \(found.count) times in source \(source)'s article (at \(found.map(String.init).joined(separator: ", "))); choose one with --at"
                )
            }
            chosen = only
        }
        let end = chosen + needle.count
        func string(_ range: Range<Int>) -> String { String(String.UnicodeScalarView(text[range])) }
        return [
            "article_sha256": payload["text_sha256"] ?? .null,
            "quote": [
                "type": "TextQuoteSelector", "exact": .string(quote),
                "prefix": .string(string(max(0, chosen - contextLength)..<chosen)),
                "suffix": .string(string(end..<min(text.count, end + contextLength))),
            ],
            "position": ["type": "TextPositionSelector", "start": .number(Double(chosen)), "end": .number(Double(end))],
        ]
    }
}
