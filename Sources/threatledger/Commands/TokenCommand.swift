import ArgumentParser
import Foundation
import ThreatLedgerCore
import ThreatLedgerServer

#if canImport(Glibc)
    import Glibc
#endif

struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Make a bearer token for the HTTP API (prints the token once, and its tokens-file entry), or revoke one.",
        discussion: """
            Only the entry (with the token's SHA-256) goes into the tokens file; give the token to its holder.
            threatledger token --name alice --role analyst [--expires 2027-03-01] --tokens tokens.json
            threatledger token --revoke alice --tokens tokens.json
            A running server re-reads its tokens file on SIGHUP (kill -HUP PID): new tokens work, revoked and expired \
            ones are refused, from the next request on; a file that does not parse is not taken, and the old tokens stay.
            """
    )

    @Option(name: .long, help: "Who holds the token (shown in logs and as recorded_by).")
    var name: String?

    @Option(name: .long, help: "auditor, analyst or operator.")
    var role: String?

    @Option(name: .long, help: ArgumentHelp("When the token stops working: an ISO 8601 time or a date (its midnight UTC).", valueName: "time"))
    var expires: String?

    @Option(name: .long, help: ArgumentHelp("Remove every entry of this holder from --tokens.", valueName: "name"))
    var revoke: String?

    @Option(name: .long, help: ArgumentHelp("Also add the entry to this tokens file (created 0600 when missing).", valueName: "file"))
    var tokens: String?

    func validate() throws {
        if let revoke {
            guard tokens != nil else { throw ValidationError("--revoke needs --tokens FILE: the file to remove \(revoke)'s entries from") }
            guard name == nil, role == nil, expires == nil else { throw ValidationError("--revoke takes no --name, --role or --expires") }
            return
        }
        guard let name, !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ValidationError("--name must name the holder (it becomes recorded_by)")
        }
        guard role != nil else { throw ValidationError("--role is required: auditor, analyst or operator") }
        if name.count > 200 { throw ValidationError("--name: at most 200 characters") }
        if let problem = FreeText.problem(name, multiLine: false) { throw ValidationError("--name \(problem)") }
        if let expires, RecordTime(iso8601: expires) == nil {
            throw ValidationError("--expires must be an ISO 8601 time (2027-03-01T00:00:00Z) or a date (2027-03-01)")
        }
    }

    func run() throws {
        if let revoke {
            let removed = try TokensFile.revoke(revoke, in: tokens!)
            Terminal.print("revoked \(removed) token(s) of \(revoke) in \(tokens!); a running server drops them on SIGHUP")
            return
        }
        guard let role = Role(rawValue: role!) else {
            Terminal.error("error: --role must be auditor, analyst or operator")
            throw ExitCode(1)
        }
        let (token, entry) = AccessTokens.generate(name: name!, role: role, expires: expires.flatMap(RecordTime.init(iso8601:)))
        if let tokens { try TokensFile.add(entry, to: tokens) }
        Terminal.print("token: \(token)")
        Terminal.print("entry: \(entry)")
    }
}

/// The tokens file `serve` reads: a JSON array of entries, readable by its owner alone.
enum TokensFile {
    /// Adds `entry` (one JSON object) to the file at `path`, creating it with mode 0600; the result
    /// must still parse as a tokens file (so a second entry for one digest or a bad name is refused).
    static func add(_ entry: String, to path: String) throws {
        var entries = try read(path) ?? []
        entries.append(try JSONParser().parse(entry))
        try write(entries, to: path)
    }

    /// Removes every entry named `name`; how many there were. None is an error: a mistyped name
    /// must not look like a revocation.
    static func revoke(_ name: String, in path: String) throws -> Int {
        guard let entries = try read(path) else { throw CommandFailure("\(path): no tokens file here") }
        let kept = entries.filter { $0["name"]?.stringValue != name }
        guard kept.count < entries.count else { throw CommandFailure("\(path) holds no token of \(name); nothing was changed") }
        try write(kept, to: path)
        return entries.count - kept.count
    }

    private static func read(_ path: String) throws -> [JSONValue]? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        guard let existing = try? JSONParser().parse(Array(data)).arrayValue else {
            throw CommandFailure("\(path) is not a tokens file (a JSON array); nothing was written")
        }
        return existing
    }

    /// Writes the entries whole: to a new 0600 file beside `path`, then renamed over it, so a
    /// server reloading on SIGHUP meanwhile reads the old file or the new one, never half of one.
    private static func write(_ entries: [JSONValue], to path: String) throws {
        let text = CanonicalJSON.string(.array(entries))
        do throws(ServerConfigurationError) { _ = try AccessTokens.parse(text, source: path) } catch {
            throw CommandFailure("\(error); nothing was written")
        }
        let temporary = path + ".new-\(getpid())"
        let descriptor = open(temporary, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw CommandFailure("cannot write \(temporary): \(String(cString: strerror(errno)))") }
        let bytes = Array((text + "\n").utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor)
        close(descriptor)
        guard written == bytes.count, synced == 0, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw CommandFailure("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }
}
