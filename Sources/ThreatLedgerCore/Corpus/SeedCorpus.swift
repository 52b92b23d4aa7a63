/// A corpus folder's files, read into memory: what `threatledger ingest` checks and turns into events.
///
/// The layout (see `seeds/`): `sources.jsonl` (one source per line, `schemas/seed-source.schema.json`),
/// `articles/` (the article texts, byte for byte), `claims/*.jsonl` (one claim per line,
/// `schemas/claim.schema.json`), and optionally `incidents.jsonl` (`schemas/incident-linked.v1.schema.json`).
public struct SeedCorpus: Sendable {
    /// A file's path relative to the corpus folder, and its bytes.
    public struct File: Sendable {
        public let path: String
        public let bytes: [UInt8]

        public init(path: String, bytes: [UInt8]) {
            self.path = path
            self.bytes = bytes
        }
    }

    public var sources: File
    public var claims: [File]
    public var incidents: File?
    /// Article texts by their path relative to the corpus folder (`articles/000_….txt`).
    public var articles: [String: [UInt8]]

    public init(sources: File, claims: [File], incidents: File?, articles: [String: [UInt8]]) {
        self.sources = sources
        self.claims = claims
        self.incidents = incidents
        self.articles = articles
    }
}

/// Why a corpus was refused: the file, the line, the field, and the reason. Nothing is appended.
public struct CorpusError: Error, Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int?
    public let field: String?
    public let reason: String

    public init(file: String, line: Int? = nil, field: String? = nil, reason: String) {
        self.file = file
        self.line = line
        self.field = field
        self.reason = reason
    }

    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        if let field { text += ": \(field)" }
        return text + ": " + reason
    }
}

/// The events a corpus becomes, each with the file and line it came from.
public struct CompiledCorpus: Sendable {
    public struct Origin: Sendable, Equatable {
        public let file: String
        public let line: Int
    }

    public let events: [ProposedEvent]
    public let origins: [Origin]
    public let sourceCount: Int
    public let claimCount: Int
    public let incidentCount: Int
}
