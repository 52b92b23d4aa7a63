import Foundation
import Hummingbird
import ThreatLedgerCore

/// The request context: Hummingbird's core storage (logger with `hb.request.id`, route parameters)
/// and who is asking.
public struct APIRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var principal: Principal?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.principal = nil
    }

    /// The caller, when allowed `permission`: 401 without a valid token, 403 with the wrong role.
    func require(_ permission: Permission) throws -> Principal {
        guard let principal else { throw APIError.unauthorized }
        guard principal.role.may(permission) else { throw APIError.forbidden(role: principal.role, needed: permission) }
        return principal
    }

    /// The `{id}` of the path, percent-decoded (`b12%2D3` is claim `b12-3`): the router hands over
    /// the path segment as it came, and a link whose id was encoded must name the same claim.
    func pathID() throws -> String {
        let raw = try parameters.require("id")
        guard let decoded = raw.removingPercentEncoding else { throw APIError.badRequest(field: "id", detail: "\"\(raw)\" is not a valid percent-encoded id") }
        return decoded
    }
}

/// Reads `Authorization: Bearer …`: a valid token becomes the context's principal; an invalid one is
/// refused at once with 401. Requests without the header pass on, and routes that need a role refuse them.
struct BearerAuthentication: RouterMiddleware {
    typealias Context = APIRequestContext
    let tokens: TokenRegistry
    let clock: any RecordClock = SystemRecordClock()

    func handle(_ request: Request, context: APIRequestContext, next: (Request, APIRequestContext) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else { return try await next(request, context) }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", let found = tokens.tokens.lookup(String(parts[1]), at: clock.now()) else {
            throw APIError.unauthorized
        }
        guard case .valid(let principal) = found else {
            if case .expired(_, let at) = found { throw APIError.tokenExpired(at: at) }
            throw APIError.unauthorized
        }
        var context = context
        context.principal = principal
        context.logger[metadataKey: "principal"] = .string(principal.name)
        return try await next(request, context)
    }
}
