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
        for definition in ProjectionDefinition.all where problems.count < limit {
            guard try await projector.checkpointVersion(definition) != nil else { continue }
            let status = try await projector.status(definition)
            var picture = ThreatPicture()
            fold: for try await page in log.pages() {
                for event in page {
                    if event.position > status.position { break fold }
                    try picture.apply(event)
                }
                progress(picture.position, status.position)
            }
            if picture.position != status.position {
                problems.append("projection \(definition.name): its checkpoint names position \(status.position), but the log ends at \(picture.position)")
                continue
            }
            let stored = try await projector.rows(definition)
            let derived = definition.render(picture)
            for key in Set(stored.keys).union(derived.keys).sorted() where problems.count < limit && stored[key] != derived[key] {
                problems.append(
                    "projection \(definition.name): row \(key) "
                        + (stored[key] == nil
                            ? "is missing (the log gives it)"
                            : derived[key] == nil
                                ? "is stored but the log gives no such row"
                                : "differs from the log's (\(firstDifference(stored[key]!, derived[key]!)))"))
            }
            let storedDocuments = try await projector.picture(definition).documents
            let derivedDocuments = picture.documents
            for (kind, a, b) in [
                ("source", storedDocuments.sources, derivedDocuments.sources),
                ("claim", storedDocuments.claims, derivedDocuments.claims),
                ("incident", storedDocuments.incidents, derivedDocuments.incidents),
            ] {
                for key in Set(a.keys).union(b.keys).sorted() where problems.count < limit && a[key] != b[key] {
                    problems.append(
                        "projection \(definition.name): stored \(kind) \(key) "
                            + (a[key] == nil
                                ? "is missing"
                                : b[key] == nil
                                    ? "is not in the log"
                                    : "differs from the log's (\(firstDifference(a[key]!, b[key]!)))"))
                }
            }
        }
        if let index = projector as? any ClaimVersionIndex, problems.count < limit {
            problems += try await index.verifyIndex(limit: limit - problems.count, progress: progress)
        }
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
