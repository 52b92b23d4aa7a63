import ArgumentParser
import Foundation
import ThreatLedgerAudit
import ThreatLedgerCore
import ThreatLedgerProjections
import ThreatLedgerStore

/// `threatledger-bench`: append, catch-up, rebuild, replay and trace, side by side with the raw SQLite floor.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "threatledger-bench",
        abstract: "Measure ThreatLedger on a generated log, beside raw SQLite measured in the same run.",
        discussion: """
            Build and run in release mode: swift run -c release threatledger-bench [--events N] [--json FILE]. \
            Prints a table and progress; writes every figure to JSON with its ratio to the floor (keys ending in _ratio). \
            --scale-check also measures at N/10 and prints how append and rebuild cost grow with N.
            """
    )

    @Option(name: .long, help: "Events in the generated log.")
    var events: Int = 1_000_000

    @Option(name: .long, help: "Backend: sqlite, or postgres (append and rebuild beside a raw unnest insert; needs --db or POSTGRES_* variables).")
    var backend: String = "sqlite"

    @Option(
        name: .long,
        help: ArgumentHelp(
            "PostgreSQL URL for --backend postgres (postgres://user@host:port/db); default from POSTGRES_HOSTNAME, POSTGRES_PORT, POSTGRES_USER, POSTGRES_DB.",
            valueName: "url"))
    var db: String?

    @Option(
        name: .long, help: ArgumentHelp("Write --events generated events as append JSONL to this file and stop (the peer workload's input).", valueName: "file")
    )
    var exportEvents: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Append this JSONL file in batches of 1000 to --db (a SQLite path or a postgres:// URL), read the log back whole, print the figures as JSON, and stop.",
            valueName: "file"))
    var peerWorkload: String?

    @Flag(name: .long, help: "With --peer-workload: prepare each batch only when the previous one is appended, instead of while it is being appended.")
    var sequential = false

    @Option(name: .long, help: ArgumentHelp("Write the results as JSON to this file.", valueName: "file"))
    var json: String?

    @Option(name: .long, help: "Folder for the benchmark's databases (removed afterwards).")
    var directory: String = NSTemporaryDirectory()

    @Option(name: .long, help: "Samples for the whole-log fold (the test oracle, no longer a read path on SQLite).")
    var replaySamples: Int = 3

    @Option(name: .long, help: "Samples for a division's replay and trace on the read index.")
    var readSamples: Int = 300

    @Option(name: .long, help: "Samples for a country's (SY) replay and full trace on the read index.")
    var countrySamples: Int = 5

    @Option(name: .long, help: "Sources appended event by event to time the read index's catch-up per event type.")
    var indexGroups: Int = 200

    @Option(name: .long, help: ArgumentHelp(visibility: .hidden))
    var indexRebuildOnly: String?

    @Option(name: .long, help: "Samples for trace latency.")
    var latencySamples: Int = 200

    @Option(name: .long, help: "Samples for the projections' catch-up after one SourceRegistered.")
    var catchupSamples: Int = 3

    @Option(name: .long, help: ArgumentHelp("Internal: verify this log and print time and peak memory.", visibility: .hidden))
    var verifyOnly: String?

    @Flag(name: .long, help: "Also measure append and rebuild at N/10 and print the growth ratio.")
    var scaleCheck = false
    @Flag(
        name: .long,
        help:
            "Only the appends (batches of 1000, 100 and 1, each beside its floor) and, with --scale-check, their growth; no rebuild, verify or reads."
    )
    var appendOnly = false
    @Flag(
        name: .long,
        help:
            "SQLite: only the appends in batches of 1000 (which make the log) and then the full rebuilds (region summary, read index), each in a child process with one worker and with every worker, beside the raw scan; with --scale-check, their growth."
    )
    var rebuildsOnly = false
    @Flag(
        name: .long,
        help:
            "SQLite appends: prepare each batch whole and then write it (prepare, then append), as before batches were written while their later pieces were prepared; for comparison."
    )
    var prepareWhole = false
    @Flag(
        name: .long,
        help:
            "PostgreSQL appends: always take the three round trips under the append lock, never one statement from what earlier appends learned; for comparison."
    )
    var lockedAppends = false
    @Flag(
        name: .long,
        help: "Also start the real server (threatledger serve) on the N-event log and on the seed log, and drive it over HTTP (see --http-clients).")
    var http = false
    @Flag(name: .long, help: "Only the --http measurements: generate the N-event log without timing it, then drive the server.")
    var httpOnly = false
    @Option(name: .long, help: "Concurrent keep-alive clients reading during --http (one more appends every 10 ms).")
    var httpClients: Int = 64
    @Option(name: .long, help: "Milliseconds between the --http writer's appends (0: no writer).")
    var httpAppendEveryMs: Int = 10
    @Option(name: .long, help: "Requests the --http readers send in all, per log.")
    var httpRequests: Int = 20_000
    @Option(name: .long, help: ArgumentHelp("The coded seed corpus for --http's seed-log round.", valueName: "folder"))
    var seeds: String = "seeds"

    @Option(name: .long, help: ArgumentHelp(visibility: .hidden))
    var rebuildOnly: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Time a page of each listing (claims with each filter, sources, events) at random cursors on this existing SQLite log, beside a page of 100 events read by position, and stop.",
            valueName: "log.sqlite"))
    var listings: String?

    @Option(name: .long, help: "Samples per listing for --listings.")
    var listingSamples: Int = 200

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Time the append path's pure stages (parse, validate, encode, evidence, hash) one by one over this JSONL file, print µs per event as JSON, and stop.",
            valueName: "file"))
    var stageProfile: String?

    @Flag(
        name: .long,
        help:
            "Insert --events generated rows into the raw floor and into tables with the log's unique indexes, the event id as text, as a 16-byte blob and as time-ordered text, in turn; print rows/s and µs per row for each as JSON, and stop."
    )
    var idCost = false

    @Option(name: .long, help: "Rows per transaction for --id-cost.")
    var idCostBatch: Int = 1_000

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Ids of the appended events: derived (name-based, as imports make them; scattered over the id index) or minted (time-ordered, as the log makes them).",
            valueName: "derived|minted"))
    var ids: SyntheticLog.IDs = .derived

    func validate() throws {
        if events < 1_000 { throw ValidationError("--events must be at least 1000") }
        if backend != "sqlite" && backend != "postgres" { throw ValidationError("--backend \(backend): use sqlite or postgres") }
        if backend == "postgres" && postgresURL == nil {
            throw ValidationError(
                "--backend postgres needs --db postgres://… or the POSTGRES_HOSTNAME variable (scripts/postgres-test-cluster.sh start prints them)")
        }
        if peerWorkload != nil && db == nil { throw ValidationError("--peer-workload needs --db (a SQLite path or a postgres:// URL)") }
        // A flag that would be ignored is refused, so no figure is read as measuring what it did not.
        if backend == "postgres" && rebuildsOnly { throw ValidationError("--rebuilds-only measures SQLite only; leave out --backend postgres") }
        if backend == "postgres" && prepareWhole { throw ValidationError("--prepare-whole measures SQLite appends only; leave out --backend postgres") }
        if backend == "sqlite" && lockedAppends { throw ValidationError("--locked-appends measures PostgreSQL appends only; add --backend postgres") }
        if rebuildsOnly && appendOnly { throw ValidationError("--rebuilds-only and --append-only each measure one part; give one of them") }
    }

    /// The PostgreSQL URL: --db, or one made from the POSTGRES_* variables the test scripts print.
    var postgresURL: String? {
        if let db { return db }
        let environment = ProcessInfo.processInfo.environment
        guard let host = environment["POSTGRES_HOSTNAME"], !host.isEmpty else { return nil }
        let user = environment["POSTGRES_USER"] ?? "postgres"
        let password = environment["POSTGRES_PASSWORD"].flatMap { $0.isEmpty ? nil : ":" + $0 } ?? ""
        return "postgres://\(user)\(password)@\(host):\(environment["POSTGRES_PORT"] ?? "5432")/\(environment["POSTGRES_DB"] ?? "postgres")"
    }

    func run() async throws {
        if let stageProfile {
            print(CanonicalJSON.string(try StageProfile.run(file: stageProfile)))
            return
        }
        if idCost {
            print(
                CanonicalJSON.string(try IDCost.run(events: events, batch: max(idCostBatch, 1), directory: URL(fileURLWithPath: directory), progress: progress))
            )
            return
        }
        if let exportEvents {
            let bytes = try PeerWorkload.export(events: events, ids: ids, to: exportEvents)
            progress("wrote \(events) events (\(bytes / 1_048_576) MiB) to \(exportEvents)")
            return
        }
        if let peerWorkload, let db {
            print(CanonicalJSON.string(try await PeerWorkload.run(file: peerWorkload, location: db, pipelined: !sequential, progress: progress)))
            return
        }
        if backend == "postgres", let url = postgresURL {
            var results = try await measurePostgres(events: events, url: url)
            if scaleCheck { addGrowth(to: &results, from: try await measurePostgres(events: events / 10, url: url)) }
            try writeJSON(results, backend: "postgres")
            return
        }
        if let rebuildOnly {
            // Child process: rebuild one log (the read index from the log, then every place from it,
            // whether or not an index stands already) and report time and peak memory of this process alone.
            let projector = try SQLiteProjector(path: rebuildOnly, role: "bench")
            let start = ContinuousClock.now
            _ = try await projector.rebuildIndex(progress: { _, _ in })
            let record = try await projector.rebuild(.regionSummary)
            Self.reportChild(seconds: (ContinuousClock.now - start).seconds, events: record.eventsFolded)
            return
        }
        if let listings {
            let log = try SQLiteEventLog(path: listings, create: false)
            let projector = try SQLiteProjector(path: listings, role: "bench")
            var random = SplitMix64(seed: 19)
            let r = try await ListingBench(log: log, projector: projector) { progress($0) }.measure(samples: listingSamples, random: &random)
            report("Listings, a page of 100 at N = \(Int(r["log_events"] ?? 0)) events (SQLite, index as it stands)", ListingBench.rows(r))
            try writeJSON(r, backend: "sqlite")
            return
        }
        if let indexRebuildOnly {
            // Child process: rebuild the read index of one log and report time and peak memory.
            let projector = try SQLiteProjector(path: indexRebuildOnly, role: "bench")
            let start = ContinuousClock.now
            let record = try await projector.rebuildIndex(progress: { _, _ in })
            Self.reportChild(seconds: (ContinuousClock.now - start).seconds, events: record.eventsFolded)
            return
        }
        if let verifyOnly {
            // Child process: verify one log (chain and every rule) and report time and peak memory.
            let log = try SQLiteEventLog(path: verifyOnly, create: false)
            let start = ContinuousClock.now
            let report = try await log.verify { _ in }
            guard report.isValid else { throw ValidationError("the generated log does not verify: \(report.failure!)") }
            Self.reportChild(seconds: (ContinuousClock.now - start).seconds, events: report.eventsChecked)
            return
        }
        let root = URL(fileURLWithPath: directory).appendingPathComponent("threatledger-bench-\(getpid())")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        var results: [String: Double] = [:]
        if httpOnly {
            try await generate(events: events, at: root.appendingPathComponent("log.sqlite").path)
        } else {
            results = try await measure(events: events, root: root)
            if scaleCheck { addGrowth(to: &results, from: try await measure(events: events / 10, root: root.appendingPathComponent("small"))) }
        }
        if http || httpOnly { results.merge(try await measureHTTP(root: root)) { $1 } }
        try writeJSON(results, backend: "sqlite")
    }

    /// The generated N-event log, appended in batches of 1,000 without timing (for `--http-only`).
    func generate(events total: Int, at path: String) async throws {
        progress("N = \(total): generating the log")
        let log = try SQLiteEventLog(path: path)
        var generator = SyntheticLog(seed: 42, events: total)
        var pending: [ProposedEvent] = []
        var appended = 0
        while appended + pending.count < total {
            pending += generator.nextSource()
            while pending.count >= 1_000 {
                _ = try await log.append(Array(pending.prefix(1_000)))
                pending.removeFirst(1_000)
                appended += 1_000
                if appended % 100_000 == 0 { progress("  \(appended) events") }
            }
        }
        if !pending.isEmpty { _ = try await log.append(pending) }
    }

    /// `--http`: the server on the N-event log, then on the seed log; printed and returned.
    func measureHTTP(root: URL) async throws -> [String: Double] {
        let bench = HTTPBench(clients: httpClients, requests: httpRequests, appendEvery: httpAppendEveryMs, progress: progress)
        var r = try await bench.measure(logPath: root.appendingPathComponent("log.sqlite").path, label: "http", events: events)
        let seedPath = root.appendingPathComponent("seed.sqlite").path
        try HTTPBench.seedLog(seeds: seeds, at: seedPath)
        r.merge(try await bench.measure(logPath: seedPath, label: "http_seed", events: 1_000)) { $1 }
        report(
            "The HTTP read path: threatledger serve on loopback, GET /v1/summary and /v1/trace of random divisions",
            HTTPBench.rows(r, label: "http", title: "N = \(events) events") + HTTPViews.rows(r, label: "http")
                + HTTPBench.rows(r, label: "http_seed", title: "the seed log (100 events)") + HTTPViews.rows(r, label: "http_seed"))
        return r
    }

    /// What a child process (`--rebuild-only`, `--verify-only`) prints: its time, the events it went
    /// through, and its own peak resident memory. VmHWM, not getrusage's ru_maxrss: on Linux
    /// ru_maxrss survives exec, so a child forked from a parent holding much memory would report the
    /// parent's peak as its own.
    static func reportChild(seconds: Double, events: Int64) {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let peak =
            status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }
            .flatMap { Double($0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") } ?? 0
        print(CanonicalJSON.string(["seconds": .number(seconds), "events": .number(Double(events)), "max_rss_kb": .number(peak)]))
    }

    /// Runs this benchmark again as a child process with `arguments` (and `workers` as
    /// `THREATLEDGER_WORKERS` when given) and reads what it reports.
    static func runChild(_ arguments: [String], workers: Int? = nil) throws -> (eventsPerSecond: Double, peakMB: Double) {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        child.arguments = arguments
        if let workers {
            var environment = ProcessInfo.processInfo.environment
            environment["THREATLEDGER_WORKERS"] = String(workers)
            child.environment = environment
        }
        let pipe = Pipe()
        child.standardOutput = pipe
        try child.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        child.waitUntilExit()
        guard child.terminationStatus == 0 else { throw ValidationError("the child \(arguments.joined(separator: " ")) failed") }
        let report = try JSONParser().parse(Array(output))
        return (report["events"]!.numberValue! / report["seconds"]!.numberValue!, report["max_rss_kb"]!.numberValue! / 1024)
    }

    /// How cost per event grew from the N/10 run (`small`) to the N run: printed, and added to `results`.
    func addGrowth(to results: inout [String: Double], from small: [String: Double]) {
        results["scale_append_cost_per_event_ratio"] = small["append_1000_events_per_s"]! / results["append_1000_events_per_s"]!
        var rows = [("append, batches of 1000", String(format: "%.2f×", results["scale_append_cost_per_event_ratio"]!))]
        if let small = small["rebuild_events_per_s"], let large = results["rebuild_events_per_s"] {
            results["scale_rebuild_cost_per_event_ratio"] = small / large
            rows.append(("rebuild", String(format: "%.2f×", small / large)))
        }
        report("", [])
        report("growth from N/10 to N (cost per event; 1.0 is linear)", rows)
    }

    /// The table rows every backend prints: append in batches of 1000, 100 and 1, and the rebuild,
    /// each beside its floor and ratio.
    func appendAndRebuildRows(_ r: [String: Double], rebuildExtra: String = "") -> [(String, String)] {
        func row(_ value: String, _ floor: String, _ ratio: String) -> String {
            String(format: "%9.0f events/s   floor %9.0f rows/s   ratio %.2f", r[value]!, r[floor]!, r[ratio]!)
        }
        let appends =
            [
                ("append, batches of 1000", row("append_1000_events_per_s", "floor_insert_rows_per_s", "append_1000_ratio")),
                ("append, batches of 100", row("append_100_events_per_s", "floor_insert_100_rows_per_s", "append_100_ratio")),
                ("append, batches of 1", row("append_1_events_per_s", "floor_insert_1_rows_per_s", "append_1_ratio")),
            ]
            + AppendTiming.SingleKind.allCases.compactMap { kind in
                guard let rate = r["append_1_\(kind.rawValue)_events_per_s"], let count = r["append_1_\(kind.rawValue)_events"] else { return nil }
                let name = kind == .claimRecorded ? "  of which ClaimRecorded" : "  of which corrections and retractions"
                return (name, String(format: "%9.0f events/s   (%.0f events)", rate, count))
            }
        guard r["rebuild_events_per_s"] != nil else { return appends }  // --append-only
        return appends + [("full rebuild", row("rebuild_events_per_s", "floor_scan_rows_per_s", "rebuild_ratio") + rebuildExtra)]
    }

    /// Writes the figures, the machine and the run's size to --json, when given.
    func writeJSON(_ results: [String: Double], backend: String) throws {
        var machine = utsname()
        uname(&machine)
        // Four significant digits, not three decimals: a small ratio (a rebuild of a tiny log
        // against a fast scan, 0.0004) must not print as 0.
        var json = results.mapValues { JSONValue.number(Double(String(format: "%.4g", $0)) ?? $0) }
        json["backend"] = .string(backend)
        json["events"] = .number(Double(events))
        json["ids"] = .string(ids.rawValue)
        json["preparation"] = .string(prepareWhole ? "whole" : "staged")
        if backend == "postgres" { json["postgres_appends"] = .string(lockedAppends ? "locked" : "one statement first") }
        json["cores"] = .number(Double(ProcessInfo.processInfo.activeProcessorCount))
        json["memory_gib"] = .number((Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824 * 10).rounded() / 10)
        json["machine"] = .string(withUnsafeBytes(of: &machine.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) })
        if let path = self.json {
            try Data(CanonicalJSON.bytes(.object(json))).write(to: URL(fileURLWithPath: path))
            progress("wrote \(path)")
        }
    }

    func progress(_ line: String) {
        FileHandle.standardError.write(Data(("bench: " + line + "\n").utf8))
    }

    func report(_ title: String, _ rows: [(String, String)]) {
        if !title.isEmpty { print(title) }
        let width = rows.map(\.0.count).max() ?? 0
        for (name, value) in rows { print("  " + name + String(repeating: " ", count: width - name.count) + "  " + value) }
    }

    /// One timed append: as a client's (``SQLiteEventLog/append(_:)-([ProposedEvent])``), or with
    /// `--prepare-whole` prepared whole first, the preparation's time added to `preparing`.
    func append(_ events: [ProposedEvent], to log: SQLiteEventLog, preparing: Stopwatch? = nil) async throws {
        guard prepareWhole else {
            _ = try await log.append(events)
            return
        }
        let start = ContinuousClock.now
        let prepared = try await log.prepare(events)
        preparing?.add(ContinuousClock.now - start)
        _ = try await log.append(prepared)
    }

    /// `--rebuilds-only`: the raw scan, then each full rebuild in a child process with one worker
    /// (`THREATLEDGER_WORKERS=1`: every step on the rebuild's own thread) and with every worker.
    func measureRebuilds(log logPath: String, floor: RawSQLiteFloor.Database, into figures: [String: Double]) throws -> [String: Double] {
        var r = figures
        progress("raw scan and full rebuilds, with one worker and with \(Workers.count)")
        let (scanned, scanSeconds) = floor.scan()
        r["floor_scan_rows_per_s"] = Double(scanned) / scanSeconds
        var rows: [(String, String)] = [("raw scan", String(format: "%9.0f rows/s", r["floor_scan_rows_per_s"]!))]
        for (suffix, workers) in [("_one_worker", 1), ("", Workers.count)] {
            for (key, flag, name) in [("rebuild", "--rebuild-only", "full rebuild"), ("index_rebuild", "--index-rebuild-only", "read index: full rebuild")] {
                let child = try Self.runChild([flag, logPath], workers: workers)
                r["\(key)\(suffix)_events_per_s"] = child.eventsPerSecond
                r["\(key)\(suffix)_ratio"] = child.eventsPerSecond / r["floor_scan_rows_per_s"]!
                r["\(key)\(suffix)_peak_rss_mb"] = child.peakMB
                rows.append(
                    (
                        "\(name), \(workers) worker\(workers == 1 ? "" : "s")",
                        String(format: "%9.0f events/s   ratio %.4f   peak RSS %.0f MB", child.eventsPerSecond, r["\(key)\(suffix)_ratio"]!, child.peakMB)
                    ))
            }
        }
        report("SQLite rebuilds, N = \(scanned) events", rows)
        return r
    }

    /// Every measurement at `events` events; figures keyed as in the JSON.
    func measure(events total: Int, root: URL) async throws -> [String: Double] {
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        var r: [String: Double] = [:]
        progress("N = \(total): generating and appending in batches of 1000 (ThreatLedger and raw SQLite)")

        // Append in batches of 1000: ThreatLedger end to end, and the floor, over the same events.
        let logPath = root.appendingPathComponent("log.sqlite").path
        let log = try SQLiteEventLog(path: logPath)
        let floor = RawSQLiteFloor.Database(path: root.appendingPathComponent("raw.sqlite").path)
        let preparing = Stopwatch()
        let whole = try await AppendTiming.measure(
            total: total, batch: 1_000, seed: 42, ids: ids, progress: progress, floor: { floor.insert($0) },
            append: { try await append($0, to: log, preparing: preparing) })
        r.merge(whole.figures(batch: 1_000)) { $1 }
        if prepareWhole { r["append_1000_preparation_share"] = preparing.seconds / whole.seconds }
        r["mean_payload_bytes"] = Double(whole.payloadBytes) / Double(whole.events)

        if rebuildsOnly { return try measureRebuilds(log: logPath, floor: floor, into: r) }

        // Smaller batches, on fresh logs, with a sample of events.
        for (batch, sample) in [(1, min(2_000, total)), (100, min(50_000, total))] {
            progress("append in batches of \(batch) (\(sample) events)")
            let small = try SQLiteEventLog(path: root.appendingPathComponent("log-\(batch).sqlite").path)
            let rawSmall = RawSQLiteFloor.Database(path: root.appendingPathComponent("raw-\(batch).sqlite").path)
            let timing = try await AppendTiming.measure(
                total: sample, batch: batch, seed: 7, ids: ids, progress: progress, floor: { rawSmall.insert($0) }, append: { try await append($0, to: small) })
            r.merge(timing.figures(batch: batch)) { $1 }
        }
        if appendOnly {
            report("SQLite appends, N = \(total) events (\(ids.rawValue) ids)", appendAndRebuildRows(r))
            return r
        }

        // Scans: the floor, then a full rebuild in a child process (its own peak memory).
        progress("raw scan and full rebuild")
        let (scanned, scanSeconds) = floor.scan()
        r["floor_scan_rows_per_s"] = Double(scanned) / scanSeconds
        let rebuild = try Self.runChild(["--rebuild-only", logPath])
        r["rebuild_events_per_s"] = rebuild.eventsPerSecond
        r["rebuild_ratio"] = r["rebuild_events_per_s"]! / r["floor_scan_rows_per_s"]!
        r["rebuild_peak_rss_mb"] = rebuild.peakMB

        // A full verify (chain, schemas, rules, figures against words, quotes in their articles), streaming.
        progress("full verify")
        let verify = try Self.runChild(["--verify-only", logPath])
        r["verify_events_per_s"] = verify.eventsPerSecond
        r["verify_ratio"] = r["verify_events_per_s"]! / r["floor_scan_rows_per_s"]!
        r["verify_peak_rss_mb"] = verify.peakMB

        // Catch-up after one append.
        progress("catch-up after one append (\(catchupSamples) samples)")
        let projector = try SQLiteProjector(path: logPath, role: "bench")
        _ = try await projector.catchUp(.regionSummary)
        var catchUps: [Double] = []
        var extra = SyntheticLog(seed: 99)
        extra.source = 10_000_000
        for _ in 0..<catchupSamples {
            _ = try await log.append(Array(extra.nextSource().prefix(1)))
            let t = ContinuousClock.now
            _ = try await projector.catchUp(.regionSummary)
            catchUps.append((ContinuousClock.now - t).seconds * 1000)
            progress("  catch-up \(catchUps.count): \(Int(catchUps.last!)) ms")
        }
        r["catchup_p50_ms"] = percentile(catchUps, 0.5)
        r["catchup_p99_ms"] = percentile(catchUps, 0.99)

        // Replay at random record, report and event times (each folds the log from the start).
        progress("replay at random times (\(replaySamples) samples)")
        var random = SplitMix64(seed: 5)
        let head = try await log.head()!
        let first = try await log.read(from: 1, limit: 1)[0].recordedAt
        var replays: [Double] = []
        for i in 0..<replaySamples {
            var clocks = AuditClocks()
            switch i % 3 {
            case 0:
                let span = max(1, head.recordedAt.microsecondsSinceEpoch - first.microsecondsSinceEpoch)
                clocks.asOf = RecordTime(microsecondsSinceEpoch: first.microsecondsSinceEpoch + Int64(random.below(Int(span))))
            case 1: clocks.reportedBy = CalendarDate(daysSinceEpoch: 16_436 + Int64(random.below(3_650)))
            default: clocks.occurredBy = CalendarDate(daysSinceEpoch: 16_436 + Int64(random.below(3_650)))
            }
            let t = ContinuousClock.now
            let replay = try await Replay.compute(log, clocks: clocks)
            _ = RegionSummaries.build(from: replay.picture)["SY"]
            replays.append((ContinuousClock.now - t).seconds * 1000)
            progress("  replay \(replays.count): \(Int(replays.last!)) ms")
        }
        r["replay_p50_ms"] = percentile(replays, 0.5)
        r["replay_p99_ms"] = percentile(replays, 0.99)

        // Trace random figures, with articles re-hashed from the log on every trace.
        progress("trace random figures (\(latencySamples) samples)")
        let picture = try await projector.picture(region: nil, at: try await projector.indexCheckpoint()?.position ?? 0)
        let summaries = RegionSummaries.build(from: picture)
        let figures = summaries.flatMap { region, summary in summary.figures.keys.map { (region, $0) } }.sorted { $0 < $1 }
        var traces: [Double] = []
        for _ in 0..<latencySamples {
            let (region, measure) = figures[random.below(figures.count)]
            let t = ContinuousClock.now
            let trace = FigureTrace.trace(region: region, measure: measure, in: picture)
            let vault = ArticleVault(log: log)
            for id in trace.claimIDs.prefix(50) { _ = try await ClaimTrace.build(picture.claims[id]!, picture: picture, vault: vault) }
            traces.append((ContinuousClock.now - t).seconds * 1000)
        }
        r["trace_p50_ms"] = percentile(traces, 0.5)
        r["trace_p99_ms"] = percentile(traces, 0.99)

        // The read index: a streamed rebuild (child process), then catch-up, replay and trace on it.
        progress("read index: full rebuild in a child process")
        let indexRebuild = try Self.runChild(["--index-rebuild-only", logPath])
        r["index_rebuild_events_per_s"] = indexRebuild.eventsPerSecond
        r["index_rebuild_ratio"] = indexRebuild.eventsPerSecond / r["floor_scan_rows_per_s"]!
        r["index_rebuild_peak_rss_mb"] = indexRebuild.peakMB
        let readSide = ReadSideBench(log: log, projector: projector, progress: progress)
        r.merge(
            try await readSide.measure(
                total: total, indexGroups: indexGroups, readSamples: readSamples, countrySamples: countrySamples, random: &random)
        ) { $1 }
        let indexRows: [(String, String)] =
            [
                (
                    "read index: full rebuild",
                    String(
                        format: "%9.0f events/s   ratio %.3f   peak RSS %.0f MB", r["index_rebuild_events_per_s"]!, r["index_rebuild_ratio"]!,
                        r["index_rebuild_peak_rss_mb"]!)
                )
            ] + ReadSideBench.rows(r)

        report(
            "ThreatLedger on SQLite, N = \(total) events (mean payload \(Int(r["mean_payload_bytes"]!)) bytes)",
            appendAndRebuildRows(r, rebuildExtra: String(format: "   peak RSS %.0f MB", r["rebuild_peak_rss_mb"]!)) + [
                (
                    "full verify (chain and every rule)",
                    String(format: "%8.0f events/s   ratio %.3f   peak RSS %.0f MB", r["verify_events_per_s"]!, r["verify_ratio"]!, r["verify_peak_rss_mb"]!)
                ),
                (
                    "projection: catch-up after one SourceRegistered",
                    String(format: "p50 %8.1f ms   p99 %8.1f ms   (%d samples)", r["catchup_p50_ms"]!, r["catchup_p99_ms"]!, catchupSamples)
                ),
                (
                    "whole-log fold (the test oracle)",
                    String(format: "p50 %8.1f ms   p99 %8.1f ms   (%d samples)", r["replay_p50_ms"]!, r["replay_p99_ms"]!, replaySamples)
                ),
                (
                    "trace on the whole picture read from the index",
                    String(format: "p50 %8.1f ms   p99 %8.1f ms   (%d samples)", r["trace_p50_ms"]!, r["trace_p99_ms"]!, latencySamples)
                ),
            ] + indexRows)
        return r
    }
}

extension SyntheticLog.IDs: ExpressibleByArgument {}
