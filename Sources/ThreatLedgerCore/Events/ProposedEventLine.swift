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
    /// Lines are parsed and checked in parallel, one contiguous chunk per core, when there are at
    /// least ``Workers/parallelThreshold`` of them; the outcomes are then taken in line order, so the
    /// error thrown is always the first bad line's, and the ids of lines that give none are made in
    /// line order too.
    /// - Parameters:
    ///   - defaultRecordedBy: used for lines whose metadata has no `recorded_by`; when nil, such a
    ///     line is an error.
    ///   - makeID: makes the id of a line that has no `event_id`.
    public static func decode(
        _ bytes: [UInt8], defaultRecordedBy: String?, validator: EventValidator = .standard,
        makeID: () -> EventID = EventID.random
    ) throws(ProposedEventLineError) -> [Line] {
        var spans: [(number: Int, range: Range<Int>)] = []
        var tooLong: (line: Int, bytes: Int)? = nil
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var lineNumber = 0
            var start = 0
            while start <= buffer.count {
                // memchr finds the line's end many bytes at a time.
                var end = buffer.count
                if start < buffer.count, let found = memchr(base + start, 0x0A, buffer.count - start) {
                    end = UnsafeRawPointer(found) - UnsafeRawPointer(base)
                }
                lineNumber += 1
                var last = end
                if last > start, buffer[last - 1] == UInt8(ascii: "\r") { last -= 1 }
                let range = start..<last
                start = end + 1
                if buffer[range].allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                if range.count > InputLimits.maxLineBytes {
                    tooLong = (lineNumber, range.count)
                    return
                }
                spans.append((lineNumber, range))
            }
        }
        if let tooLong {
            throw ProposedEventLineError(line: tooLong.line, message: InputLimits.lineTooLong(tooLong.bytes))
        }
        let decoded = decodeAll(bytes, spans, defaultRecordedBy: defaultRecordedBy, validator: validator)
        var lines: [Line] = []
        lines.reserveCapacity(spans.count)
        for (span, outcome) in zip(spans, decoded) {  // in line order: the first bad line is the one thrown
            var (event, hasID) = try outcome.get()
            if !hasID { event.id = makeID() }
            lines.append(Line(number: span.number, event: event))
        }
        return lines
    }

    /// A decoded line: the event (with a placeholder id when the line has none) and whether the
    /// line gave its id.
    typealias Decoded = Result<(event: ProposedEvent, hasID: Bool), ProposedEventLineError>

    /// Parses and checks each line; for many lines, in one contiguous chunk per worker, each with a
    /// validator of its own (``EventValidator/forWorkers(_:)``).
    static func decodeAll(
        _ bytes: [UInt8], _ spans: [(number: Int, range: Range<Int>)], defaultRecordedBy: String?, validator: EventValidator
    ) -> [Decoded] {
        bytes.withUnsafeBufferPointer { whole in
            // Workers read the bytes through a pointer: slicing the array itself would update its
            // reference count from every core at once.
            nonisolated(unsafe) let input = whole
            @Sendable func decode(_ span: (number: Int, range: Range<Int>), _ validator: EventValidator) -> Decoded {
                let line = UnsafeBufferPointer(rebasing: input[span.range])
                let parsed = Result { () throws(JSONParseError) -> (value: JSONValue, canonicalPayload: String?) in
                    let (value, canonical) = try JSONParser().parseCanonicalSpans(line)
                    let payload = canonical["payload"].map { String(decoding: UnsafeBufferPointer(rebasing: line[$0]), as: UTF8.self) }
                    return (value, payload)
                }
                return Result { () throws(ProposedEventLineError) in
                    try decodeLine(parsed, number: span.number, defaultRecordedBy: defaultRecordedBy, validator: validator)
                }
            }
            guard let chunks = Workers.chunks(of: spans.count) else { return spans.map { decode($0, validator) } }
            let validators = validator.forWorkers(chunks.count)
            var results = [Decoded](repeating: .failure(ProposedEventLineError(line: 0, message: "")), count: spans.count)
            results.withUnsafeMutableBufferPointer { buffer in
                nonisolated(unsafe) let output = buffer  // each worker writes only its own chunk
                spans.withUnsafeBufferPointer { spanBuffer in
                    nonisolated(unsafe) let spans = spanBuffer
                    DispatchQueue.concurrentPerform(iterations: chunks.count) { worker in
                        for index in chunks[worker] { output[index] = decode(spans[index], validators[worker]) }
                    }
                }
            }
            return results
        }
    }

    /// Stands in for the id of a line that gives none, until ``decode(_:defaultRecordedBy:validator:makeID:)``
    /// makes one (in line order, on the caller's thread).
    static let placeholderID = EventID.derived(namespace: "threatledger", name: "line without an event_id")

    static func decodeLine(
        _ parsed: Result<(value: JSONValue, canonicalPayload: String?), JSONParseError>, number: Int, defaultRecordedBy: String?,
        validator: EventValidator
    ) throws(ProposedEventLineError) -> (event: ProposedEvent, hasID: Bool) {
        let value: JSONValue
        let canonicalPayload: String?
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
        let id = value["event_id"]?.stringValue.flatMap(EventID.init)
        var event = ProposedEvent(
            id: id ?? placeholderID,
            stream: stream,
            expectedVersion: expected,
            type: value["type"]!.stringValue!,
            schemaVersion: Int(value["schema_version"]?.integerValue ?? 1),
            payload: value["payload"]!,
            metadata: EventMetadata(
                recordedBy: recordedBy, correlationID: metadata?["correlation_id"]?.stringValue,
                causationID: metadata?["causation_id"]?.stringValue))
        event.canonicalPayload = canonicalPayload
        return (event, id != nil)
    }
}

/// A line of an append file that cannot become an event.
public struct ProposedEventLineError: Error, Sendable, Equatable, CustomStringConvertible {
    public let line: Int
    public let message: String

    public var description: String { "line \(line): \(message)" }
}
