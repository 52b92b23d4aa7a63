import Foundation
import ThreatLedgerCore

/// The hostile-input corpus of `Tests/HostileInputs/corpus.json`, turned into what each entry point
/// reads: claim lines for `ingest`, envelope lines for `append`, request bodies for `POST /v1/claims`.
public struct HostileCase: Sendable, CustomStringConvertible {
    public let name: String
    public let why: String
    /// A fragment the command-line error must contain.
    public let message: String
    /// The status the API must answer (for `duplicate`, the second request's).
    public let apiStatus: Int
    let spec: JSONValue

    public var description: String { name }
    public var isDuplicate: Bool { spec["duplicate"] == .bool(true) }
}

public enum HostileCorpus {
    public static let folder = packageRoot.appendingPathComponent("Tests/HostileInputs")
    public static let claimsFile = "1aee4b5224ae9675.jsonl"
    public static let claimID = "1aee4b5224ae9675-hostile"

    public static let cases: [HostileCase] = {
        let document = try! JSONParser().parse(Array(FileManager.default.contents(atPath: folder.appendingPathComponent("corpus.json").path)!))
        return document["cases"]!.arrayValue!.map { spec in
            HostileCase(
                name: spec["name"]!.stringValue!, why: spec["why"]!.stringValue!, message: spec["expect"]!["message"]!.stringValue!,
                apiStatus: Int(spec["expect"]!["api_status"]!.integerValue!), spec: spec)
        }
    }()

    /// Line 1 of the seed claims file, as a new claim (valid: the control case).
    public static let baseClaim: JSONValue = {
        let text = try! String(contentsOf: packageRoot.appendingPathComponent("seeds/claims/\(claimsFile)"), encoding: .utf8)
        var claim = try! JSONParser().parse(Array(text.split(separator: "\n")[0].utf8))
        claim = setting(claim, pointer: "/claim_id", to: .string(claimID))
        return claim
    }()

    /// The claim-payload lines of a case (what a claims file of `ingest` holds).
    public static func claimLines(_ hostile: HostileCase) -> [[UInt8]] {
        if let whole = wholeLine(hostile) { return [whole] }
        if hostile.isDuplicate { return [CanonicalJSON.bytes(baseClaim), CanonicalJSON.bytes(changed(baseClaim))] }
        return [text(hostile, CanonicalJSON.bytes(claim(hostile)))]
    }

    /// The lines of an append file for a case.
    public static func appendLines(_ hostile: HostileCase) -> [[UInt8]] {
        if let whole = wholeLine(hostile) { return [whole] }
        let id = EventID.derived(namespace: "hostile", name: hostile.name)
        if hostile.isDuplicate { return [CanonicalJSON.bytes(envelope(baseClaim, id: id)), CanonicalJSON.bytes(envelope(changed(baseClaim), id: id))] }
        return [text(hostile, CanonicalJSON.bytes(envelope(claim(hostile), id: id)))]
    }

    /// The request bodies of a case, sent in order to `POST /v1/claims`; the last is the hostile one.
    public static func apiBodies(_ hostile: HostileCase) -> [Data] {
        // The 100 MB claim is sent as a request body (built once); other whole lines are sent as they are.
        if case .string("summary-100mb")? = hostile.spec["generate"] { return [Data(CanonicalJSON.bytes(["payload": claim(hostile)]))] }
        if let whole = wholeLine(hostile) { return [Data(whole)] }
        if hostile.isDuplicate {
            let id = JSONValue.string(EventID.derived(namespace: "hostile", name: hostile.name).rawValue)
            return [
                Data(CanonicalJSON.bytes(["event_id": id, "payload": baseClaim])), Data(CanonicalJSON.bytes(["event_id": id, "payload": changed(baseClaim)])),
            ]
        }
        return [Data(text(hostile, CanonicalJSON.bytes(["payload": claim(hostile)])))]
    }

    /// An append line for a valid claim payload.
    public static func envelope(_ payload: JSONValue, id: EventID) -> JSONValue {
        [
            "event_id": .string(id.rawValue), "stream": .string("claim-" + (payload["claim_id"]?.stringValue ?? "")), "type": "ClaimRecorded",
            "payload": payload, "metadata": ["recorded_by": "hostile input test"],
        ]
    }

    static func wholeLine(_ hostile: HostileCase) -> [UInt8]? {
        if let raw = hostile.spec["raw"]?.stringValue { return Array(raw.utf8) }
        if let encoded = hostile.spec["raw_base64"]?.stringValue { return Array(Data(base64Encoded: encoded)!) }
        switch hostile.spec["generate"]?.stringValue {
        case "nested-10000"?: return Array(repeating: UInt8(ascii: "["), count: 10_000) + Array(repeating: UInt8(ascii: "]"), count: 10_000)
        case "summary-100mb"?: return CanonicalJSON.bytes(claim(hostile))
        default: return nil
        }
    }

    static func claim(_ hostile: HostileCase) -> JSONValue {
        var claim = baseClaim
        if hostile.spec["generate"]?.stringValue == "summary-100mb" {
            claim = setting(claim, pointer: "/summary", to: .string(String(repeating: "a", count: 100 * 1_048_576)))
        }
        for (pointer, value) in hostile.spec["set"]?.objectValue ?? [:] { claim = setting(claim, pointer: pointer, to: value) }
        if let replace = hostile.spec["replace"], let pointer = replace["pointer"]?.stringValue {
            let current = value(claim, pointer: pointer)!.stringValue!
            let from = replace["from"]!.stringValue!
            precondition(current.contains(from), "\(hostile.name): \(pointer) does not contain the text to replace")
            claim = setting(claim, pointer: pointer, to: .string(current.replacingOccurrences(of: from, with: replace["to"]!.stringValue!)))
        }
        return claim
    }

    static func text(_ hostile: HostileCase, _ bytes: [UInt8]) -> [UInt8] {
        guard let text = hostile.spec["text"], let from = text["from"]?.stringValue, let to = text["to"]?.stringValue else { return bytes }
        let line = String(decoding: bytes, as: UTF8.self)
        precondition(line.contains(from), "\(hostile.name): the line does not contain \(from)")
        return Array(line.replacingOccurrences(of: from, with: to).utf8)
    }

    static func changed(_ claim: JSONValue) -> JSONValue {
        setting(claim, pointer: "/summary", to: .string("The same id, other content."))
    }

    static func value(_ root: JSONValue, pointer: String) -> JSONValue? {
        var current: JSONValue? = root
        for token in pointer.split(separator: "/").map(String.init) {
            if let index = Int(token), case .array(let items)? = current {
                current = items.indices.contains(index) ? items[index] : nil
            } else {
                current = current?[token]
            }
        }
        return current
    }

    public static func setting(_ root: JSONValue, pointer: String, to newValue: JSONValue) -> JSONValue {
        func set(_ node: JSONValue, _ tokens: ArraySlice<String>) -> JSONValue {
            guard let token = tokens.first else { return newValue }
            switch node {
            case .array(var items):
                let index = Int(token)!
                items[index] = set(items[index], tokens.dropFirst())
                return .array(items)
            case .object(var members):
                members[token] = set(members[token] ?? .null, tokens.dropFirst())
                return .object(members)
            default:
                return node
            }
        }
        return set(root, ArraySlice(pointer.split(separator: "/").map(String.init)))
    }
}
