import Synchronization

/// Checks a proposed event before it can enter the log: its type, its payload against the JSON
/// Schema in `schemas/`, and the domain rules a schema cannot say (real calendar dates in order,
/// figure bounds that agree with their qualifier, ISO country codes, evidence selectors whose
/// length matches their quote, an article text whose SHA-256 matches its stated hash).
///
/// It is pure: rules that need the log's state (does the referenced claim exist?) are returned by
/// ``references(of:)`` for the store to check inside its transaction.
public struct EventValidator: Sendable {
    public let schemas: SchemaValidator
    /// Each type's payload versions and how an old one reads as the current (``SchemaVersions``).
    public let versions: SchemaVersions
    /// Copies for threads of their own, made when first asked for and shared by every copy of this value.
    private let copies: WorkerCopies

    /// A validator over the schemas embedded from `schemas/`.
    public static let standard: EventValidator = {
        var documents: [String: JSONValue] = [:]
        for (name, text) in EmbeddedSchemas.byFileName {
            documents[name] = try! JSONParser().parse(text)
        }
        return EventValidator(schemas: try! SchemaValidator(schemas: documents))
    }()

    public init(schemas: SchemaValidator, versions: SchemaVersions = .standard) {
        self.schemas = schemas
        self.versions = versions
        self.copies = WorkerCopies()
    }

    /// `count` validators of these rules sharing no storage with one another, one per worker thread:
    /// this one first, then independent copies (``SchemaValidator/independentCopy()``), made once and kept.
    public func forWorkers(_ count: Int) -> [EventValidator] {
        [self] + copies.first(max(count - 1, 0)) { schemas.independentCopy() }.map { EventValidator(schemas: $0, versions: versions) }
    }

    /// Validates `event`, returning its type: its payload as written against the schema of the
    /// version it declares, then, read at the current version (``SchemaVersions``), every domain rule.
    /// - Throws: ``EventValidationError`` naming the failing field.
    @discardableResult
    public func validate(_ event: ProposedEvent) throws(EventValidationError) -> EventType {
        guard let type = EventType(rawValue: event.type) else { throw .unknownType(event.type) }
        guard (1...versions.current(type)).contains(event.schemaVersion) else {
            throw .unsupportedSchemaVersion(type: event.type, version: event.schemaVersion, newest: versions.current(type))
        }
        do throws(SchemaViolation) {
            try schemas.validate(event.payload, against: type.schemaFile(version: event.schemaVersion))
        } catch {
            throw .schema(error)
        }
        let payload = versions.upcast(event.payload, type: type, from: event.schemaVersion)
        let binding = type.streamBinding
        guard let id = payload[binding.idField]?.stringValue, let expected = try? StreamName.entity(binding.prefix, id) else {
            throw .rule(path: JSONPath.root.appending(binding.idField), message: "is missing once read at the current version")
        }
        guard expected == event.stream else { throw .wrongStream(expected: expected, found: event.stream) }
        try DomainRules.check(type: type, payload: payload)
        try Self.checkMetadata(event.metadata)
        if let found = FreeText.firstProblem(in: payload, at: .root) { throw .rule(path: found.path, message: found.message) }
        return type
    }

    /// Who recorded an event and its correlation and causation ids: 1 to 200 characters of one-line
    /// free text, on every path (a CLI option, a JSONL line, an API token's name), not only where a
    /// schema happens to be checked.
    static func checkMetadata(_ metadata: EventMetadata) throws(EventValidationError) {
        let fields: [(String, String?)] = [
            ("recorded_by", metadata.recordedBy), ("correlation_id", metadata.correlationID), ("causation_id", metadata.causationID),
        ]
        for case (let name, let value?) in fields {
            let path = JSONPath([.key("metadata"), .key(name)])
            let length = value.scalarCount
            guard (1...200).contains(length) else {
                throw .metadata(path: path, message: "must be 1 to 200 characters (it has \(length))")
            }
            if let problem = FreeText.problem(value, multiLine: false) { throw .metadata(path: path, message: problem) }
        }
    }

    /// Validates a claim as a correction leaves it: the `ClaimRecorded` schema and every rule of a
    /// recorded claim, a figure's evidence from another source allowed (``ClaimEditRules``).
    /// Validates a source's registration fields (a registration, or one with corrections applied):
    /// its schema at the current version and the rules of a registered source.
    public func validateSource(_ source: JSONValue) throws(EventValidationError) {
        do throws(SchemaViolation) {
            try schemas.validate(source, against: EventType.sourceRegistered.schemaFile(version: versions.current(.sourceRegistered)))
        } catch {
            throw .schema(error)
        }
        try DomainRules.check(type: .sourceRegistered, payload: source)
    }

    public func validateClaim(_ claim: JSONValue) throws(EventValidationError) {
        do throws(SchemaViolation) {
            try schemas.validate(claim, against: EventType.claimRecorded.schemaFile(version: versions.current(.claimRecorded)))
        } catch {
            throw .schema(error)
        }
        try DomainRules.checkClaim(claim, evidenceFromOtherSources: true)
    }

    /// The streams a valid event's payload refers to, which must already exist when it is appended:
    /// a claim's source, a correction's claim, an incident's claims.
    public func references(of event: ProposedEvent) -> [(path: JSONPath, stream: StreamName)] {
        guard let type = EventType(rawValue: event.type) else { return [] }
        switch type {
        case .sourceRegistered, .claimRetracted, .sourceCorrected, .sourceRetracted:
            return []
        case .claimCorrected:
            let updates = event.payload["figure_updates"]?.arrayValue ?? []
            return updates.enumerated().compactMap { index, update in
                guard let source = update["source_id"]?.stringValue, let stream = try? StreamName.entity("source", source) else { return nil }
                return (JSONPath.root.appending("figure_updates").appending(index: index).appending("source_id"), stream)
            }
        case .claimRecorded:
            guard let source = event.payload["source_id"]?.stringValue,
                let stream = try? StreamName.entity("source", source)
            else { return [] }
            return [(JSONPath.root.appending("source_id"), stream)]
        case .incidentLinked, .incidentUnlinked:
            let ids = event.payload["claim_ids"]?.arrayValue ?? []
            return ids.enumerated().compactMap { index, value in
                guard let id = value.stringValue, let stream = try? StreamName.entity("claim", id) else { return nil }
                return (JSONPath.root.appending("claim_ids").appending(index: index), stream)
            }
        }
    }
}

/// Independent copies of a validator's schemas, made on first use and kept.
final class WorkerCopies: Sendable {
    private let made = Mutex<[SchemaValidator]>([])

    func first(_ count: Int, make: () -> SchemaValidator) -> [SchemaValidator] {
        made.withLock { made in
            while made.count < count { made.append(make()) }
            return Array(made.prefix(count))
        }
    }
}
