/// A schema compiled once into a table of nodes: keywords read out of their dictionaries, `$ref`s
/// resolved to node indices, patterns compiled. Validation then walks nodes instead of looking up
/// keyword strings in dictionaries at every value (which cost most of an append's time).
struct CompiledSchema: Sendable {
    enum Additional: Sendable {
        case allowed
        case forbidden
        case schema(Int)
    }

    /// A class, so visiting a node during validation retains one reference instead of copying a
    /// struct of a dozen arrays. Written only while compiling, immutable afterwards.
    final class Node: @unchecked Sendable {
        var rejectsAll = false
        var reference: Int?
        var types: [String]?
        var enumValues: [JSONValue]?
        var constant: JSONValue?
        /// Few enough for a linear scan, which beats hashing the member's name.
        var properties: [(name: String, node: Int)] = []
        var knownFields = ""
        var required: [String] = []
        var additional = Additional.allowed
        var minItems: Int64?
        var maxItems: Int64?
        var uniqueItems = false
        var items: Int?
        var minLength: Int64?
        var maxLength: Int64?
        var pattern: (source: String, regex: SendableRegex)?
        var format: String?
        var minimum: Double?
        var maximum: Double?
        var allOf: [Int]?
        var anyOf: [Int]?
        var oneOf: [Int]?

        func property(_ name: String) -> Int? {
            for entry in properties where entry.name == name { return entry.node }
            return nil
        }
    }

    private(set) var nodes: [Node] = []
    private(set) var roots: [String: Int] = [:]
    private var targets: [String: Int] = [:]

    /// Compiles every schema; `init(schemas:)` of ``SchemaValidator`` has already checked keywords,
    /// references and patterns.
    init(schemas: [String: JSONValue], patterns: [String: SendableRegex]) {
        for name in schemas.keys.sorted() {
            roots[name] = target(file: name, fragment: "", schemas: schemas, patterns: patterns)
        }
    }

    /// The node of a `$ref` target (a whole file or a fragment of one), compiled once even when
    /// schemas refer to each other in a cycle.
    private mutating func target(file: String, fragment: String, schemas: [String: JSONValue], patterns: [String: SendableRegex]) -> Int {
        let key = file + "#" + fragment
        if let known = targets[key] { return known }
        var schema = schemas[file]!
        for component in fragment.split(separator: "/") { schema = schema[String(component)]! }
        let index = nodes.count
        nodes.append(Node())
        targets[key] = index
        nodes[index] = node(schema, file: file, schemas: schemas, patterns: patterns)
        return index
    }

    private mutating func compile(_ schema: JSONValue, file: String, schemas: [String: JSONValue], patterns: [String: SendableRegex]) -> Int {
        let built = node(schema, file: file, schemas: schemas, patterns: patterns)
        nodes.append(built)
        return nodes.count - 1
    }

    private mutating func node(_ schema: JSONValue, file: String, schemas: [String: JSONValue], patterns: [String: SendableRegex]) -> Node {
        let node = Node()
        if case .bool(let accept) = schema {
            node.rejectsAll = !accept
            return node
        }
        guard case .object(let keywords) = schema else { return node }
        func sub(_ value: JSONValue) -> Int { compile(value, file: file, schemas: schemas, patterns: patterns) }
        if let reference = keywords["$ref"]?.stringValue {
            let parts = reference.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
            let fileName = parts[0].isEmpty ? file : String(parts[0].split(separator: "/").last!)
            node.reference = target(file: fileName, fragment: parts.count > 1 ? String(parts[1]) : "", schemas: schemas, patterns: patterns)
        }
        if let type = keywords["type"] {
            node.types = type.arrayValue?.compactMap(\.stringValue) ?? [type.stringValue ?? ""]
        }
        node.enumValues = keywords["enum"]?.arrayValue
        node.constant = keywords["const"]
        if let properties = keywords["properties"]?.objectValue {
            for name in properties.keys.sorted() { node.properties.append((name, sub(properties[name]!))) }
            node.knownFields = properties.keys.sorted().joined(separator: ", ")
        }
        node.required = (keywords["required"]?.arrayValue ?? []).compactMap(\.stringValue)
        switch keywords["additionalProperties"] {
        case nil: node.additional = .allowed
        case .bool(false)?: node.additional = .forbidden
        case let additional?: node.additional = .schema(sub(additional))
        }
        node.minItems = keywords["minItems"]?.integerValue
        node.maxItems = keywords["maxItems"]?.integerValue
        node.uniqueItems = keywords["uniqueItems"] == .bool(true)
        if let items = keywords["items"] { node.items = sub(items) }
        node.minLength = keywords["minLength"]?.integerValue
        node.maxLength = keywords["maxLength"]?.integerValue
        if let pattern = keywords["pattern"]?.stringValue, let regex = patterns[pattern] { node.pattern = (pattern, regex) }
        node.format = keywords["format"]?.stringValue
        node.minimum = keywords["minimum"]?.numberValue
        node.maximum = keywords["maximum"]?.numberValue
        node.allOf = keywords["allOf"]?.arrayValue.map { $0.map(sub) }
        node.anyOf = keywords["anyOf"]?.arrayValue.map { $0.map(sub) }
        node.oneOf = keywords["oneOf"]?.arrayValue.map { $0.map(sub) }
        return node
    }
}
