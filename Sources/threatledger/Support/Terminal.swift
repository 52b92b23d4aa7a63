import Foundation

/// Writing to the terminal: results to standard output, diagnostics and progress to standard error.
enum Terminal {
    static func print(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// Text as it is, with no line break added.
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Whether standard error is a terminal (progress redraws in place) or a file (log lines).
    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }
}

/// Progress of a long job: redrawn in place on a terminal, a log line every few seconds otherwise.
final class ProgressReporter: @unchecked Sendable {
    private let label: String
    private var total: Int64?
    private let started = Date()
    private lazy var lastReport = started
    private let lock = NSLock()
    private var reported = false

    init(label: String, total: Int64?) {
        self.label = label
        self.total = total
    }

    func update(_ done: Int64, total newTotal: Int64) {
        lock.lock()
        total = newTotal
        lock.unlock()
        update(done)
    }

    func update(_ done: Int64) {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        let interval: TimeInterval = Terminal.stderrIsTerminal ? 0.2 : Self.logInterval
        guard now.timeIntervalSince(lastReport) >= interval else { return }
        lastReport = now
        reported = true
        let elapsed = max(now.timeIntervalSince(started), 0.001)
        let rate = Double(done) / elapsed
        var line = "\(label): \(done)"
        if let total, total > 0 {
            let percent = Double(done) * 100 / Double(total)
            let remaining = rate > 0 ? Double(total - done) / rate : 0
            line += String(format: "/%lld (%.0f%%), %.0f events/s, about %.0fs left", total, percent, rate, remaining)
        } else {
            line += String(format: ", %.0f events/s", rate)
        }
        if Terminal.stderrIsTerminal {
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
        } else {
            Terminal.error(line)
        }
    }

    /// Seconds between progress lines when standard error is not a terminal:
    /// `THREATLEDGER_PROGRESS_SECONDS`, default 5.
    static let logInterval: TimeInterval = {
        let text = ProcessInfo.processInfo.environment["THREATLEDGER_PROGRESS_SECONDS"] ?? ""
        return Double(text).flatMap { $0 >= 0 ? $0 : nil } ?? 5
    }()

    func finish() {
        if Terminal.stderrIsTerminal && reported {
            FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        }
    }
}
