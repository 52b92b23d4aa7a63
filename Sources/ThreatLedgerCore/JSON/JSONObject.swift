/// The members of a JSON object, kept sorted by key in RFC 8785 order (UTF-16 code units) with no
/// key twice.
///
/// A sorted array rather than a dictionary: parsing canonical input appends members in the order
/// they come, with no hashing; a canonical writer needs no sort; a schema walks an object's members
/// beside its sorted properties in one merge; and freeing an object frees one array. Looking a key
/// up is a binary search over a dozen or so members.
///
/// Keys are compared by their code units, never by Unicode canonical equivalence (which `String`'s
/// `==` uses): two keys that differ only in normalization are two keys, as RFC 8785 sees them.
public struct JSONObject: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    public typealias Element = (key: String, value: JSONValue)

    /// The members, sorted by ``JSONObject/order(_:_:)``, each key once.
    public private(set) var members: [Element]

    public init() { members = [] }

    /// The members of `dictionary`, sorted.
    public init(_ dictionary: [String: JSONValue]) {
        members = dictionary.map { ($0.key, $0.value) }
        members.sort { Self.order($0.key, $1.key) < 0 }
    }

    /// Members already sorted with no key twice (the parser checks both as it reads).
    init(sortedUniqueMembers members: [Element]) { self.members = members }

    /// Keys written more than once keep their last value, as a dictionary literal would.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        members = []
        for (key, value) in elements { self[key] = value }
    }

    public var count: Int { members.count }
    public var isEmpty: Bool { members.isEmpty }
    /// The keys, in canonical order.
    public var keys: [String] { members.map(\.key) }
    /// The values, in their keys' canonical order.
    public var values: [JSONValue] { members.map(\.value) }
    /// The same members as a dictionary.
    public var dictionary: [String: JSONValue] { Dictionary(uniqueKeysWithValues: members.map { ($0.key, $0.value) }) }

    public func makeIterator() -> IndexingIterator<[Element]> { members.makeIterator() }

    /// The value of `key`, or nil; setting nil removes the member.
    public subscript(key: String) -> JSONValue? {
        get {
            guard let index = find(key) else { return Optional.none }  // not `nil` in a ternary: JSONValue takes nil literals as null
            return members[index].value
        }
        set {
            let (index, found) = search(key)
            switch (found, newValue) {
            case (true, let value?): members[index].value = value
            case (true, nil): members.remove(at: index)
            case (false, let value?): members.insert((key, value), at: index)
            case (false, nil): break
            }
        }
    }

    /// The same keys with their values transformed.
    public func mapValues(_ transform: (JSONValue) throws -> JSONValue) rethrows -> JSONObject {
        JSONObject(sortedUniqueMembers: try members.map { ($0.key, try transform($0.value)) })
    }

    /// The members for which `isIncluded` holds.
    public func filter(_ isIncluded: (Element) throws -> Bool) rethrows -> JSONObject {
        JSONObject(sortedUniqueMembers: try members.filter(isIncluded))
    }

    /// Where `key` is. Small objects (nearly all) are scanned with String's fast equality, confirmed
    /// on code units (String's == also equates canonically equivalent text, which keys must not);
    /// large ones are searched.
    private func find(_ key: String) -> Int? {
        if members.count <= 16 {
            return members.indices.first { members[$0].key == key && Self.order(members[$0].key, key) == 0 }
        }
        let (index, found) = search(key)
        return found ? index : nil
    }

    /// Where `key` is, or where it would go, by binary search.
    private func search(_ key: String) -> (index: Int, found: Bool) {
        var low = 0
        var high = members.count
        while low < high {
            let middle = (low + high) / 2
            let comparison = Self.order(members[middle].key, key)
            if comparison == 0 { return (middle, true) }
            if comparison < 0 { low = middle + 1 } else { high = middle }
        }
        return (low, false)
    }

    /// RFC 8785 key order: negative when `a` sorts before `b`, zero when their code units are equal.
    /// UTF-8 byte order is code-point order, which is UTF-16 order except where a character above
    /// U+FFFF meets one from U+E000 to U+FFFF; only keys holding such characters (a UTF-8 lead byte
    /// of 0xEE or more) are compared by UTF-16 code units.
    public static func order(_ a: String, _ b: String) -> Int {
        // Native strings (all that the parser makes) lend their UTF-8 without a copy.
        enum Outcome {
            case decided(Int)
            case byUTF16, unavailable
        }
        let outcome: Outcome =
            a.utf8.withContiguousStorageIfAvailable { x in
                b.utf8.withContiguousStorageIfAvailable { y -> Outcome in
                    let common = Swift.min(x.count, y.count)
                    var i = 0
                    while i < common, x[i] == y[i] { i += 1 }
                    if i == common { return .decided(x.count - y.count) }
                    if x[i] < 0xEE && y[i] < 0xEE { return .decided(Int(x[i]) - Int(y[i])) }
                    return .byUTF16  // a difference among characters from U+E000 up
                } ?? .unavailable
            } ?? .unavailable
        switch outcome {
        case .decided(let order): return order
        case .byUTF16: return utf16Order(a, b)
        case .unavailable:  // not stored as contiguous UTF-8 (bridged text): make it so, then compare
            var a = a
            var b = b
            a.makeContiguousUTF8()
            b.makeContiguousUTF8()
            return order(a, b)
        }
    }

    private static func utf16Order(_ a: String, _ b: String) -> Int {
        var xs = a.utf16.makeIterator()
        var ys = b.utf16.makeIterator()
        while true {
            switch (xs.next(), ys.next()) {
            case (nil, nil): return 0
            case (nil, _): return -1
            case (_, nil): return 1
            case (let p?, let q?) where p != q: return Int(p) - Int(q)
            default: continue
            }
        }
    }

    public static func == (a: JSONObject, b: JSONObject) -> Bool {
        a.members.count == b.members.count
            && zip(a.members, b.members).allSatisfy { order($0.key, $1.key) == 0 && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(members.count)
        for member in members {
            var key = member.key
            key.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
            hasher.combine(key.utf8.count)
            hasher.combine(member.value)
        }
    }
}
