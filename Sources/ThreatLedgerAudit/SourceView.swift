import ThreatLedgerCore
import ThreatLedgerStore

/// One source as an auditor reads it: what the article says about itself, its whole stored text
/// (re-hashed now), and every span its current claims quote (statement, figures, date, place,
/// attribution), each checked at its code-point selector. `GET /v1/sources/{id}` and
/// `threatledger source show` serve it; the workbench highlights the spans by cutting them from the
/// text at their selectors.
public struct SourceView: Sendable {
    /// One quoted span of the article.
    public struct Span: Sendable {
        /// `statement`, `figure`, `date`, `place` or `attribution`.
        public let role: String
        public let claimID: String
        /// For a figure: its index in the claim's figures, and its measure.
        public let figureIndex: Int?
        public let measure: String?
        public let evidence: ResolvedEvidence

        public var json: JSONValue {
            guard case .object(var object) = evidence.json else { return .null }
            object["role"] = .string(role)
            object["claim_id"] = .string(claimID)
            object["figure_index"] = .optional(figureIndex.map { Int64($0) })
            object["measure"] = .optional(measure)
            object["holds"] = .bool(evidence.holds)
            return .object(object)
        }
    }

    public let article: ArticleVault.Article
    /// The source's current claims (under the view's clocks), in log order.
    public let claims: [ThreatPicture.Claim]
    /// Every span the claims quote in this article, in text order.
    public let spans: [Span]

    /// Whether the article re-hashed to its SHA-256 and every span stands at its selector.
    public var holds: Bool { article.verified && spans.allSatisfy(\.evidence.holds) }

    /// The source `id` of `picture` (read for that source) with its article from `vault`; nil when
    /// the log holds no such source.
    public static func build(_ id: String, picture: ThreatPicture, vault: ArticleVault) async throws -> SourceView? {
        guard let article = try await vault.article(id) else { return nil }
        let claims = picture.currentClaims.filter { $0.sourceID == id }.sorted { $0.position < $1.position }
        var spans: [Span] = []
        func add(_ role: String, _ claim: ThreatPicture.Claim, _ evidence: Evidence?, figure: Int? = nil, measure: String? = nil) {
            guard let evidence, evidence.articleSHA256 == article.statedSHA256 else { return }
            spans.append(
                Span(
                    role: role, claimID: claim.id, figureIndex: figure, measure: measure,
                    evidence: ResolvedEvidence.resolve(evidence, in: article)))
        }
        for claim in claims {
            let coded = claim.coded
            add("statement", claim, coded.statement)
            for (index, figure) in coded.figures.enumerated() where figure.sourceID == nil || figure.sourceID == id {
                add("figure", claim, figure.evidence, figure: index, measure: figure.measure)
            }
            add("date", claim, coded.date.evidence)
            add("place", claim, coded.location.evidence)
            add("attribution", claim, coded.attribution.evidence)
        }
        spans.sort { ($0.evidence.start, $0.evidence.end, $0.role) < ($1.evidence.start, $1.evidence.end, $1.role) }
        return SourceView(article: article, claims: claims, spans: spans)
    }

    /// The source as JSON: its description, text and verification, its claims and their spans.
    public var json: JSONValue {
        let about = article.description
        return [
            "source_id": .string(article.sourceID), "title": .optional(about.title), "author": .optional(about.author),
            "outlet": .optional(about.outlet), "url": .optional(about.url), "dateline": .optional(about.dateline),
            "section": .optional(about.section), "language": .string(about.language), "published": about.published.json,
            "file_name": .optional(about.fileName), "dataset": about.dataset?.reference.json ?? .null,
            "text_sha256": .string(article.statedSHA256), "text_sha256_recomputed": .string(article.computedSHA256),
            "verified": .bool(article.verified), "holds": .bool(holds), "text": .string(article.text),
            "length": .number(Double(article.scalars.count)),
            "claims": .array(
                claims.map { claim in
                    [
                        "claim_id": .string(claim.id), "kind": .string(claim.kind.rawValue), "scope": .string(claim.scope.rawValue),
                        "summary": .string(claim.coded.summary), "revision": .number(Double(claim.revision)),
                    ]
                }),
            "spans": .array(spans.map(\.json)),
        ]
    }

    /// The article's code points from `start` to `end` (clamped to the text).
    public func text(from start: Int, to end: Int) -> String {
        let scalars = article.scalars
        let lower = max(0, min(start, scalars.count))
        let upper = max(lower, min(end, scalars.count))
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[lower..<upper])
        return String(view)
    }
}
