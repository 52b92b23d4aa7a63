import Foundation
import Testing
import ThreatLedgerCore
import ThreatLedgerStore
import ThreatLedgerTesting

/// Processes killed with SIGKILL at random moments lose nothing acknowledged and leave nothing partial.
@Suite struct CrashTests {
    /// One append file of `count` new sources; returns its path and its event ids.
    func batchFile(_ index: Int, count: Int, in directory: URL) throws -> (String, [EventID]) {
        var lines: [String] = []
        var ids: [EventID] = []
        for i in 0..<count {
            let event = EventFixtures.sourceRegistered(id: "crash-\(index)-\(i)", text: "نص المقال \(index) \(i) " + String(repeating: "ـ", count: 2_000))
            ids.append(event.id)
            lines.append(
                CanonicalJSON.string([
                    "event_id": .string(event.id.rawValue), "stream": .string(event.stream.rawValue), "type": .string(event.type),
                    "payload": event.payload, "metadata": ["recorded_by": "crash test"],
                ]))
        }
        let path = directory.appendingPathComponent("batch-\(index).jsonl").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return (path, ids)
    }

    @Test func appendsKilledAtRandomMomentsLoseNothingAcknowledgedAndLeaveNoPartialBatch() async throws {
        try await withTemporaryDirectory { directory in
            let db = directory.appendingPathComponent("log.sqlite").path
            var random = GeneratedLog.RandomNumbers(seed: 2_026)
            var acknowledged: [[EventID]] = []
            var all: [[EventID]] = []
            var killed = 0
            // Calibrate: one append run to completion says how long an append takes on this machine
            // and build, so the kills below land within that time however fast appends become.
            let (calibrationFile, calibrationIDs) = try batchFile(99, count: 200, in: directory)
            let started = ContinuousClock.now
            let calibration = try runCommand(threatledgerExecutable, ["append", calibrationFile, "--db", db])
            try #require(calibration.status == 0, "\(calibration.stderr)")
            var window = max(2, Int((ContinuousClock.now - started) / .milliseconds(1)) * 9 / 10)
            acknowledged.append(calibrationIDs)
            all.append(calibrationIDs)
            // At least 12 attempts; more (up to 40) while fewer than 2 kills have landed, aiming
            // earlier each time an append finished before its kill (load on the machine changes how
            // long an append takes between the calibration and the attempt).
            var attempt = 0
            while attempt < 12 || (killed < 2 && attempt < 40) {
                defer { attempt += 1 }
                let (file, ids) = try batchFile(attempt, count: 200, in: directory)
                all.append(ids)
                let process = try startThreatledger(["append", file, "--db", db])
                try await Task.sleep(for: .milliseconds(random.below(window)))
                // Every third append runs to completion, so some batches are always acknowledged.
                if attempt % 3 != 2 {
                    if process.isRunning {
                        kill(process.processIdentifier, SIGKILL)
                        killed += 1
                    } else {
                        window = max(1, window / 2)
                    }
                }
                process.waitUntilExit()
                if process.terminationReason == .exit && process.terminationStatus == 0 { acknowledged.append(ids) }

                // After every kill: the log opens and verifies; acknowledged batches are whole; none is partial.
                let log = try SQLiteEventLog(path: db)
                let report = try await log.verify { _ in }
                #expect(report.isValid, "after attempt \(attempt): \(String(describing: report.failure))")
                for batch in acknowledged {
                    for id in batch { #expect(try await log.event(id: id) != nil, "an acknowledged event is missing") }
                }
                for batch in all {
                    var present = 0
                    for id in batch where try await log.event(id: id) != nil { present += 1 }
                    #expect(present == 0 || present == batch.count, "a batch is partly in the log (\(present) of \(batch.count))")
                }
            }
            #expect(killed >= 2, "too few kills landed mid-append to test anything (\(killed))")
            #expect(!acknowledged.isEmpty)
        }
    }

    @Test func anIngestKilledAtRandomMomentsIsAllOrNothing() async throws {
        try await withTemporaryDirectory { directory in
            let seeds = packageRoot.appendingPathComponent("seeds").path
            var random = GeneratedLog.RandomNumbers(seed: 7)
            for attempt in 0..<6 {
                let db = directory.appendingPathComponent("log-\(attempt).sqlite").path
                let process = try startThreatledger(["ingest", seeds, "--db", db])
                try await Task.sleep(for: .milliseconds(50 + random.below(900)))
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                process.waitUntilExit()
                let log = try SQLiteEventLog(path: db)
                #expect(try await log.verify { _ in }.isValid)
                let count = try await log.statistics().eventCount
                #expect(count == 0 || count == 100, "a killed ingest left \(count) of 100 events")
                if process.terminationReason == .exit && process.terminationStatus == 0 { #expect(count == 100) }
                // And the next ingest completes the job.
                #expect(try runCommand(threatledgerExecutable, ["ingest", seeds, "--db", db]).status == 0)
                #expect(try await SQLiteEventLog(path: db).statistics().eventCount == 100)
            }
        }
    }
}
