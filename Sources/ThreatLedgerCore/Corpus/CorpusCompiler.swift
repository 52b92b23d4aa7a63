/// Checks a whole corpus and turns it into events, before anything is appended.
///
/// Checks, each failing with file, line, field and reason:
/// - every line is strict JSON and satisfies its schema; claims and incidents also the domain rules
///   (real calendar dates, ISO 3166-1 countries, figure bounds that fit their qualifier);
/// - every article's SHA-256 is the `text_sha256` its source states, and the text is UTF-8;
/// - every evidence quote stands at its stated code-point position in the article whose hash it
///   names, with its prefix and suffix, and that article is the claim's own source;
/// - every figure's span lies inside its claim's statement span;
/// - every stated figure agrees with its own words, read by ``ArabicQuantityReader``;
/// - claim ids are unique, each claim file holds its own source's claims, and incidents name claims
///   of the corpus.
///
/// Event ids derive from content (``EventID/derived(namespace:name:)`` over type and canonical
/// payload), so compiling the same corpus twice gives the same events and ingesting it again appends
/// nothing.
public enum CorpusCompiler {
    public static let idNamespace = "threatledger.ingest.v1"

    public static func compile(
        _ corpus: SeedCorpus, recordedBy: String, validator: EventValidator = .standard
    ) throws(CorpusError) -> CompiledCorpus {
        var events: [ProposedEvent] = []
        var origins: [CompiledCorpus.Origin] = []
        var articles: [String: Article] = [:]  // by source id
        let metadata = EventMetadata(recordedBy: recordedBy, correlationID: "ingest", causationID: nil)

        func event(_ type: EventType, stream prefix: String, id: String, payload: JSONValue, file: String, line: Int)
            throws(CorpusError) -> ProposedEvent
        {
            let stream: StreamName
            do throws(StreamNameError) {
                stream = try StreamName.entity(prefix, id)
            } catch {
                throw CorpusError(file: file, line: line, field: type.streamBinding.idField, reason: error.description)
            }
            let proposed = ProposedEvent(
                id: EventID.derived(namespace: idNamespace, name: type.rawValue + "\n" + CanonicalJSON.string(payload)),
                stream: stream, expectedVersion: .noStream, type: type.rawValue, payload: payload, metadata: metadata)
            do throws(EventValidationError) {
                try validator.validate(proposed)
            } catch {
                throw CorpusError(file: file, line: line, field: nil, reason: error.description)
            }
            return proposed
        }

        // Sources.
        for (line, value) in try lines(of: corpus.sources) {
            let file = corpus.sources.path
            try validate(value, schema: "seed-source.schema.json", validator: validator, file: file, line: line)
            let sourceID = value["source_id"]!.stringValue!
            let path = value["file"]!.stringValue!
            guard let bytes = corpus.articles[path] else {
                throw CorpusError(file: file, line: line, field: "file", reason: "\(path) is not in the corpus folder")
            }
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw CorpusError(file: path, reason: "the article is not valid UTF-8; store it as UTF-8 text")
            }
            let stated = value["text_sha256"]!.stringValue!
            let actual = SHA256Hash.of(bytes).hex
            guard stated == actual else {
                throw CorpusError(
                    file: file, line: line, field: "text_sha256",
                    reason: "is \(stated), but \(path) hashes to \(actual): the article changed, or the wrong file is named")
            }
            guard articles[sourceID] == nil else {
                throw CorpusError(file: file, line: line, field: "source_id", reason: "\(sourceID) is listed twice")
            }
            var payload = value.objectValue!
            payload["file"] = nil
            payload["text"] = .string(text)
            payload["file_name"] = .string(String(path.split(separator: "/").last!))
            let article = Article(text: text, sha256: actual)
            try checkEvidence(in: value, at: JSONPath.root, article: article, file: file, line: line)
            articles[sourceID] = article
            events.append(try event(.sourceRegistered, stream: "source", id: sourceID, payload: .object(payload), file: file, line: line))
            origins.append(.init(file: file, line: line))
        }

        // Claims.
        var claimLines: [String: (file: String, line: Int)] = [:]  // where each claim id is first coded
        var claimCount = 0
        for claimFile in corpus.claims.sorted(by: { $0.path < $1.path }) {
            let file = claimFile.path
            let expectedSource = String(file.split(separator: "/").last!.split(separator: ".").first!)
            for (line, value) in try lines(of: claimFile) {
                try validate(value, schema: "claim.schema.json", validator: validator, file: file, line: line)
                let claimID = value["claim_id"]!.stringValue!
                let sourceID = value["source_id"]!.stringValue!
                guard sourceID == expectedSource else {
                    throw CorpusError(
                        file: file, line: line, field: "source_id",
                        reason: "is \(sourceID), but this file holds the claims of source \(expectedSource)")
                }
                guard let article = articles[sourceID] else {
                    throw CorpusError(file: file, line: line, field: "source_id", reason: "\(sourceID) is not in sources.jsonl")
                }
                if let first = claimLines[claimID] {
                    throw CorpusError(file: file, line: line, field: "claim_id", reason: "\(claimID) is already used by \(first.file):\(first.line)")
                }
                claimLines[claimID] = (file, line)
                try checkEvidence(in: value, at: JSONPath.root, article: article, file: file, line: line)
                try checkFigures(value, file: file, line: line)
                events.append(try event(.claimRecorded, stream: "claim", id: claimID, payload: value, file: file, line: line))
                origins.append(.init(file: file, line: line))
                claimCount += 1
            }
        }

        // Incidents.
        var incidentCount = 0
        if let incidents = corpus.incidents {
            for (line, value) in try lines(of: incidents) {
                let file = incidents.path
                try validate(value, schema: "incident-linked.v1.schema.json", validator: validator, file: file, line: line)
                for (index, id) in value["claim_ids"]!.arrayValue!.enumerated() where claimLines[id.stringValue!] == nil {
                    throw CorpusError(
                        file: file, line: line, field: "claim_ids[\(index)]", reason: "\(id.stringValue!) is not a claim of the corpus")
                }
                let id = value["incident_id"]!.stringValue!
                events.append(try event(.incidentLinked, stream: "incident", id: id, payload: value, file: file, line: line))
                origins.append(.init(file: file, line: line))
                incidentCount += 1
            }
        }
        return CompiledCorpus(
            events: events, origins: origins, sourceCount: articles.count, claimCount: claimCount,
            incidentCount: incidentCount)
    }

    // MARK: Checks

    /// An article's text as code points, for checking selectors (the one ingest and append share).
    typealias Article = EvidenceCheck.Article

    static func lines(of file: SeedCorpus.File) throws(CorpusError) -> [(Int, JSONValue)] {
        var result: [(Int, JSONValue)] = []
        var number = 0
        for rawLine in file.bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            number += 1
            var line = rawLine
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            guard line.count <= InputLimits.maxLineBytes else {
                throw CorpusError(file: file.path, line: number, reason: InputLimits.lineTooLong(line.count))
            }
            do throws(JSONParseError) {
                result.append((number, try JSONParser().parse(line)))
            } catch {
                throw CorpusError(file: file.path, line: number, reason: "not valid JSON: \(error.reasonDescription) (column \(error.column))")
            }
        }
        return result
    }

    static func validate(_ value: JSONValue, schema: String, validator: EventValidator, file: String, line: Int)
        throws(CorpusError)
    {
        do throws(SchemaViolation) {
            try validator.schemas.validate(value, against: schema)
        } catch {
            throw CorpusError(file: file, line: line, field: error.path.description, reason: error.message)
        }
    }

    /// Every evidence object under `value` names `article` and stands where it says in it.
    static func checkEvidence(in value: JSONValue, at path: JSONPath, article: Article, file: String, line: Int)
        throws(CorpusError)
    {
        if let failure = EvidenceCheck.firstFailure(in: value, at: path, article: article) {
            throw CorpusError(file: file, line: line, field: failure.field, reason: failure.reason)
        }
    }

    /// Each figure lies inside the statement, and a stated figure says what its words say: the rule
    /// every write applies (``FigureWords``), reported here with file, line and field.
    static func checkFigures(_ claim: JSONValue, file: String, line: Int) throws(CorpusError) {
        let claimID = claim["claim_id"]?.stringValue ?? "?"
        for (index, figure) in (claim["figures"]?.arrayValue ?? []).enumerated() {
            if let problem = FigureWords.problem(figure: figure, statement: claim["statement"], claimID: claimID) {
                throw CorpusError(file: file, line: line, field: "figures[\(index)]" + problem.field, reason: problem.reason)
            }
        }
    }
}
