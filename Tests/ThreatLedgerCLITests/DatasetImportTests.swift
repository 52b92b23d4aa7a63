import Foundation
import Testing
import ThreatLedgerCore
import ThreatLedgerTesting

/// `threatledger import acled|ucdp`: the fixtures of Tests/DatasetFixtures (written from the
/// codebooks), imported into real SQLite files through the binary.
@Suite struct DatasetImportTests {
    let fixtures = packageRoot.appendingPathComponent("Tests/DatasetFixtures")
    let seeds = packageRoot.appendingPathComponent("seeds").path

    func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

    func run(_ arguments: [String], stdin: Data? = nil) throws -> CommandResult {
        try runCommand(threatledgerExecutable, arguments, stdin: stdin)
    }

    /// The claims export as JSON objects by claim id.
    func claims(_ db: String) throws -> [String: JSONValue] {
        let result = try run(["claims", "--db", db, "--format", "jsonl"])
        try #require(result.status == 0, "\(result.stderr)")
        var byID: [String: JSONValue] = [:]
        for line in result.stdout.split(separator: "\n") {
            let record = try JSONParser().parse(String(line))
            try EventValidator.standard.schemas.validate(record, against: "claim-export.schema.json")
            byID[record["claim_id"]!.stringValue!] = record
        }
        return byID
    }

    func eventCount(_ db: String) throws -> Int {
        let stats = try run(["stats", "--db", db, "--format", "json"])
        return Int(try JSONParser().parse(stats.stdout)["events"]?.integerValue ?? -1)
    }

    @Test func theACLEDFixtureBecomesSourcesAndClaimsWhoseFiguresAreTheDatasetsFields() async throws {
        try await withTemporaryDirectory { directory in
            let db = directory.appendingPathComponent("log.sqlite").path
            let result = try run(["import", "acled", fixture("acled-sample.csv"), "--db", db, "--format", "json"])
            try #require(result.status == 0, "\(result.stderr)")
            let report = try JSONParser().parse(result.stdout)
            #expect(report["rows"] == 4)
            #expect(report["appended_events"] == 8)
            #expect(report["peak_rss_mb"]?.numberValue ?? 0 > 0)
            let claims = try claims(db)
            #expect(claims.count == 4)
            let prison = try #require(claims["acled-syr90001"])
            #expect(prison["source"]?["dataset"] == ["dataset": "acled", "row_id": "SYR90001"])
            #expect(prison["source"]?["outlet"] == "ACLED")
            // The notes, with their line break and doubled quotes undone, are the quoted words, exactly.
            #expect(
                prison["statement"]?["quote"]?["exact"]?.stringValue?.contains(
                    "7 SDF members were killed.\nIS claimed the attack, saying it freed \"hundreds\"") == true)
            let killed = try #require(prison["figures"]?.arrayValue?.first)
            #expect(killed["basis"] == "dataset")
            #expect(killed["low"] == 7 && killed["high"] == 7)
            #expect(killed["dataset_fields"] == ["low": "fatalities", "high": "fatalities"])
            #expect(prison["location"]?["coordinates"] == ["lat": 36.4894, "lon": 40.7519, "precision": "exact"])
            #expect(prison["placed"]?["division_code"] == "SY-HA")
            #expect(prison["attribution"]?["cited"] == "SOHR; Kurdistan 24")
            // Week precision: ACLED's date and the six days after it; empty coordinates stay empty.
            let market = try #require(claims["acled-syr90002"])
            #expect(market["date"]?["precision"] == "week")
            #expect(market["date"]?["start"] == "2022-01-24" && market["date"]?["end"] == "2022-01-30")
            #expect(market["location"]?["coordinates"] == .null)
            #expect(market["statement"]?["quote"]?["exact"]?.stringValue?.contains("قرية الطيبة") == true)
            // An arrest, month precision; an empty fatalities cell is no figure, not zero.
            #expect(claims["acled-irq90003"]?["kind"] == "arrest")
            #expect(claims["acled-irq90003"]?["date"]?["end"] == "2022-03-31")
            #expect(claims["acled-irq90004"]?["figures"]?.arrayValue?.isEmpty == true)
            #expect(claims["acled-irq90004"]?["location"]?["place"]?["as_written"] == "Tāza Khurmātū")
            let verify = try run(["verify", "--db", db])
            #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        }
    }

    @Test func importingTheSameFileTwiceAppendsNothingTheSecondTime() async throws {
        try await withTemporaryDirectory { directory in
            let db = directory.appendingPathComponent("log.sqlite").path
            let first = try run(["import", "acled", fixture("acled-sample.csv"), "--db", db])
            try #require(first.status == 0, "\(first.stderr)")
            let again = try run(["import", "acled", fixture("acled-sample.csv"), "--db", db, "--format", "json"])
            try #require(again.status == 0, "\(again.stderr)")
            let report = try JSONParser().parse(again.stdout)
            #expect(report["appended_events"] == 0)
            #expect(report["already_present"] == 4)
            #expect(try eventCount(db) == 8)
        }
    }

    @Test func aRowImportedBeforeWithOtherContentIsRefusedWithItsLine() async throws {
        try await withTemporaryDirectory { directory in
            let db = directory.appendingPathComponent("log.sqlite").path
            try #require(try run(["import", "acled", fixture("acled-sample.csv"), "--db", db]).status == 0)
            let original = try String(contentsOfFile: fixture("acled-sample.csv"), encoding: .utf8)
            let revised = directory.appendingPathComponent("revised.csv")
            try original.replacingOccurrences(of: "killing 2 civilians", with: "killing 3 civilians").write(
                to: revised, atomically: true, encoding: .utf8)
            let result = try run(["import", "acled", revised.path, "--db", db])
            #expect(result.status == 1)
            #expect(result.stderr.contains("revised.csv: line 4: this row was imported before"), "\(result.stderr)")
            #expect(try eventCount(db) == 8)
        }
    }

    @Test func theOlderACLEDColumnsImport() async throws {
        try await withTemporaryDirectory { directory in
            let db = directory.appendingPathComponent("log.sqlite").path
            let result = try run(["import", "acled", fixture("acled-2018-columns.csv"), "--db", db])
            try #require(result.status == 0, "\(result.stderr)")
            let claims = try claims(db)
            #expect(claims["acled-irq80001"]?["kind"] == "attack")
            #expect(claims["acled-irq80001"]?["date"]?["start"] == "2018-01-15")
            #expect(claims["acled-irq80001"]?["actors"]?["target"]?["type"] == "state_forces")
            #expect(claims["acled-irq80002"]?["kind"] == "territorial")
            #expect(claims["acled-irq80002"]?["date"]?["start"] == "2018-01-20")
            #expect(claims["acled-irq80002"]?["figures"]?.arrayValue?.first?["low"] == 0)
        }
    }

    @Test func theUCDPFixtureImportsWithRangesAndTheRowsOwnWords() async throws {
        try await withTemporaryDirectory { directory in
            let db = directory.appendingPathComponent("log.sqlite").path
            let result = try run(["import", "ucdp", fixture("ucdp-ged-sample.csv"), "--db", db])
            try #require(result.status == 0, "\(result.stderr)")
            let claims = try claims(db)
            let palmyra = try #require(claims["ucdp-400001"])
            let killed = try #require(palmyra["figures"]?.arrayValue?.first)
            #expect(killed["qualifier"] == "range" && killed["low"] == 13 && killed["high"] == 15)
            #expect(killed["dataset_fields"] == ["low": "low", "high": "high"])
            #expect(palmyra["source"]?["title"] == "IS gunmen ambush army bus near Palmyra, 13 soldiers dead")
            #expect(palmyra["source"]?["published"]?["start"] == "2022-02-10")
            #expect(palmyra["actors"]?["perpetrator"]?["type"] == "government")
            #expect(palmyra["actors"]?["target"]?["type"] == "isis")
            #expect(claims["ucdp-400002"]?["date"]?["precision"] == "week")
            #expect(claims["ucdp-400002"]?["placed"]?["division_code"] == "IQ-DI")
            // No headline: the row's words are its source_original alone.
            #expect(claims["ucdp-400003"]?["statement"]?["quote"]?["exact"] == "Iraqi Security Media Cell statement: 2 soldiers killed in Kirkuk")
            #expect(claims["ucdp-400003"]?["source"]?["published"]?["precision"] == "unknown")
        }
    }

    @Test(arguments: [
        ("acled", "acled-bad-admin1.csv", "line 3, column admin1"),
        ("acled", "acled-bad-fatalities.csv", "line 4, column fatalities: \"about 10\" is not a whole number"),
        ("ucdp", "ucdp-bad-dates.csv", "line 2, column date_end: 2022-02-08 is before date_start 2022-02-09"),
    ])
    func aBadRowNamesItsFileLineAndColumnAndNothingIsWritten(dataset: String, file: String, expected: String) async throws {
        try await withTemporaryDirectory { directory in
            let db = directory.appendingPathComponent("log.sqlite").path
            let result = try run(["import", dataset, fixture(file), "--db", db])
            #expect(result.status == 1)
            #expect(result.stderr.contains("\(file): \(expected)"), "\(result.stderr)")
            #expect(result.stderr.contains("nothing was imported"))
            // The good rows before the bad one were not written either.
            #expect(try eventCount(db) == 0)
        }
    }

    @Test func aHeaderWithoutTheDatasetsColumnsIsRefusedAtLineOne() async throws {
        let result = try run(["import", "ucdp", fixture("acled-sample.csv"), "--db", "/tmp/never-written.sqlite"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("acled-sample.csv: line 1: a UCDP GED export needs the columns id, date_start, date_end"), "\(result.stderr)")
    }

    /// Export, import into a fresh log, export again: the dataset's columns come back the same.
    @Test(arguments: ["acled", "ucdp"])
    func exportingImportingAndExportingAgainGivesTheSameDatasetColumns(dataset: String) async throws {
        try await withTemporaryDirectory { directory in
            let seeded = directory.appendingPathComponent("seeded.sqlite").path
            try #require(try run(["ingest", seeds, "--db", seeded]).status == 0)
            let first = try run(["claims", "--db", seeded, "--format", dataset])
            try #require(first.status == 0)
            let file = directory.appendingPathComponent("export.csv")
            try first.stdout.write(to: file, atomically: true, encoding: .utf8)
            let fresh = directory.appendingPathComponent("fresh.sqlite").path
            let imported = try run(["import", dataset, file.path, "--db", fresh])
            try #require(imported.status == 0, "\(imported.stderr)")
            let second = try run(["claims", "--db", fresh, "--format", dataset])
            let before = ClaimsExportTests().parseCSV(first.stdout)
            let after = ClaimsExportTests().parseCSV(second.stdout)
            #expect(before.count == 90 && after.count == 90)
            let header = before[0]
            #expect(after[0] == header)
            let datasetColumns = header.indices.filter { !header[$0].hasPrefix("tl_") }
            func keyed(_ rows: [[String]]) -> [String: [String]] {
                Dictionary(uniqueKeysWithValues: rows.dropFirst().map { row in (row[0], datasetColumns.map { row[$0] }) })
            }
            let (old, new) = (keyed(before), keyed(after))
            #expect(old.keys.sorted() == new.keys.sorted())
            for (id, cells) in old where new[id] != cells {
                let differing = datasetColumns.indices.filter { cells[$0] != new[id]?[$0] }.map { header[datasetColumns[$0]] }
                Issue.record("\(id): \(differing.joined(separator: ", ")) differ after the round trip")
            }
            // Every imported claim is the dataset's, and says so.
            let claims = try claims(fresh)
            #expect(claims.values.allSatisfy { $0["source"]?["dataset"]?["dataset"]?.stringValue == dataset })
        }
    }

    /// A figure of basis dataset must be its row's field, on every write path, and the trace
    /// shows it as the dataset's field, checked.
    @Test func aDatasetFigureMustBeItsRowsFieldOnEveryWritePath() async throws {
        try await withTemporaryDirectory { directory in
            let db = directory.appendingPathComponent("log.sqlite").path
            try #require(try run(["import", "acled", fixture("acled-sample.csv"), "--db", db]).status == 0)
            // A claim on the imported source whose figure says 8 where the row says 7.
            let claim = try #require(try claims(db)["acled-syr90001"])
            guard case .object(var fields) = claim else { return }
            for key in ["article_sha256", "incident_ids", "revision", "recorded_at", "last_changed_at", "totals", "source", "placed"] {
                fields[key] = nil
            }
            fields["claim_id"] = "forged-syr90001"
            guard case .object(var figure) = fields["figures"]!.arrayValue![0] else { return }
            figure["low"] = 8
            figure["high"] = 8
            fields["figures"] = [.object(figure)]
            let line: JSONValue = [
                "event_id": .string(EventID.random().rawValue), "stream": "claim-forged-syr90001", "expected_version": "no_stream",
                "type": "ClaimRecorded", "schema_version": 1, "payload": .object(fields), "metadata": ["recorded_by": "test"],
            ]
            let append = try run(["append", "-", "--db", db], stdin: Data((CanonicalJSON.string(line) + "\n").utf8))
            #expect(append.status == 1)
            #expect(append.stderr.contains("payload.figures[0].low: is 8, but ACLED row SYR90001 gives fatalities = 7"), "\(append.stderr)")
            // A correction may not change the dataset's number and keep calling it the dataset's.
            let correct = try run([
                "correct", "acled-syr90001", "--db", db, "--figure", "killed", "--low", "9", "--high", "9", "--reason", "a later count", "--by", "analyst",
            ])
            #expect(correct.status != 0, "\(correct.stdout)")
            #expect(correct.stderr.contains("dataset figure the dataset did not give"), "\(correct.stderr)")
            // The trace shows the figure as the row's field, checked against the stored row.
            let trace = try run(["trace", "claim", "acled-syr90001", "--db", db])
            #expect(trace.status == 0, "\(trace.stdout)\(trace.stderr)")
            #expect(trace.stdout.contains("figure killed 7 (dataset: ACLED row SYR90001, fatalities = 7)"), "\(trace.stdout)")
            let json = try JSONParser().parse(try run(["trace", "claim", "acled-syr90001", "--db", db, "--format", "json"]).stdout)
            let traced = json["claim"] ?? .null
            #expect(traced["figures"]?.arrayValue?.first?["checked_against"] == "dataset field")
            #expect(traced["figures"]?.arrayValue?.first?["dataset"]?["low"] == ["column": "fatalities", "value": "7"])
        }
    }

    /// An imported row linked into one incident with a claim coded from an article: the trace of
    /// the region's figure shows both claims' figures side by side, one from Arabic words, one the
    /// dataset's field, and the incident rule combining them.
    @Test func linkingAnImportedRowToAnIncidentPutsBothFiguresSideBySideInTheTrace() async throws {
        try await withTemporaryDirectory { directory in
            let db = directory.appendingPathComponent("log.sqlite").path
            try #require(try run(["ingest", seeds, "--db", db]).status == 0)
            let row = """
                event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,inter1,actor2,inter2,iso,country,admin1,location,latitude,longitude,geo_precision,source,notes,fatalities
                SYR99008,2023-02-11,2023,1,Violence against civilians,Attack,Islamic State (Syria),2,Civilians (Syria),7,760,Syria,Homs,Tadmur,34.5603,38.2805,2,SOHR,"IS militants attacked truffle hunters near Tadmur, killing 17 civilians.",17

                """
            let file = directory.appendingPathComponent("palmyra.csv")
            try row.write(to: file, atomically: true, encoding: .utf8)
            let imported = try run(["import", "acled", file.path, "--db", db])
            try #require(imported.status == 0, "\(imported.stderr)")
            let link: JSONValue = [
                "event_id": .string(EventID.random().rawValue), "stream": "incident-palmyra-truffle-hunters-2023-02-11",
                "expected_version": "no_stream", "type": "IncidentLinked", "schema_version": 1,
                "payload": [
                    "incident_id": "palmyra-truffle-hunters-2023-02-11", "label": "Truffle hunters attacked near Palmyra, 11 February 2023",
                    "kind": "attack", "claim_ids": ["a896289027671bb9-08", "acled-syr99008"],
                    "disagreements": [
                        [
                            "field": "figures.killed",
                            "values": [["claim_id": "a896289027671bb9-08", "value": ["low": 16]], ["claim_id": "acled-syr99008", "value": ["low": 17]]],
                            "note": "the article says at least 16; ACLED's fatalities say 17",
                        ]
                    ],
                ],
                "metadata": ["recorded_by": "test"],
            ]
            let append = try run(["append", "-", "--db", db], stdin: Data((CanonicalJSON.string(link) + "\n").utf8))
            try #require(append.status == 0, "\(append.stderr)")
            let trace = try run(["trace", "--region", "SY", "--measure", "killed", "--db", db])
            #expect(trace.status == 0, "\(trace.stderr)")
            let text = trace.stdout
            let incident = try #require(text.range(of: "incident:palmyra-truffle-hunters-2023-02-11"), "\(text)")
            let section = String(text[incident.lowerBound...].prefix(4_000))
            #expect(section.contains("claim a896289027671bb9-08"))
            #expect(section.contains("figure killed ≥16 (stated) from «⁨ما لا يقل عن 16⁩»"))
            #expect(section.contains("claim acled-syr99008"))
            #expect(section.contains("figure killed 17 (dataset: ACLED row SYR99008, fatalities = 17)"), "\(section)")
            let provenance = try run(["provenance", "--source", "acled-syr99008", "--db", db, "--format", "json"])
            #expect(provenance.stdout.contains(#""dataset":{"dataset":"acled","row_id":"SYR99008"}"#), "\(provenance.stdout)")
        }
    }

    /// The dataset-shaped exports load in pandas with their column types (scripts/check-export-types.py).
    @Test func theExportsLoadInPandasWithTheirColumnTypes() async throws {
        try await withTemporaryDirectory { directory in
            let db = directory.appendingPathComponent("log.sqlite").path
            try #require(try run(["ingest", seeds, "--db", db]).status == 0)
            try #require(try run(["import", "acled", fixture("acled-sample.csv"), "--db", db]).status == 0)
            try #require(try run(["import", "ucdp", fixture("ucdp-ged-sample.csv"), "--db", db]).status == 0)
            var arguments = [packageRoot.appendingPathComponent("scripts/check-export-types.py").path]
            for format in ["acled", "ucdp", "csv"] {
                let export = try run(["claims", "--db", db, "--format", format])
                let file = directory.appendingPathComponent("\(format).csv")
                try export.stdout.write(to: file, atomically: true, encoding: .utf8)
                arguments += [format, file.path]
            }
            let check = try runCommand(URL(fileURLWithPath: "/usr/bin/env"), ["python3"] + arguments)
            #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
            #expect(check.stdout.components(separatedBy: "load with pandas").count == 4, "\(check.stdout)")
        }
    }
}

/// `threatledger source list|show`: the article and the spans its claims quote.
@Suite struct SourceCommandTests {
    @Test func sourceShowPrintsTheArticleAndThePassageAroundASpanMarked() async throws {
        try await withIngestedSeeds { db in
            let list = try runCommand(threatledgerExecutable, ["source", "list", "--db", db, "--format", "json"])
            #expect(list.status == 0, "\(list.stderr)")
            #expect(try JSONParser().parse(list.stdout)["sources"]?.arrayValue?.count == 5)
            let show = try runCommand(threatledgerExecutable, ["source", "show", "1aee4b5224ae9675", "--db", db])
            #expect(show.status == 0, "\(show.stderr)")
            #expect(show.stdout.contains("verified"))
            #expect(show.stdout.contains("figure killed: «⁨175 قتيلا⁩»"), "\(show.stdout.suffix(2_000))")
            let around = try runCommand(
                threatledgerExecutable, ["source", "show", "1aee4b5224ae9675", "--around", "1571-1580", "--context", "20", "--db", db, "--format", "json"])
            #expect(around.status == 0, "\(around.stderr)")
            let passage = try JSONParser().parse(around.stdout)
            #expect(passage["span"] == "175 قتيلا")
            #expect(passage["before"]?.stringValue?.unicodeScalars.count == 20)
            let bad = try runCommand(threatledgerExecutable, ["source", "show", "1aee4b5224ae9675", "--around", "9-3", "--db", db])
            #expect(bad.status != 0)
            #expect(bad.stderr.contains("START < END"))
            let missing = try runCommand(threatledgerExecutable, ["source", "show", "nope", "--db", db])
            #expect(missing.status == 1)
            #expect(missing.stderr.contains("no source nope"))
        }
    }
}
