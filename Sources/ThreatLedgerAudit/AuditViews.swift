import ThreatLedgerCore
import ThreatLedgerProjections
import ThreatLedgerStore

/// A view of the picture: what a query reads, with a statement of how it was computed.
public struct PictureView: Sendable {
    /// Stated in every JSON answer: the clocks, the log head, what the clocks left out.
    public let asOf: JSONValue
    /// The same, for a terminal.
    public let headline: String
    public let rows: [String: JSONValue]
    public let picture: ThreatPicture
    /// The region summaries the rows were rendered from, when the view computed them (a region
    /// read from the index): a trace checks its sum against them instead of building them again.
    public var summaries: [String: RegionSummary]? = nil
    /// The rows the stored projection serves for the same scope at the same log position, when the
    /// view was read without clocks: a trace holds them against what the claims give.
    public var servedRows: [String: JSONValue]? = nil
    /// Why the stored projection's rows could not be read for that check, when they could not.
    public var servedProblem: String? = nil
}

/// The auditor's queries, shared by the command line and the HTTP API so both answer alike.
public enum AuditViews {
    /// What a view reads: everything, one region (a country with its divisions, or one division, as
    /// `--region` names it), one claim, or one source's claims.
    public enum Scope: Sendable, Equatable {
        case everything
        case region(String)
        case claim(String)
        case source(String)
    }

    /// What a view must hold: the rows alone (a summary, provenance), or the picture they stand on
    /// too (claims, traces).
    public enum Needs: Sendable {
        case rows
        case picture
    }

    /// One page of a listing: the rows whose keys sort after `after`, at most `limit` of them. A view
    /// read with a page holds up to `limit + 1` rows, so the caller knows whether a next page exists
    /// (``SourceListing/page(_:after:limit:)``).
    public struct Page: Sendable, Equatable {
        public var after: String?
        public var limit: Int
        public init(after: String?, limit: Int) {
            self.after = after
            self.limit = limit
        }
    }

    /// Whether a read catches the projections up first or serves what is stored.
    public enum Freshness: Sendable, Equatable {
        /// Catch the read index and the projection up to the log's head first: a one-shot command,
        /// which has nobody else to do it.
        case catchUp
        /// Serve what is stored, as of the projection's checkpoint, which the answer names (a
        /// server, whose ``ProjectionFollower`` keeps the projections caught up in the background). A
        /// read from the index is then made at that same checkpoint, so a trace and the summary it is
        /// held against stand at one position.
        case asStored
    }

    /// The picture a query reads, and how it was computed.
    ///
    /// - No clocks, rows only (everything, or one region): the stored projection, caught up first
    ///   with ``Freshness/catchUp`` (catching up re-renders only what the new events touched) or
    ///   as stored with ``Freshness/asStored``; a region reads only its country's rows.
    /// - Anything else is read from the read index (``ClaimVersionIndex``): the rows valid at the
    ///   record-time position, for the scope only, with the report- and event-time clocks applied to
    ///   them. Nothing folds the log.
    ///
    /// With a region scope, the clock report counts the claims of that region only (what the clocks
    /// left out here, not of the whole log).
    public static func view(
        _ definition: ProjectionDefinition, projector: any Projector, log: any EventLog, clocks: AuditClocks,
        scope: Scope = .everything, needs: Needs = .rows, freshness: Freshness = .catchUp, page: Page? = nil,
        progress: @Sendable (Int64, Int64) -> Void = { _, _ in }
    ) async throws(AuditError) -> PictureView {
        if clocks.isEmpty, needs == .rows {
            switch scope {
            case .everything:
                return try await storedView(definition, projector: projector, region: nil, freshness: freshness, page: page, progress: progress)
            case .region(let region):
                return try await storedView(definition, projector: projector, region: region, freshness: freshness, progress: progress)
            case .claim, .source: break
            }
        }
        guard let index = projector as? any ClaimVersionIndex else {
            throw .projection("this backend keeps no read index, so it cannot read \(scope) under \(clocks.description)")
        }
        var bound: Int64?
        if freshness == .asStored {
            let checkpoint: IndexCheckpoint?
            do { checkpoint = try await projector.rowsCheckpoint(definition) } catch { throw .projection("\(error)") }
            guard let checkpoint else { throw .notBuiltYet("the projection \(definition.name)") }
            bound = checkpoint.position
        }
        var view = try await indexedView(
            definition, log: log, index: index, clocks: clocks, scope: scope, bound: bound, progress: progress)
        if clocks.isEmpty, case .region(let region) = scope {
            // What the stored projection serves for this region now, for a trace to hold its sum against.
            do {
                let stored = try await storedView(definition, projector: projector, region: region, freshness: freshness, progress: progress)
                if stored.picture.position == view.picture.position { view.servedRows = stored.rows }
            } catch {
                view.servedProblem = "the summary served for \(region) cannot be read from the stored projection (\(error)); run verify --projections"
            }
        }
        return view
    }

    /// A view of the stored projection rows, caught up first: all of them, or the rows of
    /// `region`'s country (a country's summary is served from its places' rows, so a country reads
    /// its own rows and its divisions', nothing else).
    static func storedView(
        _ definition: ProjectionDefinition, projector: any Projector, region: String?, freshness: Freshness, page: Page? = nil,
        progress: @Sendable (Int64, Int64) -> Void
    ) async throws(AuditError) -> PictureView {
        do {
            let caughtUp = freshness == .catchUp ? try await projector.ensureCurrent(definition, progress: progress) : nil
            let index = projector as? any ClaimVersionIndex
            var selection = RowSelection.all
            if let page { selection = .page(after: page.after, limit: page.limit + 1) }
            if let region {
                // The keys the region names, from the index's key list of its country; a division
                // (served as stored) then reads its own row alone, a country its group.
                let country = RegionSelector.canonicalCountry(region)
                let keys = try await index?.regionKeys(country: country)
                let selected = keys.flatMap { RegionSelector.select($0, region: region) }
                if let selected, !selected.contains(country) {
                    selection = .keys(selected)
                } else {
                    selection = .groups([definition.group(country)])
                }
            }
            // The rows and the checkpoint they stand at, read together.
            let served = try await projector.servedRows(definition, selection: selection)
            guard let checkpoint = served.checkpoint ?? caughtUp, checkpoint.version == definition.version else {
                throw AuditError.notBuiltYet("the projection \(definition.name)")
            }
            var rows = served.rows
            if let region {
                if let chosen = RegionSelector.select(rows.keys.sorted(), region: region) {
                    rows = rows.filter { chosen.contains($0.key) }
                } else if let index, RegionSelector.exact(try await index.regionKeys(country: RegionSelector.canonicalCountry(region)), region: region) != nil {
                    // A region that held claims, none of which stands now (all retracted, or their
                    // sources): no summary, as under clocks that leave everything out.
                    rows = [:]
                } else {
                    throw AuditError.unknownRegion(region, known: RegionSelector.countries(try await index?.regionKeys() ?? []))
                }
            }
            let digest = ProjectionDefinition.digest(of: rows)
            let asOf: JSONValue = [
                "projection": .string(definition.name), "version": .number(Double(checkpoint.version)),
                "log_position": .number(Double(checkpoint.position)), "log_hash": .optional(checkpoint.hash?.hex),
                "digest": .string(digest.hex), "clocks": AuditClocks().json, "computed_from": "projection",
                "region": .optional(region),
            ]
            let headline =
                "\(definition.name) v\(checkpoint.version) as of log position \(checkpoint.position)"
                + (checkpoint.hash.map { ", hash \($0.hex.prefix(16))…" } ?? "") + "; digest \(digest.hex.prefix(16))…"
                + (region == nil && page == nil ? "" : " (of the rows shown)")
            let picture = ThreatPicture(sources: [], claims: [], incidents: [], position: checkpoint.position)
            return PictureView(asOf: asOf, headline: headline, rows: rows, picture: picture)
        } catch let error as AuditError {
            throw error
        } catch {
            throw .projection("\(error)")
        }
    }

    /// A view read from the claim-version index: only the scope's rows, as they stood at the
    /// record-time position.
    /// With `bound`, the index is read as it stands (not caught up) at that position or its own,
    /// whichever is earlier.
    static func indexedView(
        _ definition: ProjectionDefinition, log: any EventLog, index: any ClaimVersionIndex, clocks: AuditClocks, scope: Scope,
        bound: Int64? = nil, progress: @Sendable (Int64, Int64) -> Void
    ) async throws(AuditError) -> PictureView {
        do {
            let read = try await Replay.read(log, index: index, clocks: clocks, scope: scope, bound: bound, progress: progress)
            var selected: Set<String>?
            if case .region(let region) = scope {
                guard read.regionKey != nil, let chosen = RegionSelector.select(read.regionKeys, region: region) else {
                    throw AuditError.unknownRegion(region, known: RegionSelector.countries(try await index.regionKeys()))
                }
                selected = Set(chosen)
            }
            let filtered = read.replay.picture
            let report = read.replay.report
            var summaries: [String: RegionSummary]?
            var rows: [String: JSONValue]
            if definition.name == ProjectionDefinition.regionSummary.name {
                // A division's summary is its place's part: nothing else in the picture is summed.
                if let key = read.regionKey, RegionPlace(key: key).admin1 != nil {
                    summaries = RegionSummaries.part(at: RegionPlace(key: key), from: filtered).map { [key: $0] } ?? [:]
                } else {
                    summaries = RegionSummaries.build(from: filtered)
                }
                rows = summaries!.mapValues(\.json)
            } else {
                rows = definition.render(filtered)
            }
            if let selected {
                rows = rows.filter { selected.contains($0.key) }
                summaries = summaries?.filter { selected.contains($0.key) }
            }
            let position = read.replay.head?.position ?? 0
            let hash = read.replay.head?.hash
            let asOf: JSONValue = [
                "clocks": clocks.json, "computed_from": "claim versions",
                "index": .string("\(ClaimVersionIndexLayout.name) v\(ClaimVersionIndexLayout.version)"),
                "log_position": .number(Double(position)), "log_hash": .optional(hash?.hex),
                "index_position": .number(Double(read.indexPosition)), "region": .optional(read.regionKey),
                "clock_report": report.json,
            ]
            let headline =
                "read from the claim-version index at log position \(position)"
                + (hash.map { ", hash \($0.hex.prefix(16))…" } ?? "") + "; clocks: \(clocks.description)"
                + clockLines(report, clocks: clocks, region: read.regionKey)
            return PictureView(asOf: asOf, headline: headline, rows: rows, picture: filtered, summaries: summaries)
        } catch let error as AuditError {
            throw error
        } catch {
            throw .projection("\(error)")
        }
    }

    /// What the clocks kept and left out, for a terminal.
    static func clockLines(_ report: ClockReport, clocks: AuditClocks, region: String?) -> String {
        var left: [String] = []
        if report.leftOutUnpublished > 0 { left.append("\(report.leftOutUnpublished) not yet published") }
        if report.leftOutImpreciseReport > 0 { left.append("\(report.leftOutImpreciseReport) with a publication date too imprecise to tell") }
        if report.leftOutUndatedSource > 0 { left.append("\(report.leftOutUndatedSource) from undated sources") }
        if report.leftOutLater > 0 { left.append("\(report.leftOutLater) of later events") }
        if report.leftOutImpreciseEvent > 0 { left.append("\(report.leftOutImpreciseEvent) with an event date too imprecise to tell") }
        if report.leftOutUndatedEvent > 0 { left.append("\(report.leftOutUndatedEvent) with no event date") }
        var lines =
            "\n\(report.claimsKept) claim(s) kept\(region.map { " in \($0)" } ?? "")"
            + (left.isEmpty ? "" : "; left out: " + left.joined(separator: ", "))
        if clocks.reportedBy != nil { lines += "\nreport-time rule: \(AuditClocks.reportRule)" }
        if clocks.occurredBy != nil { lines += "\nevent-time rule: \(AuditClocks.eventRule)" }
        return lines
    }

    /// The current claims as the public export (`schemas/claim-export.schema.json`).
    public static func claimRecords(_ view: PictureView) -> [ClaimExportRecord] {
        let incidents = view.picture.incidentsByClaim
        return view.picture.currentClaims.map { view.picture.exportRecord($0, incidents: incidents[$0.id] ?? []) }
    }

    /// A figure traced: the JSON answer, whether every claim behind it holds, and the parts for a table.
    public struct TracedFigure: Sendable {
        public let json: JSONValue
        public let holds: Bool
        public let regionKey: String
        public let trace: FigureTrace
        /// The claims of this page, traced in full.
        public let claims: [String: ClaimTrace]
        /// How the summary the stored projection serves differs from what the claims give (a
        /// trace without clocks holds the two against each other), or nil.
        public let servedProblem: String?
        /// The `--after` of the next page, when there is one.
        public let nextAfter: String?
    }

    /// Which claims of a figure a trace shows in full: up to `limit` of them, in claim-id order,
    /// after the id `after`. The figure's sum is always checked over every claim behind it.
    public struct TracePage: Sendable, Equatable {
        public static let defaultLimit = 100
        public static let maximumLimit = 10_000
        public var limit: Int
        public var after: String?

        public init(limit: Int = TracePage.defaultLimit, after: String? = nil) {
            self.limit = limit
            self.after = after
        }
    }

    public static func traceFigure(
        _ view: PictureView, region: String, measure: String, kind: CodedClaim.Kind?, vault: ArticleVault, page: TracePage = TracePage()
    ) async throws(AuditError) -> TracedFigure {
        guard let regionKey = RegionSelector.exact(view.rows.keys.sorted(), region: region) else {
            throw .unknownRegion(region, known: RegionSelector.countries(view.rows.keys.sorted()))
        }
        let trace = FigureTrace.trace(region: regionKey, measure: measure, kind: kind, in: view.picture)
        guard !trace.sections.isEmpty else { throw .noFigure(region: regionKey, measure: measure, kind: kind) }
        let summary = (view.summaries ?? RegionSummaries.build(from: view.picture))[regionKey]
        if kind == nil, let summary, !trace.consistent(with: summary) {
            throw .inconsistent("the trace of \(measure) in \(regionKey) does not add up to the summary's figure")
        }
        var servedProblem = view.servedProblem
        if let served = view.servedRows?[regionKey], let derived = summary?.json, served != derived {
            servedProblem =
                "the summary served for \(regionKey) differs from what its claims give at log position \(view.picture.position) (\(ProjectionCheck.firstDifference(served, derived))): the stored rows were altered or are stale; run verify --projections"
        }
        let allClaimIDs = trace.claimIDs
        let remaining = page.after.map { after in allClaimIDs.filter { $0 > after } } ?? allClaimIDs
        let pageIDs = Array(remaining.prefix(max(1, page.limit)))
        let nextAfter: String? = remaining.count > pageIDs.count ? pageIDs.last : nil
        var claims: [String: ClaimTrace] = [:]
        do {
            for id in pageIDs {
                guard let claim = view.picture.claims[id] else { throw AuditError.unknownClaim(id) }
                claims[id] = try await ClaimTrace.build(claim, picture: view.picture, vault: vault)
            }
        } catch let error as AuditError {
            throw error
        } catch {
            throw .log("\(error)")
        }
        try await checkAgainstLog(&claims, view: view, log: vault.log)
        let holds = claims.values.allSatisfy(\.holds) && servedProblem == nil
        let sections: [JSONValue] = trace.sections.map { section in
            [
                "section": .string(section.section), "key": .string(section.key), "rule": .string(section.rule),
                "total": section.total.json,
                "parts": .array(
                    section.parts.map { part in
                        [
                            "id": .string(part.id), "kind": .string(part.kind.rawValue), "low": .optional(part.low), "best": .optional(part.best),
                            "high": .optional(part.high), "numbered": .bool(part.numbered), "best_from": .optional(part.bestFrom),
                            "superseded": .bool(part.superseded), "claim_ids": .array(part.claimIDs.map(JSONValue.string)),
                        ]
                    }),
            ]
        }
        let json: JSONValue = [
            "as_of": view.asOf, "region": .string(regionKey), "measure": .string(measure), "kind": .optional(kind?.rawValue),
            "sections": .array(sections), "claims": .array(pageIDs.map { claims[$0]!.json }), "holds": .bool(holds),
            "served_problem": .optional(servedProblem),
            "page": [
                "limit": .number(Double(page.limit)), "after": .optional(page.after), "next_after": .optional(nextAfter),
                "claims_total": .number(Double(allClaimIDs.count)), "claims_in_page": .number(Double(pageIDs.count)),
            ],
        ]
        return TracedFigure(
            json: json, holds: holds, regionKey: regionKey, trace: trace, claims: claims, servedProblem: servedProblem, nextAfter: nextAfter)
    }

    public static func traceClaim(_ view: PictureView, id: String, vault: ArticleVault) async throws(AuditError) -> ClaimTrace {
        guard let claim = view.picture.claims[id] else { throw .unknownClaim(id) }
        var traces: [String: ClaimTrace]
        do { traces = [id: try await ClaimTrace.build(claim, picture: view.picture, vault: vault)] } catch { throw .log("\(error)") }
        try await checkAgainstLog(&traces, view: view, log: vault.log)
        return traces[id]!
    }

    /// A trace stands on the log, not on the tables it was read from: each claim is folded again
    /// from its own stream (read by its index), up to the position the view was read at, and a
    /// claim whose fields, figures or retraction differ from what the view served does not hold.
    static func checkAgainstLog(_ traces: inout [String: ClaimTrace], view: PictureView, log: any EventLog) async throws(AuditError) {
        let position = view.picture.position
        for id in traces.keys.sorted() {
            guard let served = view.picture.claims[id] else { continue }
            var logged = ThreatPicture()
            do {
                let stream = try StreamName.entity("claim", id)
                for event in try await log.readWholeStream(stream) where event.position <= position {
                    try logged.apply(event)
                }
            } catch {
                throw .log("\(error)")
            }
            let problem: String?
            if let claim = logged.claims[id] {
                var differs: [String] = []
                if claim.coded != served.coded {
                    // Named by the schema's field names, as the auditor will look them up.
                    let (logged, stored) = (claim.coded.json, served.coded.json)
                    let keys = Set(logged.objectValue?.keys ?? []).union(stored.objectValue?.keys ?? [])
                    differs += keys.sorted().filter { logged[$0] != stored[$0] }
                }
                if claim.retracted != served.retracted { differs.append("retracted") }
                if claim.revision != served.revision { differs.append("revision") }
                problem =
                    differs.isEmpty
                    ? nil
                    : "what was served differs from the log at position \(position) in \(differs.joined(separator: ", ")): the stored rows were altered or are stale; run verify --projections"
            } else {
                problem = "the log holds no claim \(id) at position \(position): the stored rows were altered; run verify --projections"
            }
            guard let problem, var trace = traces[id] else { continue }
            trace.wordProblems.insert(problem, at: 0)
            trace.holds = false
            trace.logProblem = problem
            traces[id] = trace
        }
    }
}
