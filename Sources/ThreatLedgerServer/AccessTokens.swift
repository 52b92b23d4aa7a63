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
/// `[{"name": "alice", "role": "analyst", "sha256": "<hex of SHA-256 of the token>", "expires": "2027-03-01T00:00:00Z"}]`
/// (`expires` optional: from that moment the token is refused). `threatledger token --name alice
/// --role analyst [--expires …]` makes a token and prints its entry.
public struct AccessTokens: Sendable {
    struct Entry: Sendable {
        let principal: Principal
        let expires: RecordTime?
    }

    let byDigest: [String: Entry]

    public init(_ entries: [(name: String, role: Role, sha256: String)]) {
        self.init(entries.map { ($0.name, $0.role, $0.sha256, nil) })
    }

    public init(_ entries: [(name: String, role: Role, sha256: String, expires: RecordTime?)]) {
        var byDigest: [String: Entry] = [:]
        for entry in entries {
            byDigest[entry.sha256.lowercased()] = Entry(principal: Principal(name: entry.name, role: entry.role), expires: entry.expires)
        }
        self.byDigest = byDigest
    }

    public var count: Int { byDigest.count }

    /// Parses the JSON configuration; errors name the entry and field.
    public static func parse(_ text: String, source: String) throws(ServerConfigurationError) -> AccessTokens {
        let value: JSONValue
        do { value = try JSONParser().parse(text) } catch { throw .invalid("\(source): not valid JSON: \(error)") }
        guard let array = value.arrayValue else { throw .invalid("\(source): expected a JSON array of {name, role, sha256[, expires]}") }
        var entries: [(String, Role, String, RecordTime?)] = []
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
            var expires: RecordTime?
            if let field = entry["expires"], !field.isNull {
                guard let text = field.stringValue, let time = RecordTime(iso8601: text) else {
                    throw .invalid("\(source)[\(index)].expires: must be an ISO 8601 time (2027-03-01T00:00:00Z) or a date")
                }
                expires = time
            }
            let known: Set<String> = ["name", "role", "sha256", "expires"]
            if let unknown = entry.objectValue?.keys.first(where: { !known.contains($0) }) {
                throw .invalid("\(source)[\(index)].\(unknown): not a tokens-file field (name, role, sha256, expires)")
            }
            entries.append((name, role, digest, expires))
        }
        return AccessTokens(entries)
    }

    /// What a presented token names at `now`.
    public enum Lookup: Sendable, Equatable {
        case valid(Principal)
        /// The token was accepted until `at`.
        case expired(Principal, at: RecordTime)
    }

    /// What a presented token names at `now`, or nil for a token not configured.
    public func lookup(_ token: String, at now: RecordTime) -> Lookup? {
        guard let entry = byDigest[SHA256Hash.of(text: token).hex] else { return nil }
        if let expires = entry.expires, expires <= now { return .expired(entry.principal, at: expires) }
        return .valid(entry.principal)
    }

    /// The principal a presented token names now, or nil (unknown or expired).
    public func principal(for token: String) -> Principal? {
        if case .valid(let principal)? = lookup(token, at: SystemRecordClock().now()) { return principal }
        return nil
    }

    /// A new random token (256 bits, hex) and its configuration entry.
    public static func generate(name: String, role: Role, expires: RecordTime? = nil) -> (token: String, entry: String) {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let token = "tl_" + bytes.map { String(format: "%02x", $0) }.joined()
        var entry: JSONObject = ["name": .string(name), "role": .string(role.rawValue), "sha256": .string(SHA256Hash.of(text: token).hex)]
        if let expires { entry["expires"] = .string(expires.iso8601) }
        return (token, CanonicalJSON.string(.object(entry)))
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
