import ThreatLedgerCore

/// What an append needs from a backend inside its write transaction (which it holds exclusively, so
/// positions are assigned in commit order).
///
/// The requirements are `nonisolated(nonsending)`: they run on the caller's executor. SQLite's run
/// synchronously on the log's actor, so no other call can interleave inside its open transaction
/// (an actor is reentrant only where a call really suspends); PostgreSQL's await the server.
public protocol AppendTransaction: StreamLookup {
    nonisolated(nonsending) func head() async throws -> ChainHead?
    nonisolated(nonsending) func storedEvent(id: EventID) async throws -> RecordedEvent?
    nonisolated(nonsending) func streamVersion(_ stream: StreamName) async throws -> Int64
    nonisolated(nonsending) func insert(_ event: RecordedEvent) async throws
    /// Everything the batch needs to look up, at once: which of `ids` are stored, and the version
    /// of each of `streams` (absent means 0). A client/server backend answers in two queries
    /// instead of two round trips per event; the default asks one by one.
    nonisolated(nonsending) func lookUp(ids: [EventID], streams: [StreamName]) async throws -> AppendLookups
    /// Inserts events in position order; the default inserts one at a time.
    nonisolated(nonsending) func insert(_ events: [RecordedEvent]) async throws
}

/// The reads the stateful rules need: a stream's first event (a source's article, a claim's source)
/// and a claim's history. An append asks its transaction; `verify` asks the log as it walks it.
public protocol StreamLookup {
    /// The first event of a stream (a source's `SourceRegistered`), or nil.
    nonisolated(nonsending) func firstEvent(of stream: StreamName) async throws -> RecordedEvent?
    /// The events of `stream` at positions before `position`, in order.
    nonisolated(nonsending) func events(of stream: StreamName, before position: Int64) async throws -> [RecordedEvent]
}

/// What a batch found already in the log: stored events by id, and stream versions (0 when absent).
public struct AppendLookups: Sendable {
    public var stored: [EventID: RecordedEvent] = [:]
    public var versions: [StreamName: Int64] = [:]

    public init(stored: [EventID: RecordedEvent] = [:], versions: [StreamName: Int64] = [:]) {
        self.stored = stored
        self.versions = versions
    }
}

extension AppendTransaction {
    nonisolated(nonsending) public func lookUp(ids: [EventID], streams: [StreamName]) async throws -> AppendLookups {
        var lookups = AppendLookups()
        for id in ids { lookups.stored[id] = try await storedEvent(id: id) }
        for stream in streams {
            let version = try await streamVersion(stream)
            if version > 0 { lookups.versions[stream] = version }
        }
        return lookups
    }

    nonisolated(nonsending) public func insert(_ events: [RecordedEvent]) async throws {
        for event in events { try await insert(event) }
    }
}

/// The rules of appending, shared by every backend so that SQLite and PostgreSQL behave alike:
/// - an event id already in the log (or earlier in the batch) with the same content appends nothing
///   and answers its first position; with other content it is refused;
/// - each event's expected version is checked against its stream just before it;
/// - an event that starts a stream needs an empty one, a correction needs an existing one, and
///   every stream a payload refers to must exist (earlier in the batch counts);
/// - positions follow the head with no gap, record time never goes back, and each hash chains to
///   the one before.
/// Events are validated (schema and domain rules) and their payloads canonically encoded before the
/// transaction begins, by ``AppendPreparation``, whose `prepared` batch gives each event's canonical
/// payload and says whose evidence it already found in an article earlier in the batch.
public enum AppendPlanner {
    nonisolated(nonsending) public static func append<T: AppendTransaction>(
        _ events: [ProposedEvent], prepared: AppendPreparation.Batch, in transaction: T, clock: any RecordClock, validator: EventValidator
    ) async throws -> AppendResult {
        precondition(prepared.payloads.count == events.count && prepared.evidenceChecked.count == events.count, "one prepared entry per event")
        var entries = PreparedEntries(whole: prepared)
        return try await append(events, entries: &entries, in: transaction, clock: clock, validator: validator)
    }

    /// The same append, taking each event's prepared payload from a batch still being prepared in
    /// pieces (``StagedPreparation``): each piece is awaited when the plan reaches it, so the
    /// pieces before it are planned (and their rules checked) and inserted while it is prepared,
    /// inside the caller's transaction. A piece's error is the first bad event's by index only if
    /// the plan reaches it; a caller that catches another error asks ``StagedPreparation/firstFailure()``.
    nonisolated(nonsending) package static func append<T: AppendTransaction>(
        _ events: [ProposedEvent], staged: StagedPreparation, in transaction: T, clock: any RecordClock, validator: EventValidator
    ) async throws -> AppendResult {
        precondition(staged.pieces.last?.upperBound == events.count, "one prepared entry per event")
        var entries = PreparedEntries(staged: staged)
        return try await append(events, entries: &entries, in: transaction, clock: clock, validator: validator)
    }

    nonisolated(nonsending) private static func append<T: AppendTransaction>(
        _ events: [ProposedEvent], entries prepared: inout PreparedEntries, in transaction: T, clock: any RecordClock,
        validator: EventValidator
    ) async throws -> AppendResult {
        var head = try await transaction.head()
        var position = head?.position ?? 0
        var previousHash = head?.hash ?? .genesis
        let recordedAt = max(clock.now(), head?.recordedAt ?? RecordTime(microsecondsSinceEpoch: 0))
        var versions: [StreamName: Int64] = [:]
        versions.reserveCapacity(events.count)
        // By id: the index of the event in `events` and what it was given (no copy of the event kept).
        var inBatch: [EventID: (index: Int, appended: AppendedEvent)] = [:]
        inBatch.reserveCapacity(events.count)
        var articles: [String: EvidenceCheck.Article] = [:]  // by source id, from the log or this batch
        var batchArticles: [String: ProposedEvent] = [:]  // SourceRegistered met in this batch, made an Article when needed
        var claimSources: [String: String] = [:]  // claim id → source id, for corrections
        var batchClaimSteps: [StreamName: [ClaimEditRules.Step]] = [:]  // claim streams' events earlier in this batch
        var results: [AppendedEvent] = []
        results.reserveCapacity(events.count)
        var metadataBytes: (metadata: EventMetadata, bytes: [UInt8])?  // the last writer's, encoded once
        var envelope: [UInt8] = []  // each event's canonical envelope in turn, one buffer for the batch
        // Inserted together at the end. No lookup below needs them: a stream, an id or an article met
        // earlier in the batch is answered from `versions`, `inBatch`, `articles` and `claimSources`.
        var pending: [RecordedEvent] = []
        pending.reserveCapacity(events.count)
        // Claim streams that a correction or retraction in this batch edits: only their earlier events
        // in the batch are kept as history (a bulk import of claims keeps nothing).
        var editedStreams = Set<StreamName>()
        for event in events
        where event.type == EventType.claimCorrected.rawValue || event.type == EventType.claimRetracted.rawValue
            || event.type == EventType.incidentUnlinked.rawValue || event.type == EventType.sourceCorrected.rawValue
            || event.type == EventType.sourceRetracted.rawValue
        {
            editedStreams.insert(event.stream)
        }
        let references = events.map { validator.references(of: $0) }
        let keys = lookupKeys(of: events, references: references)
        let lookups = try await transaction.lookUp(ids: keys.ids, streams: keys.streams)

        let firstPosition = position + 1
        for (index, event) in events.enumerated() {
            // A batch prepared in pieces writes what it planned before it waits for the next piece, so
            // the insert overlaps the preparation too; the rules below read stored events from
            // before the batch only (`firstPosition`), so they see the same as when all is inserted last.
            if prepared.reachesNextPiece(at: index), !pending.isEmpty {
                try await transaction.insert(pending)
                pending.removeAll(keepingCapacity: true)
            }
            let (payloadJSON, evidenceChecked) = try await prepared.entry(at: index)
            if let earlier = inBatch[event.id] {
                let first = events[earlier.index]
                guard first.stream == event.stream, first.type == event.type,
                    first.schemaVersion == event.schemaVersion, first.payload == event.payload
                else { throw StoreError.eventIDReused(index: index, id: event.id, position: nil) }
                results.append(earlier.appended)
                continue
            }
            if let stored = lookups.stored[event.id] {
                guard stored.stream == event.stream, stored.type == event.type,
                    stored.schemaVersion == event.schemaVersion, stored.payloadJSON == payloadJSON
                else { throw StoreError.eventIDReused(index: index, id: event.id, position: stored.position) }
                results.append(
                    AppendedEvent(
                        id: event.id, position: stored.position, streamVersion: stored.streamVersion, hash: stored.hash, alreadyPresent: true))
                continue
            }
            let current = versions[event.stream] ?? lookups.versions[event.stream] ?? 0
            if let expected = event.expectedVersion, !expected.isSatisfied(byCurrentVersion: current) {
                throw StoreError.conflict(index: index, ExpectedVersionConflict(stream: event.stream, expected: expected, actual: current))
            }
            if let type = EventType(rawValue: event.type) {
                if type.startsStream && current != 0 {
                    throw StoreError.invalidEvent(
                        index: index, id: event.id,
                        .streamState(
                            stream: event.stream, message: "\(event.type) starts a stream, but it already has \(current) event(s)"))
                }
                if !type.startsStream && current == 0 {
                    throw StoreError.invalidEvent(
                        index: index, id: event.id,
                        .streamState(
                            stream: event.stream, message: "\(event.type) needs an existing stream; it has no events"))
                }
            }
            for reference in references[index] {
                if (versions[reference.stream] ?? lookups.versions[reference.stream] ?? 0) == 0 {
                    throw StoreError.invalidEvent(index: index, id: event.id, .missingReference(path: reference.path, stream: reference.stream))
                }
            }
            // The rules read the payload at its type's current version (``SchemaVersions``).
            let payload = EventType(rawValue: event.type).map { validator.versions.upcast(event.payload, type: $0, from: event.schemaVersion) } ?? event.payload
            // A correction or a retraction must pass the claim-edit rules against the claim as it stands.
            if event.type == EventType.claimCorrected.rawValue || event.type == EventType.claimRetracted.rawValue,
                let type = EventType(rawValue: event.type)
            {
                let history = try await steps(of: event.stream, before: firstPosition, in: transaction, batch: batchClaimSteps, versions: validator.versions)
                // The claim's source, for the evidence check below, without reading its stream again.
                if let claimID = payload["claim_id"]?.stringValue, claimSources[claimID] == nil,
                    let source = history.first?.payload["source_id"]?.stringValue
                {
                    claimSources[claimID] = source
                }
                do throws(EventValidationError) {
                    try ClaimEditRules.check(type, payload: payload, history: history, validator: validator)
                } catch {
                    throw StoreError.invalidEvent(index: index, id: event.id, error)
                }
            }
            // A source's correction or retraction is checked against the source as it stands, and a
            // new claim may not cite a retracted source (only a source with events after its
            // registration can be one, so a bulk import of claims reads nothing more).
            if event.type == EventType.sourceCorrected.rawValue || event.type == EventType.sourceRetracted.rawValue,
                let type = EventType(rawValue: event.type)
            {
                let history = try await steps(of: event.stream, before: firstPosition, in: transaction, batch: batchClaimSteps, versions: validator.versions)
                do throws(EventValidationError) {
                    try SourceEditRules.check(type, payload: payload, history: history, validator: validator)
                } catch {
                    throw StoreError.invalidEvent(index: index, id: event.id, error)
                }
            }
            if event.type == EventType.claimRecorded.rawValue, let sourceID = payload["source_id"]?.stringValue,
                let sourceStream = try? StreamName.entity("source", sourceID),
                (versions[sourceStream] ?? lookups.versions[sourceStream] ?? 0) > 1
            {
                let history = try await steps(of: sourceStream, before: firstPosition, in: transaction, batch: batchClaimSteps, versions: validator.versions)
                do throws(EventValidationError) {
                    try SourceEditRules.checkCitable(history, sourceID: sourceID)
                } catch {
                    throw StoreError.invalidEvent(index: index, id: event.id, error)
                }
            }
            // An unlink must take out claims the incident holds as it stands.
            if event.type == EventType.incidentUnlinked.rawValue {
                let history = try await steps(of: event.stream, before: firstPosition, in: transaction, batch: batchClaimSteps, versions: validator.versions)
                do throws(EventValidationError) {
                    try IncidentEditRules.check(.incidentUnlinked, payload: payload, history: history)
                } catch {
                    throw StoreError.invalidEvent(index: index, id: event.id, error)
                }
            }
            // Claims and corrections must quote their source's article exactly.
            if event.type == EventType.sourceRegistered.rawValue, let id = payload["source_id"]?.stringValue {
                batchArticles[id] = event
                articles[id] = nil
            } else if event.type == EventType.claimRecorded.rawValue || event.type == EventType.claimCorrected.rawValue,
                let claimID = payload["claim_id"]?.stringValue
            {
                var sourceID = payload["source_id"]?.stringValue ?? claimSources[claimID]
                if sourceID == nil, let first = try await transaction.firstEvent(of: event.stream) {
                    sourceID = try first.payload(versions: validator.versions)["source_id"]?.stringValue
                }
                if let sourceID {
                    claimSources[claimID] = sourceID
                }
                // Evidence found in an article earlier in the batch was checked in preparation.
                if let sourceID, !evidenceChecked, let type = EventType(rawValue: event.type),
                    let checked = EvidenceCheck.checkedPart(of: payload, type: type)
                {
                    if let source = try await article(of: sourceID, in: transaction, batch: batchArticles, cache: &articles, versions: validator.versions),
                        let failure = EvidenceCheck.firstFailure(in: checked.value, at: checked.path, article: source)
                    {
                        throw StoreError.invalidEvent(index: index, id: event.id, .rule(path: JSONPath([.key(failure.field)]), message: failure.reason))
                    }
                }
                // New evidence a figure update brings stands in the article of the source it names.
                for (number, update) in (payload["figure_updates"]?.arrayValue ?? []).enumerated() {
                    guard let evidence = update["evidence"], let source = update["source_id"]?.stringValue ?? sourceID else { continue }
                    let path = JSONPath.root.appending("figure_updates").appending(index: number).appending("evidence")
                    if let article = try await article(of: source, in: transaction, batch: batchArticles, cache: &articles, versions: validator.versions),
                        let failure = EvidenceCheck.firstFailure(in: evidence, at: path, article: article)
                    {
                        throw StoreError.invalidEvent(index: index, id: event.id, .rule(path: JSONPath([.key(failure.field)]), message: failure.reason))
                    }
                }
            }
            if editedStreams.contains(event.stream), let type = EventType(rawValue: event.type) {
                batchClaimSteps[event.stream, default: []].append(ClaimEditRules.Step(type: type, payload: payload))
            }
            position += 1
            let streamVersion = current + 1
            versions[event.stream] = streamVersion
            if metadataBytes?.metadata != event.metadata {
                metadataBytes = (event.metadata, EnvelopeEncoding.metadataBytes(event.metadata, recordedAt: recordedAt))
            }
            EnvelopeEncoding.write(
                id: event.id, stream: event.stream, streamVersion: streamVersion, position: position, type: event.type,
                schemaVersion: event.schemaVersion, payloadJSON: payloadJSON, metadataBytes: metadataBytes!.bytes, into: &envelope)
            let hash = EventChain.hash(previous: previousHash, canonicalBytes: envelope)
            pending.append(
                RecordedEvent(
                    position: position, id: event.id, stream: event.stream, streamVersion: streamVersion, type: event.type,
                    schemaVersion: event.schemaVersion, payloadJSON: payloadJSON, metadata: event.metadata, recordedAt: recordedAt,
                    previousHash: previousHash, hash: hash))
            let appended = AppendedEvent(id: event.id, position: position, streamVersion: streamVersion, hash: hash, alreadyPresent: false)
            inBatch[event.id] = (index, appended)
            results.append(appended)
            previousHash = hash
            head = ChainHead(position: position, hash: hash, recordedAt: recordedAt)
        }
        if !pending.isEmpty { try await transaction.insert(pending) }
        guard let head else { throw StoreError.database("an append of no events to an empty log has no head") }
        return AppendResult(events: results, head: head)
    }

    /// What an append of `events` looks up before it plans (``AppendTransaction/lookUp(ids:streams:)``):
    /// each event id once, and each stream once, the events' own and those they refer to, in order
    /// of first mention. A backend that reads ahead (PostgreSQL's one-round-trip start) asks for the
    /// same keys.
    public static func lookupKeys(
        of events: [ProposedEvent], references: [[(path: JSONPath, stream: StreamName)]]
    ) -> (ids: [EventID], streams: [StreamName]) {
        var seenIDs = Set<EventID>(minimumCapacity: events.count)
        var seenStreams = Set<StreamName>(minimumCapacity: events.count)
        var ids: [EventID] = []
        var streams: [StreamName] = []
        for (event, referenced) in zip(events, references) {
            if seenIDs.insert(event.id).inserted { ids.append(event.id) }
            if seenStreams.insert(event.stream).inserted { streams.append(event.stream) }
            for reference in referenced where seenStreams.insert(reference.stream).inserted {
                streams.append(reference.stream)
            }
        }
        return (ids, streams)
    }

    /// A stream's events as rule steps (a claim's, a source's, an incident's history): those stored
    /// before the batch (at positions before `firstPosition`), then those earlier in the batch.
    nonisolated(nonsending) private static func steps<T: AppendTransaction>(
        of stream: StreamName, before firstPosition: Int64, in transaction: T, batch: [StreamName: [ClaimEditRules.Step]],
        versions: SchemaVersions
    ) async throws -> [ClaimEditRules.Step] {
        let stored = try await transaction.events(of: stream, before: firstPosition)
        return try stored.compactMap { event in
            try EventType(rawValue: event.type).map { ClaimEditRules.Step(type: $0, payload: try event.payload(versions: versions)) }
        } + (batch[stream] ?? [])
    }

    /// A source's article: from `cache`, from a `SourceRegistered` earlier in the batch, or from the log.
    nonisolated(nonsending) private static func article<T: AppendTransaction>(
        of sourceID: String, in transaction: T, batch: [String: ProposedEvent], cache: inout [String: EvidenceCheck.Article],
        versions: SchemaVersions
    ) async throws -> EvidenceCheck.Article? {
        if cache[sourceID] == nil, let source = batch[sourceID] {
            cache[sourceID] = EvidenceCheck.Article(sourceRegistered: versions.upcast(source.payload, type: .sourceRegistered, from: source.schemaVersion))
        }
        if cache[sourceID] == nil, let stream = try? StreamName.entity("source", sourceID),
            let first = try await transaction.firstEvent(of: stream)
        {
            cache[sourceID] = EvidenceCheck.Article(sourceRegistered: try first.payload(versions: versions))
        }
        return cache[sourceID]
    }

    /// Appends events recorded elsewhere exactly as they are (positions, record times, hashes), after
    /// checking that they continue this log's chain (each must be the next position, chain to the head,
    /// and hash to its stored hash) and that each passes every rule an append applies
    /// (``RecordedEventRules``): a well-hashed forged event is refused like any other. How a log is
    /// copied to another backend with the same head hash.
    nonisolated(nonsending) public static func importRecorded<T: AppendTransaction>(
        _ events: [RecordedEvent], in transaction: T, validator: EventValidator
    ) async throws {
        var verifier = ChainVerifier()
        if let head = try await transaction.head() {
            verifier = ChainVerifier(continuingFrom: head)
        }
        var rules = RecordedEventRules(validator: validator)
        for event in events {
            var problem = verifier.check(event)
            if problem == nil, let broken = try await rules.problem(with: event, lookup: transaction) { problem = .ruleBroken(broken) }
            if let problem {
                throw StoreError.database(VerificationFailure(position: event.position, problem: problem).description + "; nothing was imported")
            }
            try await transaction.insert(event)
        }
    }
}

/// Each event's prepared payload and evidence flag, in index order, from a batch prepared whole or
/// from the pieces of one still being prepared.
struct PreparedEntries {
    private var batch: AppendPreparation.Batch
    private var start = 0  // the batch index of `batch`'s first entry
    private var nextPiece = 0
    private let staged: StagedPreparation?

    init(whole batch: AppendPreparation.Batch) {
        self.batch = batch
        staged = nil
    }

    init(staged: StagedPreparation) {
        batch = AppendPreparation.Batch()
        self.staged = staged
    }

    /// Whether event `index` is the first of a piece not yet taken (never, for a batch prepared whole).
    func reachesNextPiece(at index: Int) -> Bool {
        staged != nil && index - start >= batch.payloads.count
    }

    /// The entry of event `index`; indexes must come in order, each piece awaited when first reached.
    nonisolated(nonsending) mutating func entry(at index: Int) async throws(StoreError) -> (payload: String, evidenceChecked: Bool) {
        if index - start >= batch.payloads.count, let staged {
            batch = try await staged.piece(nextPiece)
            start = staged.pieces[nextPiece].lowerBound
            nextPiece += 1
        }
        return (batch.payloads[index - start], batch.evidenceChecked[index - start])
    }
}
