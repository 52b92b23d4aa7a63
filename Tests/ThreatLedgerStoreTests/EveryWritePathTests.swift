import Foundation
import PostgresNIO
import Testing
import ThreatLedgerCore
import ThreatLedgerPostgres
import ThreatLedgerStore
import ThreatLedgerTesting

/// One decision for every write, on every backend: `EventLog.append` (what the CLI, the API and
/// ingest call), `importRecorded` (what `copy` calls) and `verify` refuse the same bad events, and a
/// refused append leaves the head where it was. (Issue 14.)
@Suite struct EveryWritePathTests {
    static let source = EventFixtures.sourceRegistered(id: "s1")

    /// A bad event, the words that must be in its refusal, and what must be in the log before it.
    struct BadWrite: Sendable, CustomStringConvertible {
        let name: String
        let before: @Sendable () -> [ProposedEvent]
        let event: @Sendable () -> ProposedEvent
        let refusal: String
        var description: String { name }
    }

    static func correction(_ claim: String, _ updates: JSONValue, changes: JSONValue = [:]) -> ProposedEvent {
        ProposedEvent(
            id: .random(), stream: try! StreamName.entity("claim", claim), type: "ClaimCorrected",
            payload: ["claim_id": .string(claim), "reason": "x", "changes": changes, "figure_updates": updates],
            metadata: EventFixtures.analyst)
    }

    static let badWrites: [BadWrite] = [
        BadWrite(
            name: "a figure against its words", before: { [source] },
            event: {
                ProposedEvent(
                    id: .random(), stream: try! StreamName("claim-c1"), type: "ClaimRecorded",
                    payload: EventFixtures.claimPayload(id: "c1", sourceID: "s1", killed: 12), metadata: EventFixtures.analyst)
            },
            refusal: "but its words \"11\" say exact (low 11, high 11)"),
        BadWrite(
            name: "a killed figure recoded as wounded", before: { [source] },
            event: {
                var payload = EventFixtures.claimPayload(id: "c1", sourceID: "s1").objectValue!
                var figure = payload["figures"]!.arrayValue![0].objectValue!
                figure["measure"] = "wounded"
                payload["figures"] = [.object(figure)]
                return ProposedEvent(
                    id: .random(), stream: try! StreamName("claim-c1"), type: "ClaimRecorded", payload: .object(payload),
                    metadata: EventFixtures.analyst)
            },
            refusal: "codes a wounded figure"),
        BadWrite(
            name: "a correction against the words", before: { [source, EventFixtures.claimRecorded(id: "c1", sourceID: "s1")] },
            event: { correction("c1", [["measure": "killed", "low": 99, "high": 99]]) },
            refusal: "the corrected claim would break a rule"),
        BadWrite(
            name: "a correction after a retraction",
            before: { [source, EventFixtures.claimRecorded(id: "c1", sourceID: "s1"), EventFixtures.claimRetracted(id: "c1")] },
            event: { correction("c1", [], changes: ["summary": "Changed."]) },
            refusal: "is retracted; it can no longer be corrected"),
        BadWrite(
            name: "a retraction after a retraction",
            before: { [source, EventFixtures.claimRecorded(id: "c1", sourceID: "s1"), EventFixtures.claimRetracted(id: "c1")] },
            event: { EventFixtures.claimRetracted(id: "c1", reason: "again") },
            refusal: "is retracted"),
        BadWrite(
            name: "an update naming a figure of another measure",
            before: { [source, EventFixtures.claimRecorded(id: "c1", sourceID: "s1")] },
            event: { correction("c1", [["measure": "wounded", "index": 0, "basis": "inferred", "note": "x"]]) },
            refusal: "has no wounded figure at index 0"),
        BadWrite(
            name: "new evidence not in the cited source's article",
            before: {
                [
                    source, EventFixtures.sourceRegistered(id: "s2", text: "ارتفعت الحصيلة إلى مقتل 12 جنديًا.\n"),
                    EventFixtures.claimRecorded(id: "c1", sourceID: "s1"),
                ]
            },
            event: {
                var evidence = EventFixtures.evidence("12 جنديًا", in: "ارتفعت الحصيلة إلى مقتل 12 جنديًا.\n").objectValue!
                evidence["position"] = ["type": "TextPositionSelector", "start": 0, "end": 9]
                return correction("c1", [["measure": "killed", "low": 12, "high": 12, "source_id": "s2", "evidence": .object(evidence)]])
            },
            refusal: "is not where"),
        BadWrite(
            name: "a bidi override in a summary", before: { [source] },
            event: {
                var payload = EventFixtures.claimPayload(id: "c1", sourceID: "s1").objectValue!
                payload["summary"] = "An attack \u{202E}killed 11."
                return ProposedEvent(
                    id: .random(), stream: try! StreamName("claim-c1"), type: "ClaimRecorded", payload: .object(payload),
                    metadata: EventFixtures.analyst)
            },
            refusal: "payload.summary: holds a bidirectional embedding or override"),
        BadWrite(
            name: "a control character in recorded_by", before: { [source] },
            event: {
                var event = EventFixtures.claimRecorded(id: "c1", sourceID: "s1")
                event.metadata = EventMetadata(recordedBy: "alice\u{1B}[2J")
                return event
            },
            refusal: "metadata.recorded_by: holds a control character"),
    ]

    @Test(arguments: TestBackend.available, badWrites)
    func appendRefusesEachBadWriteWithNothingAppended(backend: TestBackend, bad: BadWrite) async throws {
        try await withTemporaryLog(on: backend) { log, _ in
            _ = try await log.append(bad.before())
            let head = try await log.head()
            do {
                _ = try await log.append([bad.event()])
                Issue.record("\(bad.name) was appended")
            } catch {
                #expect("\(error)".contains(bad.refusal), "\(bad.name): \(error)")
            }
            #expect(try await log.head() == head)
        }
    }

    /// A good correction citing a later article is accepted, and the claim it leaves verifies.
    @Test(arguments: TestBackend.available)
    func aCorrectionCitingALaterArticleIsAcceptedAndVerifies(backend: TestBackend) async throws {
        try await withTemporaryLog(on: backend) { log, _ in
            let later = "ارتفعت الحصيلة إلى مقتل 12 جنديًا.\n"
            _ = try await log.append([
                Self.source, EventFixtures.sourceRegistered(id: "s2", text: later), EventFixtures.claimRecorded(id: "c1", sourceID: "s1"),
            ])
            _ = try await log.append([
                Self.correction(
                    "c1",
                    [
                        [
                            "measure": "killed", "index": 0, "low": 12, "high": 12, "source_id": "s2",
                            "evidence": EventFixtures.evidence("12 جنديًا", in: later),
                        ]
                    ])
            ])
            let report = try await log.verify { _ in }
            #expect(report.isValid, "\(String(describing: report.failure))")
        }
    }

    /// What `copy` does with a well-chained log holding an event no append could have made: refused,
    /// with nothing of that batch imported, on every backend as the destination.
    @Test(arguments: TestBackend.available)
    func importRefusesAWellHashedEventThatBreaksARule(backend: TestBackend) async throws {
        let forged = try await Self.chained([
            Self.source,
            ProposedEvent(
                id: .random(), stream: try StreamName("claim-c1"), type: "ClaimRecorded",
                payload: EventFixtures.claimPayload(id: "c1", sourceID: "s1", killed: 5000), metadata: EventFixtures.analyst),
        ])
        try await withTemporaryLog(on: backend) { (log: any EventLog, _) async throws in
            do {
                try await log.importRecorded(forged)
                Issue.record("the forged event was imported")
            } catch {
                #expect("\(error)".contains("verification failed at position 2") && "\(error)".contains("breaks a rule"), "\(error)")
            }
            #expect(try await log.head() == nil)
        }
    }

    /// Events chained exactly as a log would chain them, without any rule: what an insider can make.
    static func chained(_ events: [ProposedEvent]) async throws -> [RecordedEvent] {
        var previous = SHA256Hash.genesis
        var versions: [StreamName: Int64] = [:]
        var recorded: [RecordedEvent] = []
        for (index, event) in events.enumerated() {
            let version = (versions[event.stream] ?? 0) + 1
            versions[event.stream] = version
            let draft = RecordedEvent(
                position: Int64(index + 1), id: event.id, stream: event.stream, streamVersion: version, type: event.type,
                schemaVersion: 1, payloadJSON: CanonicalJSON.string(event.payload), metadata: event.metadata,
                recordedAt: RecordTime(microsecondsSinceEpoch: 1_700_000_000_000_000 + Int64(index)), previousHash: previous, hash: previous)
            let hash = EventChain.hash(previous: previous, canonicalBytes: draft.canonicalBytes)
            recorded.append(
                RecordedEvent(
                    position: draft.position, id: draft.id, stream: draft.stream, streamVersion: version, type: draft.type, schemaVersion: 1,
                    payloadJSON: draft.payloadJSON, metadata: draft.metadata, recordedAt: draft.recordedAt, previousHash: previous, hash: hash))
            previous = hash
        }
        return recorded
    }
}

/// Tampering behind the log's back on PostgreSQL, where a superuser can insert rows and disable the
/// triggers just as the `sqlite3` tool can drop SQLite's: `verify` finds each, naming what is wrong.
@Suite struct PostgresTamperingTests {
    static let postgres = TestBackend.available.contains(.postgres)

    @Test(.enabled(if: postgres, "no PostgreSQL server configured"))
    func aForgedTailRowAndDisabledTriggersAreCaught() async throws {
        try await withTemporaryLog(on: .postgres) { log, _ in
            let postgres = log as! PostgresEventLog
            let seeds = try CorpusCompiler.compile(
                try SeedCorpusReader.read(folder: packageRoot.appendingPathComponent("seeds").path), recordedBy: "test"
            ).events
            _ = try await log.append(seeds)
            #expect(try await log.verify { _ in }.isValid)
            #expect(try await log.layoutProblems().isEmpty)
            // A forged claim at the tail with a correctly chained hash and a figure against its words.
            let head = try #require(try await log.head())
            var payload = seeds.first { $0.type == "ClaimRecorded" }!.payload.objectValue!
            payload["claim_id"] = "forged-01"
            var figure = payload["figures"]!.arrayValue![0].objectValue!
            figure["low"] = 5000
            figure["high"] = 5000
            payload["figures"] = [.object(figure)]
            let draft = RecordedEvent(
                position: head.position + 1, id: .random(), stream: try StreamName("claim-forged-01"), streamVersion: 1, type: "ClaimRecorded",
                schemaVersion: 1, payloadJSON: CanonicalJSON.string(.object(payload)), metadata: EventMetadata(recordedBy: "insider"),
                recordedAt: RecordTime(microsecondsSinceEpoch: head.recordedAt.microsecondsSinceEpoch + 1), previousHash: head.hash, hash: head.hash)
            let hash = EventChain.hash(previous: head.hash, canonicalBytes: draft.canonicalBytes)
            let schema = postgres.location.schema
            try await postgres.client.query(
                """
                INSERT INTO \(unescaped: schema).events (position, event_id, stream, stream_version, type, schema_version, payload,
                    recorded_at, recorded_by, correlation_id, causation_id, previous_hash, hash)
                VALUES (\(draft.position), \(draft.id.rawValue)::uuid, \(draft.stream.rawValue), 1, 'ClaimRecorded', 1, \(draft.payloadJSON),
                    \(draft.recordedAt.microsecondsSinceEpoch), 'insider', NULL, NULL, \(ByteBuffer(bytes: head.hash.bytes)), \(ByteBuffer(bytes: hash.bytes)))
                """)
            let report = try await log.verify { _ in }
            #expect(report.failure?.position == head.position + 1)
            #expect(report.failure?.description.contains("say exact (low 11, high 11)") == true, "\(String(describing: report.failure))")
            // Triggers disabled and one dropped, as a superuser can.
            try await postgres.client.query("ALTER TABLE \(unescaped: schema).events DISABLE TRIGGER events_refuse_change")
            try await postgres.client.query("DROP TRIGGER events_refuse_truncate ON \(unescaped: schema).events")
            let problems = try await log.layoutProblems()
            #expect(problems.contains { $0.contains("trigger events_refuse_change is disabled") }, "\(problems)")
            #expect(problems.contains { $0.contains("trigger events_refuse_truncate is missing") }, "\(problems)")
            // Reopening the log does not quietly put the guards back: verify keeps seeing what was done.
            let reopened = try await PostgresEventLog.connect(postgres.location)
            #expect(try await reopened.layoutProblems().count == 2)
            await reopened.close()
        }
    }
}
