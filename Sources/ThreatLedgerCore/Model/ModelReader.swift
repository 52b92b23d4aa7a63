/// Reads one JSON object into a typed value, field by field, naming the path of any field that
/// does not fit. The model types (``ClaimFields``, ``ClaimFigure``, …) decode through it, so every
/// one of them fails the same way.
struct ModelReader {
    let object: JSONObject
    let path: String

    init(_ value: JSONValue?, path: String) throws(ModelDecodingError) {
        guard case .object(let object)? = value else { throw ModelDecodingError(path: path, expected: "an object") }
        self.object = object
        self.path = path
    }

    func fail(_ key: String, _ expected: String) -> ModelDecodingError {
        ModelDecodingError(path: "\(path).\(key)", expected: expected)
    }

    func string(_ key: String) throws(ModelDecodingError) -> String {
        guard let text = object[key]?.stringValue else { throw fail(key, "a string") }
        return text
    }

    /// A string, or nil for null or a missing key.
    func optionalString(_ key: String) throws(ModelDecodingError) -> String? {
        switch object[key] {
        case nil, .null?: return nil
        case .string(let text)?: return text
        default: throw fail(key, "a string or null")
        }
    }

    func bool(_ key: String) throws(ModelDecodingError) -> Bool {
        guard let flag = object[key]?.boolValue else { throw fail(key, "true or false") }
        return flag
    }

    func optionalInteger(_ key: String) throws(ModelDecodingError) -> Int64? {
        switch object[key] {
        case nil, .null?: return nil
        case let value?:
            guard let integer = value.integerValue else { throw fail(key, "an integer or null") }
            return integer
        }
    }

    func integer(_ key: String) throws(ModelDecodingError) -> Int64 {
        guard let integer = try optionalInteger(key) else { throw fail(key, "an integer") }
        return integer
    }

    func number(_ key: String) throws(ModelDecodingError) -> Double {
        guard let number = object[key]?.numberValue else { throw fail(key, "a number") }
        return number
    }

    func choice<T: RawRepresentable>(_ key: String, _ type: T.Type = T.self) throws(ModelDecodingError) -> T
    where T.RawValue == String {
        guard let text = object[key]?.stringValue, let value = T(rawValue: text) else {
            throw fail(key, "one of the schema's values for \(key)")
        }
        return value
    }

    func optionalChoice<T: RawRepresentable>(_ key: String, _ type: T.Type = T.self) throws(ModelDecodingError) -> T?
    where T.RawValue == String {
        if object[key] == nil || object[key] == .null { return nil }
        return try choice(key, type)
    }

    func date(_ key: String) throws(ModelDecodingError) -> CalendarDate? {
        guard let text = try optionalString(key) else { return nil }
        guard let date = CalendarDate(iso8601: text) else { throw fail(key, "a date (YYYY-MM-DD) or null") }
        return date
    }

    /// A nested object, or nil for null or a missing key.
    func optionalObject(_ key: String) throws(ModelDecodingError) -> ModelReader? {
        switch object[key] {
        case nil, .null?: return nil
        case let value?: return try ModelReader(value, path: "\(path).\(key)")
        }
    }

    /// A nested value decoded by `decode`, or nil for null or a missing key.
    func optional<T>(_ key: String, _ decode: (JSONValue, String) throws(ModelDecodingError) -> T) throws(ModelDecodingError) -> T? {
        switch object[key] {
        case nil, .null?: return nil
        case let value?: return try decode(value, "\(path).\(key)")
        }
    }

    func nested(_ key: String) throws(ModelDecodingError) -> ModelReader {
        try ModelReader(object[key], path: "\(path).\(key)")
    }

    func array(_ key: String) throws(ModelDecodingError) -> [JSONValue] {
        guard let items = object[key]?.arrayValue else { throw fail(key, "an array") }
        return items
    }
}

extension JSONValue {
    /// `value` encoded, or null.
    static func optional<T>(_ value: T?, _ encode: (T) -> JSONValue) -> JSONValue {
        value.map(encode) ?? .null
    }
}
