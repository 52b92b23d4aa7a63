import ThreatLedgerCore

/// The log's Merkle tree (``MerkleTree``: RFC 9162 over the events' chain hashes, leaf *i* = event
/// position *i + 1*), read from the log's hashes page by page in one pass, in O(log n) memory:
/// roots of any size, inclusion proofs of an event, consistency proofs between two sizes.
public enum LogMerkle {
    /// Why a proof cannot be made.
    public enum Failure: Error, Sendable, CustomStringConvertible {
        /// A size or position past the log's head.
        case beyondHead(requested: Int64, head: Int64)
        case invalid(String)
        case store(StoreError)

        public var description: String {
            switch self {
            case .beyondHead(let requested, let head): "the log holds \(head) event(s): there is no position or tree size \(requested)"
            case .invalid(let reason): reason
            case .store(let error): "\(error)"
            }
        }
    }

    /// That event `position` is in the log's tree of `treeSize` leaves with `root`.
    public struct InclusionProof: Sendable, Equatable {
        public let position: Int64
        public let treeSize: Int64
        public let eventHash: SHA256Hash
        public let leafHash: SHA256Hash
        public let root: SHA256Hash
        /// Sibling hashes from the leaf up (RFC 9162 `PATH`).
        public let path: [SHA256Hash]

        /// Whether the proof holds (RFC 9162 §2.1.3.2), the leaf recomputed from the event hash.
        public var holds: Bool {
            leafHash == MerkleTree.leafHash(event: eventHash)
                && MerkleTree.verifyInclusion(leaf: leafHash, index: Int(position - 1), size: Int(treeSize), proof: path, root: root)
        }

        public var json: JSONValue {
            [
                "type": "threatledger-inclusion-proof/v1", "position": .number(Double(position)), "leaf_index": .number(Double(position - 1)),
                "tree_size": .number(Double(treeSize)), "event_hash": .string(eventHash.hex), "leaf_hash": .string(leafHash.hex),
                "tree_root": .string(root.hex), "path": .array(path.map { .string($0.hex) }),
            ]
        }
    }

    /// That the log's tree of `treeSize` leaves extends its tree of `oldSize` leaves.
    public struct ConsistencyProof: Sendable, Equatable {
        public let oldSize: Int64
        public let oldRoot: SHA256Hash
        public let treeSize: Int64
        public let root: SHA256Hash
        /// RFC 9162 `PROOF`.
        public let path: [SHA256Hash]

        /// Whether the proof holds (RFC 9162 §2.1.4.2).
        public var holds: Bool {
            MerkleTree.verifyConsistency(oldSize: Int(oldSize), newSize: Int(treeSize), oldRoot: oldRoot, newRoot: root, proof: path)
        }

        public var json: JSONValue {
            [
                "type": "threatledger-consistency-proof/v1", "old_size": .number(Double(oldSize)), "old_root": .string(oldRoot.hex),
                "tree_size": .number(Double(treeSize)), "tree_root": .string(root.hex), "path": .array(path.map { .string($0.hex) }),
            ]
        }
    }

    /// The root of the log's tree of `size` leaves (its first `size` events).
    /// - Parameter pageSize: hashes read per query (every function here takes it; tests make pages small).
    public static func root(of log: any EventLog, size: Int64, pageSize: Int = 10_000) async throws(Failure) -> SHA256Hash {
        try await pass(over: log, size: size, ranges: [], prefixes: [], pageSize: pageSize).root
    }

    /// The proof that event `position` is in the log's tree of `size` leaves (default: the head).
    public static func inclusion(
        of position: Int64, in log: any EventLog, size: Int64? = nil, pageSize: Int = 10_000
    ) async throws(Failure) -> InclusionProof {
        let size = try await checkedSize(size, of: log)
        guard position >= 1 else { throw .invalid("positions start at 1") }
        guard position <= size else { throw .invalid("position \(position) is not in a tree of the first \(size) event(s)") }
        let ranges = MerkleTree.inclusionRanges(index: Int(position - 1), size: Int(size))
        let result = try await pass(over: log, size: size, ranges: ranges, prefixes: [], leaf: position, pageSize: pageSize)
        let event = result.eventHash!
        return InclusionProof(
            position: position, treeSize: size, eventHash: event, leafHash: MerkleTree.leafHash(event: event), root: result.root,
            path: result.rangeRoots)
    }

    /// The proof that the log's tree of `size` leaves (default: the head) extends its tree of
    /// `oldSize` leaves.
    public static func consistency(
        from oldSize: Int64, in log: any EventLog, size: Int64? = nil, pageSize: Int = 10_000
    ) async throws(Failure) -> ConsistencyProof {
        let size = try await checkedSize(size, of: log)
        guard oldSize >= 1 else { throw .invalid("the old tree size must be at least 1") }
        guard oldSize <= size else { throw .invalid("a tree of \(size) event(s) cannot extend a larger one of \(oldSize)") }
        let ranges = MerkleTree.consistencyRanges(oldSize: Int(oldSize), size: Int(size))
        let result = try await pass(over: log, size: size, ranges: ranges, prefixes: [oldSize], pageSize: pageSize)
        return ConsistencyProof(oldSize: oldSize, oldRoot: result.prefixRoots[oldSize]!, treeSize: size, root: result.root, path: result.rangeRoots)
    }

    /// The inclusion proofs of every event in `positions` in the log's tree of `size` leaves
    /// (default: the head), in one pass over its hashes and O(log n) memory: an evidence bundle
    /// proves each of its events at once.
    ///
    /// Every node of an RFC 9162 tree is either a perfect subtree at an aligned boundary (a left
    /// child, or anything inside one) or a range that ends at the tree's last leaf; the first kind
    /// is caught as the frontier completes it, the second folded from the frontier at the end.
    public static func inclusions(
        of positions: Set<Int64>, in log: any EventLog, size: Int64? = nil, pageSize: Int = 10_000
    ) async throws(Failure) -> [Int64: InclusionProof] {
        let size = try await checkedSize(size, of: log)
        if let wrong = positions.first(where: { $0 < 1 || $0 > size }) {
            throw .invalid("position \(wrong) is not in a tree of the first \(size) event(s)")
        }
        var paths: [Int64: [Range<Int>]] = [:]
        var needed = Set<Range<Int>>()
        for position in positions {
            let ranges = MerkleTree.inclusionRanges(index: Int(position - 1), size: Int(size))
            paths[position] = ranges
            needed.formUnion(ranges)
        }
        var found: [Range<Int>: SHA256Hash] = [:]
        var eventHashes: [Int64: SHA256Hash] = [:]
        var stack: [(height: Int, start: Int, hash: SHA256Hash)] = []
        var whole = MerkleFrontier()
        try await forEachHash(of: log, size: size, pageSize: pageSize) { index, hash in
            if positions.contains(Int64(index) + 1) { eventHashes[Int64(index) + 1] = hash }
            let leaf = MerkleTree.leafHash(event: hash)
            whole.append(leaf)
            var node = (height: 0, start: index, hash: leaf)
            if needed.contains(index..<(index + 1)) { found[index..<(index + 1)] = leaf }
            while let last = stack.last, last.height == node.height {
                stack.removeLast()
                node = (node.height + 1, last.start, MerkleTree.nodeHash(last.hash, node.hash))
                let range = node.start..<(node.start + (1 << node.height))
                if needed.contains(range) { found[range] = node.hash }
            }
            stack.append(node)
        }
        // The ranges that end at the last leaf: the frontier's subtrees from their start, folded.
        for range in needed where found[range] == nil && range.upperBound == Int(size) {
            guard let first = stack.firstIndex(where: { $0.start == range.lowerBound }) else { continue }
            var hash = stack.last!.hash
            for node in stack[first..<(stack.count - 1)].reversed() { hash = MerkleTree.nodeHash(node.hash, hash) }
            found[range] = hash
        }
        let root = whole.root
        var proofs: [Int64: InclusionProof] = [:]
        for (position, ranges) in paths {
            let event = eventHashes[position]!
            proofs[position] = InclusionProof(
                position: position, treeSize: size, eventHash: event, leafHash: MerkleTree.leafHash(event: event), root: root,
                path: ranges.map { found[$0]! })
        }
        return proofs
    }

    /// The roots of the log's trees of each of `sizes` leaves, in one pass over its hashes (a trail
    /// of heads checked at once).
    public static func roots(of log: any EventLog, sizes: [Int64], pageSize: Int = 10_000) async throws(Failure) -> [Int64: SHA256Hash] {
        guard let largest = sizes.max() else { return [:] }
        _ = try await checkedSize(largest, of: log)
        return try await pass(over: log, size: largest, ranges: [], prefixes: Set(sizes), pageSize: pageSize).prefixRoots
    }

    private static func checkedSize(_ size: Int64?, of log: any EventLog) async throws(Failure) -> Int64 {
        let head: Int64
        do { head = try await log.head()?.position ?? 0 } catch { throw .store(error) }
        guard let size else {
            guard head > 0 else { throw .invalid("the log is empty: it has no tree to prove anything in") }
            return head
        }
        guard size >= 1 else { throw .invalid("a tree size must be at least 1") }
        guard size <= head else { throw .beyondHead(requested: size, head: head) }
        return size
    }

    /// One pass over the first `size` event hashes: the root, the roots of the first `prefixes`
    /// leaves, the roots of `ranges` (disjoint leaf ranges, returned in the order given), and the
    /// hash of event `leaf`.
    static func pass(
        over log: any EventLog, size: Int64, ranges: [Range<Int>], prefixes: Set<Int64>, leaf: Int64? = nil, pageSize: Int
    ) async throws(Failure) -> (root: SHA256Hash, prefixRoots: [Int64: SHA256Hash], rangeRoots: [SHA256Hash], eventHash: SHA256Hash?) {
        let order = ranges.indices.sorted { ranges[$0].lowerBound < ranges[$1].lowerBound }
        var roots = [SHA256Hash?](repeating: nil, count: ranges.count)
        var whole = MerkleFrontier()
        var part = MerkleFrontier()
        var next = 0
        var prefixRoots: [Int64: SHA256Hash] = [:]
        var eventHash: SHA256Hash?
        try await forEachHash(of: log, size: size, pageSize: pageSize) { index, hash in
            let leafHash = MerkleTree.leafHash(event: hash)
            whole.append(leafHash)
            if Int64(index) + 1 == leaf { eventHash = hash }
            if next < order.count, ranges[order[next]].contains(index) {
                part.append(leafHash)
                if index + 1 == ranges[order[next]].upperBound {
                    roots[order[next]] = part.root
                    part = MerkleFrontier()
                    next += 1
                }
            }
            if prefixes.contains(Int64(index) + 1) { prefixRoots[Int64(index) + 1] = whole.root }
        }
        return (whole.root, prefixRoots, roots.map { $0! }, eventHash)
    }

    /// Calls `body` with each of the first `size` event hashes and its leaf index (from 0), read a
    /// page at a time.
    private static func forEachHash(
        of log: any EventLog, size: Int64, pageSize: Int, _ body: (Int, SHA256Hash) -> Void
    ) async throws(Failure) {
        var index = 0
        while Int64(index) < size {
            let page: [SHA256Hash]
            do { page = try await log.hashes(from: Int64(index) + 1, limit: Int(min(Int64(pageSize), size - Int64(index)))) } catch { throw .store(error) }
            guard !page.isEmpty else { throw .beyondHead(requested: size, head: Int64(index)) }
            for hash in page {
                body(index, hash)
                index += 1
            }
        }
    }
}
