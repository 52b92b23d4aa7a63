import Foundation
import ThreatLedgerCore
import ThreatLedgerStore

/// Reading and signing head files, for `head`, `verify --against`, `backup --sign-with`,
/// `restore --against` and `prove`.
enum SignedHeadFiles {
    /// The log's head at `position` signed with the key in `keyPath`, with its Merkle root.
    static func sign(_ log: any EventLog, at position: Int64? = nil, keyPath: String) async throws -> SignedHead {
        try SigningKeyFile.checkPrivate(keyPath)
        let head: ChainHead
        do {
            guard let last = try await log.head() else { throw CommandFailure("the log is empty: there is no head to sign") }
            if let position, position != last.position {
                guard let event = try await log.read(from: position, limit: 1).first, event.position == position else {
                    throw CommandFailure("the log holds \(last.position) event(s): there is no position \(position) to sign")
                }
                head = ChainHead(position: position, hash: event.hash, recordedAt: event.recordedAt)
            } else {
                head = last
            }
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw CommandFailure("\(error)")
        }
        let root: SHA256Hash
        do { root = try await LogMerkle.root(of: log, size: head.position) } catch { throw CommandFailure("\(error)") }
        return try sign(position: head.position, hash: head.hash, recordedAt: head.recordedAt, treeRoot: root, keyPath: keyPath)
    }

    /// The signed head in `path`, its signature checked (under `publicKey`, hex, when given).
    static func read(_ path: String, publicKey: String?) throws -> SignedHead {
        guard let data = FileManager.default.contents(atPath: path) else { throw CommandFailure("\(path): cannot read the head file") }
        let value: JSONValue
        do { value = try JSONParser().parse(Array(data)) } catch { throw CommandFailure("\(path): not valid JSON: \(error)") }
        let head: SignedHead
        do throws(SignedHeadError) { head = try SignedHead(json: value) } catch { throw CommandFailure("\(path): \(error)") }
        var trusted: [UInt8]?
        if let publicKey {
            guard let key = Hex.decode(publicKey), key.count == 32 else { throw CommandFailure("--public-key must be 64 hex digits") }
            trusted = key
        }
        guard head.signatureIsValid(trusting: trusted) else {
            throw CommandFailure("\(path): the signature does not verify\(trusted == nil ? "" : " under the trusted key"); the head file cannot be relied on")
        }
        return head
    }

    /// The private key in `keyPath` (from `threatledger keygen`), refused unless the file is its
    /// owner's alone.
    static func privateKey(_ keyPath: String) throws -> [UInt8] {
        try SigningKeyFile.checkPrivate(keyPath)
        guard let text = FileManager.default.contents(atPath: keyPath).map({ String(decoding: $0, as: UTF8.self) }),
            let key = Hex.decode(text.trimmingCharacters(in: .whitespacesAndNewlines)), key.count == 32
        else { throw CommandFailure("\(keyPath): cannot read a 32-byte hex key (make one with threatledger keygen)") }
        return key
    }

    /// The head signed with the private key in `keyPath` (from `threatledger keygen`, mode 0600),
    /// with the log's Merkle root at that position (a version-2 head).
    static func sign(position: Int64, hash: SHA256Hash, recordedAt: RecordTime, treeRoot: SHA256Hash, keyPath: String) throws -> SignedHead {
        let key = try privateKey(keyPath)
        do throws(SignedHeadError) {
            return try SignedHead.sign(position: position, hash: hash, recordedAt: recordedAt, treeRoot: treeRoot, privateKey: key)
        } catch { throw CommandFailure(error.description) }
    }
}
