import Foundation
import Hummingbird
import ThreatLedgerCore
import ThreatLedgerStore

/// Every error the API returns, as an RFC 9457 problem document (`application/problem+json`) with a
/// status a client can act on. HTTP status is decided here and nowhere else.
public enum APIError: Error, HTTPResponseError, Sendable {
    case unauthorized
    /// A configured token past its `expires`.
    case tokenExpired(at: RecordTime)
    case forbidden(role: Role, needed: Permission)
    case badRequest(field: String?, detail: String)
    case notFound(String)
    case conflict(String)
    case tooLarge(limit: Int)
    case methodNotAllowed(method: String, allowed: [String])
    case uriTooLong(limit: Int)
    /// The database is held by another writer past the busy timeout: try again shortly.
    case busy
    case unavailable(String)
    case internalError(String)

    public var status: HTTPResponse.Status {
        switch self {
        case .unauthorized, .tokenExpired: .unauthorized
        case .forbidden: .forbidden
        case .badRequest: .badRequest
        case .notFound: .notFound
        case .conflict: .conflict
        case .tooLarge: .contentTooLarge
        case .methodNotAllowed: .methodNotAllowed
        case .uriTooLong: .uriTooLong
        case .busy, .unavailable: .serviceUnavailable
        case .internalError: .internalServerError
        }
    }

    var slug: String {
        switch self {
        case .unauthorized, .tokenExpired: "unauthorized"
        case .forbidden: "forbidden"
        case .badRequest: "invalid-request"
        case .notFound: "not-found"
        case .conflict: "conflict"
        case .tooLarge: "body-too-large"
        case .methodNotAllowed: "method-not-allowed"
        case .uriTooLong: "uri-too-long"
        case .busy: "busy"
        case .unavailable: "not-ready"
        case .internalError: "internal-error"
        }
    }

    var detail: String {
        switch self {
        case .unauthorized: "a valid bearer token is required (Authorization: Bearer <token>)"
        case .tokenExpired(let at): "the bearer token expired at \(at.iso8601); ask the operator for a new one"
        case .forbidden(let role, let needed): "the \(role.rawValue) role may not \(needed.rawValue); nothing was changed"
        case .badRequest(_, let detail), .notFound(let detail), .conflict(let detail), .unavailable(let detail),
            .internalError(let detail):
            detail
        case .tooLarge(let limit): "the request body is over the \(limit)-byte limit; nothing was changed"
        case .methodNotAllowed(let method, let allowed):
            "\(method) is not allowed here (allowed: \(allowed.joined(separator: ", "))); nothing was changed"
        case .uriTooLong(let limit): "the path is over the \(limit)-byte limit"
        case .busy: "the log is busy: another writer held it past the busy timeout; nothing was changed, retry shortly"
        }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var problem: [String: JSONValue] = [
            "type": .string("https://threatledger.invalid/problems/\(slug)"),
            "title": .string(status.reasonPhrase), "status": .number(Double(status.code)), "detail": .string(detail),
            "instance": .string(request.uri.path), "request_id": .string(context.id),
        ]
        if case .badRequest(let field, _) = self, let field { problem["field"] = .string(field) }
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if case .unauthorized = self { headers[.wwwAuthenticate] = "Bearer" }
        if case .tokenExpired = self { headers[.wwwAuthenticate] = "Bearer error=\"invalid_token\", error_description=\"the token expired\"" }
        if case .methodNotAllowed(_, let allowed) = self { headers[.allow] = allowed.joined(separator: ", ") }
        if case .busy = self { headers[.retryAfter] = "1" }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: CanonicalJSON.bytes(.object(problem)))))
    }

    /// The problem a store error is: 400 with the failing field for invalid events, 409 for a version conflict.
    static func from(_ error: StoreError) -> APIError {
        switch error {
        case .invalidEvent(_, _, .streamState(_, let message)):
            return .conflict("\(message); nothing was appended")
        case .invalidEvent(_, _, let why):
            let field: String? =
                switch why {
                case .schema(let violation): "payload.\(violation.path)"
                case .rule(let path, _), .missingReference(let path, _): "payload.\(path)"
                default: nil
                }
            return .badRequest(field: field, detail: "\(why); nothing was appended")
        case .conflict(_, let conflict): return .conflict(conflict.description)
        case .eventIDReused: return .conflict(error.description)
        case .busy: return .busy  // the store's message names SQL; the client needs only to retry
        default: return .internalError(error.description)
        }
    }
}
