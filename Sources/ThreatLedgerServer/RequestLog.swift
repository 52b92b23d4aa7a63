import Foundation
import Hummingbird
import HummingbirdCore
import Logging

/// Logs every request when it arrives (so an operator sees what is in flight) and its answer, with secrets left out: the query string's `token`,
/// `access_token` and any parameter whose name says it holds a key or a password are written as
/// `REDACTED`, and no header is logged (so `Authorization` never is). Errors are logged where an
/// operator sees them: a 4xx answer at `warning`, a 5xx at `error`, the rest at `info`.
struct RequestLog: RouterMiddleware {
    typealias Context = APIRequestContext

    static let secretParameters: Set<String> = ["token", "access_token", "authorization", "api_key", "apikey", "key", "password", "secret"]

    /// The request's path and query as they may be logged.
    static func loggableURI(_ uri: HummingbirdCore.URI) -> String {
        guard let query = uri.query, !query.isEmpty else { return uri.path }
        let pairs = query.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
            let name = pair.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
            let decoded = name.removingPercentEncoding ?? name
            return secretParameters.contains(decoded.lowercased()) ? "\(name)=REDACTED" : String(pair)
        }
        return uri.path + "?" + pairs.joined(separator: "&")
    }

    func handle(_ request: Request, context: APIRequestContext, next: (Request, APIRequestContext) async throws -> Response) async throws -> Response {
        let uri = Self.loggableURI(request.uri)
        context.logger.info(
            "request received",
            metadata: ["hb.request.method": .string(request.method.rawValue), "hb.request.path": .string(request.uri.path), "hb.request.uri": .string(uri)])
        do {
            let response = try await next(request, context)
            log(response.status, request: request, uri: uri, context: context)
            return response
        } catch let error as any HTTPResponseError {
            log(error.status, request: request, uri: uri, context: context, detail: (error as? APIError)?.detail)
            throw error
        } catch {
            log(.internalServerError, request: request, uri: uri, context: context, detail: "\(type(of: error))")
            throw error
        }
    }

    private func log(_ status: HTTPResponse.Status, request: Request, uri: String, context: APIRequestContext, detail: String? = nil) {
        let level: Logger.Level = status.code >= 500 ? .error : status.code >= 400 ? .warning : .info
        var metadata: Logger.Metadata = [
            "hb.request.method": .string(request.method.rawValue), "hb.request.uri": .string(uri), "status": .stringConvertible(status.code),
        ]
        if let detail { metadata["detail"] = .string(detail) }
        context.logger.log(level: level, "request answered", metadata: metadata)
    }
}

/// What the router does not match becomes a problem document like every other error: a path no
/// route has is 404; a path a route has under another method is 405 with `Allow`; a path over
/// ``maxPathBytes`` is 414.
struct UnmatchedRoutes: RouterMiddleware {
    typealias Context = APIRequestContext
    static let maxPathBytes = 2_048

    func handle(_ request: Request, context: APIRequestContext, next: (Request, APIRequestContext) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if path.utf8.count > Self.maxPathBytes { throw APIError.uriTooLong(limit: Self.maxPathBytes) }
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let allowed = APIRoutes.all.filter { Self.matches(template: $0.path, path: path) }.map(\.method)
            if allowed.isEmpty { throw APIError.notFound("no route \(request.method.rawValue) \(path): see the API contract, schemas/openapi.yaml") }
            throw APIError.methodNotAllowed(method: request.method.rawValue, allowed: Array(Set(allowed)).sorted())
        }
    }

    /// Whether `path` fits an OpenAPI-style template (`/v1/claims/{id}`), a `{…}` segment matching any one segment.
    static func matches(template: String, path: String) -> Bool {
        let a = template.split(separator: "/", omittingEmptySubsequences: false)
        let b = path.split(separator: "/", omittingEmptySubsequences: false)
        guard a.count == b.count else { return false }
        return zip(a, b).allSatisfy { t, p in (t.hasPrefix("{") && t.hasSuffix("}") && !p.isEmpty) || t == p }
    }
}
