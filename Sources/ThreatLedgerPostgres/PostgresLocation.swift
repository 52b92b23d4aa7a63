import Foundation

/// Where a PostgreSQL log lives: `postgres://user[:password]@host[:port]/database[?schema=name]`.
/// The schema (default `threatledger`) holds the log's tables, so several logs can share a database
/// (tests use one schema each).
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var schema: String

    public init(host: String, port: Int = 5432, user: String, password: String? = nil, database: String, schema: String = "threatledger") {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.schema = schema
    }

    /// Whether `text` names a PostgreSQL log rather than a SQLite file.
    public static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Parses a `postgres://` URL; errors say what to fix.
    public init(url text: String) throws(StoreErrorForLocation) {
        guard Self.isURL(text), let components = URLComponents(string: text), let host = components.host, !host.isEmpty else {
            throw StoreErrorForLocation(message: "\(text) is not a postgres://user@host:port/database URL")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty else { throw StoreErrorForLocation(message: "\(text) names no database (…/DATABASE)") }
        let schema = components.queryItems?.first { $0.name == "schema" }?.value ?? "threatledger"
        guard Self.isIdentifier(schema) else {
            throw StoreErrorForLocation(message: "schema \(schema) must be lowercase letters, digits and _, starting with a letter")
        }
        self.init(
            host: host, port: components.port ?? 5432, user: components.user ?? "postgres", password: components.password,
            database: database, schema: schema)
    }

    static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, ("a"..."z").contains(first), text.count <= 63 else { return false }
        return text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    /// The URL without its password, for messages.
    public var description: String { "postgres://\(user)@\(host):\(port)/\(database)?schema=\(schema)" }
}

public struct StoreErrorForLocation: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
