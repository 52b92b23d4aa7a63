import Synchronization
import ThreatLedgerCore

/// The tokens a running server accepts, replaceable while it serves: `serve` re-reads its tokens
/// file on SIGHUP and swaps the new set in only once it has parsed, so a bad file keeps the old
/// tokens. Every request looks its token up here, so a revoked or expired token is refused from the
/// next request on.
public final class TokenRegistry: Sendable {
    private let current: Mutex<AccessTokens>

    public init(_ tokens: AccessTokens) { current = Mutex(tokens) }

    /// The tokens in force.
    public var tokens: AccessTokens { current.withLock { $0 } }

    /// Puts `tokens` in force from the next request on.
    public func replace(with tokens: AccessTokens) { current.withLock { $0 = tokens } }
}
