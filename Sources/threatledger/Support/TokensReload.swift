import Dispatch
import Foundation
import ThreatLedgerServer

#if canImport(Glibc)
    import Glibc
#endif

/// Reloads a serving process's tokens on SIGHUP: the file is read and parsed first, and only a file
/// that parses replaces the tokens in force; one that does not is logged with why, and the old
/// tokens stay. Lines start `threatledger serve: tokens` so an operator's tooling can match them.
final class TokensReload {
    private let source: any DispatchSourceSignal

    /// Starts answering SIGHUP. `path` is the tokens file; nil when the tokens came from
    /// THREATLEDGER_TOKENS, which cannot change under a running process (SIGHUP then says so).
    init(path: String?, registry: TokenRegistry) {
        signal(SIGHUP, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        source.setEventHandler {
            guard let path else {
                Terminal.error(
                    "threatledger serve: tokens not reloaded: they come from THREATLEDGER_TOKENS, which a running server cannot re-read; use --tokens FILE")
                return
            }
            let kept = registry.tokens.count
            guard let data = FileManager.default.contents(atPath: path) else {
                Terminal.error("threatledger serve: error: tokens not reloaded: \(path) cannot be read; keeping the \(kept) token(s) in force")
                return
            }
            do throws(ServerConfigurationError) {
                let tokens = try AccessTokens.parse(String(decoding: data, as: UTF8.self), source: path)
                registry.replace(with: tokens)
                Terminal.error("threatledger serve: tokens reloaded from \(path): \(tokens.count) token(s) in force")
            } catch {
                Terminal.error("threatledger serve: error: tokens not reloaded: \(error); keeping the \(kept) token(s) in force")
            }
        }
        source.resume()
    }

    func stop() { source.cancel() }
}
