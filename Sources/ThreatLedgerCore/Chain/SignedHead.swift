import Crypto

/// A chain head signed with Ed25519: what an auditor keeps so that later they can prove today's log
/// extends the log they saw, even if someone rewrote and re-hashed the whole log from scratch.
///
/// Version 2 (`threatledger-head/v2`, written since issue 19) also signs the root of the log's
/// Merkle tree at that position (``MerkleTree``; the tree size is the position), so inclusion and
/// consistency proofs can be checked against the signed head alone. The signature covers the RFC
/// 8785 JSON of `{"hash", "position", "recorded_at", "tree_root", "type": "threatledger-head/v2"}`
/// (version 1, still read and checked: the same without `tree_root`); the file holds that and
/// `public_key` and `signature` (both hex). A head in a trail of heads (`schedule --verify`) also
/// signs `previous_head`: the SHA-256 of the trail's line before it, so no head of the trail can be
/// rewritten or dropped unnoticed.
public struct SignedHead: Sendable, Equatable {
    public let position: Int64
    public let hash: SHA256Hash
    public let recordedAt: RecordTime
    /// The Merkle tree root over events 1…position; nil in a version-1 head.
    public let treeRoot: SHA256Hash?
    /// In a trail of heads: the SHA-256 of the trail's previous line (its canonical JSON, without
    /// the newline); nil for a head on its own or the first of a trail.
    public let previous: SHA256Hash?
    public let publicKey: [UInt8]
    public let signature: [UInt8]

    /// The head's type: version 2 with a tree root, 1 without.
    public var type: String { treeRoot == nil ? "threatledger-head/v1" : "threatledger-head/v2" }

    static func message(position: Int64, hash: SHA256Hash, recordedAt: RecordTime, treeRoot: SHA256Hash?, previous: SHA256Hash?) -> [UInt8] {
        var object: JSONObject = [
            "type": "threatledger-head/v1", "position": .number(Double(position)), "hash": .string(hash.hex), "recorded_at": .string(recordedAt.iso8601),
        ]
        if let treeRoot {
            object["type"] = "threatledger-head/v2"
            object["tree_root"] = .string(treeRoot.hex)
            if let previous { object["previous_head"] = .string(previous.hex) }
        }
        return CanonicalJSON.bytes(.object(object))
    }

    /// Signs the head at `position` (with the Merkle root over events 1…position when given: a
    /// version-2 head) with an Ed25519 private key (32 raw bytes).
    public static func sign(
        position: Int64, hash: SHA256Hash, recordedAt: RecordTime, treeRoot: SHA256Hash? = nil, previous: SHA256Hash? = nil, privateKey: [UInt8]
    ) throws(SignedHeadError) -> SignedHead {
        precondition(previous == nil || treeRoot != nil, "a trail's heads are version 2")
        let key: Curve25519.Signing.PrivateKey
        do { key = try Curve25519.Signing.PrivateKey(rawRepresentation: privateKey) } catch { throw .badKey }
        let signature: [UInt8]
        do {
            signature = Array(
                try key.signature(for: message(position: position, hash: hash, recordedAt: recordedAt, treeRoot: treeRoot, previous: previous)))
        } catch {
            throw .badKey
        }
        return SignedHead(
            position: position, hash: hash, recordedAt: recordedAt, treeRoot: treeRoot, previous: previous,
            publicKey: Array(key.publicKey.rawRepresentation), signature: signature)
    }

    /// Whether the signature is valid for the head, under `trusted` when given (else the embedded key).
    public func signatureIsValid(trusting trusted: [UInt8]? = nil) -> Bool {
        if let trusted, trusted != publicKey { return false }
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey) else { return false }
        return key.isValidSignature(
            signature, for: Self.message(position: position, hash: hash, recordedAt: recordedAt, treeRoot: treeRoot, previous: previous))
    }

    public var json: JSONValue {
        var object: JSONObject = [
            "type": .string(type), "position": .number(Double(position)), "hash": .string(hash.hex), "recorded_at": .string(recordedAt.iso8601),
            "public_key": .string(Hex.encode(publicKey)), "signature": .string(Hex.encode(signature)),
        ]
        if let treeRoot { object["tree_root"] = .string(treeRoot.hex) }
        if let previous { object["previous_head"] = .string(previous.hex) }
        return .object(object)
    }

    public init(
        position: Int64, hash: SHA256Hash, recordedAt: RecordTime, treeRoot: SHA256Hash? = nil, previous: SHA256Hash? = nil, publicKey: [UInt8],
        signature: [UInt8]
    ) {
        self.position = position
        self.hash = hash
        self.recordedAt = recordedAt
        self.treeRoot = treeRoot
        self.previous = previous
        self.publicKey = publicKey
        self.signature = signature
    }

    /// Reads a head file (version 1 or 2); errors name the field.
    public init(json value: JSONValue) throws(SignedHeadError) {
        let type = value["type"]?.stringValue
        guard type == "threatledger-head/v1" || type == "threatledger-head/v2" else {
            throw .field("type", "must be threatledger-head/v2 (or v1)")
        }
        guard let position = value["position"]?.integerValue, position >= 1 else { throw .field("position", "must be a position from 1") }
        guard let hash = value["hash"]?.stringValue.flatMap({ SHA256Hash(hex: $0) }) else { throw .field("hash", "must be 64 hex digits") }
        guard let recordedAt = value["recorded_at"]?.stringValue.flatMap(RecordTime.init(iso8601:)) else {
            throw .field("recorded_at", "must be an ISO 8601 time")
        }
        var treeRoot: SHA256Hash?
        var previous: SHA256Hash?
        if type == "threatledger-head/v2" {
            guard let root = value["tree_root"]?.stringValue.flatMap({ SHA256Hash(hex: $0) }) else {
                throw .field("tree_root", "must be 64 hex digits in a version-2 head")
            }
            treeRoot = root
            if let field = value["previous_head"] {
                guard let hex = field.stringValue, let hash = SHA256Hash(hex: hex) else { throw .field("previous_head", "must be 64 hex digits") }
                previous = hash
            }
        } else if value["tree_root"] != nil || value["previous_head"] != nil {
            throw .field(value["tree_root"] != nil ? "tree_root" : "previous_head", "is not part of a version-1 head")
        }
        guard let key = value["public_key"]?.stringValue.flatMap(Hex.decode), key.count == 32 else { throw .field("public_key", "must be 64 hex digits") }
        guard let signature = value["signature"]?.stringValue.flatMap(Hex.decode), signature.count == 64 else {
            throw .field("signature", "must be 128 hex digits")
        }
        self.init(position: position, hash: hash, recordedAt: recordedAt, treeRoot: treeRoot, previous: previous, publicKey: key, signature: signature)
    }

    /// The Ed25519 signature of `bytes` under `privateKey` (32 raw bytes): what signs an evidence
    /// bundle's manifest with the head's own key.
    public static func signature(of bytes: [UInt8], privateKey: [UInt8]) throws(SignedHeadError) -> [UInt8] {
        do { return Array(try Curve25519.Signing.PrivateKey(rawRepresentation: privateKey).signature(for: bytes)) } catch { throw .badKey }
    }

    /// A new Ed25519 key pair: (private, public), raw bytes.
    public static func generateKey() -> (privateKey: [UInt8], publicKey: [UInt8]) {
        let key = Curve25519.Signing.PrivateKey()
        return (Array(key.rawRepresentation), Array(key.publicKey.rawRepresentation))
    }
}

public enum SignedHeadError: Error, Sendable, Equatable, CustomStringConvertible {
    case badKey
    case field(String, String)

    public var description: String {
        switch self {
        case .badKey: "the signing key is not a 32-byte Ed25519 private key (make one with `threatledger keygen`)"
        case .field(let field, let why): "head file: \(field) \(why)"
        }
    }
}

/// Lowercase hexadecimal.
public enum Hex {
    public static func encode(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0xF)]] }, as: UTF8.self)
    }

    public static func decode(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        var index = 0
        while index < chars.count {
            guard let high = value(chars[index]), let low = value(chars[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    static func value(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
