import Foundation
import Testing
import ThreatLedgerStore
import ThreatLedgerTesting

@testable import ThreatLedgerCore

/// A stored document (claim, source, incident) read straight from its bytes (the typed decoders)
/// must give exactly what the general path gives (the parser's tree, then the model's
/// `init(json:path:)`), and wherever the typed decoders do not take a document, the general path
/// decides: the same value, or the same error, word for word.
@Suite struct TypedDocumentDecodingTests {
    /// Every version of every claim, source and incident of the oracle log (the picture every 25
    /// events, the seeds' among them), and one claim, one source and one incident with every
    /// optional field filled in.
    static func versions() async throws -> (claims: [ThreatPicture.Claim], sources: [ThreatPicture.Source], incidents: [ThreatPicture.Incident]) {
        var picture = ThreatPicture()
        var claims: [String: ThreatPicture.Claim] = [:]
        var sources: [String: ThreatPicture.Source] = [:]
        var incidents: [String: ThreatPicture.Incident] = [:]
        for (offset, event) in try await IndexPagePreparationTests.recordedEvents().enumerated() {
            try picture.apply(event)
            guard offset % 25 == 24 else { continue }
            for claim in picture.claims.values { claims["\(claim.id) \(claim.revision) \(claim.retracted)"] = claim }
            for source in picture.sources.values { sources["\(source.id) \(source.changes.count)"] = source }
            for incident in picture.incidents.values { incidents["\(incident.id) \(incident.claimIDs)"] = incident }
        }
        var full = try #require(picture.claims.values.sorted { $0.id < $1.id }.first { !$0.figures.isEmpty })
        full.id = "every-field"
        let evidence = full.coded.statement
        full.coded.actors = ClaimActors(
            perpetrator: Actor(name: "ISIS", nameAsWritten: "داعش", type: "isis"), target: Actor(name: "soldiers", nameAsWritten: nil, type: "military"),
            authority: Actor(name: "Iraqi army", nameAsWritten: "الجيش", type: "government"))
        full.coded.attribution = Attribution(
            cited: "a source", citedAsWritten: "مصدر", citedType: "security", hedged: true, hedgeWords: "قيل", evidence: evidence)
        full.coded.date.evidence = evidence
        full.coded.date.note = "resolved against the publication date"
        full.coded.location = ClaimLocation(
            country: "IQ", admin1: "Diyala", place: .init(asWritten: "بعقوبة", transliteration: "Baqubah"),
            coordinates: .init(lat: 33.75, lon: 44.6333, precision: .near), evidence: evidence, note: "the article's town")
        full.coded.figures[0].currency = "USD"
        full.coded.figures[0].partOf = 0
        full.coded.figures[0].sourceID = "another-source"
        full.coded.figures[0].datasetFields = .init(low: "fatalities", high: nil)
        full.coded.notes = "a coder's note with \"quotes\" and a \\ backslash\n"
        full.coded.proposal = ClaimProposal(
            status: .accepted, proposer: "threatledger propose 1", confidence: 0.75, cues: ["هاجم", "x"], acceptedBy: "analyst")
        full.changes.append(.init(type: "ClaimCorrected", position: 9, recordedAt: RecordTime(microsecondsSinceEpoch: 5), recordedBy: "a", reason: nil))

        var source = try #require(picture.sources.values.sorted { $0.id < $1.id }.first)
        source.id = "every-field"
        source.url = "https://example.org/a?b=c&d=\u{00e9}"
        source.retracted = true
        source.changes.append(
            .init(type: "SourceRetracted", position: 7, recordedAt: RecordTime(microsecondsSinceEpoch: 3), recordedBy: "b", reason: "a reason"))

        var incident = try #require(picture.incidents.values.sorted { $0.id < $1.id }.first)
        incident.id = "every-field"
        incident.disagreements = [
            IncidentDisagreement(
                field: "figures.killed",
                values: [.init(claimID: "a", value: [1, "x", ["nested": .null, "list": [true, 2.5]]]), .init(claimID: "b", value: 3)],
                note: "as coded"),
            IncidentDisagreement(field: "date", values: [.init(claimID: "c", value: "2019-03-01")], note: nil),
        ]
        func sorted<T>(_ versions: [String: T]) -> [T] { versions.keys.sorted().map { versions[$0]! } }
        return (sorted(claims) + [full], sorted(sources) + [source], sorted(incidents) + [incident])
    }

    /// A reading's outcome: the value, or the error's words.
    enum Outcome<Value: Equatable>: Equatable {
        case success(Value)
        case failure(String)

        init(_ read: () throws -> Value) {
            do { self = .success(try read()) } catch { self = .failure("\(error)") }
        }
    }

    /// How one kind of document is read: by the typed decoders alone, by the general path, and by
    /// the bytes reading the pictures use (typed, else general).
    struct Reading<Value: Equatable> {
        let typed: (inout JSONByteReader, String) throws(TypedDecodingMiss) -> Value
        let general: (String, JSONValue) throws -> Value
        let combined: (String, UnsafeBufferPointer<UInt8>) throws -> Value

        func typed(_ bytes: [UInt8], id: String) -> Value? {
            bytes.withUnsafeBufferPointer { buffer in JSONByteReader.typed(buffer) { reader throws(TypedDecodingMiss) in try typed(&reader, id) } }
        }

        func general(_ bytes: [UInt8], id: String) -> Outcome<Value> {
            Outcome { try general(id, try JSONParser().parse(bytes)) }
        }

        func combined(_ bytes: [UInt8], id: String) -> Outcome<Value> {
            Outcome { try bytes.withUnsafeBufferPointer { try combined(id, $0) } }
        }
    }

    static var claims: Reading<ThreatPicture.Claim> {
        Reading(
            typed: { reader, id throws(TypedDecodingMiss) in try ThreatPicture.typedClaim(id: id, reading: &reader) },
            general: { try ThreatPicture.claim(id: $0, document: $1) }, combined: { try ThreatPicture.claim(id: $0, documentBytes: $1) })
    }
    static var sources: Reading<ThreatPicture.Source> {
        Reading(
            typed: { reader, id throws(TypedDecodingMiss) in try ThreatPicture.typedSource(id: id, reading: &reader) },
            general: { try ThreatPicture.source(id: $0, document: $1) }, combined: { try ThreatPicture.source(id: $0, documentBytes: $1) })
    }
    static var incidents: Reading<ThreatPicture.Incident> {
        Reading(
            typed: { reader, id throws(TypedDecodingMiss) in try ThreatPicture.typedIncident(id: id, reading: &reader) },
            general: { try ThreatPicture.incident(id: $0, document: $1) }, combined: { try ThreatPicture.incident(id: $0, documentBytes: $1) })
    }

    @Test func everyStoredDocumentIsTakenByTheTypedDecodersAndReadsAsItWasWritten() async throws {
        let (claims, sources, incidents) = try await Self.versions()
        print("\(claims.count) claim, \(sources.count) source and \(incidents.count) incident versions")
        #expect(claims.count > 200 && sources.count > 25 && incidents.count > 20)
        func check<Value: Equatable>(_ values: [(String, Value, JSONValue)], _ reading: Reading<Value>) {
            for (id, value, document) in values {
                let bytes = CanonicalJSON.bytes(document)
                #expect(reading.typed(bytes, id: id) == value, "\(id): \(String(decoding: bytes, as: UTF8.self))")
                #expect(reading.general(bytes, id: id) == .success(value))
            }
        }
        check(claims.map { ($0.id, $0, ThreatPicture.document(of: $0)) }, Self.claims)
        check(sources.map { ($0.id, $0, ThreatPicture.document(of: $0)) }, Self.sources)
        check(incidents.map { ($0.id, $0, ThreatPicture.document(of: $0)) }, Self.incidents)
    }

    @Test func mutatedDocumentsReadTheSameThroughBothPathsAndTheTypedDecodersTakeOnlyWhatTheTreeReadsAlike() async throws {
        let (claims, sources, incidents) = try await Self.versions()
        var random = GeneratedLog.RandomNumbers(seed: 20_261_127)
        var takenRewritten = 0
        var takenMutated = 0
        var refused = 0
        func check<Value: Equatable>(_ documents: [(String, JSONValue)], _ reading: Reading<Value>) {
            for (id, document) in documents {
                let canonical = CanonicalJSON.bytes(document)
                for round in 0..<12 {
                    let mutant: [UInt8]
                    switch round % 4 {
                    case 0: mutant = Array(Self.written(document, random: &random).utf8)
                    case 1: mutant = CanonicalJSON.bytes(Self.edited(document, random: &random))
                    case 2: mutant = Array(Self.written(Self.edited(document, random: &random), random: &random).utf8)
                    default: mutant = Self.bytesMutated(canonical, random: &random)
                    }
                    let general = reading.general(mutant, id: id)
                    let shown = String(decoding: mutant, as: UTF8.self)
                    if let typed = reading.typed(mutant, id: id) {
                        #expect(general == .success(typed), "the typed decoders took what the tree reads otherwise: \(shown)")
                        if mutant != canonical, round % 4 == 0 {
                            takenRewritten += 1
                        } else if mutant != canonical {
                            takenMutated += 1
                        }
                    }
                    if case .failure = general { refused += 1 }
                    #expect(reading.combined(mutant, id: id) == general, "\(shown)")
                }
            }
        }
        check(claims.map { ($0.id, ThreatPicture.document(of: $0)) }, Self.claims)
        check(sources.map { ($0.id, ThreatPicture.document(of: $0)) }, Self.sources)
        check(incidents.map { ($0.id, ThreatPicture.document(of: $0)) }, Self.incidents)
        // The comparison ran on documents the typed decoders took although they were not the bytes
        // the index writes (spacing, member order, escapes, numbers spelled otherwise), and on
        // documents the general path refuses.
        print("typed decoders took \(takenRewritten) rewritten and \(takenMutated) edited documents; the tree refused \(refused)")
        #expect(takenRewritten > 350)
        #expect(takenMutated > 300)
        #expect(refused > 700)
    }

    /// A `ClaimRecorded` payload is read by the same typed decoders when the whole-log fold applies
    /// it: every payload of the oracle log, and mutants of each, fold to the claim the general path
    /// (`CodedClaim(json:path:)` over the parsed payload) gives, or fail where it fails.
    @Test func recordedClaimPayloadsFoldToWhatTheGeneralPathReads() async throws {
        let recorded = try await IndexPagePreparationTests.recordedEvents().filter { $0.type == EventType.claimRecorded.rawValue }
        #expect(recorded.count > 200)
        var random = GeneratedLog.RandomNumbers(seed: 20_261_128)
        var taken = 0
        var refused = 0
        for event in recorded {
            let payload = try JSONParser().parse(event.payloadJSON)
            #expect(CodedClaim(typedText: event.payloadJSON) == (try CodedClaim(json: payload, path: "payload")))
            for round in 0..<6 {
                let mutant: [UInt8]
                switch round % 3 {
                case 0: mutant = Array(Self.written(payload, random: &random).utf8)
                case 1: mutant = CanonicalJSON.bytes(Self.edited(payload, random: &random))
                default: mutant = Self.bytesMutated(Array(event.payloadJSON.utf8), random: &random)
                }
                guard let text = String(validating: mutant, as: UTF8.self) else { continue }
                let general = Outcome { try CodedClaim(json: try JSONParser().parse(mutant), path: "payload") }
                if let typed = CodedClaim(typedText: text) {
                    taken += 1
                    #expect(general == .success(typed), "\(text)")
                }
                var picture = ThreatPicture()
                let folded = Outcome { () throws -> CodedClaim in
                    try picture.apply(
                        RecordedEvent(
                            position: event.position, id: event.id, stream: event.stream, streamVersion: event.streamVersion, type: event.type,
                            schemaVersion: event.schemaVersion, payloadJSON: text, metadata: event.metadata, recordedAt: event.recordedAt,
                            previousHash: event.previousHash, hash: event.hash))
                    return try #require(picture.claims.values.first).coded
                }
                switch (general, folded) {
                case (.success(let expected), .success(let claim)): #expect(claim == expected, "\(text)")
                case (.failure, .failure): refused += 1
                default: Issue.record("the fold and the general path disagree on \(text): \(folded) against \(general)")
                }
            }
        }
        #expect(taken > 400 && refused > 200)
    }

    // MARK: Mutations

    /// The same document written another way: members in a random order, random spacing, some
    /// strings with escapes, some integers spelled as `1.0` or `1e0`.
    static func written(_ value: JSONValue, random: inout GeneratedLog.RandomNumbers) -> String {
        let spaces = [" ", "\n", "\t", "\r\n  "]
        func space() -> String { random.below(4) == 0 ? spaces[random.below(spaces.count)] : "" }
        switch value {
        case .object(let object):
            var members = object.members
            if random.below(2) == 0 {
                for i in members.indices.dropLast() { members.swapAt(i, i + random.below(members.count - i)) }
            }
            let parts = members.map { member in
                space() + writtenString(member.key, random: &random) + space() + ":" + space() + written(member.value, random: &random) + space()
            }
            return "{" + parts.joined(separator: ",") + space() + "}"
        case .array(let elements):
            return "[" + elements.map { space() + written($0, random: &random) + space() }.joined(separator: ",") + "]"
        case .string(let text):
            return random.below(3) == 0 ? escaped(text) : writtenString(text, random: &random)
        case .number(let number) where number.rounded() == number && abs(number) < 1e15:
            switch random.below(4) {
            case 0: return "\(Int64(number)).0"
            case 1: return "\(Int64(number))e0"
            default: return CanonicalJSON.string(value)
            }
        default:
            return CanonicalJSON.string(value)
        }
    }

    static func writtenString(_ text: String, random: inout GeneratedLog.RandomNumbers) -> String {
        random.below(100) == 0 ? escaped(text) : CanonicalJSON.string(.string(text))
    }

    /// `text` as a JSON string with its first scalar written as a `\u` escape.
    static func escaped(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, first.value < 0x10000 else { return CanonicalJSON.string(.string(text)) }
        let rest = CanonicalJSON.string(.string(String(text.unicodeScalars.dropFirst())))
        return "\"" + String(format: "\\u%04x", first.value) + rest.dropFirst()
    }

    /// The document with one member somewhere deleted, replaced by another kind of value, or given a
    /// sibling the model does not know.
    static func edited(_ document: JSONValue, random: inout GeneratedLog.RandomNumbers) -> JSONValue {
        var count = 0
        func countMembers(_ value: JSONValue) {
            switch value {
            case .object(let object):
                count += object.count
                object.values.forEach(countMembers)
            case .array(let elements): elements.forEach(countMembers)
            default: break
            }
        }
        countMembers(document)
        var target = random.below(max(1, count))
        let replacements: [JSONValue] = [.null, 0, 1.5, -3, .number(9_007_199_254_740_994), "x", "2020-13-01", true, [], [:], ["x"], "attack"]
        let action = random.below(4)
        let replacement = replacements[random.below(replacements.count)]
        func edit(_ value: JSONValue) -> JSONValue {
            switch value {
            case .object(var object):
                for key in object.keys {
                    if target == 0 {
                        target -= 1
                        switch action {
                        case 0: object[key] = nil
                        case 1: object["extra_field"] = 1
                        default: object[key] = replacement
                        }
                        return .object(object)
                    }
                    target -= 1
                    object[key] = edit(object[key]!)
                }
                return .object(object)
            case .array(let elements): return .array(elements.map(edit))
            default: return value
            }
        }
        return edit(document)
    }

    /// Bytes changed at random: a key written twice, a byte replaced, inserted or dropped, the end cut.
    static func bytesMutated(_ input: [UInt8], random: inout GeneratedLog.RandomNumbers) -> [UInt8] {
        var bytes = input
        let interesting = Array("{}[]\":,\\-.eE019nulltruefalse ".utf8) + [0x00, 0x7F, 0x80, 0xC3, 0xD8, 0xFF]
        switch random.below(5) {
        case 0: bytes.insert(contentsOf: Array(#""revision":1,"#.utf8), at: 1)
        case 1: bytes[random.below(bytes.count)] = interesting[random.below(interesting.count)]
        case 2: bytes.insert(interesting[random.below(interesting.count)], at: random.below(bytes.count))
        case 3: bytes.remove(at: random.below(bytes.count))
        default: bytes = Array(bytes[..<random.below(bytes.count)])
        }
        return bytes
    }
}
