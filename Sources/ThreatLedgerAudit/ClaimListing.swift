import ThreatLedgerCore
import ThreatLedgerProjections
import ThreatLedgerStore

/// The claims listing, a page at a time, read from the claim-version index (``ClaimPageQuery``):
/// what `threatledger claims` and `GET /v1/claims` answer. A page costs its own rows: the claims
/// standing at the record-time position, in claim-id order after the cursor, filtered by region,
/// kind, source and event dates, with the report- and event-time clocks applied as conditions on
/// the same rows (their rules, ``AuditClocks/reportRule`` and ``AuditClocks/eventRule``).
public struct ClaimListing: Sendable {
    /// How the page was computed: the clocks, the log position and hash, the filters.
    public let asOf: JSONValue
    public let page: ClaimPage
    /// The region key the `region` filter resolved to.
    public let regionKey: String?

    /// The answer `GET /v1/claims` gives: `as_of`, the claims (the public export records), and
    /// `next`: the `after` of the next page, null on the last.
    public var json: JSONValue {
        ["as_of": asOf, "claims": .array(page.records.map(\.json)), "next": .optional(page.nextAfter)]
    }

    /// One page. `region` is a region key or name as the summaries take it (an unknown one is
    /// refused, naming the known countries); `freshness` says whether the index is caught up first
    /// (a command) or read as it stands (a server).
    public static func read(
        _ query: ClaimPageQuery, region: String?, clocks: AuditClocks, projector: any Projector, log: any EventLog,
        freshness: AuditViews.Freshness, progress: @Sendable (Int64, Int64) -> Void = { _, _ in }
    ) async throws(AuditError) -> ClaimListing {
        guard let index = projector as? any ClaimVersionIndex else { throw .projection("this backend keeps no read index, so it cannot list claims") }
        do {
            let (_, bounded) = try await Replay.readPosition(index, bound: freshness == .asStored ? .max : nil, progress: progress)
            var position = bounded
            if let asOf = clocks.asOf { position = min(position, try await index.position(recordedAtOrBefore: asOf)) }
            var query = query
            query.reportedBy = clocks.reportedBy
            query.occurredBy = clocks.occurredBy
            var regionKey: String?
            if let region {
                let keys = try await index.regionKeys(country: RegionSelector.canonicalCountry(region))
                guard let key = RegionSelector.exact(keys, region: region) else {
                    throw AuditError.unknownRegion(region, known: RegionSelector.countries(try await index.regionKeys()))
                }
                regionKey = key
                query.region = RegionPlace(key: key)
            }
            let page = try await index.claimPage(query, at: position)
            let head = position == 0 ? nil : try await log.read(from: position, limit: 1).first
            var filters = query.filtersJSON.objectValue ?? [:]
            filters["after"] = .optional(query.after)
            filters["limit"] = .number(Double(query.limit))
            let asOf: JSONValue = [
                "clocks": clocks.json, "computed_from": "claim versions",
                "index": .string("\(ClaimVersionIndexLayout.name) v\(ClaimVersionIndexLayout.version)"),
                "log_position": .number(Double(position)), "log_hash": .optional(head?.hash.hex), "page": .object(filters),
            ]
            return ClaimListing(asOf: asOf, page: page, regionKey: regionKey)
        } catch let error as AuditError {
            throw error
        } catch {
            throw .projection("\(error)")
        }
    }
}
