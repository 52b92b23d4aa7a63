import ThreatLedgerCore
import ThreatLedgerStore

/// A claim traced to its source: the article (its SHA-256 re-verified now), the attribution, and every
/// quote (statement, figures, date, place, attribution) checked at its code-point position, with the
/// sentence around it.
public struct ClaimTrace: Sendable {
    public let claimID: String
    public var json: JSONValue
    /// Whether the article re-hashed to its SHA-256 and every quote stands at its position.
    public var holds: Bool
    public let resolved: [ResolvedEvidence]
    /// Each figure whose words, read again now, do not say it: what is wrong, naming the figure.
    public var wordProblems: [String] = []

    public static func build(_ claim: ThreatPicture.Claim, picture: ThreatPicture, vault: ArticleVault) async throws -> ClaimTrace {
        guard let article = try await vault.article(claim.sourceID) else {
            return ClaimTrace(
                claimID: claim.id,
                json: ["claim_id": .string(claim.id), "error": .string("source \(claim.sourceID) is not in the log")],
                holds: false, resolved: [])
        }
        var resolved: [ResolvedEvidence] = []
        var wordProblems: [String] = []
        func resolve(_ evidence: JSONValue?, in source: ArticleVault.Article? = nil) -> JSONValue {
            guard let evidence, !evidence.isNull else { return .null }
            let r = ResolvedEvidence.resolve(evidence, in: source ?? article)
            resolved.append(r)
            return r.json
        }
        let fields = claim.fields
        var figures: [JSONValue] = []
        for (index, figure) in claim.figures.enumerated() {
            // A figure a correction re-based on a later article is checked in that article.
            var figureArticle = article
            var articleMissing = false
            if let other = figure["source_id"]?.stringValue, other != claim.sourceID {
                if let found = try await vault.article(other) { figureArticle = found } else { articleMissing = true }
            }
            // The trace judges again whether the figure says what its words say (FigureWords).
            let problem = FigureWords.problem(figure: figure, statement: fields["statement"], claimID: claim.id)
            if let problem { wordProblems.append("figure \(index) (\(figure["measure"]?.stringValue ?? "?")): \(problem.reason)") }
            if articleMissing { wordProblems.append("figure \(index): source \(figure["source_id"]!.stringValue!) is not in the log") }
            figures.append([
                "index": .number(Double(index)),
                "measure": figure["measure"] ?? .null, "low": figure["low"] ?? .null, "high": figure["high"] ?? .null,
                "qualifier": figure["qualifier"] ?? .null, "currency": figure["currency"] ?? .null,
                "basis": figure["basis"] ?? .null, "note": figure["note"] ?? .null, "part_of": figure["part_of"] ?? .null,
                "source_id": figure["source_id"] ?? .string(claim.sourceID),
                "evidence": resolve(figure["evidence"], in: figureArticle),
                "words_agree": .bool(problem == nil),
                "words_problem": problem.map { .string($0.reason) } ?? .null,
            ])
        }
        let statement = resolve(fields["statement"])
        var attribution = fields["attribution"]?.objectValue ?? [:]
        attribution["evidence"] = resolve(fields["attribution"]?["evidence"])
        var date = fields["date"]?.objectValue ?? [:]
        date["evidence"] = resolve(fields["date"]?["evidence"])
        var location = fields["location"]?.objectValue ?? [:]
        location["evidence"] = resolve(fields["location"]?["evidence"])
        let meta = article.metadata
        let json: JSONValue = [
            "claim_id": .string(claim.id), "kind": .string(claim.kind), "scope": .string(claim.scope),
            "summary": fields["summary"] ?? .null, "revision": .number(Double(claim.revision)),
            "retracted": .bool(claim.retracted),
            "source": [
                "source_id": .string(claim.sourceID), "title": meta["title"] ?? .null, "author": meta["author"] ?? .null,
                "outlet": meta["outlet"] ?? .null, "dateline": meta["dateline"] ?? .null, "published": meta["published"] ?? .null,
                "file_name": meta["file_name"] ?? .null, "text_sha256": .string(article.statedSHA256),
                "text_sha256_recomputed": .string(article.computedSHA256), "verified": .bool(article.verified),
            ],
            "statement": statement, "attribution": .object(attribution), "date": .object(date), "location": .object(location),
            "figures": .array(figures), "actors": fields["actors"] ?? .null,
        ]
        return ClaimTrace(
            claimID: claim.id, json: json, holds: article.verified && resolved.allSatisfy(\.holds) && wordProblems.isEmpty,
            resolved: resolved, wordProblems: wordProblems)
    }
}
