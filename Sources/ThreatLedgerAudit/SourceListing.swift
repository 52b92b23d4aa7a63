import ThreatLedgerCore

/// The list of sources (`GET /v1/sources`, `threatledger source list`): one compact row per source,
/// read from the stored provenance rows (no article is read).
public enum SourceListing {
    /// Each provenance row as its listing entry, by source id.
    public static func rows(_ provenance: [String: JSONValue]) -> [JSONValue] {
        provenance.keys.sorted().map { id in
            let row = provenance[id]!
            return [
                "source_id": .string(id), "title": row["title"] ?? .null, "outlet": row["outlet"] ?? .null,
                "published": row["published"] ?? .null, "article_sha256": row["article_sha256"] ?? .null,
                "claims": row["claims"] ?? .number(0), "retracted_claims": row["retracted_claims"] ?? .number(0),
                "dataset": row["dataset"] ?? .null,
            ]
        }
    }
}
