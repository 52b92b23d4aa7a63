import ThreatLedgerCore

/// The rules every event in a log must satisfy, checked on an event already recorded, with the log
/// before it as context: what `verify` re-checks for every event and what `copy` checks before it
/// imports one. They are the append's own rules (``EventValidator``, ``EvidenceCheck``,
/// ``ClaimEditRules``), so an event that could not have been appended is caught, however it got in
/// (a row inserted behind the log's back with a correctly chained hash is still refused here):
/// - the payload satisfies its schema at its schema version and every domain rule, including every
///   stated figure against its own words;
/// - it is on the stream its payload names; it starts a stream exactly when its type starts one;
/// - every stream it refers to (a claim's source, an incident's claims, a correction's new source)
///   has an event before it;
/// - every quote of a claim or a correction stands at its code-point position in its own source's
///   article as stored in the log;
/// - a correction or a retraction passes the claim-edit rules against the claim as it stood, and an
///   unlink takes out only claims the incident held (``IncidentEditRules``); a source's correction or
///   retraction passes ``SourceEditRules``, and no claim cites a source retracted before it.
///
/// Memory stays bounded: articles are kept in a small cache and read again from the log on a miss.
public struct RecordedEventRules {
    let validator: EventValidator
    private var articles: [String: EvidenceCheck.Article] = [:]
    private var articleOrder: [String] = []
    /// Sources retracted by the events checked so far (`verify` and `copy` check the log in order),
    /// with the reason: a later claim citing one breaks the rule.
    private var retractedSources: [String: String] = [:]
    private static let articleCacheSize = 256

    public init(validator: EventValidator = .standard) {
        self.validator = validator
    }

    /// What is wrong with `event`, if anything, with `lookup` reading the log as it stood before it.
    nonisolated(nonsending) public mutating func problem(with event: RecordedEvent, lookup: some StreamLookup) async throws -> String? {
        let payload: JSONValue
        do { payload = try event.writtenPayload() } catch { return "the payload is not valid JSON: \(error)" }
        // Checked as written, against the schema of the version it was written at; the rules that
        // follow read it at the current version.
        let proposed = ProposedEvent(
            id: event.id, stream: event.stream, type: event.type, schemaVersion: event.schemaVersion, payload: payload,
            metadata: event.metadata)
        let type: EventType
        do throws(EventValidationError) { type = try validator.validate(proposed) } catch { return error.description }
        let current = validator.versions.upcast(payload, type: type, from: event.schemaVersion)
        if type.startsStream != (event.streamVersion == 1) {
            return type.startsStream
                ? "\(event.type) starts a stream, but it stands at version \(event.streamVersion) of \(event.stream)"
                : "\(event.type) needs an existing stream, but it opens \(event.stream)"
        }
        for reference in validator.references(of: proposed) {
            let first = try await lookup.firstEvent(of: reference.stream)
            guard let first, first.position < event.position else {
                return "payload.\(reference.path): refers to \(reference.stream), which has no event before position \(event.position)"
            }
        }
        if type == .sourceCorrected || type == .sourceRetracted {
            let (steps, unreadable) = try await history(of: event, lookup: lookup)
            if let unreadable { return unreadable }
            do throws(EventValidationError) { try SourceEditRules.check(type, payload: current, history: steps, validator: validator) } catch {
                return error.description
            }
            if type == .sourceRetracted, let id = current["source_id"]?.stringValue { retractedSources[id] = current["reason"]?.stringValue ?? "" }
            return nil
        }
        if type == .claimRecorded, let sourceID = current["source_id"]?.stringValue, let reason = retractedSources[sourceID] {
            return "payload.source_id: source \(sourceID) is retracted (\(reason)); no new claim may cite it"
        }
        if type == .incidentUnlinked {
            let (steps, unreadable) = try await history(of: event, lookup: lookup)
            if let unreadable { return unreadable }
            do throws(EventValidationError) { try IncidentEditRules.check(type, payload: current, history: steps) } catch { return error.description }
            return nil
        }
        guard type == .claimRecorded || type == .claimCorrected || type == .claimRetracted else { return nil }
        let (steps, unreadable) = try await history(of: event, lookup: lookup)
        if let unreadable { return unreadable }
        do throws(EventValidationError) {
            try ClaimEditRules.check(type, payload: current, history: steps, validator: validator)
        } catch {
            return error.description
        }
        let sourceID = type == .claimRecorded ? current["source_id"]?.stringValue : steps.first?.payload["source_id"]?.stringValue
        guard let sourceID, let checked = EvidenceCheck.checkedPart(of: current, type: type) else { return nil }
        if let failure = try await article(of: sourceID, lookup: lookup).flatMap({
            EvidenceCheck.firstFailure(in: checked.value, at: checked.path, article: $0)
        }) {
            return "payload.\(failure.field): \(failure.reason)"
        }
        for (number, update) in (current["figure_updates"]?.arrayValue ?? []).enumerated() {
            guard let evidence = update["evidence"] else { continue }
            let path = JSONPath.root.appending("figure_updates").appending(index: number).appending("evidence")
            let source = update["source_id"]?.stringValue ?? sourceID
            if let failure = try await article(of: source, lookup: lookup).flatMap({ EvidenceCheck.firstFailure(in: evidence, at: path, article: $0) }) {
                return "payload.\(failure.field): \(failure.reason)"
            }
        }
        return nil
    }

    /// The events of `event`'s stream before it, as rule steps; or what is wrong when one cannot be read.
    nonisolated(nonsending) private func history(of event: RecordedEvent, lookup: some StreamLookup) async throws -> ([ClaimEditRules.Step], String?) {
        var steps: [ClaimEditRules.Step] = []
        for earlier in try await lookup.events(of: event.stream, before: event.position) {
            guard let earlierType = EventType(rawValue: earlier.type), let earlierPayload = try? earlier.payload(versions: validator.versions) else {
                return ([], "\(event.stream) holds an unreadable event at position \(earlier.position)")
            }
            steps.append(ClaimEditRules.Step(type: earlierType, payload: earlierPayload))
        }
        return (steps, nil)
    }

    /// The article of a source, from the cache or the log.
    nonisolated(nonsending) private mutating func article(of sourceID: String, lookup: some StreamLookup) async throws -> EvidenceCheck.Article? {
        if let article = articles[sourceID] { return article }
        guard let stream = try? StreamName.entity("source", sourceID), let first = try await lookup.firstEvent(of: stream),
            let payload = try? first.payload(versions: validator.versions)
        else { return nil }
        let article = EvidenceCheck.Article(sourceRegistered: payload)
        if articleOrder.count >= Self.articleCacheSize { articles[articleOrder.removeFirst()] = nil }
        articles[sourceID] = article
        articleOrder.append(sourceID)
        return article
    }
}
