import Foundation
import PostgresNIO
import Testing
import ThreatLedgerCore
import ThreatLedgerPostgres
import ThreatLedgerProjections
import ThreatLedgerStore
import ThreatLedgerTesting

/// On PostgreSQL: a rebuild lock held by a live but stuck session is taken over with a reason (the
/// holder's session ended, the take-over recorded), and events removed from the tail (a superuser
/// with the triggers disabled) are caught by the projections' witnesses. (Issue 14.)
@Suite struct PostgresLeaseAndTailTests {
    static let postgres = TestBackend.available.contains(.postgres)

    @Test(.enabled(if: postgres, "no PostgreSQL server configured"))
    func aStuckHolderIsTakenOverWithAReasonAndTheTailIsWitnessed() async throws {
        let location = TestBackend.postgresLocation(schema: TestBackend.freshSchema())!
        let log = try await PostgresEventLog.connect(location)
        let stuck = try await PostgresEventLog.connect(location)
        do {
            _ = try await log.append(try seedEvents())
            let projector = try await PostgresProjector(log: log, role: "operator")
            let schema = location.schema
            // A "stuck" holder: its session holds the advisory lock and a fresh lease, and never ends by itself.
            let key = "threatledger.rebuild.\(schema).region-summary"
            let (held, heldContinuation) = AsyncStream.makeStream(of: Void.self)
            let holder = Task {
                try await stuck.client.withConnection { connection in
                    _ = try await connection.query("SELECT pg_advisory_lock(hashtextextended(\(key), 0))", logger: Logger(label: "t"))
                    let now = Int64(Date().timeIntervalSince1970 * 1_000_000)
                    _ = try await connection.query(
                        "INSERT INTO \(unescaped: schema).projection_leases (projection, holder, since, renewed_at, backend_pid) VALUES ('region-summary', 'stuck rebuild', \(now), \(now), pg_backend_pid())",
                        logger: Logger(label: "t"))
                    heldContinuation.yield()
                    while !Task.isCancelled { _ = try await connection.query("SELECT pg_sleep(0.05)", logger: Logger(label: "t")) }
                }
            }
            var iterator = held.makeAsyncIterator()
            _ = await iterator.next()
            await #expect {
                _ = try await projector.rebuild(.regionSummary)
            } throws: { error in
                "\(error)".contains("held by stuck rebuild")
            }
            let record = try await projector.rebuild(.regionSummary, takeOver: "the holder hangs", progress: { _, _ in })
            #expect(record.eventsFolded == 100)
            let takeOvers = try await projector.takeOvers(projection: "region-summary")
            #expect(takeOvers.map(\.previousHolder) == ["stuck rebuild"] && takeOvers.first?.reason == "taken over: the holder hangs")
            // The holder's session was terminated; its task ends with that error or on cancellation.
            // Not awaited: closing its client below ends whatever it still waits on.
            holder.cancel()

            // Events removed from the tail with the trigger disabled: the checkpoint and the rebuild
            // record still name position 100.
            #expect(try await TailWitnesses.contradiction(log: log, projector: projector) == nil)
            try await log.client.query("ALTER TABLE \(unescaped: schema).events DISABLE TRIGGER events_refuse_change")
            try await log.client.query("DELETE FROM \(unescaped: schema).events WHERE position > 90")
            let contradiction = try await TailWitnesses.contradiction(log: log, projector: projector)
            #expect(
                contradiction?.contains("the log ends at position 90") == true && contradiction?.contains("first missing position 91") == true,
                "\(String(describing: contradiction))")
            #expect(try await log.verify { _ in }.isValid, "the chain alone still verifies: only the witnesses see the loss")
        } catch {
            Issue.record(error)
        }
        _ = try? await log.client.query("DROP SCHEMA IF EXISTS \(unescaped: location.schema) CASCADE")
        await stuck.close()
        await log.close()
    }
}
