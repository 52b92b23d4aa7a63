/// What the ACLED- and UCDP-shaped exports share: ThreatLedger's own columns, which neither dataset
/// has (the claim, its exact words and their selectors, the article's hash, how each figure was got,
/// the hedges), and how numbers are written.
public enum DatasetExport {
    public static let ownColumns = [
        "tl_claim_id", "tl_source_id", "tl_kind", "tl_scope", "tl_quote", "tl_quote_start", "tl_quote_end", "tl_article_sha256",
        "tl_killed_basis", "tl_cited", "tl_hedged", "tl_hedge_words", "tl_admin1_code", "tl_where_unplaced", "tl_gazetteer",
    ]

    static func ownCells(_ record: ClaimExportRecord) -> [String] {
        let claim = record.coded
        let bases = Set(claim.figures(of: "killed").map(\.basis.rawValue)).sorted()
        return [
            claim.claimID, claim.sourceID, claim.kind.rawValue, claim.scope.rawValue, claim.statement.exact, String(claim.statement.start),
            String(claim.statement.end), record.articleSHA256 ?? "", bases.joined(separator: "+"), claim.attribution.cited ?? "",
            String(claim.attribution.hedged), claim.attribution.hedgeWords ?? "", record.placed.division?.code ?? "",
            record.placed.unplaced.joined(separator: "; "), record.placed.gazetteerVersion,
        ]
    }

    /// `cells` with the `carried` columns taken from the claim's dataset row, when the claim was
    /// imported from `dataset` (a column the row lacks under its current name is read under its old one).
    static func carrying(
        _ carried: Set<String>, from record: ClaimExportRecord, dataset: DatasetRow.Dataset, into cells: [String], columns: [String],
        aliases: [String: String]
    ) -> [String] {
        guard let row = record.source?.dataset, row.dataset == dataset else { return cells }
        var cells = cells
        for (index, column) in columns.enumerated() where carried.contains(column) {
            cells[index] = row.fields[column] ?? aliases[column].flatMap { row.fields[$0] } ?? ""
        }
        return cells
    }

    /// A coordinate as the exports write it (RFC 8785's shortest form), or empty.
    public static func number(_ value: Double?) -> String { value.map { CanonicalJSON.string(.number($0)) } ?? "" }
}
