import ArgumentParser
import Foundation

/// A failure to report on one line of standard error and exit non-zero.
struct CommandFailure: Error, CustomStringConvertible {
    let message: String
    let exitCode: Int32

    init(_ message: String, exitCode: Int32 = 1) {
        self.message = message
        self.exitCode = exitCode
    }

    var description: String { message }
}

/// Runs a command body, turning a ``CommandFailure`` into `error: …` on standard error and its exit code.
func reportingFailures(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let failure as CommandFailure {
        Terminal.error("error: \(failure.message)")
        throw ExitCode(failure.exitCode)
    }
}
