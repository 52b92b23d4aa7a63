import ThreatLedgerCore
import ThreatLedgerStore

/// `verify --projections`: what the projections store, re-derived from the log and compared.
///
/// - Each rendered projection (``ProjectionDefinition/all``): the log is folded up to the
///   projection's checkpoint and rendered again; every stored row and every stored fold document
///   (source, claim, incident) must equal the re-derived one. This fold holds the picture in
///   memory, as a rebuild does today.
/// - The read index (``ClaimVersionIndex``), where the backend has one: re-derived in scratch
///   tables and compared row by row (``ClaimVersionIndex/verifyIndex(limit:progress:)``), in
///   bounded memory.
///
/// Each difference names the projection, the table or key, and what differs.
public enum ProjectionCheck {
    public static func differences(
        log: any EventLog, projector: any Projector, limit: Int = 20, progress: @Sendable (Int64, Int64) -> Void = { _, _ in }
    ) async throws -> [String] {
        var problems: [String] = []
        // One fold of the log serves every projection: it stops at each checkpoint in turn.
        var checkpoints: [(definition: ProjectionDefinition, position: Int64)] = []
        for definition in ProjectionDefinition.all where try await projector.checkpointVersion(definition) != nil {
            checkpoints.append((definition, try await projector.status(definition).position))
        }
        checkpoints.sort { $0.position < $1.position }
        var picture = ThreatPicture()
        var pages = log.pages().makeAsyncIterator()
        var pending: ArraySlice<RecordedEvent> = []
        let end = checkpoints.last?.position ?? 0
        for (definition, position) in checkpoints where problems.count < limit {
            fold: while picture.position < position {
                if pending.isEmpty {
                    guard let page = try await pages.next() else { break fold }
                    pending = page[...]
                    progress(picture.position, end)
                }
                while let event = pending.first, event.position <= position {
                    try picture.apply(event)
                    pending = pending.dropFirst()
                }
                if pending.first != nil { break fold }
            }
            if picture.position != position {
                problems.append("projection \(definition.name): its checkpoint names position \(position), but the log ends at \(picture.position)")
                continue
            }
            problems += try await differences(definition, stored: projector, derived: picture, limit: limit - problems.count)
        }
        if let index = projector as? any ClaimVersionIndex, problems.count < limit {
            problems += try await index.verifyIndex(limit: limit - problems.count, progress: progress)
        }
        return problems
    }

    /// How `definition`'s stored rows and fold documents differ from those of `derived`.
    static func differences(
        _ definition: ProjectionDefinition, stored projector: any Projector, derived picture: ThreatPicture, limit: Int
    ) async throws -> [String] {
        var problems: [String] = []
        func compare(_ what: String, _ stored: [String: JSONValue], _ derived: [String: JSONValue], missing: String, extra: String) {
            for key in Set(stored.keys).union(derived.keys).sorted() where problems.count < limit && stored[key] != derived[key] {
                let how =
                    stored[key] == nil ? missing : derived[key] == nil ? extra : "differs from the log's (\(firstDifference(stored[key]!, derived[key]!)))"
                problems.append("projection \(definition.name): \(what) \(key) \(how)")
            }
        }
        compare(
            "row", try await projector.rows(definition), definition.render(picture), missing: "is missing (the log gives it)",
            extra: "is stored but the log gives no such row")
        let stored = try await projector.picture(definition).documents
        let derived = picture.documents
        compare("stored source", stored.sources, derived.sources, missing: "is missing", extra: "is not in the log")
        compare("stored claim", stored.claims, derived.claims, missing: "is missing", extra: "is not in the log")
        compare("stored incident", stored.incidents, derived.incidents, missing: "is missing", extra: "is not in the log")
        return problems
    }

    /// The path of the first member where two documents differ, with both values.
    static func firstDifference(_ a: JSONValue, _ b: JSONValue, path: String = "") -> String {
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
