import ThreatLedgerCore

extension SQLiteEventLog {
    /// Walks the chain in one read transaction (a consistent snapshot, while writers go on), 
    /// re-hashing every event and re-hashing the text of every `SourceRegistered` article.
    /// Stops at the first problem and names its position.
    public func verify(progress: @Sendable (Int64) -> Void) async throws(StoreError) -> VerificationReport {
        do {
            try connection.execute("BEGIN")
            defer { try? connection.execute("COMMIT") }
            return try verifySnapshot(progress: progress)
        } catch {
            throw Self.storeError(error)
        }
    }

    private func verifySnapshot(progress: @Sendable (Int64) -> Void) throws -> VerificationReport {
        let statement = try connection.statement("SELECT \(Self.columns) FROM events ORDER BY position")
        defer { statement.reset() }
        var expectedPosition: Int64 = 1
        var previousHash = SHA256Hash.genesis
        var previousTime = RecordTime(microsecondsSinceEpoch: Int64.min)
        var streamVersions: [String: Int64] = [:]
        var articles: Int64 = 0
        var head: ChainHead?
        func report(_ position: Int64, _ problem: VerificationFailure.Problem) -> VerificationReport {
            VerificationReport(
                eventsChecked: expectedPosition - 1, articlesChecked: articles, head: head,
                failure: VerificationFailure(position: position, problem: problem))
        }
        while try statement.step() {
            let position = statement.int64(0)
            let event: RecordedEvent
            do throws(StoreError) {
                event = try Self.decodeRow(statement)
            } catch {
                if case .corruptRow(_, let reason) = error { return report(position, .malformedRow(reason)) }
                throw error
            }
            if position != expectedPosition { return report(position, .positionGap(expected: expectedPosition)) }
            if event.previousHash != previousHash {
                return report(position, .previousHashMismatch(expected: previousHash, stored: event.previousHash))
            }
            let computed = EventChain.hash(previous: previousHash, canonicalBytes: event.canonicalBytes)
            if computed != event.hash { return report(position, .hashMismatch(computed: computed, stored: event.hash)) }
            let expectedVersion = (streamVersions[event.stream.rawValue] ?? 0) + 1
            if event.streamVersion != expectedVersion {
                return report(
                    position,
                    .streamVersionGap(stream: event.stream.rawValue, expected: expectedVersion, found: event.streamVersion))
            }
            if event.recordedAt < previousTime {
                return report(position, .recordTimeDecreased(previous: previousTime, found: event.recordedAt))
            }
            let payload: JSONValue
            do {
                payload = try event.payload()
            } catch {
                return report(position, .malformedRow("payload is not valid JSON: \(error)"))
            }
            if CanonicalJSON.string(payload) != event.payloadJSON {
                return report(position, .malformedRow("payload is not in RFC 8785 canonical form"))
            }
            if event.type == EventType.sourceRegistered.rawValue {
                let stated = payload["text_sha256"]?.stringValue ?? ""
                let actual = SHA256Hash.of(text: payload["text"]?.stringValue ?? "").hex
                if stated != actual {
                    let source = payload["source_id"]?.stringValue ?? "?"
                    return report(position, .articleHashMismatch(sourceID: source, stated: stated, actual: actual))
                }
                articles += 1
            }
            streamVersions[event.stream.rawValue] = event.streamVersion
            previousHash = event.hash
            previousTime = event.recordedAt
            head = ChainHead(position: position, hash: event.hash, recordedAt: event.recordedAt)
            expectedPosition += 1
            if position % 10_000 == 0 { progress(position) }
        }
        progress(expectedPosition - 1)
        return VerificationReport(eventsChecked: expectedPosition - 1, articlesChecked: articles, head: head, failure: nil)
    }
}
