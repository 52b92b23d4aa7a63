import ThreatLedgerCore
import ThreatLedgerStore

/// Finds words in a registered source's article and writes their evidence with Core's
/// ``QuoteLocator`` (the anchor `threatledger selector` prints), so that an analyst types the
/// words, not the offsets.
enum SourceQuote {
    /// The evidence of `quote` in `source`'s article: its only occurrence, or the one at `start`.
    static func evidence(quoting quote: String, at start: Int?, source: String, store: any EventLog) async throws -> JSONValue {
        guard let stream = try? StreamName.entity("source", source),
            let registered = try await store.readStream(stream, fromVersion: 1, limit: 1).first
        else { throw CommandFailure("--source \(source): no such source in the log") }
        let payload = try registered.payload()
        let text = Array((payload["text"]?.stringValue ?? "").unicodeScalars)
        let needle = Array(quote.unicodeScalars)
        let found = QuoteLocator.starts(of: needle, in: text)
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
        return QuoteLocator.anchor(start: chosen, end: chosen + needle.count, in: text, sha256: payload["text_sha256"]?.stringValue ?? "").json
    }
}
