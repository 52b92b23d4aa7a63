import ThreatLedgerCore
import ThreatLedgerStore

/// `verify --projections`: what the projections store, re-derived from the log and compared, in
/// memory bounded by the largest group of rows, never by the log.
///
/// 1. The read index (``ClaimVersionIndex/verifyIndex(limit:progress:)``): re-derived from the log
///    in scratch tables and compared row by row. When it differs, the rows rendered from it are not
///    checked (they would repeat its errors as theirs).
/// 2. Each projection (``ProjectionDefinition/all``): its checkpoint is held against the log (its
///    position must hold the hash it names), then every stored row is rendered again from the
///    index at that position, a group at a time, and compared: a row edited, deleted or added, and
///    a checkpoint moved, all show. Since step 1 holds the index equal to the log, a row equal to
///    its render from the index is the row the log gives.
///
/// Each difference names the projection, the key, and what differs.
public enum ProjectionCheck {
    public static func differences(
        log: any EventLog, projector: any Projector, limit: Int = 20, progress: @Sendable (Int64, Int64) -> Void = { _, _ in }
    ) async throws -> [String] {
        guard let store = projector as? any ProjectionRowStore else {
            return ["this backend keeps no read index, so its projections cannot be checked"]
        }
        let indexProblems = try await store.verifyIndex(limit: limit, progress: progress)
        if !indexProblems.isEmpty {
            // The projections are rendered from the index: checked against a wrong index they would
            // show its errors again, as if theirs. The index's own findings come last (the one a
            // terminal shows as the error).
            return [
                "the projections' rows were not checked: the read index they are rendered from differs from the log (`threatledger rebuild --projection \(ClaimVersionIndexLayout.name)` rebuilds it)"
            ] + indexProblems
        }
        var problems: [String] = []
        let index = try await store.indexCheckpoint()
        for definition in ProjectionDefinition.all where problems.count < limit {
            guard let checkpoint = try await store.rowsCheckpoint(definition) else { continue }
            problems += try await differences(definition, store: store, checkpoint: checkpoint, index: index, limit: limit - problems.count)
        }
        return problems
    }

    /// How `definition`'s stored rows differ from their renders from the index at its checkpoint.
    static func differences(
        _ definition: ProjectionDefinition, store: any ProjectionRowStore, checkpoint: IndexCheckpoint, index: IndexCheckpoint?, limit: Int
    ) async throws -> [String] {
        let name = "projection \(definition.name)"
        if checkpoint.version != definition.version {
            return ["\(name) is of version \(checkpoint.version); this code serves version \(definition.version) (a rebuild makes it)"]
        }
        let logHash = checkpoint.position == 0 ? nil : try await store.hash(at: checkpoint.position)
        if checkpoint.position > 0, logHash != checkpoint.hash {
            return [
                "\(name): its checkpoint (position \(checkpoint.position)) names hash \(checkpoint.hash?.hex ?? "none"), but the log's event there has \(logHash?.hex ?? "no event")"
            ]
        }
        guard let index, index.position >= checkpoint.position else {
            return ["\(name): its checkpoint (position \(checkpoint.position)) is ahead of the read index it is rendered from"]
        }
        var keys = Set(try await store.storedKeys(definition))
        switch definition.keys {
        case .places: keys.formUnion(try await store.regionKeys())
        case .sources: keys.formUnion(try await store.sourceIDs(at: checkpoint.position))
        }
        var groups: [String: [String]] = [:]
        for key in keys { groups[definition.group(key), default: []].append(key) }
        var problems: [String] = []
        for group in groups.keys.sorted() where problems.count < limit {
            let stored = try await store.storedRows(definition, selection: .groups([group]))
            // The checkpoint is read again with the rows: a catch-up between the two reads moves it.
            guard stored.checkpoint == checkpoint else {
                return try await differences(definition, store: store, checkpoint: stored.checkpoint ?? checkpoint, index: index, limit: limit)
            }
            for key in (groups[group] ?? []).sorted() where problems.count < limit {
                let derived = try await store.renderRow(definition, key: key, at: checkpoint.position)
                let row = stored.rows[key]
                guard row != derived else { continue }
                let how =
                    row == nil
                    ? "is missing (the log gives it)"
                    : derived == nil ? "is stored but the log gives no such row" : "differs from the log's (\(firstDifference(row!, derived!)))"
                problems.append("\(name): row \(key) \(how)")
            }
        }
        return problems
    }

    /// The path of the first member where two documents differ, with both values.
    public static func firstDifference(_ a: JSONValue, _ b: JSONValue, path: String = "") -> String {
        if let x = a.objectValue, let y = b.objectValue {
            for key in Set(x.keys).union(y.keys).sorted() where x[key] != y[key] {
                return firstDifference(x[key] ?? .null, y[key] ?? .null, path: path.isEmpty ? key : "\(path).\(key)")
            }
        }
        if let x = a.arrayValue, let y = b.arrayValue, x.count == y.count {
            for (i, (p, q)) in zip(x, y).enumerated() where p != q { return firstDifference(p, q, path: "\(path)[\(i)]") }
        }
        return "\(path.isEmpty ? "value" : path): stored \(CanonicalJSON.string(a).prefix(80)), log \(CanonicalJSON.string(b).prefix(80))"
    }
}
