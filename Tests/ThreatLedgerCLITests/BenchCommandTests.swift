import Foundation
import Testing
import ThreatLedgerCore
import ThreatLedgerTesting

/// `threatledger-bench` runs end to end on a small log and reports every figure with its ratio.
/// (No timing is asserted: the benchmark is a command; this only pins that it measures and says so.)
@Suite struct BenchCommandTests {
    static let bench = threatledgerExecutable.deletingLastPathComponent().appendingPathComponent("threatledger-bench")

    @Test
    func theIDCostRunInsertsTheSameRowsIntoEveryTableAndReportsEach() async throws {
        try await withTemporaryDirectory { directory in
            let result = try runCommand(
                Self.bench, ["--id-cost", "--events", "2000", "--id-cost-batch", "500", "--directory", directory.path])
            try #require(result.status == 0, "\(result.stderr)")
            let figures = try JSONParser().parse(Array(result.stdout.utf8))
            #expect(figures["rows"] == .number(2000) && figures["batch"] == .number(500))
            for table in ["floor", "text_ids", "blob_ids", "text_id_index_only", "stream_index_only", "ordered_ids"] {
                for suffix in ["_rows_per_s", "_us_per_row", "_first_tenth_us_per_row", "_last_tenth_us_per_row"] {
                    let value = try #require(figures[table + suffix]?.numberValue, "\(table + suffix) missing")
                    #expect(value > 0 && value.isFinite, "\(table + suffix) = \(value)")
                }
            }
            // Its databases are removed afterwards.
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
        }
    }

    /// A flag the chosen backend or mode would ignore is refused before anything runs, naming the
    /// flag, so no printed figure is taken for a measurement it is not.
    @Test
    func flagsTheRunWouldIgnoreAreRefusedByName() throws {
        let url = "postgres://postgres@127.0.0.1:1/none"
        for (flags, named) in [
            (["--backend", "postgres", "--db", url, "--rebuilds-only"], "--rebuilds-only"),
            (["--backend", "postgres", "--db", url, "--prepare-whole"], "--prepare-whole"),
            (["--locked-appends"], "--locked-appends"),
            (["--rebuilds-only", "--append-only"], "--rebuilds-only"),
        ] {
            let result = try runCommand(Self.bench, ["--events", "1000"] + flags)
            #expect(result.status != 0 && result.stderr.contains(named), "\(flags): \(result.status) \(result.stderr)")
        }
    }

    @Test
    func aSmallRunWritesEveryFigureWithItsRatioToTheFloor() async throws {
        try await withTemporaryDirectory { directory in
            let json = directory.appendingPathComponent("bench.json").path
            let result = try runCommand(
                Self.bench,
                [
                    "--events", "1000", "--replay-samples", "1", "--latency-samples", "2", "--catchup-samples", "1", "--read-samples", "4",
                    "--index-groups", "3", "--country-samples", "1", "--json", json,
                    "--directory", directory.path,
                ])
            try #require(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("append, batches of 1000") && result.stdout.contains("ratio"))
            #expect(result.stderr.contains("bench: "), "progress goes to standard error")
            let figures = try JSONParser().parse(Array(try Data(contentsOf: URL(fileURLWithPath: json))))
            #expect(figures["events"] == .number(1000))
            for key in ["append_1000_ratio", "append_100_ratio", "append_1_ratio", "rebuild_ratio", "index_rebuild_ratio"] {
                let ratio = try #require(figures[key]?.numberValue, "\(key) missing")
                #expect(ratio > 0 && ratio.isFinite, "\(key) = \(ratio)")
            }
            for key in [
                "rebuild_peak_rss_mb", "verify_events_per_s", "verify_peak_rss_mb", "catchup_p99_ms", "replay_p99_ms", "trace_p99_ms",
                "index_rebuild_peak_rss_mb", "index_catchup_claim_recorded_p99_ms", "index_catchup_source_registered_samples",
                "index_catchup_incident_linked_p99_ms", "index_catchup_correction_moving_region_p99_ms",
                "division_replay_p99_ms", "division_replay_samples", "country_replay_p99_ms", "division_trace_p99_ms", "country_trace_p99_ms",
                "country_trace_first_page_p99_ms",
            ] {
                #expect((figures[key]?.numberValue ?? 0) > 0, "\(key)")
            }
            // Its databases are removed afterwards.
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix("threatledger-bench-") }.isEmpty)
        }
    }

    /// `--append-only` measures the appends (and with `--scale-check` their growth) and nothing of the
    /// read side; `--prepare-whole` says in the JSON how the batches were prepared.
    @Test
    func anAppendOnlyRunReportsTheAppendsAndTheirGrowthAndNoRebuild() async throws {
        try await withTemporaryDirectory { directory in
            for (flags, preparation) in [([String](), "staged"), (["--prepare-whole"], "whole")] {
                let json = directory.appendingPathComponent("append-\(preparation).json").path
                let result = try runCommand(
                    Self.bench, ["--events", "2000", "--append-only", "--scale-check", "--json", json, "--directory", directory.path] + flags)
                try #require(result.status == 0, "\(result.stderr)")
                #expect(result.stdout.contains("append, batches of 100") && !result.stdout.contains("full rebuild"))
                let figures = try JSONParser().parse(Array(try Data(contentsOf: URL(fileURLWithPath: json))))
                for key in ["append_1000_ratio", "append_100_ratio", "append_1_ratio", "scale_append_cost_per_event_ratio"] {
                    let value = try #require(figures[key]?.numberValue, "\(key) missing")
                    #expect(value > 0 && value.isFinite, "\(key) = \(value)")
                }
                #expect(figures["rebuild_ratio"] == nil && figures["verify_events_per_s"] == nil)
                #expect(figures["preparation"] == .string(preparation))
            }
        }
    }

    /// On PostgreSQL, `--append-only` measures the appends alone, and `--locked-appends` says in the
    /// JSON that every append took the three round trips.
    @Test(.enabled(if: TestBackend.available.contains(.postgres), "no PostgreSQL server configured"))
    func aPostgresAppendOnlyRunReportsTheAppendsEitherWay() async throws {
        let l = try #require(TestBackend.postgresLocation(schema: "x"))
        let url = "postgres://\(l.user)@\(l.host):\(l.port)/\(l.database)"
        try await withTemporaryDirectory { directory in
            for (flags, appends) in [([String](), "one statement first"), (["--locked-appends"], "locked")] {
                let json = directory.appendingPathComponent("pg-\(appends).json").path
                let result = try runCommand(
                    Self.bench, ["--backend", "postgres", "--db", url, "--events", "1000", "--append-only", "--json", json] + flags)
                try #require(result.status == 0, "\(result.stderr)")
                let figures = try JSONParser().parse(Array(try Data(contentsOf: URL(fileURLWithPath: json))))
                for key in ["append_1000_ratio", "append_100_ratio", "append_1_ratio"] {
                    let value = try #require(figures[key]?.numberValue, "\(key) missing")
                    #expect(value > 0 && value.isFinite, "\(key) = \(value)")
                }
                #expect(figures["rebuild_ratio"] == nil && figures["postgres_appends"] == .string(appends))
            }
        }
    }

    /// `--ids minted` gives the same events under time-ordered ids (version 7, ascending), so that a
    /// run tells what the id index's scatter costs from everything else.
    @Test
    func mintedIDsGiveTheSameEventsUnderTimeOrderedIDs() async throws {
        try await withTemporaryDirectory { directory in
            func export(_ ids: String) throws -> [JSONValue] {
                let path = directory.appendingPathComponent("\(ids).jsonl").path
                let result = try runCommand(Self.bench, ["--events", "1000", "--ids", ids, "--export-events", path])
                try #require(result.status == 0, "\(result.stderr)")
                return try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { try JSONParser().parse(Array($0.utf8)) }
            }
            let derived = try export("derived")
            let minted = try export("minted")
            try #require(derived.count == minted.count && derived.count >= 1000)
            var previous = ""
            for (made, named) in zip(minted, derived) {
                let id = try #require(made["event_id"]?.stringValue)
                #expect(Array(id)[14] == "7" && id > previous, "\(id) after \(previous)")
                #expect(Array(try #require(named["event_id"]?.stringValue))[14] == "8")
                previous = id
                guard case .object(let a) = made, case .object(let b) = named else {
                    Issue.record("not objects")
                    return
                }
                #expect(a.filter { $0.key != "event_id" } == b.filter { $0.key != "event_id" })
            }
            let refused = try runCommand(Self.bench, ["--events", "1000", "--ids", "sequential", "--export-events", directory.path + "/x"])
            #expect(refused.status != 0 && refused.stderr.contains("sequential"), "\(refused.stderr)")
        }
    }

    @Test
    func thePeerWorkloadAppendsEveryExportedEventAndReadsThemAllBack() async throws {
        try await withTemporaryDirectory { directory in
            let events = directory.appendingPathComponent("events.jsonl").path
            let export = try runCommand(Self.bench, ["--events", "1000", "--export-events", events])
            try #require(export.status == 0, "\(export.stderr)")
            let lines = try String(contentsOfFile: events, encoding: .utf8).split(separator: "\n").count
            #expect(lines >= 1000)
            let db = directory.appendingPathComponent("peer.sqlite").path
            let run = try runCommand(Self.bench, ["--peer-workload", events, "--db", db])
            try #require(run.status == 0, "\(run.stderr)")
            let figures = try JSONParser().parse(run.stdout)
            #expect(figures["events"]?.integerValue == Int64(lines))
            #expect(figures["read"]?.integerValue == Int64(lines))
            // The log it wrote verifies.
            let verify = try runCommand(threatledgerExecutable, ["verify", "--db", db])
            #expect(verify.status == 0, "\(verify.stderr)")
            let stages = try runCommand(Self.bench, ["--stage-profile", events])
            try #require(stages.status == 0, "\(stages.stderr)")
            #expect((try JSONParser().parse(stages.stdout)["parse_line_us_per_event"]?.numberValue ?? 0) > 0)
        }
    }
}
