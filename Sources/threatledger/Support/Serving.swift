import ThreatLedgerAudit
import ThreatLedgerCore
import ThreatLedgerProjections
import ThreatLedgerStore

/// Opens the projector on the log and reads views through the Audit layer, as the HTTP API does.
enum Serving {
    static func projector(_ log: LogOptions, role: String) async throws -> any Projector {
        try await log.backend(role: role).projector
    }

    /// Through ``AuditViews/view(_:projector:log:clocks:scope:needs:progress:)``, with progress shown
    /// when a rebuild is needed first.
    static func view(
        _ definition: ProjectionDefinition, log: LogOptions, clocks: AuditClocks, role: String, scope: AuditViews.Scope = .everything,
        needs: AuditViews.Needs = .rows
    ) async throws -> PictureView {
        let backend = try await log.backend(role: role)
        let projector = backend.projector
        let store = backend.log
        let readsRows: Bool
        switch scope {
        case .claim, .source: readsRows = false
        default: readsRows = clocks.isEmpty && needs == .rows
        }
        let rebuilding = readsRows ? definition.name : ClaimVersionIndexLayout.name
        let progress = ProgressReporter(label: "rebuild \(rebuilding)", total: nil)
        do throws(AuditError) {
            let view = try await AuditViews.view(definition, projector: projector, log: store, clocks: clocks, scope: scope, needs: needs) { done, total in
                progress.update(done, total: total)
            }
            progress.finish()
            return view
        } catch {
            progress.finish()
            throw CommandFailure(error.description)
        }
    }
}
