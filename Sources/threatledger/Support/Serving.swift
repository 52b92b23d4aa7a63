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
