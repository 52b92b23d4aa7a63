import ThreatLedgerAudit
import ThreatLedgerCore
import ThreatLedgerProjections
import ThreatLedgerStore

/// Opens the projector on the log and makes a projection current before a command reads it.
enum Serving {
    static func projector(_ log: LogOptions, role: String) throws -> SQLiteProjector {
        do {
            return try SQLiteProjector(path: log.resolvedPath, role: role)
        } catch {
            throw CommandFailure(error.description)
        }
    }

    /// Catches the projection up (or rebuilds it when it was never built or its code version changed),
    /// showing progress for a rebuild, and returns where it stands with its rows.
    static func current(_ definition: ProjectionDefinition, _ projector: SQLiteProjector) async throws
        -> (ProjectionStatus, [String: JSONValue])
    {
        let progress = ProgressReporter(label: "rebuild \(definition.name)", total: nil)
        do throws(ProjectionError) {
            let status = try await projector.ensureServing(definition) { done, total in
                progress.update(done, total: total)
            }
            progress.finish()
            return (status, try await projector.rows(definition))
        } catch {
            throw CommandFailure(error.description)
        }
    }

    static func headJSON(_ status: ProjectionStatus) -> JSONValue {
        [
            "projection": .string(status.projection), "version": .number(Double(status.version)),
            "log_position": .number(Double(status.position)), "log_hash": .optional(status.hash?.hex),
            "digest": .string(status.digest.hex),
        ]
    }

    static func headLine(_ status: ProjectionStatus) -> String {
        "\(status.projection) v\(status.version) as of log position \(status.position)"
            + (status.hash.map { ", hash \($0.hex.prefix(16))…" } ?? "") + "; digest \(status.digest.hex.prefix(16))…"
    }
}

/// A view of the picture: what a command reads, and a statement of how it was computed.
struct PictureView {
    /// Stated in JSON output: the clocks, the log head, and what the clocks left out.
    let asOf: JSONValue
    /// The same, for a terminal.
    let headline: String
    let rows: [String: JSONValue]
    let picture: ThreatPicture
}

extension Serving {
    /// Without clocks: the projection, caught up. With clocks: a replay of the log (never today's tables).
    static func view(_ definition: ProjectionDefinition, log: LogOptions, clocks: AuditClocks, role: String) async throws -> PictureView {
        if clocks.isEmpty {
            let projector = try projector(log, role: role)
            let (status, rows) = try await current(definition, projector)
            let picture: ThreatPicture
            do { picture = try await projector.picture(definition) } catch { throw CommandFailure(error.description) }
            var asOf = headJSON(status).objectValue!
            asOf["clocks"] = AuditClocks().json
            asOf["computed_from"] = "projection"
            return PictureView(asOf: .object(asOf), headline: headLine(status), rows: rows, picture: picture)
        }
        let store = try log.open()
        let replay: Replay
        do { replay = try await Replay.compute(store, clocks: clocks) } catch { throw CommandFailure("\(error)") }
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
}
