import Foundation
import Testing
import ThreatLedgerCore
import ThreatLedgerStore
import ThreatLedgerTesting

/// Claims taken out of an incident (`IncidentUnlinked`) through the real binary: the summary counts
/// the claim on its own from then on, a replay before keeps the link, `diff` says it in words,
/// `verify` and `verify --projections` pass, and an unlink of a claim the incident no longer holds
/// is refused with nothing appended.
@Suite struct IncidentUnlinkTests {
    func run(_ arguments: [String]) throws -> CommandResult { try runCommand(threatledgerExecutable, arguments) }

    func incidentIDs(_ db: String, _ extra: [String] = []) throws -> [String] {
        let summary = try JSONParser().parse(try run(["summary", "--db", db, "--region", "SY-HA", "--format", "json"] + extra).stdout)
        let region = summary["regions"]?.arrayValue?.first { $0["region"] == "SY-HA" }
        return region?["incident_ids"]?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    @Test func anUnlinkedClaimCountsOnItsOwnFromThenOnAndEveryCheckStillPasses() async throws {
        try await withTemporaryDirectory { directory in
            let db = directory.appendingPathComponent("log.sqlite").path
            #expect(try run(["ingest", packageRoot.appendingPathComponent("seeds").path, "--db", db]).status == 0)
            #expect(try incidentIDs(db) == ["incident:hasakah-prison-assault-2022"])
            let before = try #require(try await SQLiteEventLog(path: db, create: false).head())
            try await Task.sleep(for: .milliseconds(5))

            let unlinked = try run([
                "unlink", "hasakah-prison-assault-2022", "--claim", "9fda8b7b93fb41eb-05", "--reason", "reports an assault months later", "--by", "tester",
                "--db", db,
            ])
            #expect(unlinked.status == 0, "\(unlinked.stderr)")
            #expect(try incidentIDs(db) == ["claim:9fda8b7b93fb41eb-05", "incident:hasakah-prison-assault-2022"])
            #expect(try incidentIDs(db, ["--as-of", before.recordedAt.iso8601]) == ["incident:hasakah-prison-assault-2022"], "a replay before keeps the link")

            let diff = try run(["diff", "--db", db, "--from", before.recordedAt.iso8601, "--to", "now", "--region", "SY-HA"])
            #expect(diff.stdout.contains("claims 9fda8b7b93fb41eb-05 unlinked from incident hasakah-prison-assault-2022 by tester"), "\(diff.stdout)")
            #expect(try run(["verify", "--db", db]).status == 0)
            let projections = try run(["verify", "--projections", "--db", db])
            #expect(projections.status == 0, "\(projections.stdout)\(projections.stderr)")

            // Again: the claim is no longer the incident's. An unknown incident and an unknown claim are refused too.
            let head = try await SQLiteEventLog(path: db, create: false).head()
            let again = try run(["unlink", "hasakah-prison-assault-2022", "--claim", "9fda8b7b93fb41eb-05", "--reason", "again", "--by", "tester", "--db", db])
            #expect(again.status == 1 && again.stderr.contains("claim 9fda8b7b93fb41eb-05 is not one of incident hasakah-prison-assault-2022's claims"))
            let unknown = try run(["unlink", "no-such-incident", "--claim", "9fda8b7b93fb41eb-05", "--reason", "r", "--by", "tester", "--db", db])
            #expect(unknown.status == 1 && unknown.stderr.contains("no incident no-such-incident"))
            let stranger = try run(["unlink", "hasakah-prison-assault-2022", "--claim", "a896289027671bb9-08", "--reason", "r", "--by", "t", "--db", db])
            #expect(stranger.status == 1 && stranger.stderr.contains("payload.claim_ids[0]"), "\(stranger.stderr)")
            #expect(try await SQLiteEventLog(path: db, create: false).head() == head, "nothing appended")

            // A copy re-checks the rule on every event, and an unlink forged past it would be caught by verify.
            let copy = directory.appendingPathComponent("copy.sqlite").path
            #expect(try run(["copy", "--from", db, "--to", copy]).status == 0)
        }
    }
}
