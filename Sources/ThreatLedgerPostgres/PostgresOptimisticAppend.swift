import Logging
import NIOCore
import PostgresNIO
import Synchronization
import ThreatLedgerCore
import ThreatLedgerStore

/// An append on PostgreSQL in one round trip, when what the log's earlier appends learned still holds.
///
/// The three round trips of ``PostgresAppendSession`` exist to read, under the append lock, what the
/// plan needs (the head, the batch's streams and ids, its sources' articles). Most of it a writer
/// already knows from its own last append: the head it left, the versions of the streams it wrote
/// or read, the articles of the sources it registered or read. So the plan is made from that
/// knowledge (``AppendKnowledge``) and sent with the rows to `append_if_unchanged`, a PL/pgSQL
/// function that takes the same append lock (transaction-scoped, so released by the commit of the
/// one statement) and, each check with a snapshot taken after the lock, inserts the rows only if
/// the head is still the one the plan chained to, none of the batch's ids is stored, and every
/// stream the plan read has the version it assumed. Otherwise it inserts nothing and answers false,
/// and the append takes the three round trips, which also refresh the knowledge.
///
/// Decision: the checks cover every read a plan makes except a stream's first event (a source's
/// article), which never changes once written. A plan that would need anything else (a claim's or
/// a source's history, for an edit; a referenced stream or an article it has not learned) is not
/// tried; a plan that throws is not trusted either (its error may come from stale knowledge): the
/// three round trips decide, and their error is the one the caller sees. So the outcome, refusals
/// included, is the one the locked path gives; only the number of round trips differs.
enum PostgresOptimisticAppend {
    /// The function for batches of more than one event, and its twin for a single event, by name.
    ///
    /// Decision (measured in session 15 with statement logging): `append_if_unchanged` plans its
    /// queries for each call's arrays (`plan_cache_mode = force_custom_plan`, as `begin_append`),
    /// since a plan cached for one size of batch served another badly (batches of 100 fell from
    /// 3,322 to 2,262 events/s on a generic plan). A single event's arrays always hold one element,
    /// so `append_one_if_unchanged`, the same body without the setting, leaves planning to
    /// PostgreSQL's default, which after five calls keeps a generic plan when it costs no more
    /// (without the setting, execution took 0.29 ms instead of 0.52).
    static func functionName(eventCount: Int) -> String {
        eventCount == 1 ? "append_one_if_unchanged" : "append_if_unchanged"
    }

    /// Both functions' signatures (as `to_regprocedure` names them) and definitions; created with
    /// the log, and on opening a log made before they existed.
    static func functions(schema: String) -> [(signature: String, definition: String)] {
        [("append_if_unchanged", "SET plan_cache_mode = force_custom_plan"), ("append_one_if_unchanged", "")].map { name, planning in
            (
                schema + "." + name
                    + "(text,bigint,bytea,uuid[],text[],bigint[],bigint[],text[],text[],bigint[],text[],integer[],text[],bigint[],text[],text[],boolean[],text[],boolean[],bytea[],bytea[])",
                functionDefinition(schema: schema, name: name, planning: planning)
            )
        }
    }

    /// One of the two functions: `planning` is its plan-cache setting, if any.
    private static func functionDefinition(schema: String, name: String, planning: String) -> String {
        """
        CREATE OR REPLACE FUNCTION \(schema).\(name)(lock_name text, head_position bigint, head_hash bytea,
            ids uuid[], streams text[], versions bigint[],
            p bigint[], i text[], s text[], v bigint[], t text[], sv integer[], d text[], ra bigint[], rb text[],
            c text[], hc boolean[], k text[], hk boolean[], ph bytea[], h bytea[])
        RETURNS boolean
        LANGUAGE plpgsql VOLATILE \(planning) AS $$
        DECLARE
            current_position bigint;
            current_hash bytea;
        BEGIN
            -- Held until this statement's transaction commits; each query below takes its snapshot after it.
            PERFORM pg_advisory_xact_lock(hashtextextended(lock_name, 0));
            SELECT e.position, e.hash INTO current_position, current_hash FROM \(schema).events e ORDER BY e.position DESC LIMIT 1;
            IF current_position IS DISTINCT FROM head_position OR current_hash IS DISTINCT FROM head_hash THEN
                RETURN false;
            END IF;
            IF EXISTS (SELECT 1 FROM \(schema).events e WHERE e.event_id = ANY(ids)) THEN
                RETURN false;
            END IF;
            IF EXISTS (
                SELECT 1 FROM unnest(streams, versions) AS x(name, version)
                WHERE COALESCE((SELECT MAX(e.stream_version) FROM \(schema).events e WHERE e.stream = x.name), 0) <> x.version
            ) THEN
                RETURN false;
            END IF;
            INSERT INTO \(schema).events (position, event_id, stream, stream_version, type, schema_version, payload,
                recorded_at, recorded_by, correlation_id, causation_id, previous_hash, hash)
            SELECT u.p, u.i::uuid, u.s, u.v, u.t, u.sv, u.d, u.ra, u.rb, CASE WHEN u.hc THEN u.c END, CASE WHEN u.hk THEN u.k END, u.ph, u.h
            FROM unnest(p, i, s, v, t, sv, d, ra, rb, c, hc, k, hk, ph, h) AS u(p, i, s, v, t, sv, d, ra, rb, c, hc, k, hk, ph, h)
            ORDER BY u.p;
            RETURN true;
        END $$
        """
    }

    /// Why a plan was not tried or not kept; the caller takes the three round trips.
    struct NotApplicable: Error {}
    /// The function found the log changed since what the plan assumed; nothing was inserted.
    struct Changed: Error {}

    /// What one try came to.
    enum Outcome: Sendable {
        case appended(AppendResult)
        /// Not sent: the plan needed something not known, or refused the batch on what was known.
        case notTried
        /// Sent, and the log had changed (another writer appended): nothing was inserted.
        case changed
    }

    /// Plans `events` from `knowledge` and, when the plan stands, sends it in one statement. Any
    /// failure of the statement itself is `changed` too: its outcome is left to the locked path,
    /// which finds the events already stored (by id) if the statement did commit.
    nonisolated(nonsending) static func append(
        _ events: [ProposedEvent], prepared: AppendPreparation.Batch, knowledge: AppendKnowledge, on connection: PostgresConnection,
        schema: String, clock: any RecordClock, validator: EventValidator, logger: Logger, learned: LearnedFromAppend
    ) async -> Outcome {
        let references = events.map { validator.references(of: $0) }
        guard let head = knowledge.head, knowledge.covers(events, prepared: prepared, references: references) else { return .notTried }
        let keys = AppendPlanner.lookupKeys(of: events, references: references)
        let transaction = KnownTransaction(
            head: head, keys: keys, knowledge: knowledge, connection: connection, schema: schema, logger: logger, learned: learned)
        do {
            return .appended(try await AppendPlanner.append(events, prepared: prepared, in: transaction, clock: clock, validator: validator))
        } catch is Changed {
            return .changed
        } catch {
            return .notTried  // something not known, or a refusal made from what was known: the locked path decides
        }
    }
}

/// What a PostgreSQL log's own appends have told it: the head its last append left, and the
/// versions and first events of streams it wrote or read under the lock. Bounded: past
/// ``streamLimit`` streams or ``articleLimit`` first events it forgets them all and learns again.
struct AppendKnowledge: Sendable {
    static let streamLimit = 100_000
    static let articleLimit = 1_000

    private(set) var head: ChainHead?
    private(set) var versions: [StreamName: Int64] = [:]
    private(set) var firstEvents: [StreamName: RecordedEvent] = [:]

    /// Whether a plan of `events` can be made from this knowledge: no event edits a stream (an edit
    /// reads its stream's history), every stream an event refers to is known or begun earlier in
    /// the batch, and every claim whose quotes were not already checked against an article earlier
    /// in the batch has its source's article known.
    func covers(_ events: [ProposedEvent], prepared: AppendPreparation.Batch, references: [[(path: JSONPath, stream: StreamName)]]) -> Bool {
        var begun = Set<StreamName>()
        for (index, event) in events.enumerated() {
            guard let type = EventType(rawValue: event.type), type == .sourceRegistered || type == .claimRecorded || type == .incidentLinked
            else { return false }
            for reference in references[index] where !begun.contains(reference.stream) {
                guard let version = versions[reference.stream], version > 0 else { return false }
                if type == .claimRecorded, reference.stream.rawValue.hasPrefix("source-") {
                    // A source with events after its registration needs its history read; quotes not
                    // checked in preparation need its article.
                    if version > 1 || (!prepared.evidenceChecked[index] && firstEvents[reference.stream] == nil) { return false }
                }
            }
            begun.insert(event.stream)
        }
        return true
    }

    /// Learns from a successful append: the head it left, its streams' versions, and its sources'
    /// registrations; and from what the locked path read (`read`), when it ran.
    ///
    /// The head is the last one learned, even if it stands below the one known (two appends of this
    /// log finishing out of order, or the log restored from a backup): a stale head costs one try
    /// that finds the log changed, never a wrong append, and keeping the higher one could leave a
    /// restored log's writer trying in vain forever.
    mutating func learn(head newHead: ChainHead, inserted: [RecordedEvent], read: PostgresAppendSession.Start?) {
        head = newHead
        if versions.count > Self.streamLimit { versions = [:] }
        if firstEvents.count > Self.articleLimit { firstEvents = [:] }
        if let read {
            for (stream, version) in read.lookups.versions { versions[stream] = max(versions[stream] ?? 0, version) }
            for (stream, event) in read.firstEvents { firstEvents[stream] = event }
        }
        for event in inserted {
            versions[event.stream] = max(versions[event.stream] ?? 0, event.streamVersion)
            if event.streamVersion == 1, event.type == EventType.sourceRegistered.rawValue { firstEvents[event.stream] = event }
        }
    }

    /// Forgets the head (an append failed, or found the log changed).
    mutating func forgetHead() { head = nil }
}

/// What one append read under the lock and inserted, kept for ``AppendKnowledge/learn(head:inserted:read:)``.
final class LearnedFromAppend: Sendable {
    private let state = Mutex<(rows: [RecordedEvent], read: PostgresAppendSession.Start?)>(([], nil))
    func inserted(_ events: [RecordedEvent]) { state.withLock { $0.rows += events } }
    func read(_ start: PostgresAppendSession.Start) { state.withLock { $0.read = start } }
    var rows: [RecordedEvent] { state.withLock { $0.rows } }
    var start: PostgresAppendSession.Start? { state.withLock { $0.read } }
}

/// The planner's reads answered from ``AppendKnowledge``, its insert sent to `append_if_unchanged`
/// with what the reads assumed.
private struct KnownTransaction: AppendTransaction {
    let head: ChainHead
    let keys: (ids: [EventID], streams: [StreamName])
    let knowledge: AppendKnowledge
    let connection: PostgresConnection
    let schema: String
    let logger: Logger
    let learned: LearnedFromAppend

    /// Each stream's version as known, or 0 (assumed new; the function checks it).
    private var assumedVersions: [Int64] { keys.streams.map { knowledge.versions[$0] ?? 0 } }

    nonisolated(nonsending) func head() async throws -> ChainHead? { head }

    nonisolated(nonsending) func lookUp(ids: [EventID], streams: [StreamName]) async throws -> AppendLookups {
        guard ids == keys.ids, streams == keys.streams else { throw PostgresOptimisticAppend.NotApplicable() }
        var lookups = AppendLookups()
        for (stream, version) in zip(keys.streams, assumedVersions) where version > 0 { lookups.versions[stream] = version }
        return lookups  // no id stored: the function checks it
    }

    nonisolated(nonsending) func firstEvent(of stream: StreamName) async throws -> RecordedEvent? {
        guard let event = knowledge.firstEvents[stream] else { throw PostgresOptimisticAppend.NotApplicable() }
        return event
    }

    nonisolated(nonsending) func events(of stream: StreamName, before position: Int64) async throws -> [RecordedEvent] {
        throw PostgresOptimisticAppend.NotApplicable()
    }

    nonisolated(nonsending) func storedEvent(id: EventID) async throws -> RecordedEvent? { throw PostgresOptimisticAppend.NotApplicable() }

    nonisolated(nonsending) func streamVersion(_ stream: StreamName) async throws -> Int64 { throw PostgresOptimisticAppend.NotApplicable() }

    nonisolated(nonsending) func insert(_ event: RecordedEvent) async throws { try await insert([event]) }

    /// The rows and every assumption in one statement; throws ``PostgresOptimisticAppend/Changed``
    /// when the function finds the log changed (or the statement fails).
    nonisolated(nonsending) func insert(_ events: [RecordedEvent]) async throws {
        let ids = keys.ids.map(\.rawValue)
        let streams = keys.streams.map(\.rawValue)
        let versions = assumedVersions
        let headHash = ByteBuffer(bytes: head.hash.bytes)
        let rows = PostgresRows(events)
        var applied = false
        do {
            let answer = try await connection.query(
                """
                SELECT \(unescaped: schema).\(unescaped: PostgresOptimisticAppend.functionName(eventCount: events.count))(\(PostgresAppendSession.lockName(schema: schema)), \(head.position), \(headHash),
                    \(ids)::text[]::uuid[], \(streams)::text[], \(versions)::bigint[],
                    \(rows.positions)::bigint[], \(rows.ids)::text[], \(rows.streams)::text[], \(rows.versions)::bigint[], \(rows.types)::text[],
                    \(rows.schemaVersions)::integer[], \(rows.payloads)::text[], \(rows.recordedAt)::bigint[], \(rows.recordedBy)::text[],
                    \(rows.correlations)::text[], \(rows.hasCorrelation)::boolean[], \(rows.causations)::text[], \(rows.hasCausation)::boolean[],
                    \(rows.previous)::bytea[], \(rows.hashes)::bytea[])
                """, logger: logger)
            for try await value in answer.decode(Bool.self) { applied = value }
        } catch {
            throw PostgresOptimisticAppend.Changed()
        }
        guard applied else { throw PostgresOptimisticAppend.Changed() }
        learned.inserted(events)
    }
}
