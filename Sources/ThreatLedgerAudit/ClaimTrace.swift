import ThreatLedgerCore
import ThreatLedgerStore

/// A claim traced to its source: the article (its SHA-256 re-verified now), the attribution, and every
/// quote (statement, figures, date, place, attribution) checked at its code-point position, with the
/// sentence around it.
public struct ClaimTrace: Sendable {
    public let claimID: String
    public let json: JSONValue
    /// Whether the article re-hashed to its SHA-256 and every quote stands at its position.
    public let holds: Bool
    public let resolved: [ResolvedEvidence]

    public static func build(_ claim: ThreatPicture.Claim, picture: ThreatPicture, vault: ArticleVault) async throws -> ClaimTrace {
        guard let article = try await vault.article(claim.sourceID) else {
            return ClaimTrace(
                claimID: claim.id,
                json: ["claim_id": .string(claim.id), "error": .string("source \(claim.sourceID) is not in the log")],
                holds: false, resolved: [])
        }
        var resolved: [ResolvedEvidence] = []
        func resolve(_ evidence: JSONValue?) -> JSONValue {
            guard let evidence, !evidence.isNull else { return .null }
            let r = ResolvedEvidence.resolve(evidence, in: article)
            resolved.append(r)
            return r.json
        }
        let fields = claim.fields
        let figures: [JSONValue] = claim.figures.map { figure in
            [
                "measure": figure["measure"] ?? .null, "low": figure["low"] ?? .null, "high": figure["high"] ?? .null,
                "qualifier": figure["qualifier"] ?? .null, "currency": figure["currency"] ?? .null,
                "basis": figure["basis"] ?? .null, "note": figure["note"] ?? .null, "part_of": figure["part_of"] ?? .null,
                "evidence": resolve(figure["evidence"]),
            ]
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
        return ClaimTrace(claimID: claim.id, json: json, holds: article.verified && resolved.allSatisfy(\.holds), resolved: resolved)
    }
}
