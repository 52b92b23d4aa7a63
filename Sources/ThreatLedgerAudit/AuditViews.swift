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
}

/// The auditor's queries, shared by the command line and the HTTP API so both answer alike.
public enum AuditViews {
    /// Without clocks: the projection, caught up first. With clocks: a replay of the log (never today's tables).
    public static func view(
        _ definition: ProjectionDefinition, projector: any Projector, log: any EventLog, clocks: AuditClocks,
        progress: @Sendable (Int64, Int64) -> Void = { _, _ in }
    ) async throws(AuditError) -> PictureView {
        if clocks.isEmpty {
            do {
                let status = try await projector.ensureServing(definition, progress: progress)
                let rows = try await projector.rows(definition)
                let picture = try await projector.picture(definition)
                let asOf: JSONValue = [
                    "projection": .string(status.projection), "version": .number(Double(status.version)),
                    "log_position": .number(Double(status.position)), "log_hash": .optional(status.hash?.hex),
                    "digest": .string(status.digest.hex), "clocks": AuditClocks().json, "computed_from": "projection",
                ]
                let headline = "\(status.projection) v\(status.version) as of log position \(status.position)"
                    + (status.hash.map { ", hash \($0.hex.prefix(16))…" } ?? "") + "; digest \(status.digest.hex.prefix(16))…"
                return PictureView(asOf: asOf, headline: headline, rows: rows, picture: picture)
            } catch {
                throw .projection(error.description)
            }
        }
        let replay: Replay
        do { replay = try await Replay.compute(log, clocks: clocks) } catch { throw .log("\(error)") }
        let report = replay.report
        var left: [String] = []
        if report.leftOutUnpublished > 0 { left.append("\(report.leftOutUnpublished) not yet published") }
        if report.leftOutImpreciseReport > 0 { left.append("\(report.leftOutImpreciseReport) with a publication date too imprecise to tell") }
        if report.leftOutUndatedSource > 0 { left.append("\(report.leftOutUndatedSource) from undated sources") }
        if report.leftOutLater > 0 { left.append("\(report.leftOutLater) of later events") }
        if report.leftOutImpreciseEvent > 0 { left.append("\(report.leftOutImpreciseEvent) with an event date too imprecise to tell") }
        if report.leftOutUndatedEvent > 0 { left.append("\(report.leftOutUndatedEvent) with no event date") }
        var headline = "replayed from the log at position \(replay.head?.position ?? 0)"
            + (replay.head.map { ", hash \($0.hash.hex.prefix(16))…" } ?? "") + "; clocks: \(clocks.description)"
        headline += "\n\(report.claimsKept) claim(s) kept" + (left.isEmpty ? "" : "; left out: " + left.joined(separator: ", "))
        if clocks.reportedBy != nil { headline += "\nreport-time rule: \(AuditClocks.reportRule)" }
        if clocks.occurredBy != nil { headline += "\nevent-time rule: \(AuditClocks.eventRule)" }
        return PictureView(asOf: replay.provenanceJSON, headline: headline, rows: definition.render(replay.picture), picture: replay.picture)
    }

    /// The current claims as the public export (`schemas/claim-export.schema.json`).
    public static func claimRecords(_ view: PictureView) -> [JSONValue] {
        let incidents = view.picture.incidentsByClaim
        return view.picture.currentClaims.map { view.picture.exportRecord($0, incidents: incidents[$0.id] ?? []) }
    }

    /// A figure traced: the JSON answer, whether every claim behind it holds, and the parts for a table.
    public struct TracedFigure: Sendable {
        public let json: JSONValue
        public let holds: Bool
        public let regionKey: String
        public let trace: FigureTrace
        public let claims: [String: ClaimTrace]
    }

    public static func traceFigure(
        _ view: PictureView, region: String, measure: String, kind: String?, vault: ArticleVault
    ) async throws(AuditError) -> TracedFigure {
        guard let regionKey = RegionSelector.exact(view.rows.keys.sorted(), region: region) else {
            throw .unknownRegion(region, known: RegionSelector.countries(view.rows.keys.sorted()))
        }
        let trace = FigureTrace.trace(region: regionKey, measure: measure, kind: kind, in: view.picture)
        guard !trace.sections.isEmpty else { throw .noFigure(region: regionKey, measure: measure, kind: kind) }
        if kind == nil, let summary = RegionSummaries.build(from: view.picture)[regionKey], !trace.consistent(with: summary) {
            throw .inconsistent("the trace of \(measure) in \(regionKey) does not add up to the summary's figure")
        }
        var claims: [String: ClaimTrace] = [:]
        do {
            for id in trace.claimIDs {
                guard let claim = view.picture.claims[id] else { throw AuditError.unknownClaim(id) }
                claims[id] = try await ClaimTrace.build(claim, picture: view.picture, vault: vault)
            }
        } catch let error as AuditError {
            throw error
        } catch {
            throw .log("\(error)")
        }
        let holds = claims.values.allSatisfy(\.holds)
        let sections: [JSONValue] = trace.sections.map { section in
            [
                "section": .string(section.section), "key": .string(section.key), "rule": .string(section.rule),
                "total": section.total.json,
                "parts": .array(section.parts.map { part in
                    [
                        "id": .string(part.id), "kind": .string(part.kind), "low": .optional(part.low), "best": .optional(part.best),
                        "high": .optional(part.high), "numbered": .bool(part.numbered), "best_from": .optional(part.bestFrom),
                        "superseded": .bool(part.superseded), "claim_ids": .array(part.claimIDs.map(JSONValue.string)),
                    ]
                }),
            ]
        }
        let json: JSONValue = [
            "as_of": view.asOf, "region": .string(regionKey), "measure": .string(measure), "kind": .optional(kind),
            "sections": .array(sections), "claims": .array(trace.claimIDs.map { claims[$0]!.json }), "holds": .bool(holds),
        ]
        return TracedFigure(json: json, holds: holds, regionKey: regionKey, trace: trace, claims: claims)
    }

    public static func traceClaim(_ view: PictureView, id: String, vault: ArticleVault) async throws(AuditError) -> ClaimTrace {
        guard let claim = view.picture.claims[id] else { throw .unknownClaim(id) }
        do { return try await ClaimTrace.build(claim, picture: view.picture, vault: vault) } catch { throw .log("\(error)") }
    }
}
