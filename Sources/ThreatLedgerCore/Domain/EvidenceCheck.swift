/// Whether evidence really stands in its article: each quote at its stated code-point position,
/// with its prefix and suffix, in the article whose SHA-256 it names. Matching is exact: no Unicode
/// normalization, so a quote with an inserted bidi override or zero-width character does not match.
/// Used by ingest and by every append (the CLI's and the API's), so no write path can bind a claim
/// to words its article does not hold.
///
/// A figure of basis `dataset` is checked here too, against the dataset row its source stores: each
/// bound must be the whole number in the column its `dataset_fields` names. A source that is an
/// article (no dataset row) cannot carry one.
public enum EvidenceCheck {
    /// An article as code points, with its hash.
    public struct Article: Sendable {
        public let scalars: [Unicode.Scalar]
        public let sha256: String
        /// The dataset row the source was imported from, if it was.
        public let dataset: DatasetRow?

        public init(text: String, sha256: String, dataset: DatasetRow? = nil) {
            self.scalars = Array(text.unicodeScalars)
            self.sha256 = sha256
            self.dataset = dataset
        }

        /// The article a `SourceRegistered` payload carries (its `text`, `text_sha256` and `dataset_row`).
        public init(sourceRegistered payload: JSONValue) {
            self.init(
                text: payload["text"]?.stringValue ?? "", sha256: payload["text_sha256"]?.stringValue ?? "",
                dataset: try? payload["dataset_row"].flatMap { $0.isNull ? nil : try DatasetRow(json: $0, path: "dataset_row") })
        }

        /// Whether `text` is exactly the code points from `start` to `end`: compared scalar by scalar,
        /// never with String's `==`, which treats canonically equivalent text (reordered Arabic marks,
        /// a decomposed hamza) as equal.
        func holds(_ text: String, from start: Int, to end: Int) -> Bool {
            guard start >= 0, start <= end, end <= scalars.count else { return false }
            var index = start
            for scalar in text.unicodeScalars {
                guard index < end, scalars[index] == scalar else { return false }
                index += 1
            }
            return index == end
        }

        func occurrences(of quote: String) -> [Int] {
            let needle = Array(quote.unicodeScalars)
            guard !needle.isEmpty, needle.count <= scalars.count else { return [] }
            return (0...(scalars.count - needle.count)).filter { start in
                scalars[start] == needle[0] && Array(scalars[start..<start + needle.count]) == needle
            }
        }
    }

    /// The part of a claim's or a correction's payload whose evidence must stand in its source's
    /// article, and where that part sits: the whole claim, or a correction's `changes`. Nil for the
    /// other event types.
    public static func checkedPart(of payload: JSONValue, type: EventType) -> (value: JSONValue, path: JSONPath)? {
        switch type {
        case .claimRecorded: (payload, .root)
        case .claimCorrected: (payload["changes"] ?? .null, JSONPath.root.appending("changes"))
        default: nil
        }
    }

    /// The first evidence under `value` that does not stand in `article`: its field and why. Valid
    /// input is checked in one pass with no paths built; only a failure is walked again in
    /// canonical key order, so the same input always names the same field.
    public static func firstFailure(in value: JSONValue, at path: JSONPath = .root, article: Article) -> (field: String, reason: String)? {
        if allHold(in: value, article: article) { return nil }
        return report(in: value, at: path, article: article)
    }

    private static func allHold(in value: JSONValue, article: Article) -> Bool {
        switch value {
        case .object(let members):
            if let quote = members["quote"], let position = members["position"], let hash = members["article_sha256"] {
                return problem(quote: quote, position: position, hash: hash, article: article) == nil
            }
            if members["basis"] == .string("dataset"), datasetProblem(figure: value, article: article) != nil { return false }
            return members.values.allSatisfy { allHold(in: $0, article: article) }
        case .array(let elements):
            return elements.allSatisfy { allHold(in: $0, article: article) }
        default:
            return true
        }
    }

    private static func report(in value: JSONValue, at path: JSONPath, article: Article) -> (field: String, reason: String)? {
        switch value {
        case .object(let members):
            if let quote = members["quote"], let position = members["position"], let hash = members["article_sha256"] {
                return problem(quote: quote, position: position, hash: hash, article: article).map { (path.description + $0.field, $0.reason) }
            }
            if members["basis"] == .string("dataset"), let failure = datasetProblem(figure: value, article: article) {
                return (path.description + failure.field, failure.reason)
            }
            for key in CanonicalJSON.sortedKeys(members.keys) {
                if let failure = report(in: members[key]!, at: path.appending(key), article: article) { return failure }
            }
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                if let failure = report(in: element, at: path.appending(index: index), article: article) { return failure }
            }
        default:
            break
        }
        return nil
    }

    /// What is wrong with one dataset figure, if anything: each bound must be the number in the
    /// column of the source's dataset row that its `dataset_fields` names.
    static func datasetProblem(figure: JSONValue, article: Article) -> (field: String, reason: String)? {
        guard let row = article.dataset else {
            return (".basis", "a figure of basis dataset needs a source imported from a dataset; source article \(article.sha256) is not")
        }
        for bound in ["low", "high"] {
            guard let column = figure["dataset_fields"]?[bound]?.stringValue else { continue }
            let coded = figure[bound]?.integerValue
            switch row.count(in: column) {
            case .failure(let problem):
                return (".dataset_fields.\(bound)", "names \(column), but in \(row.dataset.displayName) row \(row.rowID) \(problem)")
            case .success(let count) where count != coded:
                return (
                    ".\(bound)",
                    "is \(coded.map(String.init) ?? "null"), but \(row.dataset.displayName) row \(row.rowID) gives \(column) = \(count)"
                )
            default:
                continue
            }
        }
        return nil
    }

    /// What is wrong with one piece of evidence, if anything: the field under it and why.
    private static func problem(quote: JSONValue, position: JSONValue, hash: JSONValue, article: Article) -> (field: String, reason: String)? {
        guard hash.stringValue == article.sha256 else {
            return (".article_sha256", "names article \(hash.stringValue ?? "?"), but the claim's source is article \(article.sha256)")
        }
        let exact = quote["exact"]?.stringValue ?? ""
        let start = Int(position["start"]?.integerValue ?? -1)
        let end = Int(position["end"]?.integerValue ?? -1)
        guard article.holds(exact, from: start, to: end) else {
            let elsewhere = article.occurrences(of: exact).map { "\($0)–\($0 + exact.unicodeScalars.count)" }
            let hint =
                elsewhere.isEmpty
                ? "the quote is nowhere in the article (matching is exact: no normalization)"
                : "the quote stands at \(elsewhere.joined(separator: ", ")) instead"
            return (".position", "\(start)–\(end) is not where \"\(exact)\" stands; \(hint)")
        }
        let prefix = quote["prefix"]?.stringValue ?? ""
        if !article.holds(prefix, from: start - prefix.scalarCount, to: start) {
            return (".quote.prefix", "is not the text just before the quote")
        }
        let suffix = quote["suffix"]?.stringValue ?? ""
        if !article.holds(suffix, from: end, to: end + suffix.scalarCount) {
            return (".quote.suffix", "is not the text just after the quote")
        }
        return nil
    }
}
