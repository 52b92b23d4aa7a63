/// The conditions a ``ClaimPageQuery`` puts on the index's claim rows, written once for both
/// backends: each value goes through `bind`, which returns its placeholder, so no filter's text
/// ever becomes SQL. The caller adds the position bound (placeholder 1 on SQLite) and the order.
public enum ClaimPageSQL {
    public static func conditions(
        _ query: ClaimPageQuery, sourcesTable: String = "rx_sources", position: String = "?1", retractedTrue: String = "retracted = 1",
        bind: (String) -> String
    ) -> [String] {
        var conditions: [String] = []
        if let after = query.after { conditions.append("claim_id > \(bind(after))") }
        if let region = query.region {
            if let country = region.country {
                conditions.append("country = \(bind(country))")
                if let admin1 = region.admin1 { conditions.append("admin1 = \(bind(admin1))") }
            } else {
                conditions.append("country IS NULL")
            }
        }
        if let kind = query.kind { conditions.append("kind = \(bind(kind.rawValue))") }
        if let source = query.sourceID { conditions.append("source_id = \(bind(source))") }
        if let from = query.occurredFrom { conditions.append("event_end >= \(bind(from.iso8601))") }
        if let to = query.occurredTo { conditions.append("event_start <= \(bind(to.iso8601))") }
        // The clocks' rules: the whole range on or before the day.
        if let day = query.occurredBy { conditions.append("event_start IS NOT NULL AND event_end <= \(bind(day.iso8601))") }
        let valid = "valid_from <= \(position) AND (valid_to IS NULL OR valid_to > \(position))"
        if let day = query.reportedBy {
            conditions.append(
                "source_id IN (SELECT source_id FROM \(sourcesTable) WHERE \(valid) AND published_start IS NOT NULL AND published_end <= \(bind(day.iso8601)))"
            )
        }
        // A claim of a retracted source no longer stands (``ThreatPicture/stands(_:)``).
        conditions.append("source_id NOT IN (SELECT source_id FROM \(sourcesTable) WHERE \(valid) AND \(retractedTrue))")
        return conditions
    }
}
