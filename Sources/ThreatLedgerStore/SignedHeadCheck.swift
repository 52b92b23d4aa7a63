import ThreatLedgerCore

/// Whether a log extends a signed head: it holds, at the head's position, exactly the signed hash.
/// Since each hash covers every event before it, that one comparison covers the whole prefix. A
/// version-2 head's Merkle root is recomputed from the log too, so proofs checked against the head
/// stand on the log.
public enum SignedHeadCheck {
    /// Why a log does not extend a signed head.
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// The log ends before the head's position.
        case endsBefore(position: Int64, logEnd: Int64)
        /// The log holds another hash at the head's position.
        case rewritten(position: Int64, held: SHA256Hash, signed: SHA256Hash, signedAt: RecordTime)
        /// The chain hash agrees but the signed Merkle root is not the log's: the head was signed
        /// over another tree.
        case treeRootDiffers(position: Int64, computed: SHA256Hash, signed: SHA256Hash)

        public var description: String {
            switch self {
            case .endsBefore(let position, let end):
                "the log ends at position \(end), before position \(position) of the signed head: events were removed (or the head is of a later log)"
            case .rewritten(let position, let held, let signed, let at):
                "at position \(position): the log holds hash \(held.hex) where the signed head (\(at.iso8601)) has \(signed.hex): the log was rewritten"
            case .treeRootDiffers(let position, let computed, let signed):
                "at position \(position): the log's Merkle tree root is \(computed.hex) where the signed head has \(signed.hex): the head does not describe this log"
            }
        }
    }

    /// Nil when `log` extends `head`; otherwise what differs.
    /// - Parameter knownRoot: the log's Merkle root at the head's position when already computed
    ///   (a trail's heads are checked in one pass); computed here otherwise.
    public static func failure(of log: any EventLog, against head: SignedHead, knownRoot: SHA256Hash? = nil) async throws(StoreError) -> Failure? {
        let events = try await log.read(from: head.position, limit: 1)
        guard let event = events.first, event.position == head.position else {
            return .endsBefore(position: head.position, logEnd: try await log.head()?.position ?? 0)
        }
        guard event.hash == head.hash else { return .rewritten(position: head.position, held: event.hash, signed: head.hash, signedAt: head.recordedAt) }
        if let signed = head.treeRoot {
            let computed: SHA256Hash
            do {
                if let knownRoot { computed = knownRoot } else { computed = try await LogMerkle.root(of: log, size: head.position) }
            } catch {
                if case .store(let store) = error { throw store }
                throw .database("\(error)")
            }
            if computed != signed { return .treeRootDiffers(position: head.position, computed: computed, signed: signed) }
        }
        return nil
    }
}
