import Testing
import ThreatLedgerCore

/// The Merkle tree beside the chain, against RFC 6962/9162: the published test vectors, and every
/// inclusion and consistency proof of small trees checked by the RFC's own verification algorithms.
@Suite struct MerkleTreeTests {
    /// RFC 6962's reference leaves (certificate-transparency's test vectors).
    static let vectorLeaves: [[UInt8]] = [
        [], [0x00], [0x10], [0x20, 0x21], [0x30, 0x31], [0x40, 0x41, 0x42, 0x43], Array(0x50...0x57), Array(0x60...0x6f),
    ]
    static let vectorRoots = [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4", "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c", "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]

    @Test func rootsMatchTheRFC6962TestVectors() {
        let leaves = Self.vectorLeaves.map { MerkleTree.leafHash(data: $0) }
        for size in 1...8 {
            #expect(MerkleTree.root(leaves[0..<size]).hex == Self.vectorRoots[size - 1], "size \(size)")
        }
        #expect(MerkleTree.emptyRoot.hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    static func leaves(_ n: Int) -> [SHA256Hash] { (0..<n).map { MerkleTree.leafHash(event: SHA256Hash.of(Array("event \($0)".utf8))) } }

    @Test func theFrontierGivesEveryPrefixRootInOnePass() {
        let leaves = Self.leaves(70)
        var frontier = MerkleFrontier()
        #expect(frontier.root == MerkleTree.emptyRoot)
        for (index, leaf) in leaves.enumerated() {
            frontier.append(leaf)
            #expect(frontier.root == MerkleTree.root(leaves[0...index]), "size \(index + 1)")
        }
    }

    @Test func everyInclusionProofVerifiesAndAnyChangeToItFails() {
        for size in 1...33 {
            let leaves = Self.leaves(size)
            let root = MerkleTree.root(leaves[...])
            for index in 0..<size {
                let proof = MerkleTree.inclusionProof(index: index, in: leaves[...])
                #expect(MerkleTree.verifyInclusion(leaf: leaves[index], index: index, size: size, proof: proof, root: root), "\(index) of \(size)")
                // Another leaf or a changed hash: refused. (A size the path has the same shape in is
                // accepted, as RFC 9162's algorithm does: the size is bound by the signed head, which
                // signs it as the position, not by the proof.)
                #expect(!MerkleTree.verifyInclusion(leaf: leaves[(index + 1) % size], index: index, size: size, proof: proof, root: root) || size == 1)
                if !proof.isEmpty {
                    var changed = proof
                    changed[proof.count / 2] = SHA256Hash.of(changed[proof.count / 2].bytes)
                    #expect(!MerkleTree.verifyInclusion(leaf: leaves[index], index: index, size: size, proof: changed, root: root))
                    #expect(!MerkleTree.verifyInclusion(leaf: leaves[index], index: index, size: size, proof: proof.dropLast(), root: root))
                }
            }
        }
    }

    @Test func everyConsistencyProofVerifiesAndAnyChangeToItFails() {
        let all = Self.leaves(33)
        for size in 1...33 {
            let root = MerkleTree.root(all[0..<size])
            for old in 1...size {
                let oldRoot = MerkleTree.root(all[0..<old])
                let proof = MerkleTree.consistencyProof(oldSize: old, in: all[0..<size])
                #expect(MerkleTree.verifyConsistency(oldSize: old, newSize: size, oldRoot: oldRoot, newRoot: root, proof: proof), "\(old) → \(size)")
                guard old < size else { continue }
                // A rewritten old tree, another new root or a changed proof: refused (sizes are bound by
                // the signed heads).
                let forged = SHA256Hash.of(oldRoot.bytes)
                #expect(!MerkleTree.verifyConsistency(oldSize: old, newSize: size, oldRoot: forged, newRoot: root, proof: proof))
                #expect(!MerkleTree.verifyConsistency(oldSize: old, newSize: size, oldRoot: oldRoot, newRoot: SHA256Hash.of(root.bytes), proof: proof))
                var changed = proof
                changed[0] = SHA256Hash.of(changed[0].bytes)
                #expect(!MerkleTree.verifyConsistency(oldSize: old, newSize: size, oldRoot: oldRoot, newRoot: root, proof: changed))
            }
        }
    }
}
