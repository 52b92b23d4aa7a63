import Crypto

/// A Merkle tree over the log's event hashes, as RFC 9162 (Certificate Transparency 2.0, §2.1)
/// defines it, beside the linear chain: the chain proves an event only by replaying everything after
/// it; the tree proves that an event is in a log of a given size (an inclusion proof) and that a
/// log extends an earlier one (a consistency proof) with about log2(size) hashes, which a third
/// party checks with nothing but SHA-256 (`scripts/verify-evidence.py`).
///
/// The leaves are the events in log order; leaf *i* (from 0) is event position *i + 1*, its data
/// the 32 bytes of the event's chain hash. Leaf hashes are `SHA-256(0x00 ‖ data)`, interior nodes
/// `SHA-256(0x01 ‖ left ‖ right)`, the empty tree's root `SHA-256()`, and a tree of *n* leaves
/// splits at the largest power of two below *n*, exactly as RFC 9162 says, so any RFC 9162
/// verifier checks these proofs.
public enum MerkleTree {
    /// The root of the empty tree: SHA-256 of nothing.
    public static let emptyRoot = SHA256Hash.of([UInt8]())

    /// A leaf's hash from its data (RFC 9162: `HASH(0x00 ‖ d)`).
    public static func leafHash(data: some Collection<UInt8>) -> SHA256Hash {
        var hasher = SHA256()
        hasher.update(data: [0x00])
        hasher.update(data: Array(data))
        return SHA256Hash(uncheckedBytes: Array(hasher.finalize()))
    }

    /// The leaf of an event: the hash of its chain hash's bytes.
    public static func leafHash(event hash: SHA256Hash) -> SHA256Hash { leafHash(data: hash.bytes) }

    /// An interior node (RFC 9162: `HASH(0x01 ‖ left ‖ right)`).
    public static func nodeHash(_ left: SHA256Hash, _ right: SHA256Hash) -> SHA256Hash {
        var hasher = SHA256()
        hasher.update(data: [0x01])
        hasher.update(data: left.bytes)
        hasher.update(data: right.bytes)
        return SHA256Hash(uncheckedBytes: Array(hasher.finalize()))
    }

    /// The largest power of two smaller than `n` (n ≥ 2).
    static func split(_ n: Int) -> Int {
        var k = 1
        while k << 1 < n { k <<= 1 }
        return k
    }

    /// The root of the tree over `leaves` (leaf hashes, in order).
    public static func root(_ leaves: ArraySlice<SHA256Hash>) -> SHA256Hash {
        switch leaves.count {
        case 0: return emptyRoot
        case 1: return leaves.first!
        default:
            let k = split(leaves.count)
            let start = leaves.startIndex
            return nodeHash(root(leaves[start..<start + k]), root(leaves[(start + k)...]))
        }
    }

    /// The leaf ranges whose roots make the inclusion proof of leaf `index` in a tree of `size`
    /// leaves (RFC 9162 `PATH`), in proof order (from the leaf up). Each proof hash is the root of
    /// the leaves in its range, so a log can compute them in one pass over its hashes.
    public static func inclusionRanges(index: Int, size: Int) -> [Range<Int>] {
        precondition(index >= 0 && index < size, "leaf \(index) is not in a tree of \(size)")
        func path(_ m: Int, _ range: Range<Int>) -> [Range<Int>] {
            guard range.count > 1 else { return [] }
            let k = split(range.count)
            let left = range.lowerBound..<(range.lowerBound + k)
            let right = (range.lowerBound + k)..<range.upperBound
            return m < k ? path(m, left) + [right] : path(m - k, right) + [left]
        }
        return path(index, 0..<size)
    }

    /// The leaf ranges whose roots make the consistency proof that a tree of `size` leaves extends
    /// its first `oldSize` (RFC 9162 `PROOF`), 0 < oldSize ≤ size, in proof order.
    public static func consistencyRanges(oldSize: Int, size: Int) -> [Range<Int>] {
        precondition(oldSize > 0 && oldSize <= size, "a consistency proof needs 0 < old size ≤ new size")
        func subproof(_ m: Int, _ range: Range<Int>, complete: Bool) -> [Range<Int>] {
            if m == range.count { return complete ? [] : [range] }
            let k = split(range.count)
            let left = range.lowerBound..<(range.lowerBound + k)
            let right = (range.lowerBound + k)..<range.upperBound
            return m <= k ? subproof(m, left, complete: complete) + [right] : subproof(m - k, right, complete: false) + [left]
        }
        return subproof(oldSize, 0..<size, complete: true)
    }

    /// The inclusion proof of leaf `index` (from 0) in the tree over `leaves` (RFC 9162 `PATH`).
    public static func inclusionProof(index: Int, in leaves: ArraySlice<SHA256Hash>) -> [SHA256Hash] {
        let base = leaves.startIndex
        return inclusionRanges(index: index, size: leaves.count).map { root(leaves[(base + $0.lowerBound)..<(base + $0.upperBound)]) }
    }

    /// The consistency proof that the tree over `leaves` extends its first `oldSize` leaves (RFC
    /// 9162 `PROOF`), 0 < oldSize ≤ leaves.count.
    public static func consistencyProof(oldSize: Int, in leaves: ArraySlice<SHA256Hash>) -> [SHA256Hash] {
        let base = leaves.startIndex
        return consistencyRanges(oldSize: oldSize, size: leaves.count).map { root(leaves[(base + $0.lowerBound)..<(base + $0.upperBound)]) }
    }

    /// One step of RFC 9162's verification walk up the tree: the proof's next hash is a left
    /// sibling (`left` runs, and the walk climbs past the levels where the node is a right child
    /// with no sibling) or a right one (`right` runs).
    private static func walk(_ fn: inout Int, _ sn: inout Int, left: () -> Void, right: () -> Void) {
        if fn & 1 == 1 || fn == sn {
            left()
            if fn & 1 == 0 {
                repeat {
                    fn >>= 1
                    sn >>= 1
                } while fn & 1 == 0 && fn != 0
            }
        } else {
            right()
        }
        fn >>= 1
        sn >>= 1
    }

    /// Whether `proof` shows `leaf` is leaf `index` of a tree of `size` leaves with `root` (RFC
    /// 9162 §2.1.3.2).
    public static func verifyInclusion(leaf: SHA256Hash, index: Int, size: Int, proof: [SHA256Hash], root: SHA256Hash) -> Bool {
        guard index >= 0, index < size else { return false }
        var fn = index
        var sn = size - 1
        var r = leaf
        for p in proof {
            guard sn != 0 else { return false }
            walk(&fn, &sn, left: { r = nodeHash(p, r) }, right: { r = nodeHash(r, p) })
        }
        return sn == 0 && r == root
    }

    /// Whether `proof` shows the tree of `newSize` leaves with `newRoot` extends the tree of
    /// `oldSize` leaves with `oldRoot` (RFC 9162 §2.1.4.2). Equal sizes need an empty proof and
    /// equal roots; the empty tree is extended by every tree.
    public static func verifyConsistency(oldSize: Int, newSize: Int, oldRoot: SHA256Hash, newRoot: SHA256Hash, proof: [SHA256Hash]) -> Bool {
        guard oldSize >= 0, oldSize <= newSize else { return false }
        if oldSize == 0 { return proof.isEmpty }
        if oldSize == newSize { return proof.isEmpty && oldRoot == newRoot }
        guard !proof.isEmpty else { return false }
        var path = proof
        if oldSize & (oldSize - 1) == 0 { path.insert(oldRoot, at: 0) }
        var fn = oldSize - 1
        var sn = newSize - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var fr = path[0]
        var sr = path[0]
        for c in path.dropFirst() {
            guard sn != 0 else { return false }
            walk(
                &fn, &sn,
                left: {
                    fr = nodeHash(c, fr)
                    sr = nodeHash(c, sr)
                }, right: { sr = nodeHash(sr, c) })
        }
        return fr == oldRoot && sr == newRoot && sn == 0
    }
}

/// The right edge of a Merkle tree being built leaf by leaf (a compact range): the roots of its
/// perfect subtrees, largest first, so the root of every prefix is known in O(log n) memory while
/// the log streams past once.
public struct MerkleFrontier: Sendable {
    /// (height, root) of each perfect subtree, from the left.
    private var stack: [(height: Int, hash: SHA256Hash)] = []
    /// Leaves added so far.
    public private(set) var size = 0

    public init() {}

    /// Adds the next leaf (a leaf hash).
    public mutating func append(_ leaf: SHA256Hash) {
        var node = (height: 0, hash: leaf)
        while let last = stack.last, last.height == node.height {
            stack.removeLast()
            node = (node.height + 1, MerkleTree.nodeHash(last.hash, node.hash))
        }
        stack.append(node)
        size += 1
    }

    /// The root of the tree over every leaf added so far.
    public var root: SHA256Hash {
        guard var hash = stack.last?.hash else { return MerkleTree.emptyRoot }
        for node in stack.dropLast().reversed() { hash = MerkleTree.nodeHash(node.hash, hash) }
        return hash
    }
}
