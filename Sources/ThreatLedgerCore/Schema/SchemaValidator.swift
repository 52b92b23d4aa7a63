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
    private let patterns: [String: SendableRegex]
    /// Every `$ref`, resolved once at init (keyed by the referring file and the reference).
    private let references: [String: ResolvedReference]

    private struct ResolvedReference: Sendable {
        let target: JSONValue
        let file: String
    }

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
        var references: [String: ResolvedReference] = [:]
        for (name, schema) in schemas {
            try Self.check(schema, in: name, all: schemas, patterns: &patterns, references: &references)
        }
        self.patterns = patterns
        self.references = references
    }

    /// The names of the schemas it holds.
    public var schemaNames: [String] { schemas.keys.sorted() }

    /// Validates `value` against the schema named `schemaName`.
    /// - Throws: the first ``SchemaViolation`` found, naming the failing field under `path`.
    public func validate(_ value: JSONValue, against schemaName: String, at path: JSONPath = .root) throws(SchemaViolation) {
        guard let schema = schemas[schemaName] else {
            throw SchemaViolation(path: path, message: "no schema named \(schemaName)")
        }
        try validate(value, schema: schema, file: schemaName, path: path)
    }

    private func validate(_ value: JSONValue, schema: JSONValue, file: String, path: JSONPath) throws(SchemaViolation) {
        if case .bool(let accept) = schema {
            if !accept { throw SchemaViolation(path: path, message: "no value is allowed here") }
            return
        }
        guard case .object(let keywords) = schema else { return }

        if let reference = keywords["$ref"]?.stringValue {
            let (target, targetFile) = resolve(reference, from: file)
            try validate(value, schema: target, file: targetFile, path: path)
        }
        if let type = keywords["type"] {
            let allowed = type.arrayValue?.compactMap(\.stringValue) ?? [type.stringValue ?? ""]
            if !allowed.contains(where: { Self.matches(value, type: $0) }) {
                throw SchemaViolation(
                    path: path, message: "expected \(allowed.joined(separator: " or ")), found \(value.typeName)")
            }
        }
        if let options = keywords["enum"]?.arrayValue, !options.contains(value) {
            let shown = options.map { CanonicalJSON.string($0) }.joined(separator: ", ")
            throw SchemaViolation(path: path, message: "must be one of \(shown), found \(CanonicalJSON.string(value))")
        }
        if let constant = keywords["const"], constant != value {
            throw SchemaViolation(path: path, message: "must be \(CanonicalJSON.string(constant))")
        }
        switch value {
        case .object(let members):
            try validateObject(members, keywords: keywords, file: file, path: path)
        case .array(let elements):
            try validateArray(elements, keywords: keywords, file: file, path: path)
        case .string(let text):
            try validateString(text, keywords: keywords, path: path)
        case .number(let number):
            if let minimum = keywords["minimum"]?.numberValue, number < minimum {
                throw SchemaViolation(path: path, message: "must be at least \(CanonicalJSON.formatNumber(minimum))")
            }
            if let maximum = keywords["maximum"]?.numberValue, number > maximum {
                throw SchemaViolation(path: path, message: "must be at most \(CanonicalJSON.formatNumber(maximum))")
            }
        default:
            break
        }
        if let all = keywords["allOf"]?.arrayValue {
            for branch in all { try validate(value, schema: branch, file: file, path: path) }
        }
        if let any = keywords["anyOf"]?.arrayValue {
            try validateAlternatives(value, branches: any, exactlyOne: false, file: file, path: path)
        }
        if let one = keywords["oneOf"]?.arrayValue {
            try validateAlternatives(value, branches: one, exactlyOne: true, file: file, path: path)
        }
    }

    private func validateObject(
        _ members: [String: JSONValue], keywords: [String: JSONValue], file: String, path: JSONPath
    ) throws(SchemaViolation) {
        let properties = keywords["properties"]?.objectValue ?? [:]
        if let required = keywords["required"]?.arrayValue, required.contains(where: { members[$0.stringValue ?? ""] == nil }) {
            let missing = required.compactMap(\.stringValue).filter { members[$0] == nil }.sorted()
            throw SchemaViolation(path: path.appending(missing[0]), message: "required field is missing")
        }
        for key in CanonicalJSON.sortedKeys(members.keys) {
            let member = members[key]!
            if let propertySchema = properties[key] {
                try validate(member, schema: propertySchema, file: file, path: path.appending(key))
            } else if let additional = keywords["additionalProperties"] {
                if additional == .bool(false) {
                    let known = properties.keys.sorted().joined(separator: ", ")
                    throw SchemaViolation(path: path.appending(key), message: "unknown field (known fields: \(known))")
                }
                try validate(member, schema: additional, file: file, path: path.appending(key))
            }
        }
    }

    private func validateArray(
        _ elements: [JSONValue], keywords: [String: JSONValue], file: String, path: JSONPath
    ) throws(SchemaViolation) {
        if let minimum = keywords["minItems"]?.integerValue, elements.count < minimum {
            throw SchemaViolation(path: path, message: "needs at least \(minimum) item(s), has \(elements.count)")
        }
        if let maximum = keywords["maxItems"]?.integerValue, elements.count > maximum {
            throw SchemaViolation(path: path, message: "allows at most \(maximum) item(s), has \(elements.count)")
        }
        if keywords["uniqueItems"] == .bool(true) {
            var seen = Set<JSONValue>()
            for (index, element) in elements.enumerated() where !seen.insert(element).inserted {
                throw SchemaViolation(path: path.appending(index: index), message: "repeats an earlier item")
            }
        }
        if let itemSchema = keywords["items"] {
            for (index, element) in elements.enumerated() {
                try validate(element, schema: itemSchema, file: file, path: path.appending(index: index))
            }
        }
    }

    private func validateString(_ text: String, keywords: [String: JSONValue], path: JSONPath) throws(SchemaViolation) {
        let needsLength = keywords["minLength"] != nil || keywords["maxLength"] != nil
        let length = needsLength ? text.unicodeScalars.count : 0
        if let minimum = keywords["minLength"]?.integerValue, length < minimum {
            throw SchemaViolation(path: path, message: "must be at least \(minimum) character(s) long")
        }
        if let maximum = keywords["maxLength"]?.integerValue, length > maximum {
            throw SchemaViolation(path: path, message: "must be at most \(maximum) characters long, is \(length)")
        }
        if let pattern = keywords["pattern"]?.stringValue, let regex = patterns[pattern], !regex.matches(text) {
            throw SchemaViolation(path: path, message: "does not match the pattern \(pattern)")
        }
        if let format = keywords["format"]?.stringValue {
            switch format {
            case "date":
                if CalendarDate(iso8601: text) == nil {
                    throw SchemaViolation(path: path, message: "\"\(text)\" is not a real calendar date (YYYY-MM-DD)")
                }
            case "date-time":
                if RecordTime(iso8601: text) == nil || text.count < 20 {
                    throw SchemaViolation(path: path, message: "\"\(text)\" is not an RFC 3339 date-time")
                }
            case "uuid":
                if EventID(text) == nil || text.count != 36 {
                    throw SchemaViolation(path: path, message: "\"\(text)\" is not a UUID")
                }
            default:
                break
            }
        }
    }

    private func validateAlternatives(
        _ value: JSONValue, branches: [JSONValue], exactlyOne: Bool, file: String, path: JSONPath
    ) throws(SchemaViolation) {
        var failures: [(branch: JSONValue, violation: SchemaViolation)] = []
        var passed = 0
        for branch in branches {
            do throws(SchemaViolation) {
                try validate(value, schema: branch, file: file, path: path)
                passed += 1
            } catch {
                failures.append((branch, error))
            }
        }
        if passed == 0 {
            // Report the error of the branch meant for this kind of value: for a nullable record
            // holding an object, the record's own error, which is the one a user can act on.
            let fitting = failures.filter { branchAdmitsType(of: value, branch: $0.branch, file: file) }
            if fitting.count == 1 { throw fitting[0].violation }
            let deepest = failures.map(\.violation).max { $0.path.components.count < $1.path.components.count }!
            if deepest.path.components.count > path.components.count { throw deepest }
            throw SchemaViolation(
                path: path,
                message: failures.map(\.violation.message).joined(separator: "; or "))
        }
        if exactlyOne && passed > 1 {
            throw SchemaViolation(path: path, message: "matches more than one of the allowed forms")
        }
    }

    /// Whether `branch` declares a type (directly or through `$ref`) that `value` has; a branch
    /// that declares none admits every type.
    private func branchAdmitsType(of value: JSONValue, branch: JSONValue, file: String) -> Bool {
        if let reference = branch["$ref"]?.stringValue {
            let (target, targetFile) = resolve(reference, from: file)
            return branchAdmitsType(of: value, branch: target, file: targetFile)
        }
        if let type = branch["type"] {
            let allowed = type.arrayValue?.compactMap(\.stringValue) ?? [type.stringValue ?? ""]
            return allowed.contains { Self.matches(value, type: $0) }
        }
        if let options = branch["enum"]?.arrayValue {
            return options.contains { $0.typeName == value.typeName || ($0.typeName == "integer" && value.typeName == "number") }
        }
        return true
    }

    private func resolve(_ reference: String, from file: String) -> (JSONValue, String) {
        let resolved = references[Self.referenceKey(reference, in: file)]!  // every $ref was resolved by init
        return (resolved.target, resolved.file)
    }

    private static func referenceKey(_ reference: String, in file: String) -> String { file + "\u{0}" + reference }

    private static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("number", .number), ("string", .string), ("array", .array),
            ("object", .object):
            true
        case ("integer", .number):
            value.integerValue != nil
        default:
            false
        }
    }

    private static func check(
        _ schema: JSONValue, in file: String, all: [String: JSONValue], patterns: inout [String: SendableRegex],
        references: inout [String: ResolvedReference]
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
            references[referenceKey(reference, in: file)] = ResolvedReference(target: target, file: fileName)
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
                    try check(sub, in: file, all: all, patterns: &patterns, references: &references)
                }
            case "items", "additionalProperties":
                try check(child, in: file, all: all, patterns: &patterns, references: &references)
            case "anyOf", "oneOf", "allOf":
                for sub in child.arrayValue ?? [] { try check(sub, in: file, all: all, patterns: &patterns, references: &references) }
            default:
                break
            }
        }
    }
}

/// A compiled regular expression, immutable after creation and so safe to share.
struct SendableRegex: @unchecked Sendable {
    private let regex: NSRegularExpression

    init?(_ pattern: String) {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return nil }
        self.regex = regex
    }

    /// JSON Schema patterns are unanchored: a match anywhere counts.
    func matches(_ text: String) -> Bool {
        regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}
