/// Someone a claim names (`schemas/actor.schema.json`).
public struct Actor: Sendable, Hashable {
    /// The actor's name in English.
    public var name: String
    public var nameAsWritten: String?
    /// What kind of actor (`isis`, `state_forces`, `civilians`, …: the schema's list).
    public var type: String

    public init(name: String, nameAsWritten: String? = nil, type: String) {
        self.name = name
        self.nameAsWritten = nameAsWritten
        self.type = type
    }

    public init(json: JSONValue?, path: String) throws(ModelDecodingError) {
        let reader = try ModelReader(json, path: path)
        self.init(name: try reader.string("name"), nameAsWritten: try reader.optionalString("name_as_written"), type: try reader.string("type"))
    }

    public var json: JSONValue {
        ["name": .string(name), "name_as_written": .optional(nameAsWritten), "type": .string(type)]
    }
}

/// Who did it, to whom, and which authority reports or acted (each nil when the article names none).
public struct ClaimActors: Sendable, Hashable {
    public var perpetrator: Actor?
    public var target: Actor?
    public var authority: Actor?

    public init(perpetrator: Actor?, target: Actor?, authority: Actor?) {
        self.perpetrator = perpetrator
        self.target = target
        self.authority = authority
    }

    public init(json: JSONValue?, path: String) throws(ModelDecodingError) {
        let reader = try ModelReader(json, path: path)
        self.init(
            perpetrator: try reader.optional("perpetrator", Actor.init(json:path:)), target: try reader.optional("target", Actor.init(json:path:)),
            authority: try reader.optional("authority", Actor.init(json:path:)))
    }

    public var json: JSONValue {
        ["perpetrator": .optional(perpetrator, \.json), "target": .optional(target, \.json), "authority": .optional(authority, \.json)]
    }
}
