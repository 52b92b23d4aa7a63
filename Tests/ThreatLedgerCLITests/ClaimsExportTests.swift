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

    /// Every claim that names one country exports its country, the ISO 3166-2 division its words
    /// name and, where they name a place, the GeoNames place with coordinates and their precision in
    /// UCDP's and ACLED's codes; a claim naming several countries says why it has none. The source's
    /// own title and outlet stand beside it where the article states them.
    @Test func everyClaimExportsWhereTheGazetteerPlacesItsWordsAndItsSourcesOwnDescription() async throws {
        try await ingested { db in
            let csv = parseCSV(try runCommand(threatledgerExecutable, ["claims", "--db", db, "--format", "csv"]).stdout)
            let header = csv[0]
            let column = { (name: String) in header.firstIndex(of: name)! }
            let row = { (id: String) in csv.first { $0[column("claim_id")] == id }! }
            for claim in csv.dropFirst() {
                #expect(claim[column("gazetteer")].contains("GeoNames, CC BY 4.0"))
                if claim[column("country_iso2")].isEmpty {
                    #expect(claim[column("location_unplaced")] == "the claim names no single country")
                    #expect(claim[column("where_prec")].isEmpty && claim[column("latitude")].isEmpty)
                } else {
                    #expect(!claim[column("where_prec")].isEmpty, "\(claim[column("claim_id")])")
                }
            }
            let mayadin = row("5a9ba17097eb5f86-02")  // «مدينة الميادين»: the town itself
            #expect(mayadin[column("admin1_code")] == "SY-DY" && mayadin[column("place_name")] == "Al Mayādīn")
            #expect(mayadin[column("where_prec")] == "1" && mayadin[column("geo_precision")] == "1")
            #expect(mayadin[column("latitude")].hasPrefix("35.0") && mayadin[column("longitude")].hasPrefix("40.4"))
            #expect(mayadin[column("source_outlet")] == "روزنة" && mayadin[column("source_title")].hasPrefix("تمويل"))
            let governorate = row("1aee4b5224ae9675-03")  // «بمحافظة الحسكة»: the governorate, at its capital
            #expect(governorate[column("admin1_code")] == "SY-HA" && governorate[column("place_name")].isEmpty)
            #expect(governorate[column("where_prec")] == "4" && governorate[column("geo_precision")] == "3")
            #expect(governorate[column("source_title")].isEmpty, "the article states no title")
            #expect(row("1aee4b5224ae9675-12")[column("place_name")] == "Kirkuk")
            #expect(row("a896289027671bb9-08")[column("place_name")] == "Tadmur")
            let kabul = row("4842e351d2c85202-20")  // «كابول», no division coded: the place gives it
            #expect(kabul[column("admin1_code")] == "AF-KAB" && kabul[column("place_name")] == "Kabul")

            let jsonl = try runCommand(threatledgerExecutable, ["claims", "--db", db, "--format", "jsonl"]).stdout.split(separator: "\n")
            let record = try jsonl.map { try JSONParser().parse(String($0)) }.first { $0["claim_id"] == "5a9ba17097eb5f86-02" }
            #expect(record?["placed"]?["division_code"] == "SY-DY" && record?["placed"]?["where_prec"] == 1)
            #expect(record?["source"]?["outlet"] == "روزنة")
        }
    }

    /// The ACLED- and UCDP-shaped exports: the datasets' columns in their order, then ThreatLedger's
    /// own, one row per current claim, mapped as `schemas/dataset-exports.md` says.
    @Test func theACLEDAndUCDPExportsHaveTheDatasetsColumnsAndMapTheSeedClaims() async throws {
        try await ingested { db in
            let acled = parseCSV(try runCommand(threatledgerExecutable, ["claims", "--db", db, "--format", "acled"]).stdout)
            #expect(Array(acled[0].prefix(ACLEDExport.datasetColumns.count)) == ACLEDExport.datasetColumns)
            #expect(acled[0].suffix(DatasetExport.ownColumns.count).elementsEqual(DatasetExport.ownColumns))
            #expect(acled.count == 90 && acled.allSatisfy { $0.count == acled[0].count })
            let a = { (id: String, name: String) in acled.first { $0[acled[0].firstIndex(of: "tl_claim_id")!] == id }![acled[0].firstIndex(of: name)!] }
            #expect(a("5a9ba17097eb5f86-02", "iso") == "760" && a("5a9ba17097eb5f86-02", "country") == "Syria")
            #expect(a("5a9ba17097eb5f86-02", "location") == "Al Mayādīn" && a("5a9ba17097eb5f86-02", "geo_precision") == "1")
            #expect(a("a896289027671bb9-08", "fatalities") == "16", "the low of «at least 16»")
            #expect(a("a896289027671bb9-08", "event_id_cnty") == "TL-a896289027671bb9-08")

            let ucdp = parseCSV(try runCommand(threatledgerExecutable, ["claims", "--db", db, "--format", "ucdp"]).stdout)
            #expect(Array(ucdp[0].prefix(UCDPExport.datasetColumns.count)) == UCDPExport.datasetColumns)
            #expect(ucdp.count == 90 && ucdp.allSatisfy { $0.count == ucdp[0].count })
            let u = { (id: String, name: String) in ucdp.first { $0[ucdp[0].firstIndex(of: "tl_claim_id")!] == id }![ucdp[0].firstIndex(of: name)!] }
            #expect(u("a896289027671bb9-08", "low") == "16" && u("a896289027671bb9-08", "high").isEmpty, "open-ended: no high")
            #expect(u("5a9ba17097eb5f86-02", "where_prec") == "1" && u("1aee4b5224ae9675-03", "where_prec") == "4")
            #expect(u("5a9ba17097eb5f86-02", "source_office") == "روزنة")
            #expect(u("5a9ba17097eb5f86-02", "tl_admin1_code") == "SY-DY")
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
