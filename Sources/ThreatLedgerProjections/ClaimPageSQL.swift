/// The conditions a ``ClaimPageQuery`` puts on the index's claim rows, written once for both
/// backends: each value goes through `bind`, which returns its placeholder, so no filter's text
/// ever becomes SQL. The caller adds the position bound (placeholder 1 on SQLite) and the order.
/// The claim rows are the outer table, aliased `cv`.
///
/// The report-time and retracted-source conditions look each candidate row's source up by key
/// (`EXISTS`), so the page is read in claim-id order and stops at its last row. Written as a set
/// (`source_id IN (SELECT …)`), SQLite read every listed source's rows through the source index and
/// sorted them all: over half a second a page at 1,000,000 events, measured.
public enum ClaimPageSQL {
    public static func conditions(
        _ query: ClaimPageQuery, sourcesTable: String = "rx_sources", position: String = "?1", retractedTrue: String = "retracted = 1",
        bind: (String) -> String
    ) -> [String] {
        var conditions: [String] = []
        if let after = query.after { conditions.append("cv.claim_id > \(bind(after))") }
        if let region = query.region {
            if let country = region.country {
                conditions.append("cv.country = \(bind(country))")
                if let admin1 = region.admin1 { conditions.append("cv.admin1 = \(bind(admin1))") }
            } else {
                conditions.append("cv.country IS NULL")
            }
        }
        if let kind = query.kind { conditions.append("cv.kind = \(bind(kind.rawValue))") }
        if let source = query.sourceID { conditions.append("cv.source_id = \(bind(source))") }
        if let from = query.occurredFrom { conditions.append("cv.event_end >= \(bind(from.iso8601))") }
        if let to = query.occurredTo { conditions.append("cv.event_start <= \(bind(to.iso8601))") }
        // The clocks' rules: the whole range on or before the day.
        if let day = query.occurredBy { conditions.append("cv.event_start IS NOT NULL AND cv.event_end <= \(bind(day.iso8601))") }
        // Correlated on the page's own rows (the outer table is `cv`): each candidate row looks its
        // source up by key, instead of a set of every matching source being built for every page.
        let source =
            "SELECT 1 FROM \(sourcesTable) s WHERE s.source_id = cv.source_id AND s.valid_from <= \(position) AND (s.valid_to IS NULL OR s.valid_to > \(position))"
        if let day = query.reportedBy {
            conditions.append("EXISTS (\(source) AND s.published_start IS NOT NULL AND s.published_end <= \(bind(day.iso8601)))")
        }
        // A claim of a retracted source no longer stands (``ThreatPicture/stands(_:)``).
        conditions.append("NOT EXISTS (\(source) AND s.\(retractedTrue))")
        return conditions
    }
}
