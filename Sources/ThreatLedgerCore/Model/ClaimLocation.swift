/// Where a claim places what it reports (`schemas/location.schema.json`): the country and
/// first-level division the region summaries key by, the place as the article writes it, and the
/// coder's coordinates when there are any.
public struct ClaimLocation: Sendable, Hashable {
    public struct Place: Sendable, Hashable {
        /// The place name as the article writes it.
        public var asWritten: String
        public var transliteration: String?

        public init(asWritten: String, transliteration: String?) {
            self.asWritten = asWritten
            self.transliteration = transliteration
        }
    }

    public struct Coordinates: Sendable, Hashable {
        public enum Precision: String, Sendable, Hashable, CaseIterable {
            case exact, near, admin2, admin1, country
        }

        public var lat: Double
        public var lon: Double
        public var precision: Precision

        public init(lat: Double, lon: Double, precision: Precision) {
            self.lat = lat
            self.lon = lon
            self.precision = precision
        }
    }

    /// ISO 3166-1 alpha-2, or nil when the article does not say.
    public var country: String?
    /// The first-level division in English.
    public var admin1: String?
    public var place: Place?
    public var coordinates: Coordinates?
    public var evidence: Evidence?
    /// Where the coder placed it and why, when the article does not say.
    public var note: String?

    public init(
        country: String?, admin1: String?, place: Place?, coordinates: Coordinates? = nil, evidence: Evidence? = nil,
        note: String? = nil
    ) {
        self.country = country
        self.admin1 = admin1
        self.place = place
        self.coordinates = coordinates
        self.evidence = evidence
        self.note = note
    }

    public init(json: JSONValue?, path: String) throws(ModelDecodingError) {
        let reader = try ModelReader(json, path: path)
        var place: Place?
        if let p = try reader.optionalObject("place") {
            place = Place(asWritten: try p.string("as_written"), transliteration: try p.optionalString("transliteration"))
        }
        var coordinates: Coordinates?
        if let c = try reader.optionalObject("coordinates") {
            coordinates = Coordinates(lat: try c.number("lat"), lon: try c.number("lon"), precision: try c.choice("precision"))
        }
        self.init(
            country: try reader.optionalString("country"), admin1: try reader.optionalString("admin1"), place: place,
            coordinates: coordinates, evidence: try reader.optional("evidence", Evidence.init(json:path:)),
            note: try reader.optionalString("note"))
    }

    /// The location as the schema writes it; every field is named, null where nothing was coded.
    public var json: JSONValue {
        [
            "country": .optional(country), "admin1": .optional(admin1),
            "place": .optional(place) { ["as_written": .string($0.asWritten), "transliteration": .optional($0.transliteration)] },
            "coordinates": .optional(coordinates) {
                ["lat": .number($0.lat), "lon": .number($0.lon), "precision": .string($0.precision.rawValue)]
            },
            "evidence": .optional(evidence, \.json), "note": .optional(note),
        ]
    }
}
