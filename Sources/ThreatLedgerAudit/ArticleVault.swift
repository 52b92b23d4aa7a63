import Synchronization
import ThreatLedgerCore
import ThreatLedgerStore

/// Article texts read back from the log's `SourceRegistered` events, each re-hashed on every read:
/// a trace never shows a quote from a text whose SHA-256 it has not just checked.
///
/// With ``DecodedArticles`` (a server shares one across requests), the event's stored payload is
/// still read from the log and hashed on every read, but a payload whose bytes hash to one already
/// decoded is not parsed again: identical bytes hold the identical text, so its stated and computed
/// SHA-256 are the ones found then. An article altered in the log has other bytes, and is decoded
/// and hashed afresh.
public actor ArticleVault {
    public struct Article: Sendable {
        public let sourceID: String
        public let text: String
        public let scalars: [Unicode.Scalar]
        public let statedSHA256: String
        public let computedSHA256: String
        /// What the article says about itself, as registered.
        public let description: SourceDescription
        public var verified: Bool { statedSHA256 == computedSHA256 }
    }

    let log: any EventLog
    let decoded: DecodedArticles?
    var cache: [String: Article] = [:]

    public init(log: any EventLog, decoded: DecodedArticles? = nil) {
        self.log = log
        self.decoded = decoded
    }

    public func article(_ sourceID: String) async throws -> Article? {
        if let cached = cache[sourceID] { return cached }
        guard let stream = try? StreamName.entity("source", sourceID),
            let event = try await log.readStream(stream, fromVersion: 1, limit: 1).first
        else { return nil }
        // A source corrected since is read whole: its metadata as corrected (the text never changes).
        let corrected = try await log.streamVersion(stream) > 1
        let bytesDigest = corrected ? nil : decoded.map { _ in SHA256Hash.of(text: event.payloadJSON) }
        if let bytesDigest, let known = decoded?.article(bytesDigest), known.sourceID == sourceID {
            cache[sourceID] = known
            return known
        }
        var payload = try event.payload()
        if corrected {
            let steps = try await log.readWholeStream(stream).map {
                ClaimEditRules.Step(type: EventType(rawValue: $0.type) ?? .sourceRegistered, payload: try $0.payload())
            }
            payload = SourceEditRules.current(steps)?.fields ?? payload
        }
        let description = try SourceDescription(json: payload, path: "source \(sourceID)")
        let text = payload["text"]?.stringValue ?? ""
        let article = Article(
            sourceID: sourceID, text: text, scalars: Array(text.unicodeScalars), statedSHA256: description.textSHA256,
            computedSHA256: SHA256Hash.of(text: text).hex, description: description)
        cache[sourceID] = article
        if let bytesDigest { decoded?.keep(article, for: bytesDigest) }
        return article
    }
}

/// Articles decoded from `SourceRegistered` payloads, keyed by the SHA-256 of the payload's stored
/// bytes, shared by the traces of one server (see ``ArticleVault``). Bounded: past `capacity`
/// articles it starts again empty.
public final class DecodedArticles: Sendable {
    private let articles = Mutex<[SHA256Hash: ArticleVault.Article]>([:])
    let capacity: Int

    public init(capacity: Int = 4_096) {
        self.capacity = capacity
    }

    func article(_ digest: SHA256Hash) -> ArticleVault.Article? {
        articles.withLock { $0[digest] }
    }

    func keep(_ article: ArticleVault.Article, for digest: SHA256Hash) {
        articles.withLock { known in
            if known.count >= capacity { known.removeAll(keepingCapacity: true) }
            known[digest] = article
        }
    }
}

/// A piece of evidence checked against its article: the quote found (or not) at its code-point
/// positions, and the sentence around it.
public struct ResolvedEvidence: Sendable, Equatable {
    public let exact: String
    public let start: Int
    public let end: Int
    /// The article's text at [start, end): equal to `exact` when the evidence holds.
    public let found: String
    public let sentence: String
    public let sentenceStart: Int
    public let articleVerified: Bool

    public var holds: Bool { quoteAtPosition && articleVerified }

    /// Whether the text at the position is the quote, code point for code point (String's `==`
    /// would accept canonically equivalent text, which is not what the article says).
    public var quoteAtPosition: Bool { found.unicodeScalars.elementsEqual(exact.unicodeScalars) }

    /// Checks `evidence` (W3C selectors) against `article`.
    public static func resolve(_ evidence: Evidence, in article: ArticleVault.Article) -> ResolvedEvidence {
        let exact = evidence.exact
        let start = evidence.start
        let end = evidence.end
        let scalars = article.scalars
        func slice(_ a: Int, _ b: Int) -> String {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[max(0, min(a, scalars.count))..<max(0, min(b, scalars.count))])
            return String(view)
        }
        let found = start <= end ? slice(start, end) : ""
        // The sentence: back to the previous sentence end or line break, forward to the next.
        let stops: Set<UInt32> = [0x2E, 0x21, 0x3F, 0x061F, 0x06D4, 0x0A, 0x3002]
        var sentenceStart = min(start, scalars.count)
        while sentenceStart > 0, !stops.contains(scalars[sentenceStart - 1].value) { sentenceStart -= 1 }
        var sentenceEnd = min(max(end, start), scalars.count)
        while sentenceEnd < scalars.count, !stops.contains(scalars[sentenceEnd].value) { sentenceEnd += 1 }
        if sentenceEnd < scalars.count, scalars[sentenceEnd].value != 0x0A { sentenceEnd += 1 }
        let sentence = slice(sentenceStart, sentenceEnd).trimmingWhitespace()
        return ResolvedEvidence(
            exact: exact, start: start, end: end, found: found, sentence: sentence, sentenceStart: sentenceStart,
            articleVerified: article.verified)
    }

    public var json: JSONValue {
        [
            "exact": .string(exact), "start": .number(Double(start)), "end": .number(Double(end)),
            "quote_at_position": .bool(quoteAtPosition), "sentence": .string(sentence),
            "sentence_start": .number(Double(sentenceStart)),
        ]
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self).unicodeScalars
        while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}
