import Foundation

/// Validates JSON values against the schemas in `schemas/` (JSON Schema draft 2020-12).
///
/// It implements the keywords ThreatLedger's schemas use: `$ref` (to another file by name, with an
/// optional `#/$defs/NAME` fragment), `type`, `enum`, `const`, `properties`, `required`,
/// `additionalProperties`, `items`, `minItems`, `maxItems`, `uniqueItems`, `minLength`, `maxLength`
/// (in Unicode code points, as the specification counts), `pattern`, `minimum`, `maximum`,
/// `anyOf`, `oneOf`, `allOf`, and `format` for `date` (a real calendar day), `date-time`, `uuid`.
/// Annotation keywords (`title`, `description`, `examples`, `$comment`, `$schema`, `$id`,
/// `$defs`, `default`) are ignored. Any other keyword makes ``init(schemas:)`` throw, so a schema
/// can never silently validate less than it says.
public struct SchemaValidator: Sendable {
    private let schemas: [String: JSONValue]
    /// The schemas compiled into nodes, with every `$ref` resolved (see ``CompiledSchema``).
    private let compiled: CompiledSchema

    private static let knownKeywords: Set<String> = [
        "$ref", "type", "enum", "const", "properties", "required", "additionalProperties", "items",
        "minItems", "maxItems", "uniqueItems", "minLength", "maxLength", "pattern", "minimum", "maximum",
        "anyOf", "oneOf", "allOf", "format",
        "title", "description", "examples", "$comment", "$schema", "$id", "$defs", "default",
    ]

    /// - Parameter schemas: schema documents by file name (`claim.schema.json`).
    /// - Throws: ``SchemaDefinitionError`` for a keyword it does not implement, a bad pattern, or a
    ///   `$ref` to a schema that is not among `schemas`.
    public init(schemas: [String: JSONValue]) throws {
        self.schemas = schemas
        var patterns: [String: SendableRegex] = [:]
        for (name, schema) in schemas {
            try Self.check(schema, in: name, all: schemas, patterns: &patterns)
        }
        self.compiled = CompiledSchema(schemas: schemas, patterns: patterns)
    }

    /// A validator of the same schemas that shares no storage with this one: every document is
    /// written out and parsed again, then compiled anew. Threads that validate at once each use their
    /// own copy, because compiled nodes are classes whose reference counts would otherwise be
    /// updated from every core at once (measured: two threads sharing one validator ran slower than one).
    public func independentCopy() -> SchemaValidator {
        var copies: [String: JSONValue] = [:]
        for (name, schema) in schemas {
            copies[String(decoding: Array(name.utf8), as: UTF8.self)] = try! JSONParser().parse(CanonicalJSON.bytes(schema))
        }
        return try! SchemaValidator(schemas: copies)  // the same documents were accepted once already
    }

    /// The names of the schemas it holds.
    public var schemaNames: [String] { schemas.keys.sorted() }

    /// Validates `value` against the schema named `schemaName`.
    /// - Throws: the first ``SchemaViolation`` found, naming the failing field under `path`. Members
    ///   of an object are checked in canonical key order, so the same input always names the same field.
    public func validate(_ value: JSONValue, against schemaName: String, at path: JSONPath = .root) throws(SchemaViolation) {
        guard let root = compiled.roots[schemaName] else {
            throw SchemaViolation(path: path, message: "no schema named \(schemaName)")
        }
        var stack = path.components
        try validate(value, node: root, path: &stack)
    }

    /// Validates a member or element: its path component is pushed for the call and popped after,
    /// thrown or not, so valid input allocates no paths at all.
    private func validate(_ value: JSONValue, node: Int, path: inout [JSONPath.Component], child: JSONPath.Component) throws(SchemaViolation) {
        path.append(child)
        defer { path.removeLast() }
        try validate(value, node: node, path: &path)
    }

    private func validate(_ value: JSONValue, node index: Int, path: inout [JSONPath.Component]) throws(SchemaViolation) {
        let node = compiled.nodes[index]
        let present = node.present
        if node.rejectsAll { throw SchemaViolation(path: JSONPath(path), message: "no value is allowed here") }
        if let reference = node.reference {
            try validate(value, node: reference, path: &path)
        }
        if present.contains(.types), !node.admitsType(of: value) {
            let allowed = node.types ?? []
            throw SchemaViolation(path: JSONPath(path), message: "expected \(allowed.joined(separator: " or ")), found \(value.typeName)")
        }
        if present.contains(.enumValues), let options = node.enumValues, !options.contains(value) {
            let shown = options.map { CanonicalJSON.string($0) }.joined(separator: ", ")
            throw SchemaViolation(path: JSONPath(path), message: "must be one of \(shown), found \(CanonicalJSON.string(value))")
        }
        if present.contains(.constant), let constant = node.constant, constant != value {
            throw SchemaViolation(path: JSONPath(path), message: "must be \(CanonicalJSON.string(constant))")
        }
        switch value {
        case .object(let members):
            try validateObject(members, node: node, path: &path)
        case .array(let elements):
            try validateArray(elements, node: node, path: &path)
        case .string(let text):
            if present.contains(.stringRules) { try validateString(text, node: node, path: &path) }
        case .number(let number) where present.contains(.bounds):
            if let minimum = node.minimum, number < minimum {
                throw SchemaViolation(path: JSONPath(path), message: "must be at least \(CanonicalJSON.formatNumber(minimum))")
            }
            if let maximum = node.maximum, number > maximum {
                throw SchemaViolation(path: JSONPath(path), message: "must be at most \(CanonicalJSON.formatNumber(maximum))")
            }
        default:
            break
        }
        if present.contains(.allOf), let all = node.allOf {
            for branch in all { try validate(value, node: branch, path: &path) }
        }
        if present.contains(.anyOf), let any = node.anyOf {
            try validateAlternatives(value, branches: any, exactlyOne: false, path: &path)
        }
        if present.contains(.oneOf), let one = node.oneOf {
            try validateAlternatives(value, branches: one, exactlyOne: true, path: &path)
        }
    }

    private func validateObject(_ members: JSONObject, node: CompiledSchema.Node, path: inout [JSONPath.Component]) throws(SchemaViolation) {
        func checkRequired() throws(SchemaViolation) {
            if node.required.contains(where: { members[$0] == nil }) {
                let missing = node.required.filter { members[$0] == nil }.sorted()
                throw SchemaViolation(path: JSONPath(path + [.key(missing[0])]), message: "required field is missing")
            }
        }
        // Members and properties are both in canonical key order: one merge pairs them, noting which
        // properties were met so that required names need no lookups. A failure is reported as a
        // stricter walk would: a missing required field first, then the first bad member in
        // canonical key order (the order walked), so the error names the same field every time.
        var seen: UInt64 = 0
        do throws(SchemaViolation) {
            // Walked through buffer pointers: members and property names are read in place, with no
            // reference counted up and down for each.
            try node.properties.withUnsafeBufferPointer { properties throws(SchemaViolation) in
                try members.members.withUnsafeBufferPointer { members throws(SchemaViolation) in
                    var next = 0
                    for index in members.indices {
                        var slot: Int? = nil
                        while next < properties.count {
                            let comparison = JSONObject.order(properties[next].name, members[index].key)
                            if comparison > 0 { break }
                            next += 1
                            if comparison == 0 {
                                slot = next - 1
                                break
                            }
                        }
                        if let slot {
                            if slot < 64 { seen |= 1 << UInt64(slot) }
                            try validate(members[index].value, node: properties[slot].node, path: &path, child: .key(members[index].key))
                            continue
                        }
                        switch node.additional {
                        case .allowed: break
                        case .forbidden:
                            throw SchemaViolation(
                                path: JSONPath(path + [.key(members[index].key)]), message: "unknown field (known fields: \(node.knownFields))")
                        case .schema(let additional):
                            try validate(members[index].value, node: additional, path: &path, child: .key(members[index].key))
                        }
                    }
                }
            }
        } catch {
            try checkRequired()
            throw error
        }
        if node.requiredMask & ~seen != 0 || node.requiredElsewhere.contains(where: { members[$0] == nil }) {
            try checkRequired()
        }
    }

    private func validateArray(_ elements: [JSONValue], node: CompiledSchema.Node, path: inout [JSONPath.Component]) throws(SchemaViolation) {
        if let minimum = node.minItems, elements.count < minimum {
            throw SchemaViolation(path: JSONPath(path), message: "needs at least \(minimum) item(s), has \(elements.count)")
        }
        if let maximum = node.maxItems, elements.count > maximum {
            throw SchemaViolation(path: JSONPath(path), message: "allows at most \(maximum) item(s), has \(elements.count)")
        }
        if node.uniqueItems {
            var seen = Set<JSONValue>()
            for (index, element) in elements.enumerated() where !seen.insert(element).inserted {
                throw SchemaViolation(path: JSONPath(path + [.index(index)]), message: "repeats an earlier item")
            }
        }
        if let items = node.items {
            for (index, element) in elements.enumerated() {
                try validate(element, node: items, path: &path, child: .index(index))
            }
        }
    }

    private func validateString(_ text: String, node: CompiledSchema.Node, path: inout [JSONPath.Component]) throws(SchemaViolation) {
        // A string of n UTF-8 bytes has between n/4 and n scalars: count them only when that range
        // does not already settle both bounds.
        let bytes = Int64(text.utf8.count)
        let settled = (node.maxLength.map { bytes <= $0 } ?? true) && (node.minLength.map { (bytes + 3) / 4 >= $0 } ?? true)
        let length = settled ? 0 : text.scalarCount
        if !settled, let minimum = node.minLength, length < minimum {
            throw SchemaViolation(path: JSONPath(path), message: "must be at least \(minimum) character(s) long")
        }
        if !settled, let maximum = node.maxLength, length > maximum {
            throw SchemaViolation(path: JSONPath(path), message: "must be at most \(maximum) characters long, is \(length)")
        }
        if let pattern = node.pattern, !pattern.regex.matches(text) {
            throw SchemaViolation(path: JSONPath(path), message: "does not match the pattern \(pattern.source)")
        }
        if let format = node.format {
            switch format {
            case "date":
                if CalendarDate(iso8601: text) == nil {
                    throw SchemaViolation(path: JSONPath(path), message: "\"\(text)\" is not a real calendar date (YYYY-MM-DD)")
                }
            case "date-time":
                if RecordTime(iso8601: text) == nil || text.count < 20 {
                    throw SchemaViolation(path: JSONPath(path), message: "\"\(text)\" is not an RFC 3339 date-time")
                }
            case "uuid":
                if EventID(text) == nil || text.count != 36 {
                    throw SchemaViolation(path: JSONPath(path), message: "\"\(text)\" is not a UUID")
                }
            default:
                break
            }
        }
    }

    private func validateAlternatives(_ value: JSONValue, branches: [Int], exactlyOne: Bool, path: inout [JSONPath.Component]) throws(SchemaViolation) {
        // First only the branches that admit the value's type: a nullable field holding a string
        // then never builds the "expected null" error it would throw away. Only when no branch
        // passes are all of them walked again, below, to report the error a user can act on.
        var passedFitting = 0
        for branch in branches where branchAdmitsType(of: value, branch: branch) {
            do throws(SchemaViolation) {
                try validate(value, node: branch, path: &path)
                passedFitting += 1
                if !exactlyOne { return }
            } catch {
                continue
            }
        }
        if passedFitting == 1 { return }
        if passedFitting > 1 {
            throw SchemaViolation(path: JSONPath(path), message: "matches more than one of the allowed forms")
        }
        var failures: [(branch: Int, violation: SchemaViolation)] = []
        var passed = 0
        for branch in branches {
            do throws(SchemaViolation) {
                try validate(value, node: branch, path: &path)
                passed += 1
                if !exactlyOne { return }
            } catch {
                failures.append((branch, error))
            }
        }
        if passed == 0 {
            // Report the error of the branch meant for this kind of value: for a nullable record
            // holding an object, the record's own error, which is the one a user can act on.
            let fitting = failures.filter { branchAdmitsType(of: value, branch: $0.branch) }
            if fitting.count == 1 { throw fitting[0].violation }
            let deepest = failures.map(\.violation).max { $0.path.components.count < $1.path.components.count }!
            if deepest.path.components.count > path.count { throw deepest }
            throw SchemaViolation(
                path: JSONPath(path),
                message: failures.map(\.violation.message).joined(separator: "; or "))
        }
        if exactlyOne && passed > 1 {
            throw SchemaViolation(path: JSONPath(path), message: "matches more than one of the allowed forms")
        }
    }

    /// Whether `branch` declares a type (directly or through `$ref`) that `value` has; a branch
    /// that declares none admits every type.
    private func branchAdmitsType(of value: JSONValue, branch: Int) -> Bool {
        let node = compiled.nodes[branch]
        if let reference = node.reference {
            return branchAdmitsType(of: value, branch: reference)
        }
        if node.present.contains(.types) {
            return node.admitsType(of: value)
        }
        if let options = node.enumValues {
            return options.contains { $0.typeName == value.typeName || ($0.typeName == "integer" && value.typeName == "number") }
        }
        return true
    }

    private static func check(
        _ schema: JSONValue, in file: String, all: [String: JSONValue], patterns: inout [String: SendableRegex]
    ) throws {
        guard case .object(let keywords) = schema else { return }
        for key in keywords.keys where !knownKeywords.contains(key) {
            throw SchemaDefinitionError(schema: file, message: "keyword \"\(key)\" is not implemented by the validator")
        }
        if let reference = keywords["$ref"]?.stringValue {
            let parts = reference.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
            let fileName = parts[0].isEmpty ? file : String(parts[0].split(separator: "/").last!)
            guard var target = all[fileName] else {
                throw SchemaDefinitionError(schema: file, message: "$ref \(reference) names no known schema")
            }
            if parts.count > 1, !parts[1].isEmpty {
                for component in parts[1].split(separator: "/") {
                    guard let next = target[String(component)] else {
                        throw SchemaDefinitionError(schema: file, message: "$ref \(reference) does not resolve")
                    }
                    target = next
                }
            }
        }
        if let pattern = keywords["pattern"]?.stringValue, patterns[pattern] == nil {
            guard let regex = SendableRegex(pattern) else {
                throw SchemaDefinitionError(schema: file, message: "pattern \(pattern) does not compile")
            }
            patterns[pattern] = regex
        }
        for (key, child) in keywords where key != "enum" && key != "const" && key != "examples" && key != "default" {
            switch key {
            case "properties", "$defs":
                for sub in child.objectValue?.values.map({ $0 }) ?? [] {
                    try check(sub, in: file, all: all, patterns: &patterns)
                }
            case "items", "additionalProperties":
                try check(child, in: file, all: all, patterns: &patterns)
            case "anyOf", "oneOf", "allOf":
                for sub in child.arrayValue ?? [] { try check(sub, in: file, all: all, patterns: &patterns) }
            default:
                break
            }
        }
    }
}

/// A compiled regular expression, immutable after creation and so safe to share.
struct SendableRegex: @unchecked Sendable {
    private let simple: SimplePattern?
    private let regex: NSRegularExpression

    init?(_ pattern: String) {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return nil }
        self.regex = regex
        self.simple = SimplePattern(pattern)
    }

    /// JSON Schema patterns are unanchored: a match anywhere counts.
    func matches(_ text: String) -> Bool {
        if let simple { return simple.matches(text) }
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// The NSRegularExpression answer, for checking ``SimplePattern`` against it.
    func foundationMatches(_ text: String) -> Bool {
        regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// Whether the fast matcher handles this pattern.
    var isSimple: Bool { simple != nil }
}
