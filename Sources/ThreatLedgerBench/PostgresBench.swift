import Foundation
import Logging
import PostgresNIO
import ThreatLedgerCore
import ThreatLedgerPostgres
import ThreatLedgerProjections
import ThreatLedgerStore

extension BenchCommand {
    /// Append (batches of 1000, 100 and 1) and rebuild on PostgreSQL, beside a raw batched `unnest`
    /// insert and a raw scan measured in the same run. Each log lives in a schema of its own, dropped
    /// afterwards. Replay and trace fold the same picture as on SQLite, so they are measured there.
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
        defer { Task { await log.close() } }
        do {
            let floor = try await PostgresFloor.prepare(client: log.client, schema: base.schema, logger: logger)
            progress("N = \(total) on PostgreSQL \(base.host):\(base.port): appending in batches of 1000 (ThreatLedger and raw unnest insert)")
            var generator = SyntheticLog(seed: 42)
            var appended = 0, appendSeconds = 0.0, floorSeconds = 0.0
            let started = ContinuousClock.now
            while appended < total {
                let chunk = generator.next(min(1_000, total - appended))
                floorSeconds += try await floor.insert(RawSQLiteFloor.rows(from: chunk, startingAt: Int64(appended + 1)))
                let t = ContinuousClock.now
                _ = try await log.append(chunk)
                appendSeconds += (ContinuousClock.now - t).seconds
                appended += chunk.count
                if appended % 50_000 < chunk.count {
                    progress("  \(appended)/\(total) appended, \(Int(Double(appended) / appendSeconds)) events/s, elapsed \(Int((ContinuousClock.now - started).seconds))s")
                }
            }
            r["floor_insert_rows_per_s"] = Double(appended) / floorSeconds
            r["append_1000_events_per_s"] = Double(appended) / appendSeconds
            r["append_1000_ratio"] = r["append_1000_events_per_s"]! / r["floor_insert_rows_per_s"]!

            for (batch, sample) in [(1, min(1_000, total)), (100, min(20_000, total))] {
                progress("append in batches of \(batch) (\(sample) events)")
                let small = try await PostgresEventLog.connect(location("_\(batch)"), logger: logger)
                let smallFloor = try await PostgresFloor.prepare(client: small.client, schema: small.location.schema, logger: logger)
                var generator = SyntheticLog(seed: 7)
                var done = 0, seconds = 0.0, rawSeconds = 0.0
                while done < sample {
                    let source = generator.nextSource()
                    for start in stride(from: 0, to: source.count, by: batch) {
                        let chunk = Array(source[start..<min(start + batch, source.count)])
                        rawSeconds += try await smallFloor.insert(RawSQLiteFloor.rows(from: chunk, startingAt: Int64(done + 1)))
                        let t = ContinuousClock.now
                        _ = try await small.append(chunk)
                        seconds += (ContinuousClock.now - t).seconds
                        done += chunk.count
                    }
                }
                await small.close()
                r["append_\(batch)_events_per_s"] = Double(done) / seconds
                r["floor_insert_\(batch)_rows_per_s"] = Double(done) / rawSeconds
                r["append_\(batch)_ratio"] = (Double(done) / seconds) / (Double(done) / rawSeconds)
            }

            progress("raw scan and full rebuild")
            let (scanned, scanSeconds) = try await floor.scan()
            r["floor_scan_rows_per_s"] = Double(scanned) / scanSeconds
            let projector = try await PostgresProjector(log: log, role: "bench")
            let t = ContinuousClock.now
            let record = try await projector.rebuild(.regionSummary)
            r["rebuild_events_per_s"] = Double(record.eventsFolded) / (ContinuousClock.now - t).seconds
            r["rebuild_ratio"] = r["rebuild_events_per_s"]! / r["floor_scan_rows_per_s"]!
        } catch {
            try? await dropSchemas(schemas, client: log.client, logger: logger)
            throw error
        }
        try await dropSchemas(schemas, client: log.client, logger: logger)

        report("ThreatLedger on PostgreSQL, N = \(total) events", [
            ("append, batches of 1000", String(format: "%9.0f events/s   floor %9.0f rows/s   ratio %.2f", r["append_1000_events_per_s"]!, r["floor_insert_rows_per_s"]!, r["append_1000_ratio"]!)),
            ("append, batches of 100", String(format: "%9.0f events/s   floor %9.0f rows/s   ratio %.2f", r["append_100_events_per_s"]!, r["floor_insert_100_rows_per_s"]!, r["append_100_ratio"]!)),
            ("append, batches of 1", String(format: "%9.0f events/s   floor %9.0f rows/s   ratio %.2f", r["append_1_events_per_s"]!, r["floor_insert_1_rows_per_s"]!, r["append_1_ratio"]!)),
            ("full rebuild", String(format: "%9.0f events/s   floor %9.0f rows/s   ratio %.2f", r["rebuild_events_per_s"]!, r["floor_scan_rows_per_s"]!, r["rebuild_ratio"]!)),
        ])
        return r
    }

    private func dropSchemas(_ schemas: [String], client: PostgresClient, logger: Logger) async throws {
        for schema in schemas {
            try await client.query("DROP SCHEMA IF EXISTS \(unescaped: schema) CASCADE", logger: logger)
        }
    }
}
