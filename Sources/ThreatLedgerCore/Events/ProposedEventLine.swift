import Foundation

/// Reads the JSONL that `threatledger append` takes: one ``ProposedEvent`` per line, described by
/// `schemas/proposed-event.schema.json`. Blank lines are skipped; every error names its line.
public enum ProposedEventLines {
    /// One decoded line: the 1-based line number and the event.
    public struct Line: Sendable {
        public let number: Int
        public let event: ProposedEvent
    }

    /// Decodes every line of `bytes`, or throws the first bad line.
    ///
    /// Lines are parsed in parallel, one contiguous chunk per core, when there are at least
    /// ``parallelThreshold`` of them (parsing needs no shared state and is most of decoding); the
    /// checks that follow run in line order, so the error thrown is always the first bad line's.
    /// - Parameters:
    ///   - defaultRecordedBy: used for lines whose metadata has no `recorded_by`; when nil, such a
    ///     line is an error.
    ///   - makeID: makes the id of a line that has no `event_id`.
    public static func decode(
        _ bytes: [UInt8], defaultRecordedBy: String?, validator: EventValidator = .standard,
        makeID: () -> EventID = EventID.random
    ) throws(ProposedEventLineError) -> [Line] {
        var spans: [(number: Int, range: Range<Int>)] = []
        var lineNumber = 0
        var start = 0
        while start <= bytes.count {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            lineNumber += 1
            var last = end
            if last > start, bytes[last - 1] == UInt8(ascii: "\r") { last -= 1 }
            let range = start..<last
            start = end + 1
            if bytes[range].allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            guard range.count <= InputLimits.maxLineBytes else {
                throw ProposedEventLineError(line: lineNumber, message: InputLimits.lineTooLong(range.count))
            }
            spans.append((lineNumber, range))
        }
        let parsed = parseAll(bytes, spans.map(\.range))
        var lines: [Line] = []
        lines.reserveCapacity(spans.count)
        for (span, value) in zip(spans, parsed) {
            let event = try decodeLine(
                value, number: span.number, defaultRecordedBy: defaultRecordedBy, validator: validator, makeID: makeID)
            lines.append(Line(number: span.number, event: event))
        }
        return lines
    }

    /// Lines from which decoding parses in parallel.
    public static let parallelThreshold = 64

    /// Parses each range of `bytes` as one JSON document, in parallel chunks for many lines.
    /// A parsed line: its value, and its payload's canonical text when the line already wrote it so.
    typealias Parsed = Result<(value: JSONValue, canonicalPayload: String?), JSONParseError>

    static func parseAll(_ bytes: [UInt8], _ ranges: [Range<Int>]) -> [Parsed] {
        bytes.withUnsafeBufferPointer { whole in
            // Workers read the bytes through a pointer: slicing the array itself would update its
            // reference count from every core at once.
            nonisolated(unsafe) let input = whole
            @Sendable func parse(_ range: Range<Int>) -> Parsed {
                Result { () throws(JSONParseError) -> (value: JSONValue, canonicalPayload: String?) in
                    let line = UnsafeBufferPointer(rebasing: input[range])
                    let (value, canonical) = try JSONParser().parseCanonicalSpans(line)
                    let payload = canonical["payload"].map { String(decoding: UnsafeBufferPointer(rebasing: line[$0]), as: UTF8.self) }
                    return (value, payload)
                }
            }
            let workers = Workers.count
            guard ranges.count >= parallelThreshold, workers > 1 else { return ranges.map(parse) }
            var results = [Parsed](repeating: .success((.null, nil)), count: ranges.count)
            let chunkSize = (ranges.count + workers - 1) / workers
            results.withUnsafeMutableBufferPointer { buffer in
                nonisolated(unsafe) let output = buffer  // each worker writes only its own chunk
                ranges.withUnsafeBufferPointer { rangeBuffer in
                    nonisolated(unsafe) let spans = rangeBuffer
                    DispatchQueue.concurrentPerform(iterations: workers) { worker in
                        for index in (worker * chunkSize)..<min((worker + 1) * chunkSize, spans.count) {
                            output[index] = parse(spans[index])
                        }
                    }
                }
            }
            return results
        }
    }

    static func decodeLine(
        _ parsed: Parsed, number: Int, defaultRecordedBy: String?, validator: EventValidator,
        makeID: () -> EventID
    ) throws(ProposedEventLineError) -> ProposedEvent {
        let value: JSONValue, canonicalPayload: String?
        do throws(JSONParseError) {
            (value, canonicalPayload) = try parsed.get()
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
        var event = ProposedEvent(
            id: value["event_id"]?.stringValue.flatMap(EventID.init) ?? makeID(),
            stream: stream,
            expectedVersion: expected,
            type: value["type"]!.stringValue!,
            schemaVersion: Int(value["schema_version"]?.integerValue ?? 1),
            payload: value["payload"]!,
            metadata: EventMetadata(
                recordedBy: recordedBy, correlationID: metadata?["correlation_id"]?.stringValue,
                causationID: metadata?["causation_id"]?.stringValue))
        event.canonicalPayload = canonicalPayload
        return event
    }
}

/// A line of an append file that cannot become an event.
public struct ProposedEventLineError: Error, Sendable, Equatable, CustomStringConvertible {
    public let line: Int
    public let message: String

    public var description: String { "line \(line): \(message)" }
}
