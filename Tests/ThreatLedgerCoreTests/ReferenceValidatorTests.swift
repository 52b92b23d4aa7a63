import Foundation
import Testing
import ThreatLedgerCore
import ThreatLedgerTesting

/// ThreatLedger's schema validator held to an independent JSON Schema 2020-12 validator: Python's
/// `jsonschema` with its FormatChecker and an ECMA-262 `pattern` engine (`regress`), run by
/// `scripts/reference-validate.py`. Over every schema in `schemas/` that an instance is meant for,
/// with the seed lines, the hostile corpus, the fuzz corpus and seeded mutations of the seed
/// lines, both must give the same verdict (accept or refuse) on every instance.
///
/// Only instances ThreatLedger's JSON parser accepts are compared (a line that is not JSON never
/// reaches a schema), and instances over 1 MB are left out (the reference would take seconds on
/// the 100 MB hostile summary; both refuse it by `maxLength`, which smaller cases cover).
/// No keyword in `schemas/` is known where the two cannot agree.
@Suite struct ReferenceValidatorTests {
    struct Case {
        let schema: String
        let instance: JSONValue
        let origin: String
    }

    @Test func everyVerdictEqualsTheReferenceValidatorsOnSeedsHostileFuzzAndMutatedLines() throws {
        let cases = try Self.cases()
        #expect(cases.count > 3_000)
        let validator = EventValidator.standard.schemas
        let ours = cases.map { (try? validator.validate($0.instance, against: $0.schema)) != nil }
        let theirs = try Self.referenceVerdicts(cases)
        try #require(theirs.count == cases.count, "the reference answered \(theirs.count) of \(cases.count) cases")
        var disagreements: [String] = []
        for (index, item) in cases.enumerated() where ours[index] != theirs[index].valid {
            var ourError = ""
            do throws(SchemaViolation) { try validator.validate(item.instance, against: item.schema) } catch { ourError = error.description }
            disagreements.append(
                "\(item.origin) against \(item.schema): ThreatLedger \(ours[index] ? "accepts" : "refuses (\(ourError))"), "
                    + "the reference \(theirs[index].valid ? "accepts" : "refuses (\(theirs[index].error))"): \(String(decoding: CanonicalJSON.bytes(item.instance).prefix(300), as: UTF8.self))"
            )
        }
        #expect(disagreements.isEmpty, "\(disagreements.count) disagreements:\n\(disagreements.prefix(20).joined(separator: "\n"))")
        // Both verdicts occur in quantity, so agreement is not agreement on "everything passes".
        #expect(ours.count(where: { $0 }) > 300)
        #expect(ours.count(where: { !$0 }) > 1_000)
    }

    @Test func theReferenceRefusesWhatOnlyAnECMAPatternEngineRefuses() throws {
        // `$` before a final newline: Python's `re` would match, ECMA-262 does not.
        var claim = HostileCorpus.baseClaim
        claim = HostileCorpus.setting(claim, pointer: "/location/country", to: "SY\n")
        let place = HostileCorpus.setting(HostileCorpus.baseClaim, pointer: "/location/admin1", to: "حمص")
        let verdicts = try Self.referenceVerdicts([
            Case(schema: "claim.schema.json", instance: claim, origin: "newline"), Case(schema: "claim.schema.json", instance: place, origin: "\\p{L}"),
        ])
        #expect(verdicts.map(\.valid) == [false, true])
    }

    // MARK: The cases

    static func cases() throws -> [Case] {
        var cases: [Case] = []
        func add(_ value: JSONValue, _ schema: String, _ origin: String) {
            guard CanonicalJSON.bytes(value).count <= 1_048_576 else { return }
            cases.append(Case(schema: schema, instance: value, origin: origin))
        }
        func addEvent(_ envelope: JSONValue, _ origin: String) {
            add(envelope, "proposed-event.schema.json", origin + " (envelope)")
            if let type = envelope["type"]?.stringValue.flatMap(EventType.init(rawValue:)), let payload = envelope["payload"] {
                add(payload, type.schemaFile(version: type.currentSchemaVersion), origin + " (payload)")
            }
        }

        // The seeds: sources, claim lines, and the events they compile to.
        let seeds = packageRoot.appendingPathComponent("seeds")
        for (number, line) in try lines(of: seeds.appendingPathComponent("sources.jsonl")).enumerated() {
            add(try JSONParser().parse(line), "seed-source.schema.json", "seeds/sources.jsonl:\(number + 1)")
        }
        let claimFiles = try FileManager.default.contentsOfDirectory(atPath: seeds.appendingPathComponent("claims").path).sorted()
        var claimLines: [JSONValue] = []
        for file in claimFiles {
            for (number, line) in try lines(of: seeds.appendingPathComponent("claims/\(file)")).enumerated() {
                let value = try JSONParser().parse(line)
                claimLines.append(value)
                add(value, "claim.schema.json", "seeds/claims/\(file):\(number + 1)")
            }
        }
        let events = try seedEvents().map(Self.envelope)
        for (number, event) in events.enumerated() { addEvent(event, "seed event \(number + 1)") }

        // The hostile corpus, as claim lines and as append lines.
        for hostile in HostileCorpus.cases where hostile.name != "payload-100mb" {
            for line in HostileCorpus.claimLines(hostile) {
                if let value = try? JSONParser().parse(line) { add(value, "claim.schema.json", "hostile \(hostile.name) (claim line)") }
            }
            for line in HostileCorpus.appendLines(hostile) {
                if let value = try? JSONParser().parse(line) { addEvent(value, "hostile \(hostile.name)") }
            }
        }

        // The fuzz corpus's claim lines.
        let fuzz = packageRoot.appendingPathComponent("Tests/FuzzCorpus/claims")
        for file in try FileManager.default.contentsOfDirectory(atPath: fuzz.path).sorted() {
            for line in try lines(of: fuzz.appendingPathComponent(file)) {
                if let value = try? JSONParser().parse(line) { add(value, "claim.schema.json", "Tests/FuzzCorpus/claims/\(file)") }
            }
        }

        // Seeded mutations of the seed lines: 1 to 3 changes each, at paths chosen in the value.
        var random = GeneratedLog.RandomNumbers(seed: 2_026_11_26)
        for round in 0..<12 {
            for (number, claim) in claimLines.enumerated() {
                add(mutate(claim, random: &random), "claim.schema.json", "mutated claim line \(number + 1), round \(round + 1)")
            }
            for (number, event) in events.enumerated() {
                let mutated = mutate(event, random: &random)
                addEvent(mutated, "mutated seed event \(number + 1), round \(round + 1)")
            }
        }
        return cases
    }

    static func lines(of file: URL) throws -> [[UInt8]] {
        try Data(contentsOf: file).split(separator: UInt8(ascii: "\n")).map(Array.init)
    }

    /// A proposed event as an append line (`schemas/proposed-event.schema.json`).
    static func envelope(_ event: ProposedEvent) -> JSONValue {
        [
            "event_id": .string(event.id.rawValue), "stream": .string(event.stream.rawValue), "type": .string(event.type),
            "payload": event.payload, "metadata": ["recorded_by": .string(event.metadata.recordedBy)],
        ]
    }

    // MARK: Mutations

    /// Values chosen to sit on the edges of the schemas' keywords: types, bounds, formats, patterns.
    static let interesting: [JSONValue] = [
        .null, true, false, 0, -1, 1, 1.5, -0.5, 1e15, 9_007_199_254_740_993, 1e300, "", " ", "x", "a\n", "SY", "sy", "SYR", "ZZ", "S",
        "2019-02-29", "2020-02-29", "2019-13-01", "2019-1-1", "2019-01-01T00:00:00Z", "2019-01-01T00:00:00", "2019-01-01t00:00:00z",
        "2019-01-01T23:59:60Z", "2019-01-01T00:00:00.123+03:00", "00000000-0000-4000-8000-000000000000",
        "ABCDEF00-0000-4000-8000-000000000000", "00000000000040008000000000000000", "{00000000-0000-4000-8000-000000000000}",
        "دير الزور", "Deir ez-Zor\n", "حمص1", "1حمص", "ar", "ar-SY", "en-", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855", "killed", "arrested", "wounded", "attack", "arrest",
        "articles/x.txt", "articles/a/b.txt", .string(String(repeating: "ا", count: 201)), .string(String(repeating: "a", count: 5_001)),
        [], [1], ["x"], [:], ["x": 1],
    ]

    static func mutate(_ value: JSONValue, random: inout GeneratedLog.RandomNumbers) -> JSONValue {
        var value = value
        for _ in 0...random.below(3) {
            let paths = allPaths(in: value)
            let path = paths[random.below(paths.count)]
            switch random.below(5) {
            case 0 where !path.isEmpty: value = removing(value, at: path)
            case 1:
                value = changing(value, at: path) { node in
                    guard case .object(var members) = node else { return node }
                    members["unexpected_" + String(random.below(3))] = interesting[random.below(interesting.count)]
                    return .object(members)
                }
            case 2:
                value = changing(value, at: path) { node in
                    switch node {
                    case .array(let elements) where !elements.isEmpty: return .array(elements + [elements[random.below(elements.count)]])
                    case .array: return .array([interesting[random.below(interesting.count)]])
                    case .number(let number): return .number([number + 1, number - 1, -number, number * 1_000, number + 0.5][random.below(5)])
                    case .string(let text): return .string([text + "\n", String(text.dropFirst()), text.uppercased(), text + text, ""][random.below(5)])
                    default: return interesting[random.below(interesting.count)]
                    }
                }
            default: value = changing(value, at: path) { _ in interesting[random.below(interesting.count)] }
            }
        }
        return value
    }

    enum Step: Hashable {
        case key(String)
        case index(Int)
    }

    static func allPaths(in value: JSONValue, prefix: [Step] = []) -> [[Step]] {
        var paths = [prefix]
        switch value {
        case .object(let members): for (key, member) in members { paths += allPaths(in: member, prefix: prefix + [.key(key)]) }
        case .array(let elements): for (index, element) in elements.enumerated() { paths += allPaths(in: element, prefix: prefix + [.index(index)]) }
        default: break
        }
        return paths
    }

    static func changing(_ value: JSONValue, at path: [Step], _ change: (JSONValue) -> JSONValue) -> JSONValue {
        guard let first = path.first else { return change(value) }
        let rest = Array(path.dropFirst())
        switch (value, first) {
        case (.object(var members), .key(let key)):
            members[key] = changing(members[key]!, at: rest, change)
            return .object(members)
        case (.array(var elements), .index(let index)):
            elements[index] = changing(elements[index], at: rest, change)
            return .array(elements)
        default: return value
        }
    }

    static func removing(_ value: JSONValue, at path: [Step]) -> JSONValue {
        let parent = Array(path.dropLast())
        return changing(value, at: parent) { node in
            switch (node, path.last!) {
            case (.object(var members), .key(let key)):
                members[key] = nil
                return .object(members)
            case (.array(var elements), .index(let index)):
                elements.remove(at: index)
                return .array(elements)
            default: return node
            }
        }
    }

    // MARK: The reference

    struct Verdict: Sendable {
        let valid: Bool
        let error: String
    }

    /// The reference's verdicts on `cases`, in order, from `scripts/reference-validate.py`.
    static func referenceVerdicts(_ cases: [Case]) throws -> [Verdict] {
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("reference-cases-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: input) }
        var text: [UInt8] = []
        for item in cases {
            text += CanonicalJSON.bytes(["schema": .string(item.schema), "instance": item.instance])
            text.append(UInt8(ascii: "\n"))
        }
        try Data(text).write(to: input)
        let result = try runCommand(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", packageRoot.appendingPathComponent("scripts/reference-validate.py").path, input.path])
        try #require(result.status == 0, "scripts/reference-validate.py failed: \(result.stderr)")
        return try result.stdout.split(separator: "\n").map { line in
            let value = try JSONParser().parse(Array(line.utf8))
            return Verdict(valid: value["valid"] == .bool(true), error: value["error"]?.stringValue ?? "")
        }
    }
}
