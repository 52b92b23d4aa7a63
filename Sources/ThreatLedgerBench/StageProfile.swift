import Foundation
import ThreatLedgerCore

/// `--stage-profile FILE`: the append path's pure stages timed one by one over the same append
/// lines (no database), so the cost of each is known in microseconds per event. Each stage runs
/// three times and its fastest run is reported: this machine's speed drifts by tens of percent from
/// one second to the next, and the fastest run is the one least disturbed.
enum StageProfile {
    static func run(file path: String) throws -> JSONValue {
        guard let data = FileManager.default.contents(atPath: path) else { throw CocoaError(.fileReadNoSuchFile) }
        let lines = data.split(separator: UInt8(ascii: "\n")).map(Array.init)
        let validator = EventValidator.standard
        var results: [String: JSONValue] = ["events": .number(Double(lines.count))]
        func stage(_ name: String, _ body: () throws -> Void) rethrows {
            var fastest = Double.infinity
            for _ in 0..<3 {
                let start = ContinuousClock.now
                try body()
                fastest = min(fastest, (ContinuousClock.now - start).seconds)
            }
            results[name + "_us_per_event"] = .number((fastest / Double(lines.count) * 1e7).rounded() / 10)
        }
        var values: [JSONValue] = []
        try stage("parse_line") { values = try lines.map { try JSONParser().parse($0) } }
        try stage("validate_line_schema") { for value in values { try validator.schemas.validate(value, against: "proposed-event.schema.json") } }
        let events = try ProposedEventLines.decode(Array(data), defaultRecordedBy: nil).map(\.event)
        try stage("validate_payload_schema") {
            for event in events { try validator.schemas.validate(event.payload, against: EventType(rawValue: event.type)!.schemaFile(version: 1)) }
        }
        try stage("validate_event_total") { for event in events { try validator.validate(event) } }
        stage("figure_words") {
            for event in events where event.type == "ClaimRecorded" {
                for figure in event.payload["figures"]?.arrayValue ?? [] {
                    _ = FigureWords.problem(figure: figure, statement: event.payload["statement"], claimID: "")
                }
            }
        }
        stage("free_text") { for event in events { _ = FreeText.firstProblem(in: event.payload, at: .root) } }
        var encoded: [String] = []
        stage("canonical_payload") { encoded = events.map { CanonicalJSON.string($0.payload) } }
        var articles: [String: EvidenceCheck.Article] = [:]
        stage("evidence_check") {
            for event in events {
                if event.type == "SourceRegistered", let id = event.payload["source_id"]?.stringValue {
                    articles[id] = EvidenceCheck.Article(sourceRegistered: event.payload)
                } else if let source = event.payload["source_id"]?.stringValue, let article = articles[source] {
                    _ = EvidenceCheck.firstFailure(in: event.payload, article: article)
                }
            }
        }
        stage("envelope_and_hash") {
            var previous = SHA256Hash.genesis
            for (index, event) in events.enumerated() {
                let bytes = EnvelopeEncoding.canonicalBytes(
                    id: event.id, stream: event.stream, streamVersion: 1, position: Int64(index + 1), type: event.type, schemaVersion: 1,
                    payloadJSON: encoded[index], metadata: event.metadata, recordedAt: RecordTime(microsecondsSinceEpoch: 0))
                previous = EventChain.hash(previous: previous, canonicalBytes: bytes)
            }
        }
        stage("parse_stored_payload") { for text in encoded { _ = try? JSONParser().parse(text) } }
        return .object(results)
    }
}
