import ThreatLedgerCore
import ThreatLedgerStore

/// What the projections remember of the log, held against the log itself: every projection
/// checkpoint and every recorded rebuild names a position and its hash. A log whose head is behind
/// one of them lost events from its tail (a deletion with the triggers dropped leaves a chain that
/// verifies on its own); a log holding another hash there was rewritten.
public enum TailWitnesses {
    /// The first witness the log contradicts, in words, or nil when every one agrees with it.
    public static func contradiction(log: any EventLog, projector: any Projector) async throws -> String? {
        let head = try await log.head()
        let end = head?.position ?? 0
        var witnesses: [(what: String, position: Int64, hash: SHA256Hash?)] = []
        for definition in ProjectionDefinition.all {
            guard let checkpoint = try await projector.rowsCheckpoint(definition) else { continue }
            witnesses.append(("projection \(definition.name)'s checkpoint", checkpoint.position, checkpoint.hash))
        }
        for record in try await projector.rebuilds() {
            witnesses.append(("rebuild #\(record.id) of \(record.projection) (\(record.finishedAt.iso8601))", record.headPosition, record.headHash))
        }
        for witness in witnesses.sorted(by: { $0.position > $1.position }) where witness.position > 0 {
            if witness.position > end {
                return
                    "the log ends at position \(end), but \(witness.what) names position \(witness.position): events were removed from the tail (first missing position \(end + 1))"
            }
            if let hash = witness.hash, let event = try await log.read(from: witness.position, limit: 1).first, event.hash != hash {
                return "position \(witness.position) holds hash \(event.hash.hex), but \(witness.what) recorded \(hash.hex): the log was rewritten there"
            }
        }
        return nil
    }
}
