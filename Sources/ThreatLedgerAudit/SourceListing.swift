import ThreatLedgerCore

/// The list of sources (`GET /v1/sources`, `threatledger source list`): one compact row per source,
/// read from the stored provenance rows (no article is read).
public enum SourceListing {
    /// The largest page a listing serves, and the page it serves when none is asked for.
    public static let maximumLimit = 5_000
    public static let defaultLimit = 500

    /// One page of the listing from provenance rows (all of them, or a page read with one more row
    /// than `limit`): the entries after `after`, at most `limit`, and the id to ask the next page
    /// after (nil on the last page).
    public static func page(_ provenance: [String: JSONValue], after: String?, limit: Int) -> (sources: [JSONValue], next: String?) {
        let keys = provenance.keys.filter { after == nil || $0 > after! }.sorted()
        let shown = Array(keys.prefix(limit))
        let next = keys.count > limit ? shown.last : nil
        let wanted = Set(shown)
        return (rows(provenance.filter { wanted.contains($0.key) }), next)
    }

    /// Each provenance row as its listing entry, by source id.
    public static func rows(_ provenance: [String: JSONValue]) -> [JSONValue] {
        provenance.keys.sorted().map { id in
            let row = provenance[id]!
            return [
                "source_id": .string(id), "title": row["title"] ?? .null, "outlet": row["outlet"] ?? .null,
                "published": row["published"] ?? .null, "article_sha256": row["article_sha256"] ?? .null,
                "claims": row["claims"] ?? .number(0), "retracted_claims": row["retracted_claims"] ?? .number(0),
                "dataset": row["dataset"] ?? .null, "retracted": row["retracted"] ?? .bool(false),
            ]
        }
    }
}
