/// Which payload versions each event type has, and how an old version is read as the current one:
/// the one place where upcasting happens (`schemas/VERSIONING.md` states the policy).
///
/// - Every version ever written stays readable: the log keeps each event's payload exactly as it
///   was written (its bytes are what the chain hashes) and its `schema_version`; `verify` validates
///   it against that version's schema (`<type>.v<N>.schema.json`, never edited once released).
/// - Readers see the current version only: ``RecordedEvent/payload(versions:)`` upcasts an older
///   payload step by step (v1 → v2 → … → current), each step a pure function from one version's
///   shape to the next's, so projections, trace and the API are written against one shape.
/// - Domain rules run on the current shape, after the written payload has passed its own schema.
///
/// Today every type is at version 1 and ``standard`` has no steps.
public struct SchemaVersions: Sendable {
    /// One step: a payload of `type` at version `from`, as version `from + 1` says it.
    public struct Upcast: Sendable {
        public let type: EventType
        public let from: Int
        public let apply: @Sendable (JSONValue) -> JSONValue

        public init(type: EventType, from: Int, apply: @escaping @Sendable (JSONValue) -> JSONValue) {
            self.type = type
            self.from = from
            self.apply = apply
        }
    }

    private let currentVersions: [EventType: Int]
    private let steps: [EventType: [Int: @Sendable (JSONValue) -> JSONValue]]

    /// The versions ThreatLedger writes and reads today.
    public static let standard = SchemaVersions()

    /// - Parameters:
    ///   - current: each type's current version (a type not named is at version 1);
    ///   - upcasts: one step for every version below a type's current one.
    public init(current: [EventType: Int] = [:], upcasts: [Upcast] = []) {
        var steps: [EventType: [Int: @Sendable (JSONValue) -> JSONValue]] = [:]
        for upcast in upcasts { steps[upcast.type, default: [:]][upcast.from] = upcast.apply }
        for (type, version) in current {
            for from in 1..<max(version, 1) {
                precondition(steps[type]?[from] != nil, "\(type.rawValue) version \(from) has no upcast to \(from + 1)")
            }
        }
        self.currentVersions = current
        self.steps = steps
    }

    /// The version new events of `type` are written at, and every reader sees.
    public func current(_ type: EventType) -> Int { currentVersions[type] ?? 1 }

    /// `payload`, written at `version` of `type`, as the current version says it.
    public func upcast(_ payload: JSONValue, type: EventType, from version: Int) -> JSONValue {
        var value = payload
        var at = version
        while at < current(type), let step = steps[type]?[at] {
            value = step(value)
            at += 1
        }
        return value
    }
}
