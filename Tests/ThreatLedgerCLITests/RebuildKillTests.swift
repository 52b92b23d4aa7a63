import Foundation
import Testing
import ThreatLedgerCore
import ThreatLedgerProjections
import ThreatLedgerStore
import ThreatLedgerTesting

/// A rebuild killed with SIGKILL at any moment leaves a complete projection serving, and the next
/// rebuild starts cleanly.
@Suite struct RebuildKillTests {
    @Test func sigkillDuringARebuildLeavesTheOldProjectionIntactAndReadable() async throws {
        try await withLogAndProjector { log, projector, path in
            _ = try await log.append(try seedEvents())
            let generated = GeneratedLog.batches(seed: 99, sources: 300, claimsPerSource: 10, batchSize: 500)
            for batch in generated.prefix(generated.count / 2) { _ = try await log.append(batch) }
            let old = try await projector.rebuild(.regionSummary)
            for batch in generated.suffix(from: generated.count / 2) { _ = try await log.append(batch) }
            let head = try #require(try await log.head())

            var environment = ProcessInfo.processInfo.environment
            environment["THREATLEDGER_PROGRESS_SECONDS"] = "0"
            var killedMidFold = 0
            var observed: [SHA256Hash] = []
            var random = GeneratedLog.RandomNumbers(seed: 5)
            for attempt in 0..<6 {
                let errors = Pipe()
                let process = try startThreatledger(
                    ["rebuild", "--projection", "region-summary", "--db", path], standardError: errors, environment: environment)
                if attempt == 0 {
                    // Deterministically mid-fold: right after the first progress line.
                    _ = errors.fileHandleForReading.availableData
                } else {
                    try await Task.sleep(for: .milliseconds(20 + random.below(1_500)))
                }
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                #expect(process.terminationReason == .uncaughtSignal || process.terminationStatus == 0)

                // A fresh reader sees a complete projection: the old one, or the new one if the swap committed.
                let reader = try SQLiteProjector(path: path)
                let status = try await reader.status(.regionSummary)
                let rows = try await reader.rows(.regionSummary)
                #expect(rows["SY"] != nil, "no rows readable after kill \(attempt)")
                if status.position == old.headPosition {
                    #expect(status.digest == old.digest, "old checkpoint with other rows after kill \(attempt)")
                    if process.terminationReason == .uncaughtSignal { killedMidFold += 1 }
                } else {
                    #expect(status.position == head.position, "a checkpoint neither old nor new after kill \(attempt)")
                }
                observed.append(status.digest)
            }
            #expect(killedMidFold >= 1, "no kill landed before the swap")

            // The next rebuild takes over the dead holder's lock, drops its leftover shadow tables and completes.
            let fresh = try await projector.rebuild(.regionSummary)
            #expect(fresh.headPosition == head.position)
            for digest in observed { #expect(digest == old.digest || digest == fresh.digest) }
            #expect(try await projector.status(.regionSummary).digest == fresh.digest)
            #expect(try await projector.rebuilds(projection: "region-summary").last == fresh)
        }
    }
}
