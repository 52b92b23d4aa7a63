/// A schema compiled once into a table of nodes: keywords read out of their dictionaries, `$ref`s
/// resolved to node indices, patterns compiled. Validation then walks nodes instead of looking up
/// keyword strings in dictionaries at every value (which cost most of an append's time).
struct CompiledSchema: Sendable {
    enum Additional: Sendable {
        case allowed
        case forbidden
        case schema(Int)
    }

    /// A node's keywords while it is being compiled.
    struct Keywords: Sendable {
        var rejectsAll: Bool = false
        var reference: Int? = nil
        var types: [String]? = nil
        var enumValues: [JSONValue]? = nil
        var constant: JSONValue? = nil
        var properties: [(name: String, node: Int)] = []
        var knownFields: String = ""
        var required: [String] = []
        var additional: Additional = .allowed
        var minItems: Int64? = nil
        var maxItems: Int64? = nil
        var uniqueItems: Bool = false
        var items: Int? = nil
        var minLength: Int64? = nil
        var maxLength: Int64? = nil
        var pattern: (source: String, regex: SendableRegex)? = nil
        var format: String? = nil
        var minimum: Double? = nil
        var maximum: Double? = nil
        var allOf: [Int]? = nil
        var anyOf: [Int]? = nil
        var oneOf: [Int]? = nil
    }

    /// A compiled node: a class, so visiting one during validation retains one reference instead of
    /// copying a struct of a dozen arrays, with `let` properties, so reading them needs no dynamic
    /// exclusivity check (which a class's `var`s cost on every access).
    final class Node: Sendable {
        let rejectsAll: Bool
        let reference: Int?
        let types: [String]?
        /// `types` as bits (see ``typeBit(_:)``), so a value's type is checked without comparing strings.
        let typeMask: UInt8
        /// Which optional keywords the node has (``Keyword``), so that validation tests a bit rather
        /// than copying an optional array (a reference count up and down) for each keyword it lacks.
        let present: Keyword
        let enumValues: [JSONValue]?
        let constant: JSONValue?
        /// Sorted in RFC 8785 key order, like an object's members, so the two are walked side by side.
        let properties: [(name: String, node: Int)]
        let knownFields: String
        let required: [String]
        /// The required names that are among the first 64 `properties`, as bits of their index there,
        /// so that presence is checked from the members met rather than by a lookup per name.
        let requiredMask: UInt64
        /// The other required names, looked up one by one.
        let requiredElsewhere: [String]
        let additional: Additional
        let minItems: Int64?
        let maxItems: Int64?
        let uniqueItems: Bool
        let items: Int?
        let minLength: Int64?
        let maxLength: Int64?
        let pattern: (source: String, regex: SendableRegex)?
        let format: String?
        let minimum: Double?
        let maximum: Double?
        let allOf: [Int]?
        let anyOf: [Int]?
        let oneOf: [Int]?

        init(_ keywords: Keywords) {
            rejectsAll = keywords.rejectsAll
            reference = keywords.reference
            types = keywords.types
            typeMask = (keywords.types ?? []).reduce(0) { $0 | Node.typeBit($1) }
            var present: Keyword = []
            if keywords.types != nil { present.insert(.types) }
            if keywords.enumValues != nil { present.insert(.enumValues) }
            if keywords.constant != nil { present.insert(.constant) }
            if keywords.allOf != nil { present.insert(.allOf) }
            if keywords.anyOf != nil { present.insert(.anyOf) }
            if keywords.oneOf != nil { present.insert(.oneOf) }
            if keywords.minimum != nil || keywords.maximum != nil { present.insert(.bounds) }
            if keywords.minLength != nil || keywords.maxLength != nil || keywords.pattern != nil || keywords.format != nil {
                present.insert(.stringRules)
            }
            self.present = present
            enumValues = keywords.enumValues
            constant = keywords.constant
            properties = keywords.properties.sorted { JSONObject.order($0.name, $1.name) < 0 }
            knownFields = keywords.knownFields
            required = keywords.required
            var mask: UInt64 = 0
            var elsewhere: [String] = []
            for name in keywords.required {
                if let slot = properties.firstIndex(where: { $0.name == name }), slot < 64 {
                    mask |= 1 << UInt64(slot)
                } else {
                    elsewhere.append(name)
                }
            }
            requiredMask = mask
            requiredElsewhere = elsewhere
            additional = keywords.additional
            minItems = keywords.minItems
            maxItems = keywords.maxItems
            uniqueItems = keywords.uniqueItems
            items = keywords.items
            minLength = keywords.minLength
            maxLength = keywords.maxLength
            pattern = keywords.pattern
            format = keywords.format
            minimum = keywords.minimum
            maximum = keywords.maximum
            allOf = keywords.allOf
            anyOf = keywords.anyOf
            oneOf = keywords.oneOf
        }

        struct Keyword: OptionSet, Sendable {
            let rawValue: UInt16
            static let types = Keyword(rawValue: 1 << 0)
            static let enumValues = Keyword(rawValue: 1 << 1)
            static let constant = Keyword(rawValue: 1 << 2)
            static let allOf = Keyword(rawValue: 1 << 3)
            static let anyOf = Keyword(rawValue: 1 << 4)
            static let oneOf = Keyword(rawValue: 1 << 5)
            static let bounds = Keyword(rawValue: 1 << 6)
            static let stringRules = Keyword(rawValue: 1 << 7)
        }

        /// The bit of a JSON Schema type name in ``typeMask``.
        static func typeBit(_ name: String) -> UInt8 {
            switch name {
            case "null": 1
            case "boolean": 2
            case "number": 4
            case "string": 8
            case "array": 16
            case "object": 32
            case "integer": 64
            default: 0
            }
        }

        /// Whether `value` has one of the node's types (`integer` admits integral numbers only).
        func admitsType(of value: JSONValue) -> Bool {
            switch value {
            case .null: typeMask & 1 != 0
            case .bool: typeMask & 2 != 0
            case .number: typeMask & 4 != 0 || (typeMask & 64 != 0 && value.integerValue != nil)
            case .string: typeMask & 8 != 0
            case .array: typeMask & 16 != 0
            case .object: typeMask & 32 != 0
            }
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
        nodes.append(Node(Keywords()))
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
        var node = Keywords()
        if case .bool(let accept) = schema {
            node.rejectsAll = !accept
            return Node(node)
        }
        guard case .object(let keywords) = schema else { return Node(node) }
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
        return Node(node)
    }
}
