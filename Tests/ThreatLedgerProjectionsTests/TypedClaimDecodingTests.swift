import Foundation
import Testing
import ThreatLedgerStore
import ThreatLedgerTesting

@testable import ThreatLedgerCore

/// A stored claim document read straight from its bytes (the typed decoders) must give exactly what
/// the general path gives (the parser's tree, then the model's `init(json:path:)`), and wherever
/// the typed decoders do not take a document, the general path decides: the same claim, or the same
/// error, word for word.
@Suite struct TypedClaimDecodingTests {
    /// Every claim version of the oracle log (the picture every 25 events, the seeds' claims among
    /// them), and one claim with every optional field filled in.
    static func claims() async throws -> [ThreatPicture.Claim] {
        var picture = ThreatPicture()
        var versions: [String: ThreatPicture.Claim] = [:]
        for (offset, event) in try await IndexPagePreparationTests.recordedEvents().enumerated() {
            try picture.apply(event)
            guard offset % 25 == 24 else { continue }
            for claim in picture.claims.values { versions["\(claim.id) \(claim.revision) \(claim.retracted)"] = claim }
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
        return versions.keys.sorted().map { versions[$0]! } + [full]
    }

    static func typed(_ bytes: [UInt8], id: String) -> ThreatPicture.Claim? {
        bytes.withUnsafeBufferPointer { buffer in
            JSONByteReader.typed(buffer) { reader throws(TypedDecodingMiss) in try ThreatPicture.typedClaim(id: id, reading: &reader) }
        }
    }

    /// A reading's outcome: the claim, or the error's words.
    enum Outcome: Equatable {
        case success(ThreatPicture.Claim)
        case failure(String)
    }

    /// What the general path gives.
    static func general(_ bytes: [UInt8], id: String) -> Outcome {
        do { return .success(try ThreatPicture.claim(id: id, document: try JSONParser().parse(bytes))) } catch { return .failure("\(error)") }
    }

    /// What ``ThreatPicture/claim(id:documentBytes:)`` gives.
    static func combined(_ bytes: [UInt8], id: String) -> Outcome {
        do { return .success(try bytes.withUnsafeBufferPointer { try ThreatPicture.claim(id: id, documentBytes: $0) }) } catch {
            return .failure("\(error)")
        }
    }

    @Test func everyStoredClaimDocumentIsTakenByTheTypedDecodersAndReadsAsItWasWritten() async throws {
        let claims = try await Self.claims()
        #expect(claims.count > 200)
        for claim in claims {
            let bytes = CanonicalJSON.bytes(ThreatPicture.document(of: claim))
            let typed = Self.typed(bytes, id: claim.id)
            #expect(typed == claim, "claim \(claim.id): \(String(decoding: bytes, as: UTF8.self))")
            #expect(Self.general(bytes, id: claim.id) == .success(claim))
        }
    }

    @Test func mutatedDocumentsReadTheSameThroughBothPathsAndTheTypedDecodersTakeOnlyWhatTheTreeReadsAlike() async throws {
        let claims = try await Self.claims()
        var random = GeneratedLog.RandomNumbers(seed: 20_261_127)
        var takenRewritten = 0
        var takenMutated = 0
        var refused = 0
        for claim in claims {
            let document = ThreatPicture.document(of: claim)
            let canonical = CanonicalJSON.bytes(document)
            for round in 0..<12 {
                let mutant: [UInt8]
                switch round % 4 {
                case 0: mutant = Array(Self.written(document, random: &random).utf8)
                case 1: mutant = CanonicalJSON.bytes(Self.edited(document, random: &random))
                case 2: mutant = Array(Self.written(Self.edited(document, random: &random), random: &random).utf8)
                default: mutant = Self.bytesMutated(canonical, random: &random)
                }
                let general = Self.general(mutant, id: claim.id)
                let shown = String(decoding: mutant, as: UTF8.self)
                if let typed = Self.typed(mutant, id: claim.id) {
                    #expect(general == .success(typed), "the typed decoders took what the tree reads otherwise: \(shown)")
                    if mutant != canonical, round % 4 == 0 {
                        takenRewritten += 1
                    } else if mutant != canonical {
                        takenMutated += 1
                    }
                }
                if case .failure = general { refused += 1 }
                #expect(Self.combined(mutant, id: claim.id) == general, "\(shown)")
            }
        }
        // The comparison ran on documents the typed decoders took although they were not the bytes
        // the index writes (spacing, member order, escapes, numbers spelled otherwise), and on
        // documents the general path refuses.
        print("typed decoders took \(takenRewritten) rewritten and \(takenMutated) edited documents; the tree refused \(refused)")
        #expect(takenRewritten > 250)
        #expect(takenMutated > 200)
        #expect(refused > 500)
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
