import Testing
import ThreatLedgerCore
import ThreatLedgerStore
import ThreatLedgerTesting

/// The log's Merkle tree read page by page (`LogMerkle`) is the tree over the log's event hashes,
/// on every backend; its proofs hold, including across the pages of hashes it reads.
@Suite struct LogMerkleTests {
    @Test(arguments: TestBackend.available)
    func rootsAndProofsReadFromTheLogAreTheTreeOverItsHashes(backend: TestBackend) async throws {
        try await withTemporaryLog(on: backend) { log, _ in
            for batch in GeneratedLog.batches(seed: 9, sources: 110, claimsPerSource: 9, batchSize: 500) { _ = try await log.append(batch) }
            let size = try #require(try await log.head()?.position)
            #expect(size > 1_000, "the log spans ten pages of 100 hashes")
            var hashes: [SHA256Hash] = []
            while Int64(hashes.count) < size { hashes += try await log.hashes(from: Int64(hashes.count) + 1, limit: 400) }
            #expect(hashes == (try await log.read(from: 1, limit: Int(size))).map(\.hash))
            let leaves = hashes.map(MerkleTree.leafHash(event:))
            #expect(try await LogMerkle.root(of: log, size: size, pageSize: 100) == MerkleTree.root(leaves[...]))
            #expect(try await LogMerkle.root(of: log, size: 777, pageSize: 100) == MerkleTree.root(leaves[0..<777]))
            for position in [1, 2, 99, 100, 101, 512, size] {
                let proof = try await LogMerkle.inclusion(of: position, in: log, pageSize: 100)
                #expect(proof.holds && proof.path == MerkleTree.inclusionProof(index: Int(position - 1), in: leaves[...]), "\(position)")
            }
            for old in [1, 100, 101, 512, size - 1] {
                let proof = try await LogMerkle.consistency(from: old, in: log, pageSize: 100)
                #expect(proof.holds && proof.oldRoot == MerkleTree.root(leaves[0..<Int(old)]), "\(old)")
            }
            // Many proofs in one pass are the proofs one by one, in the whole tree and a smaller one.
            for treeSize in [size, 777, 512, 1] {
                let wanted = Set([1, 2, 99, 100, 256, 257, 511, 512, 700, 776, 777, size].filter { $0 <= treeSize })
                let proofs = try await LogMerkle.inclusions(of: wanted, in: log, size: treeSize, pageSize: 100)
                #expect(proofs.count == wanted.count)
                for position in wanted {
                    let one = try await LogMerkle.inclusion(of: position, in: log, size: treeSize, pageSize: 100)
                    #expect(proofs[position] == one && one.holds, "\(position) in \(treeSize)")
                }
            }
            await #expect(throws: LogMerkle.Failure.self) { try await LogMerkle.inclusion(of: size + 1, in: log) }
        }
    }
}
