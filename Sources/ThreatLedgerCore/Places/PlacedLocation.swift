/// Where the gazetteer puts a claim's location: its country, the ISO 3166-2 division its words
/// name, the GeoNames place they name, coordinates and how precise they are, in the codes UCDP and
/// ACLED use, and why any part could not be placed. Computed from the claim's own fields (events are
/// never rewritten); every answer that shows it names the gazetteer version that placed it.
public struct PlacedLocation: Sendable, Equatable {
    /// The country as coded (ISO 3166-1 alpha-2), or nil for a claim that names no single country.
    public var country: String?
    public var division: Gazetteer.Division?
    public var place: Gazetteer.Place?
    public var latitude: Double?
    public var longitude: Double?
    /// UCDP GED `where_prec`: 1 the place itself; 2 within about 25 km of a named place; 3 a
    /// second-order division; 4 a first-order division (its capital's coordinates); 6 only the
    /// country; nil when the claim names no single country.
    public var wherePrecision: Int?
    /// ACLED `geo_precision`: 1 the town itself; 2 near a town or a part of a region; 3 a larger
    /// region, at its capital's coordinates; nil without coordinates.
    public var geoPrecision: Int?
    /// Why a part of the location could not be placed, one reason each.
    public var unplaced: [String]
    /// Whether the words put the location near the place, between places, or at one of several.
    public var nearPlace = false
    public var gazetteerVersion: String

    mutating func set(latitude: Double, longitude: Double, where wherePrecision: Int, geo: Int?) {
        self.latitude = latitude
        self.longitude = longitude
        self.wherePrecision = wherePrecision
        geoPrecision = geo
    }

    /// The placement as the exports write it.
    public var json: JSONValue {
        [
            "country": .optional(country), "division_code": .optional(division?.code), "division_name": .optional(division?.name),
            "place": .optional(place) { ["geonames_id": .number(Double($0.geonameID)), "name": .string($0.name)] },
            "latitude": .optional(latitude, JSONValue.number), "longitude": .optional(longitude, JSONValue.number),
            "where_prec": .optional(wherePrecision.map { Int64($0) }), "geo_precision": .optional(geoPrecision.map { Int64($0) }),
            "unplaced": .array(unplaced.map(JSONValue.string)), "gazetteer": .string(gazetteerVersion),
        ]
    }
}

extension Gazetteer {
    /// Arabic words that make a place name the name of a division («محافظة الحسكة», the governorate,
    /// not the city): the location is then placed at the division.
    static let divisionWords: Set<String> = ["محافظه", "بمحافظه", "لمحافظه", "ولايه", "بولايه", "اقليم", "باقليم", "ولايات"]

    /// Arabic words that put the location near a place or between places rather than at it («بين
    /// أجدابيا وطرابلس», «قرب», «محيط»): the place is kept, at UCDP precision 2 and ACLED's 2.
    static let nearWords: Set<String> = ["بين", "قرب", "بالقرب", "محيط", "ضواحي", "اطراف", "ريف"]

    /// Places `location`: the division its `admin1` names (or, failing that, the division of the
    /// place its words name), the place its words name as written, and coordinates: the coder's
    /// own when coded, else the place's, else the division capital's.
    public func place(_ location: ClaimLocation) -> PlacedLocation {
        var placed = PlacedLocation(
            country: location.country, division: nil, place: nil, latitude: nil, longitude: nil, wherePrecision: nil, geoPrecision: nil,
            unplaced: [], gazetteerVersion: version)
        guard let country = location.country else {
            placed.unplaced.append("the claim names no single country")
            return placed
        }
        guard countries[country] != nil else {
            placed.wherePrecision = 6
            placed.unplaced.append("country \(country) is not in the gazetteer")
            return placed
        }
        if let admin1 = location.admin1 {
            placed.division = division(named: admin1, in: country)
            if placed.division == nil { placed.unplaced.append("\(admin1) is not an ISO 3166-2 division of \(country)") }
        }
        if let words = location.place?.asWritten {
            let folded = PlaceName.arabicFolded(words).split(separator: " ").map(String.init)
            let namesDivision = folded.contains { Self.divisionWords.contains($0) }
            // Near a place, between places, or one of several named («كاندالا وبوصاصو»): not at the place itself.
            let nearby = folded.contains { Self.nearWords.contains($0) } || folded.dropFirst().contains { $0.hasPrefix("و") && $0.count > 3 }
            let candidates = places(namedIn: words, country: country).filter { candidate in
                placed.division == nil || candidate.division == placed.division?.code
            }
            if let found = candidates.first {
                if namesDivision {
                    // The words name the division after its capital: placed at the division.
                    if placed.division == nil, let code = found.division { placed.division = divisions[code] }
                } else {
                    placed.place = found
                    placed.nearPlace = nearby
                    if placed.division == nil, let code = found.division { placed.division = divisions[code] }
                }
            }
        }
        if let coordinates = location.coordinates {
            let codes: (where: Int, geo: Int?) =
                switch coordinates.precision {
                case .exact: (1, 1)
                case .near: (2, 2)
                case .admin2: (3, 2)
                case .admin1: (4, 3)
                case .country: (6, nil)
                }
            placed.set(latitude: coordinates.lat, longitude: coordinates.lon, where: codes.where, geo: codes.geo)
        } else if let place = placed.place {
            placed.set(latitude: place.latitude, longitude: place.longitude, where: placed.nearPlace ? 2 : 1, geo: placed.nearPlace ? 2 : 1)
        } else if let capital = placed.division?.capitalID.flatMap({ places[$0] }) {
            placed.set(latitude: capital.latitude, longitude: capital.longitude, where: 4, geo: 3)
        } else {
            placed.wherePrecision = placed.division == nil ? 6 : 4
        }
        return placed
    }
}
