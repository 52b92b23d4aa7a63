import Foundation
import ThreatLedgerCore

/// The pure half of an append, done before any transaction begins: each event is validated (type,
/// schema, domain rules) and its payload written in canonical form, the text the log stores and
/// hashes; and the evidence of each claim or correction whose source article is registered earlier
/// in the same batch is checked against it. (Evidence quoting an article already in the log is
/// checked by ``AppendPlanner`` inside the transaction, as is any check that failed here, so that a
/// bad batch is refused with the same error, in the same order, as without this step.)
///
/// A batch of ``Workers/parallelThreshold`` events or more is split into one contiguous chunk per
/// core (``Workers/chunks(of:workers:)``), each prepared by a task with a validator of its own
/// (``EventValidator/forWorkers(_:)``), since
/// these steps touch no shared state: on two cores this is most of an append's time. Smaller
/// batches are prepared in place, where starting tasks would cost more than it saves. Either way the
/// outcome is the same: the canonical payloads in batch order, or the error of the first bad event
/// by index.
public struct AppendPreparation: Sendable {
    private let workers: Int
    /// The validator the log was opened with; its copies for the other workers are made on the first
    /// large batch (each costs a schema compilation) and kept (``EventValidator/forWorkers(_:)``).
    private let validator: EventValidator
    /// What the batches this preparation made carry, so that the log can tell them from others.
    private let token = PreparationToken()

    /// - Parameters:
    ///   - validator: the rules every event must pass.
    ///   - workers: how many chunks a large batch is split into (see ``Workers``).
    public init(validator: EventValidator, workers: Int = Workers.count) {
        self.workers = max(workers, 1)
        self.validator = validator
    }

    /// `prepared` itself when this preparation made it (so with the same validator); otherwise the
    /// same events prepared here.
    public func ensure(_ prepared: PreparedAppend) async throws(StoreError) -> PreparedAppend {
        prepared.preparedBy === token ? prepared : try await prepareAppend(prepared.events)
    }

    /// Validates `events` and encodes their payloads, ready for ``EventLog/append(_:)-(PreparedAppend)``.
    public func prepareAppend(_ events: [ProposedEvent]) async throws(StoreError) -> PreparedAppend {
        PreparedAppend(events: events, batch: try await prepare(events), preparedBy: token)
    }

    /// A prepared batch: per event, its canonical payload, and whether its evidence was found to
    /// stand in an article registered earlier in the batch (so the planner need not check it again).
    public struct Batch: Sendable {
        public internal(set) var payloads: [String] = []
        public internal(set) var evidenceChecked: [Bool] = []
    }

    /// Validates `events` and returns their canonical payloads, in order.
    /// - Throws: ``StoreError/invalidEvent(index:id:_:)`` for the first invalid event of the batch.
    public func prepare(_ events: [ProposedEvent]) async throws(StoreError) -> Batch {
        let sources = BatchSources(events)
        guard let chunks = Workers.chunks(of: events.count, workers: workers) else {
            return try Self.prepare(events[...], with: validator, sources: sources)
        }
        let validators = validator.forWorkers(chunks.count)
        let outcomes = await withTaskGroup(of: (Int, Result<Batch, StoreError>).self) { group in
            for (number, range) in chunks.enumerated() {
                let chunk = events[range]
                group.addTask {
                    (number, Result { () throws(StoreError) -> Batch in try Self.prepare(chunk, with: validators[number], sources: sources) })
                }
            }
            var outcomes = [Result<Batch, StoreError>?](repeating: nil, count: chunks.count)
            for await (number, outcome) in group { outcomes[number] = outcome }
            return outcomes
        }
        var batch = Batch()
        batch.payloads.reserveCapacity(events.count)
        batch.evidenceChecked.reserveCapacity(events.count)
        for outcome in outcomes {  // in chunk order, so the first failing chunk names the first bad event
            let part = try outcome!.get()
            batch.payloads += part.payloads
            batch.evidenceChecked += part.evidenceChecked
        }
        return batch
    }

    /// Starts preparing a large batch in pieces (``StagedPreparation``), for a log that plans and
    /// writes each piece while the next is prepared; nil for a batch smaller than
    /// ``Workers/parallelThreshold`` or when there is one worker (`THREATLEDGER_WORKERS=1` keeps an
    /// append on one core), which are prepared whole.
    ///
    /// Pieces are an eighth of the batch on two workers (a quarter of each worker's share), at
    /// least 32 events: small enough that the write starts early, large enough that handing a
    /// piece over costs nothing next to preparing it.
    package func stage(_ events: [ProposedEvent]) -> StagedPreparation? {
        guard events.count >= Workers.parallelThreshold, workers > 1 else { return nil }
        let pieceSize = max(32, (events.count + workers * 4 - 1) / (workers * 4))
        return StagedPreparation(events, pieceSize: pieceSize, validators: validator.forWorkers(workers), sources: BatchSources(events))
    }

    /// Prepares one contiguous chunk; errors carry the event's index in the whole batch.
    static func prepare(
        _ chunk: ArraySlice<ProposedEvent>, with validator: EventValidator, sources: BatchSources
    ) throws(StoreError) -> Batch {
        var batch = Batch()
        batch.payloads.reserveCapacity(chunk.count)
        batch.evidenceChecked.reserveCapacity(chunk.count)
        var articles: [Int: EvidenceCheck.Article] = [:]  // by the index of their SourceRegistered
        for index in chunk.indices {
            let event = chunk[index]
            let type: EventType
            do throws(EventValidationError) { type = try validator.validate(event) } catch {
                throw .invalidEvent(index: index, id: event.id, error)
            }
            batch.payloads.append(event.canonicalPayload ?? CanonicalJSON.string(event.payload))
            var checked = false
            // Checked early only at the current version; an older payload is checked, read at the
            // current version, when appended.
            if event.schemaVersion == validator.versions.current(type), let (evidence, path, sourceIndex) = sources.evidence(of: event, type: type, at: index),
                sources.events[sourceIndex].schemaVersion == validator.versions.current(.sourceRegistered)
            {
                if articles[sourceIndex] == nil {
                    articles[sourceIndex] = EvidenceCheck.Article(sourceRegistered: sources.events[sourceIndex].payload)
                }
                checked = EvidenceCheck.firstFailure(in: evidence, at: path, article: articles[sourceIndex]!) == nil
            }
            batch.evidenceChecked.append(checked)
        }
        return batch
    }
}

/// A batch validated and encoded by a log's ``AppendPreparation``, not yet appended: what
/// ``EventLog/prepare(_:)`` answers and ``EventLog/append(_:)-(PreparedAppend)`` takes. Preparing the
/// next batch while the log appends the current one keeps both cores busy; only the log that
/// prepared a batch can skip preparing it again.
public struct PreparedAppend: Sendable {
    public let events: [ProposedEvent]
    public let batch: AppendPreparation.Batch
    let preparedBy: PreparationToken  // held, so no other preparation can ever be mistaken for it
}

/// The identity of one ``AppendPreparation``.
final class PreparationToken: Sendable {}

/// Where, in one batch, each source is registered and each claim recorded: enough to find, for a
/// claim or a correction, the article it quotes when that article comes earlier in the batch.
struct BatchSources: Sendable {
    let events: [ProposedEvent]
    private var sourceAt: [String: Int] = [:]  // source id → index of its SourceRegistered
    private var claimSource: [String: String] = [:]  // claim id → source id, from ClaimRecorded

    init(_ events: [ProposedEvent]) {
        self.events = events
        for (index, event) in events.enumerated() {
            if event.type == EventType.sourceRegistered.rawValue, let id = event.payload["source_id"]?.stringValue {
                if sourceAt[id] == nil { sourceAt[id] = index }
            } else if event.type == EventType.claimRecorded.rawValue, let claim = event.payload["claim_id"]?.stringValue,
                let source = event.payload["source_id"]?.stringValue
            {
                if claimSource[claim] == nil { claimSource[claim] = source }
            }
        }
    }

    /// The evidence to check in `event` (a valid claim or correction), its path, and the index of
    /// the article's SourceRegistered, when that comes before `index`.
    func evidence(of event: ProposedEvent, type: EventType, at index: Int) -> (JSONValue, JSONPath, Int)? {
        guard let checked = EvidenceCheck.checkedPart(of: event.payload, type: type) else { return nil }
        let source =
            type == .claimRecorded
            ? event.payload["source_id"]?.stringValue : event.payload["claim_id"]?.stringValue.flatMap { claimSource[$0] }
        guard let source, let sourceIndex = sourceAt[source], sourceIndex < index else { return nil }
        return (checked.value, checked.path, sourceIndex)
    }
}
