import ThreatLedgerCore

/// Walks a log in position order and finds the first place where it is not what its chain says:
/// a gap, a previous hash that does not match, a hash the content does not give, a stream version
/// that skips, record time going back, a payload not in canonical form, an article whose text no
/// longer has its SHA-256. Shared by every backend's `verify`.
public struct ChainVerifier {
    public private(set) var checked: Int64 = 0
    public private(set) var articles: Int64 = 0
    public private(set) var head: ChainHead?
    var previousHash = SHA256Hash.genesis
    var previousTime = RecordTime(microsecondsSinceEpoch: Int64.min)
    var streamVersions: [String: Int64] = [:]

    public init() {}

    /// A verifier for events that continue a log whose head is `head` (stream versions are then
    /// checked by the log's own uniqueness constraint).
    public init(continuingFrom head: ChainHead) {
        checked = head.position
        previousHash = head.hash
        previousTime = head.recordedAt
        self.head = head
        continuing = true
    }

    var continuing = false

    /// Checks the next event; returns the problem at it, if any.
    public mutating func check(_ event: RecordedEvent) -> VerificationFailure.Problem? {
        let expected = checked + 1
        if event.position != expected { return .positionGap(expected: expected) }
        if event.previousHash != previousHash { return .previousHashMismatch(expected: previousHash, stored: event.previousHash) }
        let computed = EventChain.hash(previous: previousHash, canonicalBytes: event.canonicalBytes)
        if computed != event.hash { return .hashMismatch(computed: computed, stored: event.hash) }
        let expectedVersion = (streamVersions[event.stream.rawValue] ?? 0) + 1
        if !continuing, event.streamVersion != expectedVersion {
            return .streamVersionGap(stream: event.stream.rawValue, expected: expectedVersion, found: event.streamVersion)
        }
        if event.recordedAt < previousTime { return .recordTimeDecreased(previous: previousTime, found: event.recordedAt) }
        let payload: JSONValue
        do { payload = try event.writtenPayload() } catch { return .malformedRow("payload is not valid JSON: \(error)") }
        if CanonicalJSON.string(payload) != event.payloadJSON { return .malformedRow("payload is not in RFC 8785 canonical form") }
        if event.type == EventType.sourceRegistered.rawValue {
            let stated = payload["text_sha256"]?.stringValue ?? ""
            let actual = SHA256Hash.of(text: payload["text"]?.stringValue ?? "").hex
            if stated != actual {
                return .articleHashMismatch(sourceID: payload["source_id"]?.stringValue ?? "?", stated: stated, actual: actual)
            }
            articles += 1
        }
        streamVersions[event.stream.rawValue] = event.streamVersion
        previousHash = event.hash
        previousTime = event.recordedAt
        head = ChainHead(position: event.position, hash: event.hash, recordedAt: event.recordedAt)
        checked += 1
        return nil
    }

    /// The report so far, with `failure` at `position` when one was found.
    public func report(failureAt position: Int64? = nil, _ problem: VerificationFailure.Problem? = nil) -> VerificationReport {
        VerificationReport(
            eventsChecked: checked, articlesChecked: articles, head: head,
            failure: problem.map { VerificationFailure(position: position ?? checked + 1, problem: $0) })
    }
}
