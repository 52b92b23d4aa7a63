import ThreatLedgerCore

/// Something `rebuild` can rebuild by name: each projection, and the claim-version read index
/// where the backend keeps one. The command line and the API rebuild through these, so both offer
/// the same names in the same order.
public struct RebuildTarget: Sendable {
    public let name: String
    let run: @Sendable (_ takeOver: String?, _ progress: @Sendable (Int64, Int64) -> Void) async throws(ProjectionError) -> RebuildRecord

    /// Rebuilds it from the whole log and swaps it in atomically. `takeOver` takes a live holder's
    /// projection lock for that reason; the index's lock is taken over only when its lease expired.
    public func rebuild(
        takeOver: String? = nil, progress: @Sendable (Int64, Int64) -> Void = { _, _ in }
    ) async throws(ProjectionError) -> RebuildRecord {
        try await run(takeOver, progress)
    }

    /// Every name a rebuild takes.
    public static let names = [ClaimVersionIndexLayout.name] + ProjectionDefinition.all.map(\.name)
}

extension Projector {
    /// The targets `name` selects: all of them without one (the read index first), or the one so
    /// named; ``ProjectionError/unknownProjection(_:)`` for any other name.
    public func rebuildTargets(named name: String?) throws(ProjectionError) -> [RebuildTarget] {
        var targets: [RebuildTarget] = []
        if let index = self as? any ClaimVersionIndex {
            targets.append(
                RebuildTarget(name: ClaimVersionIndexLayout.name) { _, progress async throws(ProjectionError) in
                    try await index.rebuildIndex(progress: progress)
                })
        }
        for definition in ProjectionDefinition.all {
            targets.append(
                RebuildTarget(name: definition.name) { takeOver, progress async throws(ProjectionError) in
                    try await self.rebuild(definition, takeOver: takeOver, progress: progress)
                })
        }
        guard let name else { return targets }
        guard let target = targets.first(where: { $0.name == name }) else { throw .unknownProjection(name) }
        return [target]
    }
}
