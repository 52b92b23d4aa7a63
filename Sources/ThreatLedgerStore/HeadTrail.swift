import Foundation
import ThreatLedgerCore

#if canImport(Glibc)
    import Glibc
#endif

/// A trail of signed heads: an append-only file, one version-2 head per line (its canonical JSON),
/// each signing the SHA-256 of the line before it (`previous_head`). Scheduled verification adds a
/// head after each run that passes; `verify --against TRAIL` checks that the trail is whole (every
/// link, every signature, positions never going back) and that the log extends every head in it,
/// so no head can be rewritten, reordered or dropped, and no later log can disown one.
public enum HeadTrail {
    /// Why a trail cannot be relied on; each names the line.
    public enum Failure: Error, Sendable, CustomStringConvertible {
        case unreadable(String)
        case badLine(line: Int, reason: String)
        case brokenLink(line: Int)
        case wentBack(line: Int, position: Int64, before: Int64)
        case badSignature(line: Int)
        case logDoesNotExtend(line: Int, SignedHeadCheck.Failure)

        public var description: String {
            switch self {
            case .unreadable(let reason): reason
            case .badLine(let line, let reason): "line \(line): \(reason)"
            case .brokenLink(let line):
                "line \(line): its previous_head is not the SHA-256 of line \(line - 1): a head was rewritten, dropped or reordered"
            case .wentBack(let line, let position, let before): "line \(line): position \(position) is before line \(line - 1)'s \(before)"
            case .badSignature(let line): "line \(line): the signature does not verify (or not under the trusted key)"
            case .logDoesNotExtend(let line, let failure): "line \(line): \(failure)"
            }
        }
    }

    /// The SHA-256 of a trail line: what the next head's `previous_head` names.
    public static func linkHash(of head: SignedHead) -> SHA256Hash { SHA256Hash.of(Array(CanonicalJSON.string(head.json).utf8)) }

    /// The heads of the trail at `path`, checked: each line a version-2 head, each signature valid
    /// (under `trusted` when given), each `previous_head` the hash of the line before, positions
    /// never going back. An empty or missing file is an empty trail.
    public static func read(_ path: String, trusting trusted: [UInt8]? = nil) throws(Failure) -> [SignedHead] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable("\(path) cannot be read") }
        var heads: [SignedHead] = []
        for (index, raw) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = index + 1
            if raw.isEmpty { continue }
            let head: SignedHead
            do {
                head = try SignedHead(json: try JSONParser().parse(String(raw)))
            } catch {
                throw .badLine(line: line, reason: "\(error)")
            }
            guard head.treeRoot != nil else { throw .badLine(line: line, reason: "a trail holds version-2 heads only") }
            guard head.signatureIsValid(trusting: trusted) else { throw .badSignature(line: line) }
            guard head.previous == heads.last.map(linkHash(of:)) else { throw .brokenLink(line: line) }
            if let last = heads.last, head.position < last.position { throw .wentBack(line: line, position: head.position, before: last.position) }
            heads.append(head)
        }
        return heads
    }

    /// Signs the log's head (with its Merkle root) as the trail's next line and appends it: written
    /// with O_APPEND and synced before this returns.
    @discardableResult
    public static func append(_ log: any EventLog, to path: String, privateKey: [UInt8]) async throws -> SignedHead {
        let trail = try read(path)
        guard let chain = try await log.head() else { throw Failure.unreadable("the log is empty: there is no head to sign") }
        let root = try await LogMerkle.root(of: log, size: chain.position)
        let head = try SignedHead.sign(
            position: chain.position, hash: chain.hash, recordedAt: chain.recordedAt, treeRoot: root, previous: trail.last.map(linkHash(of:)),
            privateKey: privateKey)
        let bytes = Array((CanonicalJSON.string(head.json) + "\n").utf8)
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw Failure.unreadable("\(path) cannot be opened for appending: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(descriptor) == 0 else { throw Failure.unreadable("\(path): the head could not be written whole") }
        return head
    }

    /// Whether the log extends every head of the trail at `path`: nil when it does.
    public static func failure(of log: any EventLog, against path: String, trusting trusted: [UInt8]? = nil) async throws -> (Failure?, count: Int) {
        let heads: [SignedHead]
        do { heads = try read(path, trusting: trusted) } catch { return (error, 0) }
        // Every head's tree root in one pass over the log's hashes; a head beyond the log's end is
        // named by the check below.
        let end = try await log.head()?.position ?? 0
        let roots = try await LogMerkle.roots(of: log, sizes: heads.map(\.position).filter { $0 <= end })
        for (index, head) in heads.enumerated() {
            if let failure = try await SignedHeadCheck.failure(of: log, against: head, knownRoot: roots[head.position]) {
                return (.logDoesNotExtend(line: index + 1, failure), heads.count)
            }
        }
        return (nil, heads.count)
    }
}
