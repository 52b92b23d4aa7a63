import Foundation
import HTTPTypes
import Hummingbird
import Logging
import ThreatLedgerAudit
import ThreatLedgerCore
import ThreatLedgerProjections
import ThreatLedgerStore

/// The handlers behind ``APIRoutes``. Reads go through ``AuditViews`` (as the command line does);
/// writes go through the log's `append`, all or nothing.
///
/// Reads serve what is stored, as of the projections' checkpoint (every answer's `as_of` names the
/// log position), and never catch up: the ``ProjectionFollower`` does that in the background, woken
/// by every append here. A read that must see a given position (its own write's, from the append's
/// `position`) passes `at_least`, and waits for the projections to reach it, or answers 503 after
/// ``ServerConfiguration/readWaitTimeout``.
struct ThreatLedgerAPI: Sendable {
    let store: any EventLog
    /// The projectors reads go through, taken in turn (on SQLite each has a connection of its own,
    /// so one read waiting on the disk does not hold up the others).
    let readers: ReaderPool
    /// The projector that writes projections: the follower's catch-ups and every rebuild (asked for
    /// here or scheduled) go through this one, so they take their turns within the process.
    let writer: any Projector
    let follower: ProjectionFollower
    /// Articles already decoded, shared by every trace (each still reads and hashes the stored bytes).
    let decodedArticles = DecodedArticles()
    let metrics: ServerMetrics
    let readiness: Readiness
    let configuration: ServerConfiguration

    func handle(_ spec: RouteSpec, _ request: Request, _ context: APIRequestContext) async throws -> Response {
        let principal = try spec.permission.map { try context.require($0) }
        for (name, _) in request.uri.queryParameters where !spec.query.contains(String(name)) {
            let known = spec.query.isEmpty ? "it takes none" : "known: " + spec.query.joined(separator: ", ")
            throw APIError.badRequest(field: String(name), detail: "unknown query parameter (\(known))")
        }
        switch (spec.method, spec.path) {
        case ("GET", "/health"): return json(["status": "ok"])
        case ("GET", "/ready"):
            let state = await readiness.state
            guard state.ready else { throw APIError.unavailable(state.detail) }
            return json(["ready": true, "detail": .string(state.detail)])
        case ("GET", "/metrics"):
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.text())))
        case ("GET", "/v1/summary"): return try await summary(request)
        case ("GET", "/v1/provenance"): return try await provenance(request)
        case ("GET", "/v1/claims"): return try await claims(request)
        case ("GET", "/v1/claims/{id}"): return try await claim(request, context)
        case ("GET", "/v1/claims/{id}/history"): return try await history(context)
        case ("GET", "/v1/claims/{id}/trace"): return try await traceClaim(request, context)
        case ("GET", "/v1/trace"): return try await traceFigure(request)
        case ("GET", "/v1/evidence"): return try await evidence(request)
        case ("GET", "/v1/sources"): return try await sources(request)
        case ("GET", "/v1/sources/{id}"): return try await source(request, context)
        case ("GET", "/v1/diff"): return try await diff(request)
        case ("GET", "/v1/timeline"): return try await timeline(request)
        case ("GET", "/v1/events"): return try await events(request)
        case ("GET", "/v1/rebuilds"): return try await rebuilds(request)
        case ("POST", "/v1/rebuilds"): return try await rebuild(request, context, principal!)
        case ("POST", _): return try await write(spec, request, context, principal!)
        default: throw APIError.notFound("no route \(spec.method) \(spec.path)")
        }
    }

    // MARK: Reads

    func clocks(_ request: Request) throws -> AuditClocks {
        let query = request.uri.queryParameters
        var clocks = AuditClocks()
        if let text = query.get("as_of") {
            guard let time = RecordTime(iso8601: text) else {
                throw APIError.badRequest(field: "as_of", detail: "\"\(text)\" is not a time: YYYY-MM-DD or an ISO 8601 time")
            }
            clocks.asOf = text.count == 10 ? RecordTime(microsecondsSinceEpoch: time.microsecondsSinceEpoch + 86_400_000_000 - 1) : time
        }
        clocks.reportedBy = try day(query.get("reported_by"), field: "reported_by")
        clocks.occurredBy = try day(query.get("occurred_by"), field: "occurred_by")
        return clocks
    }

    /// A view read through `reader` (the next in turn when not given; a trace passes the one whose
    /// log it then reads the articles and claim streams from).
    func view(
        _ definition: ProjectionDefinition, _ request: Request, scope: AuditViews.Scope = .everything, needs: AuditViews.Needs = .rows,
        reader given: ReaderPool.Reader? = nil, page: AuditViews.Page? = nil
    ) async throws -> PictureView {
        let reader = given ?? readers.next()
        let clocks = try clocks(request)
        try await awaitPosition(request)
        do throws(AuditError) {
            return try await AuditViews.view(
                definition, projector: reader.projector, log: reader.log, clocks: clocks, scope: scope, needs: needs, freshness: .asStored,
                page: page)
        } catch {
            switch error {
            case .unknownRegion: throw APIError.notFound(error.description)
            case .notBuiltYet: throw APIError.unavailable(error.description)
            default: throw APIError.internalError(error.description)
            }
        }
    }

    /// Read-your-writes: with `at_least=N`, waits until every projection stands at log position N
    /// or later (503 after the timeout; 400 for a position the log has not reached).
    func awaitPosition(_ request: Request) async throws {
        guard let text = request.uri.queryParameters.get("at_least") else { return }
        let position = try integer(text, field: "at_least", default: 0, range: 0...Int64.max)
        if let reached = await follower.reached, reached >= position { return }
        // A position the log has not reached would only time out: refused at once.
        let head = try await readers.next().log.head()?.position ?? 0
        guard position <= head else {
            throw APIError.badRequest(field: "at_least", detail: "the log ends at position \(head); at_least must name a position it holds")
        }
        if await follower.waitUntil(position, timeout: configuration.readWaitTimeout) { return }
        let reached = await follower.reached.map { "position \($0)" } ?? "no position yet"
        throw APIError.unavailable(
            "the projections stand at \(reached), not yet at \(position), after waiting \(configuration.readWaitTimeout); retry shortly")
    }

    func timed<T>(_ query: String, _ body: () async throws -> T) async rethrows -> T {
        let start = ContinuousClock.now
        defer { metrics.queried(query, duration: ContinuousClock.now - start) }
        return try await body()
    }

    func summary(_ request: Request) async throws -> Response {
        try await timed("summary") {
            let region = request.uri.queryParameters.get("region")
            let view = try await view(.regionSummary, request, scope: region.map(AuditViews.Scope.region) ?? .everything)
            // The view refused a region the index never held (404); one it holds whose claims the
            // clocks all left out answers with no region, `as_of.clock_report` saying what was left out.
            let keys = RegionSelector.select(view.rows.keys.sorted(), region: region) ?? []
            return json(["as_of": view.asOf, "regions": .array(keys.map { view.rows[$0]! })])
        }
    }

    func provenance(_ request: Request) async throws -> Response {
        try await timed("provenance") {
            let view = try await view(.sourceProvenance, request)
            var keys = view.rows.keys.sorted()
            if let source = request.uri.queryParameters.get("source") {
                guard view.rows[source] != nil else { throw APIError.notFound("no source \(source)") }
                keys = [source]
            }
            return json(["as_of": view.asOf, "sources": .array(keys.map { view.rows[$0]! })])
        }
    }

    /// A page of the current claims (``ClaimListing``): `limit` (default 100, at most 1,000) in
    /// claim-id order after `after`, filtered by `region`, `kind`, `source`, `occurred_from` and
    /// `occurred_to`, under the clocks. JSON names the next page's `after` in `next`; a table
    /// (`format=csv|acled|ucdp`) names it in the `ThreatLedger-Next-After` header and a `Link`
    /// header (`rel="next"`), absent on the last page.
    func claims(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        var table: ClaimTables.Format?
        if let text = query.get("format") {
            guard let format = ClaimTables.Format(rawValue: text) else {
                throw APIError.badRequest(field: "format", detail: "must be csv, acled or ucdp (or left out for JSON)")
            }
            table = format
        }
        var page = ClaimPageQuery(
            after: query.get("after"),
            limit: Int(
                try integer(query.get("limit"), field: "limit", default: Int64(ClaimPageQuery.defaultLimit), range: 1...Int64(ClaimPageQuery.maximumLimit))),
            sourceID: query.get("source"))
        page.kind = try self.kind(query.get("kind"))
        page.occurredFrom = try day(query.get("occurred_from"), field: "occurred_from")
        page.occurredTo = try day(query.get("occurred_to"), field: "occurred_to")
        let clocks = try clocks(request)
        try await awaitPosition(request)
        let region = query.get("region")
        return try await timed("claims") {
            let reader = readers.next()
            let listing: ClaimListing
            do throws(AuditError) {
                listing = try await ClaimListing.read(page, region: region, clocks: clocks, projector: reader.projector, log: reader.log, freshness: .asStored)
            } catch {
                switch error {
                case .unknownRegion: throw APIError.notFound(error.description)
                case .notBuiltYet: throw APIError.unavailable(error.description)
                default: throw APIError.internalError(error.description)
                }
            }
            guard let table else { return json(listing.json) }
            var headers: HTTPFields = [.contentType: "text/csv; charset=utf-8", HTTPField.Name("ThreatLedger-As-Of")!: CanonicalJSON.string(listing.asOf)]
            if let next = listing.page.nextAfter {
                headers[HTTPField.Name("ThreatLedger-Next-After")!] = next
                var components = URLComponents()
                components.queryItems =
                    query.filter { $0.key != "after" }.map { URLQueryItem(name: String($0.key), value: String($0.value)) }
                    + [URLQueryItem(name: "after", value: next)]
                headers[HTTPField.Name("Link")!] = "</v1/claims?\(components.percentEncodedQuery ?? "")>; rel=\"next\""
            }
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: try ClaimTables.csv(listing.page.records, table))))
        }
    }

    func claim(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let id = try context.pathID()
        let view = try await view(.regionSummary, request, scope: .claim(id))
        guard let claim = view.picture.claims[id] else { throw APIError.notFound("no claim \(id)") }
        let record = view.picture.exportRecord(claim, incidents: view.picture.incidentsByClaim[id] ?? [])
        return json(["as_of": view.asOf, "claim": record.json, "retracted": .bool(claim.retracted)])
    }

    /// Every source, compact (from the stored provenance rows).
    /// A page of the sources, in id order: `limit` (default 500, at most 5,000) after `after`;
    /// `next` names the id to ask the next page after, null on the last page. Without clocks the
    /// page is read from the stored provenance rows alone, so its cost does not grow with the log.
    func sources(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        let limit = Int(
            try integer(
                query.get("limit"), field: "limit", default: Int64(SourceListing.defaultLimit), range: 1...Int64(SourceListing.maximumLimit)))
        let after = query.get("after")
        let view = try await view(.sourceProvenance, request, page: AuditViews.Page(after: after, limit: limit))
        let page = SourceListing.page(view.rows, after: after, limit: limit)
        return json(["as_of": view.asOf, "sources": .array(page.sources), "next": .optional(page.next)])
    }

    /// One source: its description, its article (re-hashed now) and every span its claims quote.
    func source(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let id = try context.pathID()
        let reader = readers.next()
        let view = try await view(.sourceProvenance, request, scope: .source(id), needs: .picture, reader: reader)
        guard let source = try await SourceView.build(id, picture: view.picture, vault: ArticleVault(log: reader.log, decoded: decodedArticles))
        else { throw APIError.notFound("no source \(id)") }
        return json(["as_of": view.asOf, "source": source.json])
    }

    /// What changed between two moments on one clock, figure by figure, and the events behind it in
    /// words; read from the index as it stands at the projections' checkpoint.
    func diff(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        let clockName = query.get("clock") ?? "record"
        guard let clock = SummaryDiff.Clock(rawValue: clockName) else {
            throw APIError.badRequest(field: "clock", detail: "\"\(clockName)\" is not a clock: record, report or event")
        }
        guard let from = query.get("from") else { throw APIError.badRequest(field: "from", detail: "from is required (a day, a time, or now)") }
        let to = query.get("to") ?? "now"
        try await awaitPosition(request)
        let reader = readers.next()
        guard let index = reader.projector as? any ClaimVersionIndex else { throw APIError.internalError("this backend keeps no read index") }
        let checkpoint = try await reader.projector.rowsCheckpoint(.regionSummary)
        guard let checkpoint else { throw APIError.unavailable("the projections have not been built yet; try again shortly") }
        do throws(AuditError) {
            let diff = try await SummaryDiff.compute(
                reader.log, clock: clock, from: from, to: to, region: query.get("region"), index: index, bound: checkpoint.position)
            return json(diff.json)
        } catch {
            switch error {
            case .badTime: throw APIError.badRequest(field: error.description.contains("\"\(from)\"") ? "from" : "to", detail: error.description)
            case .unknownRegion: throw APIError.notFound(error.description)
            case .notBuiltYet: throw APIError.unavailable(error.description)
            default: throw APIError.internalError(error.description)
            }
        }
    }

    /// A region's figure of one flow measure along one clock, step by step, read from the index's
    /// history of the region as it stands at the projections' checkpoint.
    func timeline(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        guard let region = query.get("region") else { throw APIError.badRequest(field: "region", detail: "region is required") }
        let measure = query.get("measure") ?? "killed"
        let clockName = query.get("clock") ?? "report"
        guard let clock = FigureTimeline.Clock(rawValue: clockName) else {
            throw APIError.badRequest(field: "clock", detail: "\"\(clockName)\" is not a clock: report, event or record")
        }
        try await awaitPosition(request)
        let reader = readers.next()
        guard let index = reader.projector as? any ClaimVersionIndex else { throw APIError.internalError("this backend keeps no read index") }
        guard let checkpoint = try await reader.projector.rowsCheckpoint(.regionSummary) else {
            throw APIError.unavailable("the projections have not been built yet; try again shortly")
        }
        do throws(AuditError) {
            let report = try await TimelineReport.compute(
                reader.log, index: index, region: region, measure: measure, clock: clock, bound: checkpoint.position)
            return json(report.json)
        } catch {
            switch error {
            case .notAFlowMeasure: throw APIError.badRequest(field: "measure", detail: error.description)
            case .unknownRegion: throw APIError.notFound(error.description)
            case .notBuiltYet: throw APIError.unavailable(error.description)
            default: throw APIError.internalError(error.description)
            }
        }
    }

    func history(_ context: APIRequestContext) async throws -> Response {
        let id = try context.pathID()
        guard let history = try await ClaimHistory.read(id, from: readers.next().log) else { throw APIError.notFound("no claim \(id)") }
        return json(history.json)
    }

    func traceClaim(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let id = try context.pathID()
        return try await timed("trace") {
            let reader = readers.next()
            let view = try await view(.regionSummary, request, scope: .claim(id), reader: reader)
            do throws(AuditError) {
                let trace = try await AuditViews.traceClaim(view, id: id, vault: ArticleVault(log: reader.log, decoded: decodedArticles))
                return json(["as_of": view.asOf, "claim": trace.json, "holds": .bool(trace.holds)])
            } catch {
                if case .unknownClaim = error { throw APIError.notFound(error.description) }
                throw APIError.internalError(error.description)
            }
        }
    }

    func traceFigure(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        guard let region = query.get("region") else { throw APIError.badRequest(field: "region", detail: "region is required") }
        guard let measure = query.get("measure") else { throw APIError.badRequest(field: "measure", detail: "measure is required") }
        let limit = try integer(
            query.get("limit"), field: "limit", default: Int64(AuditViews.TracePage.defaultLimit), range: 1...Int64(AuditViews.TracePage.maximumLimit))
        let page = AuditViews.TracePage(limit: Int(limit), after: query.get("after"))
        return try await timed("trace") {
            let reader = readers.next()
            let view = try await view(.regionSummary, request, scope: .region(region), needs: .picture, reader: reader)
            let kind = try self.kind(query.get("kind"))
            do throws(AuditError) {
                let traced = try await AuditViews.traceFigure(
                    view, region: region, measure: measure, kind: kind, vault: ArticleVault(log: reader.log, decoded: decodedArticles),
                    page: page)
                return json(traced.json)
            } catch {
                switch error {
                case .unknownRegion, .noFigure: throw APIError.notFound(error.description)
                default: throw APIError.internalError(error.description)
                }
            }
        }
    }

    /// An evidence bundle for one figure (``EvidenceBundle``) as a POSIX tar archive of one
    /// directory, `threatledger-evidence-REGION-MEASURE/`, signed with the server's `--sign-with`
    /// key: what `threatledger evidence` writes, for an auditor with a read token.
    func evidence(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        guard let key = configuration.evidenceKey else {
            throw APIError.unavailable("this server signs no evidence bundles: start it with serve --sign-with KEY (threatledger keygen)")
        }
        guard let region = query.get("region") else { throw APIError.badRequest(field: "region", detail: "region is required") }
        guard let measure = query.get("measure") else { throw APIError.badRequest(field: "measure", detail: "measure is required") }
        let kind = try self.kind(query.get("kind"))
        return try await timed("evidence") {
            let reader = readers.next()
            let view = try await view(.regionSummary, request, scope: .region(region), needs: .picture, reader: reader)
            let clocks = try clocks(request)
            let bundle: EvidenceBundle
            do throws(AuditError) {
                bundle = try await EvidenceBundle.build(
                    view: view, region: region, measure: measure, kind: kind, clocks: clocks, log: reader.log,
                    vault: ArticleVault(log: reader.log, decoded: decodedArticles), privateKey: key)
            } catch {
                switch error {
                case .unknownRegion, .noFigure: throw APIError.notFound(error.description)
                case .cannotBundle: throw APIError.conflict(error.description)
                default: throw APIError.internalError(error.description)
                }
            }
            let name = "threatledger-evidence-\(bundle.traced.regionKey)-\(measure)".map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" }
            let tar = try TarArchive.archive(
                bundle.files.map { ($0.path, $0.bytes) }, directory: String(name), mtime: bundle.head.recordedAt.microsecondsSinceEpoch / 1_000_000)
            return Response(
                status: .ok,
                headers: [.contentType: "application/x-tar", .contentDisposition: "attachment; filename=\"\(String(name)).tar\""],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: tar)))
        }
    }

    func events(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        let from = try integer(query.get("from"), field: "from", default: 1, range: 1...Int64.max)
        let limit = try integer(query.get("limit"), field: "limit", default: 100, range: 1...1_000)
        let page = try await readers.next().log.read(from: from, limit: Int(limit))
        let envelopes = try page.map { try $0.envelopeJSON() }
        let next: JSONValue = page.count == Int(limit) ? .number(Double(page.last!.position + 1)) : .null
        return json(["events": .array(envelopes), "next_from": next])
    }

    func rebuilds(_ request: Request) async throws -> Response {
        let name = request.uri.queryParameters.get("projection")
        if let name, !RebuildTarget.names.contains(name) {
            throw APIError.notFound(ProjectionError.unknownProjection(name).description)
        }
        let query = request.uri.queryParameters
        let limit = Int(try integer(query.get("limit"), field: "limit", default: 100, range: 1...1_000))
        let after = try integer(query.get("after"), field: "after", default: 0, range: 0...Int64.max)
        // In id order (the order they finished in), a page after the id `after`; `next` names the
        // last id of this page when there is a next one.
        let records = try await readers.next().projector.rebuilds(projection: name).filter { $0.id > after }.sorted { $0.id < $1.id }
        let page = records.prefix(limit)
        let next: JSONValue = records.count > limit ? .number(Double(page.last!.id)) : .null
        return json(["rebuilds": .array(page.map(Self.rebuildJSON)), "next": next])
    }

    func rebuild(_ request: Request, _ context: APIRequestContext, _ principal: Principal) async throws -> Response {
        let targets: [RebuildTarget]
        do throws(ProjectionError) {
            targets = try writer.rebuildTargets(named: request.uri.queryParameters.get("projection"))
        } catch {
            throw APIError.notFound(error.description)
        }
        var records: [JSONValue] = []
        for target in targets {
            let start = ContinuousClock.now
            do {
                records.append(Self.rebuildJSON(try await target.rebuild()))
            } catch {
                if case .rebuildInProgress = error { throw APIError.conflict(error.description) }
                throw APIError.internalError(error.description)
            }
            metrics.rebuilt(projection: target.name, duration: ContinuousClock.now - start)
            context.logger.info("rebuilt projection", metadata: ["projection": .string(target.name), "by": .string(principal.name)])
        }
        return json(["rebuilds": .array(records)])
    }

    static func rebuildJSON(_ record: RebuildRecord) -> JSONValue {
        [
            "id": .number(Double(record.id)), "projection": .string(record.projection), "version": .number(Double(record.version)),
            "started_at": .string(record.startedAt.iso8601), "finished_at": .string(record.finishedAt.iso8601),
            "events_folded": .number(Double(record.eventsFolded)), "head_position": .number(Double(record.headPosition)),
            "head_hash": .optional(record.headHash?.hex), "digest": .string(record.digest.hex), "holder": .string(record.holder),
        ]
    }

    /// A day from the query parameter `field`, or nil when it is not given; 400 naming it when it is not a real date.
    func day(_ text: String?, field: String) throws -> CalendarDate? {
        guard let text else { return nil }
        guard let day = CalendarDate(iso8601: text) else { throw APIError.badRequest(field: field, detail: "\"\(text)\" is not a real date (YYYY-MM-DD)") }
        return day
    }

    /// A claim kind from the query parameter `kind`, or nil when it is not given; 400 listing the kinds when it is none.
    func kind(_ text: String?) throws -> CodedClaim.Kind? {
        guard let text else { return nil }
        guard let kind = CodedClaim.Kind(rawValue: text) else {
            throw APIError.badRequest(
                field: "kind", detail: "no claim kind \(text) (kinds: \(CodedClaim.Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return kind
    }

    func integer(_ text: String?, field: String, default value: Int64, range: ClosedRange<Int64>) throws -> Int64 {
        guard let text else { return value }
        guard let number = Int64(text), range.contains(number) else {
            throw APIError.badRequest(field: field, detail: "\(field) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: CanonicalJSON.bytes(value))))
    }
}
