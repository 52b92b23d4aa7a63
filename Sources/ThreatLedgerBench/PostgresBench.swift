import Foundation
import Logging
import PostgresNIO
import ThreatLedgerCore
import ThreatLedgerPostgres
import ThreatLedgerProjections
import ThreatLedgerStore

extension BenchCommand {
    /// Append (batches of 1000, 100 and 1) and rebuild on PostgreSQL, beside a raw batched `unnest`
    /// insert and a raw scan measured in the same run, then the read side as on SQLite (catch-up per
    /// event kind, stored summaries, replays under random clocks, traces: ``ReadSideBench``). Each
    /// log lives in a schema of its own, dropped afterwards.
    func measurePostgres(events total: Int, url: String) async throws -> [String: Double] {
        var logger = Logger(label: "threatledger.bench")
        logger.logLevel = .error
        var base = try PostgresLocation(url: url)
        base.schema = "bench_\(getpid())"
        var r: [String: Double] = [:]
        var schemas: [String] = []
        func location(_ suffix: String) -> PostgresLocation {
            var location = base
            location.schema = base.schema + suffix
            schemas.append(location.schema)
            return location
        }
        let log = try await PostgresEventLog.connect(location(""), logger: logger)
        await log.setTriesOneStatement(!lockedAppends)
        defer { Task { await log.close() } }
        do {
            let floor = try await PostgresFloor.prepare(client: log.client, schema: base.schema, logger: logger)
            progress("N = \(total) on PostgreSQL \(base.host):\(base.port): appending in batches of 1000 (ThreatLedger and raw unnest insert)")
            let whole = try await AppendTiming.measure(
                total: total, batch: 1_000, seed: 42, ids: ids, progress: progress, floor: { try await floor.insert($0) },
                append: { _ = try await log.append($0) })
            r.merge(whole.figures(batch: 1_000)) { $1 }

            for (batch, sample) in [(1, min(1_000, total)), (100, min(20_000, total))] {
                progress("append in batches of \(batch) (\(sample) events)")
                let small = try await PostgresEventLog.connect(location("_\(batch)"), logger: logger)
                await small.setTriesOneStatement(!lockedAppends)
                let smallFloor = try await PostgresFloor.prepare(client: small.client, schema: small.location.schema, logger: logger)
                let timing = try await AppendTiming.measure(
                    total: sample, batch: batch, seed: 7, ids: ids, progress: progress, floor: { try await smallFloor.insert($0) },
                    append: { _ = try await small.append($0) })
                await small.close()
                r.merge(timing.figures(batch: batch)) { $1 }
            }
            if appendOnly {
                try await dropSchemas(schemas, client: log.client, logger: logger)
                report("ThreatLedger on PostgreSQL, appends, N = \(total) events (\(ids.rawValue) ids)", appendAndRebuildRows(r))
                return r
            }

            progress("raw scan and full rebuild")
            let (scanned, scanSeconds) = try await floor.scan()
            r["floor_scan_rows_per_s"] = Double(scanned) / scanSeconds
            let projector = try await PostgresProjector(log: log, role: "bench")
            let t = ContinuousClock.now
            let record = try await projector.rebuild(.regionSummary)
            r["rebuild_events_per_s"] = Double(record.eventsFolded) / (ContinuousClock.now - t).seconds
            r["rebuild_ratio"] = r["rebuild_events_per_s"]! / r["floor_scan_rows_per_s"]!
            var random = SplitMix64(seed: 99)
            let readSide = ReadSideBench(log: log, projector: projector, progress: progress)
            r.merge(
                try await readSide.measure(
                    total: total, indexGroups: indexGroups, readSamples: readSamples, countrySamples: countrySamples, random: &random)
            ) { $1 }
        } catch {
            try? await dropSchemas(schemas, client: log.client, logger: logger)
            throw error
        }
        try await dropSchemas(schemas, client: log.client, logger: logger)

        report("ThreatLedger on PostgreSQL, N = \(total) events", appendAndRebuildRows(r) + ReadSideBench.rows(r))
        return r
    }

    private func dropSchemas(_ schemas: [String], client: PostgresClient, logger: Logger) async throws {
        for schema in schemas {
            try await client.query("DROP SCHEMA IF EXISTS \(unescaped: schema) CASCADE", logger: logger)
        }
    }
}
