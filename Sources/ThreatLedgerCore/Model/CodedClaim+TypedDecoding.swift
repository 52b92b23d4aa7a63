/// The claim's types read straight from a document's bytes (``JSONByteReader/members(_:)``): each
/// takes what its `init(json:path:)` takes and gives the same value, and misses on anything else
/// (a missing required field, a key it does not know, a value of another type), so that the
/// general path decides and names the error. Every field follows its `init(json:path:)` line by
/// line: required where that reads with `string`/`integer`/`choice`, nil for null or absent where
/// it reads with `optional…`.
extension CodedClaim {
    /// A claim's fields from the bytes of its JSON, or nil where the general path
    /// (``init(json:path:)``) must decide.
    public init?(typedBytes bytes: UnsafeBufferPointer<UInt8>) {
        guard let claim = JSONByteReader.typed(bytes, { reader throws(TypedDecodingMiss) in try CodedClaim(reading: &reader) }) else { return nil }
        self = claim
    }

    /// ``init(typedBytes:)`` for JSON held in a string (a `ClaimRecorded` payload as stored).
    public init?(typedText text: String) {
        var text = text
        guard let claim = text.withUTF8({ CodedClaim(typedBytes: $0) }) else { return nil }
        self = claim
    }

    init(reading reader: inout JSONByteReader) throws(TypedDecodingMiss) {
        var seen = SeenFields()
        var claimID: String?
        var sourceID: String?
        var kind: Kind?
        var scope: Scope?
        var summary: String?
        var statement: Evidence?
        var actors: ClaimActors?
        var attribution: Attribution?
        var date: CodedDate?
        var location: ClaimLocation?
        var figures: [ClaimFigure]?
        var notes: String?
        var proposal: ClaimProposal?
        try reader.members { reader, key throws(TypedDecodingMiss) in
            switch key {
            case "claim_id":
                try seen.insert(0)
                claimID = try reader.string()
            case "source_id":
                try seen.insert(1)
                sourceID = try reader.string()
            case "kind":
                try seen.insert(2)
                kind = try reader.choice()
            case "scope":
                try seen.insert(3)
                scope = try reader.choice()
            case "summary":
                try seen.insert(4)
                summary = try reader.string()
            case "statement":
                try seen.insert(5)
                statement = try Evidence(reading: &reader)
            case "actors":
                try seen.insert(6)
                actors = try ClaimActors(reading: &reader)
            case "attribution":
                try seen.insert(7)
                attribution = try Attribution(reading: &reader)
            case "date":
                try seen.insert(8)
                date = try CodedDate(reading: &reader)
            case "location":
                try seen.insert(9)
                location = try ClaimLocation(reading: &reader)
            case "figures":
                try seen.insert(10)
                var read: [ClaimFigure] = []
                try reader.elements { reader throws(TypedDecodingMiss) in read.append(try ClaimFigure(reading: &reader)) }
                figures = read
            case "notes":
                try seen.insert(11)
                notes = try reader.optionalString()
            case "proposal":
                try seen.insert(12)
                proposal = try reader.optional { reader throws(TypedDecodingMiss) in try ClaimProposal(reading: &reader) }
            default: throw TypedDecodingMiss()
            }
        }
        guard let claimID, let sourceID, let kind, let scope, let summary, let statement, let actors, let attribution, let date, let location,
            let figures
        else { throw TypedDecodingMiss() }
        self.init(
            claimID: claimID, sourceID: sourceID, kind: kind, scope: scope, summary: summary, statement: statement, actors: actors,
            attribution: attribution, date: date, location: location, figures: figures, notes: notes, proposal: proposal)
    }
}

extension Evidence {
    init(reading reader: inout JSONByteReader) throws(TypedDecodingMiss) {
        var seen = SeenFields()
        var sha256: String?
        var exact: String?
        var prefix: String?
        var suffix: String?
        var start: Int64?
        var end: Int64?
        try reader.members { reader, key throws(TypedDecodingMiss) in
            switch key {
            case "article_sha256":
                try seen.insert(0)
                sha256 = try reader.string()
            case "quote":
                try seen.insert(1)
                var quoteSeen = SeenFields()
                try reader.members { reader, key throws(TypedDecodingMiss) in
                    switch key {
                    case "exact":
                        try quoteSeen.insert(0)
                        exact = try reader.string()
                    case "prefix":
                        try quoteSeen.insert(1)
                        prefix = try reader.string()
                    case "suffix":
                        try quoteSeen.insert(2)
                        suffix = try reader.string()
                    case "type":  // not read by the model; taken only as the string it is written as
                        try quoteSeen.insert(3)
                        _ = try reader.string()
                    default: throw TypedDecodingMiss()
                    }
                }
            case "position":
                try seen.insert(2)
                var positionSeen = SeenFields()
                try reader.members { reader, key throws(TypedDecodingMiss) in
                    switch key {
                    case "start":
                        try positionSeen.insert(0)
                        start = try reader.integer()
                    case "end":
                        try positionSeen.insert(1)
                        end = try reader.integer()
                    case "type":
                        try positionSeen.insert(2)
                        _ = try reader.string()
                    default: throw TypedDecodingMiss()
                    }
                }
            default: throw TypedDecodingMiss()
            }
        }
        guard let sha256, let exact, let prefix, let suffix, let start, let end else { throw TypedDecodingMiss() }
        self.init(articleSHA256: sha256, exact: exact, prefix: prefix, suffix: suffix, start: Int(start), end: Int(end))
    }
}

extension Actor {
    init(reading reader: inout JSONByteReader) throws(TypedDecodingMiss) {
        var seen = SeenFields()
        var name: String?
        var nameAsWritten: String?
        var type: String?
        try reader.members { reader, key throws(TypedDecodingMiss) in
            switch key {
            case "name":
                try seen.insert(0)
                name = try reader.string()
            case "name_as_written":
                try seen.insert(1)
                nameAsWritten = try reader.optionalString()
            case "type":
                try seen.insert(2)
                type = try reader.string()
            default: throw TypedDecodingMiss()
            }
        }
        guard let name, let type else { throw TypedDecodingMiss() }
        self.init(name: name, nameAsWritten: nameAsWritten, type: type)
    }
}

extension ClaimActors {
    init(reading reader: inout JSONByteReader) throws(TypedDecodingMiss) {
        var seen = SeenFields()
        var actors: [Actor?] = [nil, nil, nil]
        try reader.members { reader, key throws(TypedDecodingMiss) in
            let field: Int
            switch key {
            case "perpetrator": field = 0
            case "target": field = 1
            case "authority": field = 2
            default: throw TypedDecodingMiss()
            }
            try seen.insert(field)
            actors[field] = try reader.optional { reader throws(TypedDecodingMiss) in try Actor(reading: &reader) }
        }
        self.init(perpetrator: actors[0], target: actors[1], authority: actors[2])
    }
}

extension Attribution {
    init(reading reader: inout JSONByteReader) throws(TypedDecodingMiss) {
        var seen = SeenFields()
        var cited: String?
        var citedAsWritten: String?
        var citedType: String?
        var hedged: Bool?
        var hedgeWords: String?
        var evidence: Evidence?
        try reader.members { reader, key throws(TypedDecodingMiss) in
            switch key {
            case "cited":
                try seen.insert(0)
                cited = try reader.optionalString()
            case "cited_as_written":
                try seen.insert(1)
                citedAsWritten = try reader.optionalString()
            case "cited_type":
                try seen.insert(2)
                citedType = try reader.string()
            case "hedged":
                try seen.insert(3)
                hedged = try reader.bool()
            case "hedge_words":
                try seen.insert(4)
                hedgeWords = try reader.optionalString()
            case "evidence":
                try seen.insert(5)
                evidence = try reader.optional { reader throws(TypedDecodingMiss) in try Evidence(reading: &reader) }
            default: throw TypedDecodingMiss()
            }
        }
        guard let citedType, let hedged else { throw TypedDecodingMiss() }
        self.init(cited: cited, citedAsWritten: citedAsWritten, citedType: citedType, hedged: hedged, hedgeWords: hedgeWords, evidence: evidence)
    }
}

extension CodedDate {
    init(reading reader: inout JSONByteReader) throws(TypedDecodingMiss) {
        var seen = SeenFields()
        var start: CalendarDate?
        var end: CalendarDate?
        var precision: Precision?
        var basis: Basis?
        var words: String?
        var evidence: Evidence?
        var note: String?
        try reader.members { reader, key throws(TypedDecodingMiss) in
            switch key {
            case "start":
                try seen.insert(0)
                start = try reader.date()
            case "end":
                try seen.insert(1)
                end = try reader.date()
            case "precision":
                try seen.insert(2)
                precision = try reader.choice()
            case "basis":
                try seen.insert(3)
                basis = try reader.optionalChoice()
            case "words":
                try seen.insert(4)
                words = try reader.optionalString()
            case "evidence":
                try seen.insert(5)
                evidence = try reader.optional { reader throws(TypedDecodingMiss) in try Evidence(reading: &reader) }
            case "note":
                try seen.insert(6)
                note = try reader.optionalString()
            default: throw TypedDecodingMiss()
            }
        }
        guard let precision else { throw TypedDecodingMiss() }
        self.init(start: start, end: end, precision: precision, basis: basis, words: words, evidence: evidence, note: note)
    }
}

extension ClaimLocation {
    init(reading reader: inout JSONByteReader) throws(TypedDecodingMiss) {
        var seen = SeenFields()
        var country: String?
        var admin1: String?
        var place: Place?
        var coordinates: Coordinates?
        var evidence: Evidence?
        var note: String?
        try reader.members { reader, key throws(TypedDecodingMiss) in
            switch key {
            case "country":
                try seen.insert(0)
                country = try reader.optionalString()
            case "admin1":
                try seen.insert(1)
                admin1 = try reader.optionalString()
            case "place":
                try seen.insert(2)
                place = try reader.optional { reader throws(TypedDecodingMiss) in try Place(reading: &reader) }
            case "coordinates":
                try seen.insert(3)
                coordinates = try reader.optional { reader throws(TypedDecodingMiss) in try Coordinates(reading: &reader) }
            case "evidence":
                try seen.insert(4)
                evidence = try reader.optional { reader throws(TypedDecodingMiss) in try Evidence(reading: &reader) }
            case "note":
                try seen.insert(5)
                note = try reader.optionalString()
            default: throw TypedDecodingMiss()
            }
        }
        self.init(country: country, admin1: admin1, place: place, coordinates: coordinates, evidence: evidence, note: note)
    }
}

extension ClaimLocation.Place {
    init(reading reader: inout JSONByteReader) throws(TypedDecodingMiss) {
        var seen = SeenFields()
        var asWritten: String?
        var transliteration: String?
        try reader.members { reader, key throws(TypedDecodingMiss) in
            switch key {
            case "as_written":
                try seen.insert(0)
                asWritten = try reader.string()
            case "transliteration":
                try seen.insert(1)
                transliteration = try reader.optionalString()
            default: throw TypedDecodingMiss()
            }
        }
        guard let asWritten else { throw TypedDecodingMiss() }
        self.init(asWritten: asWritten, transliteration: transliteration)
    }
}

extension ClaimLocation.Coordinates {
    init(reading reader: inout JSONByteReader) throws(TypedDecodingMiss) {
        var seen = SeenFields()
        var lat: Double?
        var lon: Double?
        var precision: Precision?
        try reader.members { reader, key throws(TypedDecodingMiss) in
            switch key {
            case "lat":
                try seen.insert(0)
                lat = try reader.number()
            case "lon":
                try seen.insert(1)
                lon = try reader.number()
            case "precision":
                try seen.insert(2)
                precision = try reader.choice()
            default: throw TypedDecodingMiss()
            }
        }
        guard let lat, let lon, let precision else { throw TypedDecodingMiss() }
        self.init(lat: lat, lon: lon, precision: precision)
    }
}

extension ClaimFigure {
    init(reading reader: inout JSONByteReader) throws(TypedDecodingMiss) {
        var seen = SeenFields()
        var measure: String?
        var unit: String?
        var currency: String?
        var low: Int64?
        var high: Int64?
        var qualifier: Qualifier?
        var evidence: Evidence?
        var basis: Basis?
        var note: String?
        var partOf: Int64?
        var sourceID: String?
        var datasetFields: DatasetFields?
        try reader.members { reader, key throws(TypedDecodingMiss) in
            switch key {
            case "measure":
                try seen.insert(0)
                measure = try reader.string()
            case "unit":
                try seen.insert(1)
                unit = try reader.optionalString()
            case "currency":
                try seen.insert(2)
                currency = try reader.optionalString()
            case "low":
                try seen.insert(3)
                low = try reader.optionalInteger()
            case "high":
                try seen.insert(4)
                high = try reader.optionalInteger()
            case "qualifier":
                try seen.insert(5)
                qualifier = try reader.choice()
            case "evidence":
                try seen.insert(6)
                evidence = try Evidence(reading: &reader)
            case "basis":
                try seen.insert(7)
                basis = try reader.choice()
            case "note":
                try seen.insert(8)
                note = try reader.optionalString()
            case "part_of":
                try seen.insert(9)
                partOf = try reader.optionalInteger()
            case "source_id":
                try seen.insert(10)
                sourceID = try reader.optionalString()
            case "dataset_fields":
                try seen.insert(11)
                datasetFields = try reader.optional { reader throws(TypedDecodingMiss) in try DatasetFields(reading: &reader) }
            default: throw TypedDecodingMiss()
            }
        }
        guard let measure, let qualifier, let evidence, let basis else { throw TypedDecodingMiss() }
        self.init(
            measure: measure, unit: unit, currency: currency, low: low, high: high, qualifier: qualifier, evidence: evidence, basis: basis,
            note: note, partOf: partOf.map { Int($0) }, sourceID: sourceID, datasetFields: datasetFields)
    }
}

extension ClaimFigure.DatasetFields {
    init(reading reader: inout JSONByteReader) throws(TypedDecodingMiss) {
        var seen = SeenFields()
        var low: String?
        var high: String?
        try reader.members { reader, key throws(TypedDecodingMiss) in
            switch key {
            case "low":
                try seen.insert(0)
                low = try reader.optionalString()
            case "high":
                try seen.insert(1)
                high = try reader.optionalString()
            default: throw TypedDecodingMiss()
            }
        }
        self.init(low: low, high: high)
    }
}

extension ClaimProposal {
    init(reading reader: inout JSONByteReader) throws(TypedDecodingMiss) {
        var seen = SeenFields()
        var status: Status?
        var proposer: String?
        var confidence: Double?
        var cues: [String]?
        var acceptedBy: String?
        try reader.members { reader, key throws(TypedDecodingMiss) in
            switch key {
            case "status":
                try seen.insert(0)
                status = try reader.choice()
            case "proposer":
                try seen.insert(1)
                proposer = try reader.string()
            case "confidence":
                try seen.insert(2)
                confidence = try reader.number()
            case "cues":
                try seen.insert(3)
                var read: [String] = []
                try reader.elements { reader throws(TypedDecodingMiss) in read.append(try reader.string()) }
                cues = read
            case "accepted_by":
                try seen.insert(4)
                acceptedBy = try reader.optionalString()
            default: throw TypedDecodingMiss()
            }
        }
        guard let status, let proposer, let confidence, let cues else { throw TypedDecodingMiss() }
        self.init(status: status, proposer: proposer, confidence: confidence, cues: cues, acceptedBy: acceptedBy)
    }
}
