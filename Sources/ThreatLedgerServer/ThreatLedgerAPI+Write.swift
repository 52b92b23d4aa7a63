import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ThreatLedgerAudit
import ThreatLedgerCore
import ThreatLedgerStore

/// Writes: each request becomes one event, appended all or nothing, recorded by the token's name with
/// the request id as correlation id. A body is `{"event_id"?, "expected_version"?, "payload": {…}}`:
/// `event_id` (a UUID) makes the write idempotent: repeating it returns the same result and appends
/// nothing (the response then carries `Idempotent-Replayed: true`).
extension ThreatLedgerAPI {
    func write(_ spec: RouteSpec, _ request: Request, _ context: APIRequestContext, _ principal: Principal) async throws -> Response {
        var request = request
        let bytes: [UInt8]
        do {
            var buffer = try await request.collectBody(upTo: configuration.maxBodyBytes)
            bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        } catch is NIOTooManyBytesError {
            throw APIError.tooLarge(limit: configuration.maxBodyBytes)
        } catch {
            // The client went away before its body ended: its request, not the server, failed.
            throw APIError.badRequest(field: nil, detail: "the request body ended before it was complete; nothing was appended")
        }
        let body: JSONValue
        do { body = try JSONParser().parse(bytes) } catch {
            throw APIError.badRequest(field: nil, detail: "the body is not valid JSON: \(error)")
        }
        guard let fields = body.objectValue else { throw APIError.badRequest(field: nil, detail: "the body must be a JSON object") }
        for key in fields.keys.sorted() where !["event_id", "expected_version", "payload"].contains(key) {
            throw APIError.badRequest(field: key, detail: "unknown field (known: event_id, expected_version, payload)")
        }
        var eventID = EventID.random()
        if let given = fields["event_id"] {
            guard let text = given.stringValue, let id = EventID(text), text.count == 36 else {
                throw APIError.badRequest(field: "event_id", detail: "must be a UUID")
            }
            eventID = id
        }
        var expected: ExpectedVersion?
        switch fields["expected_version"] {
        case nil: expected = nil
        case .string("any")?: expected = .any
        case .string("no_stream")?: expected = .noStream
        case let value? where (value.integerValue ?? 0) >= 1: expected = .exact(value.integerValue!)
        default: throw APIError.badRequest(field: "expected_version", detail: "must be \"any\", \"no_stream\" or a version from 1")
        }
        guard case .object(var payload)? = fields["payload"] else {
            throw APIError.badRequest(field: "payload", detail: "required: a JSON object")
        }

        let type: EventType
        var stream: StreamName
        switch spec.path {
        case "/v1/sources": type = .sourceRegistered
        case "/v1/claims": type = .claimRecorded
        case "/v1/incidents": type = .incidentLinked
        case "/v1/claims/{id}/corrections": type = .claimCorrected
        case "/v1/incidents/{id}/unlinks": type = .incidentUnlinked
        case "/v1/sources/{id}/corrections": type = .sourceCorrected
        case "/v1/sources/{id}/retractions": type = .sourceRetracted
        default: type = .claimRetracted
        }
        let binding = type.streamBinding
        if spec.path.hasPrefix("/v1/claims/{id}/") {
            let id = try context.pathID()
            if let given = payload["claim_id"], given.stringValue != id {
                throw APIError.badRequest(field: "payload.claim_id", detail: "names \(given), but the path names claim \(id)")
            }
            payload["claim_id"] = .string(id)
            if type == .claimCorrected {
                payload["changes"] = payload["changes"] ?? .object([:])
                payload["figure_updates"] = payload["figure_updates"] ?? .array([])
            }
        }
        if spec.path.hasPrefix("/v1/incidents/{id}/") || spec.path.hasPrefix("/v1/sources/{id}/") {
            let id = try context.pathID()
            if let given = payload[binding.idField], given.stringValue != id {
                throw APIError.badRequest(field: "payload.\(binding.idField)", detail: "names \(given), but the path names \(binding.prefix) \(id)")
            }
            payload[binding.idField] = .string(id)
        }
        guard let id = payload[binding.idField]?.stringValue, let name = try? StreamName.entity(binding.prefix, id) else {
            throw APIError.badRequest(field: "payload.\(binding.idField)", detail: "required: an id of lowercase letters, digits, '.', '_' and '-'")
        }
        stream = name
        // A repeated event id answers with the original result, whatever has happened since.
        if fields["event_id"] != nil, let existing = try await store.event(id: eventID) {
            guard existing.stream == stream, existing.type == type.rawValue,
                existing.payloadJSON == CanonicalJSON.string(.object(payload))
            else {
                throw APIError.conflict("event id \(eventID) already belongs to a different event at position \(existing.position); nothing was appended")
            }
            var response = appendedResponse(id: existing.id, stream: stream, position: existing.position, version: existing.streamVersion, hash: existing.hash)
            response.headers[HTTPField.Name("Idempotent-Replayed")!] = "true"
            return response
        }
        // Every rule (a correction after a retraction, a corrected claim that would break one) is
        // decided by the log's append, the one place every write path passes through.
        if !type.startsStream {
            guard try await store.streamVersion(stream) > 0 else { throw APIError.notFound("no \(binding.prefix) \(id)") }
        } else if expected == nil {
            expected = .noStream
        }
        let event = ProposedEvent(
            id: eventID, stream: stream, expectedVersion: expected, type: type.rawValue, payload: .object(payload),
            metadata: EventMetadata(recordedBy: principal.name, correlationID: context.id, causationID: nil))

        let start = ContinuousClock.now
        let result: AppendResult
        do { result = try await store.append([event]) } catch { throw APIError.from(error) }
        metrics.appended(events: result.appendedCount, duration: ContinuousClock.now - start)
        await follower.wake()
        let appended = result.events[0]
        context.logger.info(
            "appended event",
            metadata: [
                "type": .string(type.rawValue), "stream": .string(stream.rawValue), "position": .stringConvertible(appended.position),
                "replayed": .stringConvertible(appended.alreadyPresent),
            ])
        var response = appendedResponse(id: appended.id, stream: stream, position: appended.position, version: appended.streamVersion, hash: appended.hash)
        if appended.alreadyPresent { response.headers[HTTPField.Name("Idempotent-Replayed")!] = "true" }
        return response
    }

    func appendedResponse(id: EventID, stream: StreamName, position: Int64, version: Int64, hash: SHA256Hash) -> Response {
        json(
            [
                "appended": .array([
                    [
                        "event_id": .string(id.rawValue), "stream": .string(stream.rawValue), "position": .number(Double(position)),
                        "stream_version": .number(Double(version)), "hash": .string(hash.hex),
                    ]
                ])
            ], status: .created)
    }
}
