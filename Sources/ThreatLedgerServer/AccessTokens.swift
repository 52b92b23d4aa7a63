import Foundation
import ThreatLedgerCore

/// What a bearer token may do. Auditors read; analysts read and write (sources, claims,
/// corrections, retractions, incidents); operators read and start rebuilds.
public enum Role: String, Sendable, CaseIterable {
    case auditor, analyst, `operator`

    public func may(_ permission: Permission) -> Bool {
        switch permission {
        case .read: true
        case .write: self == .analyst
        case .rebuild: self == .`operator`
        }
    }
}

public enum Permission: String, Sendable {
    case read, write, rebuild
}

/// Who made a request: the token's name and role. The token itself is never kept or logged.
public struct Principal: Sendable, Equatable {
    public let name: String
    public let role: Role
}

/// The accepted tokens, stored as SHA-256 digests only.
///
/// Configured as JSON, in a file (`--tokens FILE`) or in `THREATLEDGER_TOKENS`:
/// `[{"name": "alice", "role": "analyst", "sha256": "<hex of SHA-256 of the token>"}]`.
/// `threatledger token --name alice --role analyst` makes a token and prints its entry.
public struct AccessTokens: Sendable {
    let byDigest: [String: Principal]

    public init(_ entries: [(name: String, role: Role, sha256: String)]) {
        var byDigest: [String: Principal] = [:]
        for entry in entries { byDigest[entry.sha256.lowercased()] = Principal(name: entry.name, role: entry.role) }
        self.byDigest = byDigest
    }

    public var count: Int { byDigest.count }

    /// Parses the JSON configuration; errors name the entry and field.
    public static func parse(_ text: String, source: String) throws(ServerConfigurationError) -> AccessTokens {
        let value: JSONValue
        do { value = try JSONParser().parse(text) } catch { throw .invalid("\(source): not valid JSON: \(error)") }
        guard let array = value.arrayValue else { throw .invalid("\(source): expected a JSON array of {name, role, sha256}") }
        var entries: [(String, Role, String)] = []
        for (index, entry) in array.enumerated() {
            guard let name = entry["name"]?.stringValue, !name.isEmpty else { throw .invalid("\(source)[\(index)].name: required") }
            guard let roleText = entry["role"]?.stringValue, let role = Role(rawValue: roleText) else {
                throw .invalid("\(source)[\(index)].role: must be auditor, analyst or operator")
            }
            guard let digest = entry["sha256"]?.stringValue, SHA256Hash(hex: digest) != nil else {
                throw .invalid("\(source)[\(index)].sha256: must be 64 hex digits (the SHA-256 of the token, never the token)")
            }
            if let first = entries.firstIndex(where: { $0.2.lowercased() == digest.lowercased() }) {
                throw .invalid("\(source)[\(index)].sha256: the same token digest as entry \(first) (\(entries[first].0)); each token must name one principal")
            }
            if let problem = FreeText.problem(name, multiLine: false) { throw .invalid("\(source)[\(index)].name: \(problem)") }
            guard name.count <= 200 else { throw .invalid("\(source)[\(index)].name: at most 200 characters") }
            entries.append((name, role, digest))
        }
        return AccessTokens(entries)
    }

    /// The principal a presented token names, or nil.
    public func principal(for token: String) -> Principal? {
        byDigest[SHA256Hash.of(text: token).hex]
    }

    /// A new random token (256 bits, hex) and its configuration entry.
    public static func generate(name: String, role: Role) -> (token: String, entry: String) {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let token = "tl_" + bytes.map { String(format: "%02x", $0) }.joined()
        let entry = CanonicalJSON.string(["name": .string(name), "role": .string(role.rawValue), "sha256": .string(SHA256Hash.of(text: token).hex)])
        return (token, entry)
    }
}

public enum ServerConfigurationError: Error, Sendable, CustomStringConvertible {
    case invalid(String)
    public var description: String {
        switch self {
        case .invalid(let message): message
        }
    }
}
