import Foundation
import Testing
import ThreatLedgerCore
import ThreatLedgerStore
import ThreatLedgerTesting

/// Several `threatledger append` processes writing at once, to the same stream and to different
/// streams: conflicts are reported, nothing is lost or duplicated, positions stay gapless and the
/// chain linear. On SQLite (one file, several processes) and on PostgreSQL when a server is set.
@Suite struct ConcurrentWriterTests {
    static let writers = 4
    static let rounds = 4

    func line(_ event: ProposedEvent, expectedVersion: Int? = nil) -> String {
        var object: [String: JSONValue] = [
            "event_id": .string(event.id.rawValue), "stream": .string(event.stream.rawValue), "type": .string(event.type),
            "payload": event.payload, "metadata": ["recorded_by": "concurrency test"],
        ]
        if let expectedVersion { object["expected_version"] = .number(Double(expectedVersion)) }
        return CanonicalJSON.string(.object(object))
    }

    func write(_ events: [(ProposedEvent, Int?)], to path: String) throws {
        try (events.map { line($0.0, expectedVersion: $0.1) }.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Starts `threatledger append FILE --db DB`; its stderr goes to FILE.err.
    func start(_ file: String, db: String) throws -> Process {
        FileManager.default.createFile(atPath: file + ".err", contents: nil)
        return try startThreatledger(["append", file, "--db", db, "--format", "json"], standardError: FileHandle(forWritingAtPath: file + ".err")!)
    }

    /// Waits without blocking a thread of the cooperative pool.
    func finish(_ processes: [Process]) async throws {
        while processes.contains(where: \.isRunning) { try await Task.sleep(for: .milliseconds(20)) }
    }

    @Test(arguments: TestBackend.available)
    func writerProcessesOnSharedAndSeparateStreamsReportConflictsAndLoseOrDuplicateNothing(backend: TestBackend) async throws {
        try await withTemporaryDirectory { directory in
            let db: String
            switch backend {
            case .sqlite: db = directory.appendingPathComponent("log.sqlite").path
            case .postgres:
                let l = TestBackend.postgresLocation(schema: "x")!
                db = "postgres://\(l.user)@\(l.host):\(l.port)/\(l.database)?schema=\(TestBackend.freshSchema())"
            }
            // A claim that every contender will try to retract, each expecting it at version 1.
            let seedFile = directory.appendingPathComponent("seed.jsonl").path
            try write(
                [(EventFixtures.sourceRegistered(id: "shared"), nil), (EventFixtures.claimRecorded(id: "shared-claim", sourceID: "shared"), nil)], to: seedFile)
            let seed = try runCommand(threatledgerExecutable, ["append", seedFile, "--db", db])
            try #require(seed.status == 0, "seeding failed: \(seed.stderr)")

            var expected: Set<EventID> = []  // every event that must be in the log exactly once
            var contenderIDs: [EventID] = []
            var contenders: [(Process, String)] = []
            for round in 0..<Self.rounds {
                var processes: [(Process, String)] = []
                for writer in 0..<Self.writers {
                    // Separate streams: a new source and two claims of its own, every round.
                    let source = "w\(writer)-r\(round)"
                    let events = [
                        EventFixtures.sourceRegistered(id: source),
                        EventFixtures.claimRecorded(id: source + "-a", sourceID: source),
                        EventFixtures.claimRecorded(id: source + "-b", sourceID: source),
                    ]
                    let file = directory.appendingPathComponent("\(source).jsonl").path
                    try write(events.map { ($0, nil) }, to: file)
                    expected.formUnion(events.map(\.id))
                    processes.append((try start(file, db: db), file))
                    if round == 0 {
                        // The same stream: one retraction per writer, all expecting version 1.
                        let retraction = EventFixtures.claimRetracted(id: "shared-claim", reason: "contender \(writer)")
                        contenderIDs.append(retraction.id)
                        let contenderFile = directory.appendingPathComponent("contender-\(writer).jsonl").path
                        try write([(retraction, 1)], to: contenderFile)
                        contenders.append((try start(contenderFile, db: db), contenderFile))
                    }
                }
                try await finish(processes.map(\.0) + contenders.map(\.0))
                for (process, file) in processes {
                    let stderr = (try? String(contentsOfFile: file + ".err", encoding: .utf8)) ?? ""
                    #expect(process.terminationStatus == 0, "\(file): \(stderr)")
                }
            }

            // Exactly one contender wins; every other is told of the conflict and appends nothing.
            let winners = contenders.filter { $0.0.terminationStatus == 0 }
            #expect(winners.count == 1)
            for (process, file) in contenders where process.terminationStatus != 0 {
                let stderr = try String(contentsOfFile: file + ".err", encoding: .utf8)
                #expect(stderr.contains("expected version conflict on stream claim-shared-claim"), "\(stderr)")
                #expect(stderr.contains("is at version 2"), "\(stderr)")
            }

            let (log, close) = try await openLog(db)
            let report = try await log.verify { _ in }
            #expect(report.isValid, "\(String(describing: report.failure))")
            var positions: [Int64] = []
            var seen: [EventID: Int] = [:]
            for try await page in log.pages() {
                for event in page {
                    positions.append(event.position)
                    seen[event.id, default: 0] += 1
                }
            }
            // Gapless, in order, no duplicates; everything acknowledged is there; one retraction only.
            #expect(positions == Array(1...Int64(positions.count)))
            #expect(seen.values.allSatisfy { $0 == 1 })
            #expect(expected.isSubset(of: Set(seen.keys)))
            #expect(contenderIDs.filter { seen[$0] != nil }.count == 1)
            #expect(positions.count == 2 + expected.count + 1)
            let claimStream = try await log.readWholeStream(try StreamName.entity("claim", "shared-claim"))
            #expect(claimStream.map(\.streamVersion) == [1, 2])
            await close()
        }
    }
}
