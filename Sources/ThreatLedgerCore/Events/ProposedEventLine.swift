/// Reads the JSONL that `threatledger append` takes: one ``ProposedEvent`` per line, described by
/// `schemas/proposed-event.schema.json`. Blank lines are skipped; every error names its line.
public enum ProposedEventLines {
    /// One decoded line: the 1-based line number and the event.
    public struct Line: Sendable {
        public let number: Int
        public let event: ProposedEvent
    }

    /// Decodes every line of `bytes`, or throws the first bad line.
    /// - Parameters:
    ///   - defaultRecordedBy: used for lines whose metadata has no `recorded_by`; when nil, such a
    ///     line is an error.
    ///   - makeID: makes the id of a line that has no `event_id`.
    public static func decode(
        _ bytes: [UInt8], defaultRecordedBy: String?, validator: EventValidator = .standard,
        makeID: () -> EventID = EventID.random
    ) throws(ProposedEventLineError) -> [Line] {
        var lines: [Line] = []
        var lineNumber = 0
        var start = 0
        while start <= bytes.count {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            lineNumber += 1
            var slice = bytes[start..<end]
            if slice.last == UInt8(ascii: "\r") { slice = slice.dropLast() }
            start = end + 1
            if slice.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            guard slice.count <= InputLimits.maxLineBytes else {
                throw ProposedEventLineError(line: lineNumber, message: InputLimits.lineTooLong(slice.count))
            }
            let event = try decodeLine(
                Array(slice), number: lineNumber, defaultRecordedBy: defaultRecordedBy, validator: validator,
                makeID: makeID)
            lines.append(Line(number: lineNumber, event: event))
        }
        return lines
    }

    static func decodeLine(
        _ bytes: [UInt8], number: Int, defaultRecordedBy: String?, validator: EventValidator, makeID: () -> EventID
    ) throws(ProposedEventLineError) -> ProposedEvent {
        let value: JSONValue
        do throws(JSONParseError) {
            value = try JSONParser().parse(bytes)
        } catch {
            throw ProposedEventLineError(line: number, message: "not valid JSON: \(error.reasonDescription) (column \(error.column))")
        }
        do throws(SchemaViolation) {
            try validator.schemas.validate(value, against: "proposed-event.schema.json")
        } catch {
            throw ProposedEventLineError(line: number, message: "\(error.path): \(error.message)")
        }
        let stream: StreamName
        do throws(StreamNameError) {
            stream = try StreamName(value["stream"]!.stringValue!)
        } catch {
            throw ProposedEventLineError(line: number, message: "stream: \(error)")
        }
        let metadata = value["metadata"]
        guard let recordedBy = metadata?["recorded_by"]?.stringValue ?? defaultRecordedBy else {
            throw ProposedEventLineError(
                line: number, message: "metadata.recorded_by: required field is missing (or pass --by NAME)")
        }
        var expected: ExpectedVersion?
        switch value["expected_version"] {
        case .string("any"): expected = .any
        case .string("no_stream"): expected = .noStream
        case .some(let version) where version.integerValue != nil: expected = .exact(version.integerValue!)
        default: expected = nil
        }
        return ProposedEvent(
            id: value["event_id"]?.stringValue.flatMap(EventID.init) ?? makeID(),
            stream: stream,
            expectedVersion: expected,
            type: value["type"]!.stringValue!,
            schemaVersion: Int(value["schema_version"]?.integerValue ?? 1),
            payload: value["payload"]!,
            metadata: EventMetadata(
                recordedBy: recordedBy, correlationID: metadata?["correlation_id"]?.stringValue,
                causationID: metadata?["causation_id"]?.stringValue))
    }
}

/// A line of an append file that cannot become an event.
public struct ProposedEventLineError: Error, Sendable, Equatable, CustomStringConvertible {
    public let line: Int
    public let message: String

    public var description: String { "line \(line): \(message)" }
}
