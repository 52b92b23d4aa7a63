import Foundation
import Testing
import ThreatLedgerCore
import ThreatLedgerTesting

@Suite struct ClaimsExportTests {
    let seeds = packageRoot.appendingPathComponent("seeds").path

    func ingested<T>(_ body: (String) throws -> T) async throws -> T {
        try await withTemporaryDirectory { directory in
            let db = directory.appendingPathComponent("log.sqlite").path
            let result = try runCommand(threatledgerExecutable, ["ingest", seeds, "--db", db])
            try #require(result.status == 0, "\(result.stderr)")
            return try body(db)
        }
    }

    @Test func ingestingTheSeedsTwiceThroughTheCommandAppendsNothingTheSecondTime() async throws {
        try await ingested { db in
            let again = try runCommand(threatledgerExecutable, ["ingest", seeds, "--db", db, "--format", "json"])
            #expect(again.status == 0)
            #expect(again.stdout.contains(#""already_present":100,"appended":0"#))
            #expect(again.stdout.contains(#""claims":89"#))
        }
    }

    @Test func theJSONLExportHasEveryCurrentClaimAndSatisfiesItsSchema() async throws {
        try await ingested { db in
            let result = try runCommand(threatledgerExecutable, ["claims", "--db", db, "--format", "jsonl"])
            #expect(result.status == 0)
            let lines = result.stdout.split(separator: "\n")
            #expect(lines.count == 89)
            for line in lines {
                let record = try JSONParser().parse(String(line))
                try EventValidator.standard.schemas.validate(record, against: "claim-export.schema.json")
            }
            let hasakah = try lines.map { try JSONParser().parse(String($0)) }.filter {
                $0["incident_ids"]?.arrayValue?.contains("hasakah-prison-assault-2022") == true
            }
            #expect(hasakah.count == 6)
        }
    }

    @Test func theCSVExportHasOneRowPerClaimAndLowBestHighColumns() async throws {
        try await ingested { db in
            let result = try runCommand(threatledgerExecutable, ["claims", "--db", db, "--format", "csv"])
            #expect(result.status == 0)
            let rows = parseCSV(result.stdout)
            #expect(rows.count == 90)
            let header = rows[0]
            #expect(rows.allSatisfy { $0.count == header.count })
            let column = { (name: String) in header.firstIndex(of: name)! }
            let palmyra = try #require(rows.first { $0[column("claim_id")] == "a896289027671bb9-08" })
            #expect(palmyra[column("killed_low")] == "16")
            #expect(palmyra[column("killed_best")] == "16")
            #expect(palmyra[column("killed_high")] == "")
            #expect(palmyra[column("kidnapped_best")] == "75")
            #expect(palmyra[column("country_iso2")] == "SY")
            let fighters = try #require(rows.first { $0[column("claim_id")] == "5a9ba17097eb5f86-18" })
            #expect(fighters[column("fighters_low")] == "14000")
            #expect(fighters[column("fighters_high")] == "18000", "the 3,000 foreign fighters are part of the range, not added")
        }
    }

    /// What the words say survives the export: «قرابة 75» stays `about`, «ما يصل إلى 200» says why its
    /// low is 0, and an empty high says whether it is open-ended or unstated, never both.
    @Test func everyExportKeepsTheQualifierAndWhyACellIsEmpty() async throws {
        try await ingested { db in
            let csv = parseCSV(try runCommand(threatledgerExecutable, ["claims", "--db", db, "--format", "csv"]).stdout)
            let header = csv[0]
            let column = { (name: String) in header.firstIndex(of: name)! }
            let row = { (id: String) in csv.first { $0[column("claim_id")] == id }! }
            let palmyra = row("a896289027671bb9-08")
            #expect(palmyra[column("kidnapped_qualifier")] == "about" && palmyra[column("kidnapped_best")] == "75")
            #expect(palmyra[column("killed_qualifier")] == "at_least" && palmyra[column("killed_high_open")] == "true")
            #expect(palmyra[column("killed_unstated")] == "false")
            let attack = row("1aee4b5224ae9675-03")
            #expect(attack[column("attackers_qualifier")] == "up_to" && attack[column("attackers_low")] == "0" && attack[column("attackers_best")] == "200")
            let hasakah = row("1aee4b5224ae9675-06")
            #expect(hasakah[column("killed_qualifier")] == "exact+unknown" && hasakah[column("killed_high")] == "")
            #expect(hasakah[column("killed_unstated")] == "true" && hasakah[column("killed_high_open")] == "false")

            let jsonl = try runCommand(threatledgerExecutable, ["claims", "--db", db, "--format", "jsonl"]).stdout.split(separator: "\n")
            let records = try jsonl.map { try JSONParser().parse(String($0)) }
            let record = { (id: String) in records.first { $0["claim_id"]?.stringValue == id } }
            #expect(record("a896289027671bb9-08")?["totals"]?["kidnapped"]?["qualifier"] == "about")
            #expect(record("a896289027671bb9-08")?["totals"]?["killed"]?["high_open"] == true)
            #expect(record("1aee4b5224ae9675-06")?["totals"]?["killed"]?["unstated"] == true)
            #expect(record("1aee4b5224ae9675-03")?["totals"]?["attackers"]?["qualifier"] == "up_to")
        }
    }

    /// RFC 4180 fields, quoted or not.
    func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var iterator = Array(text).makeIterator()
        var pending: Character? = nil
        while let c = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" {
                            field.append("\"")
                        } else {
                            quoted = false
                            pending = next
                        }
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                row.append(field)
                field = ""
            } else if c == "\n" {
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            } else {
                field.append(c)
            }
        }
        if !field.isEmpty || !row.isEmpty {
            row.append(field)
            rows.append(row)
        }
        return rows
    }
}
