import Foundation
import Synchronization
import ThreatLedgerBackends
import ThreatLedgerCore
import ThreatLedgerProjections
import ThreatLedgerStore

/// The workload `scripts/bench-peer.sh` runs through ThreatLedger and through a peer library: the
/// generated events written once as the JSONL that `threatledger append` takes, then appended from
/// that file in batches of 1,000 lines (parse, validate, encode, store) and read back whole
/// (every event fetched and its payload parsed).
enum PeerWorkload {
    /// Writes `total` generated events, with `ids` of that kind, as append lines; returns the bytes written.
    static func export(events total: Int, ids: SyntheticLog.IDs = .derived, to path: String) throws -> Int {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        guard let file = FileHandle(forWritingAtPath: path) else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
        defer { try? file.close() }
        var generator = SyntheticLog(seed: 42, ids: ids)
        var written = 0
        var bytes = 0
        while written < total {
            var chunk: [UInt8] = []
            for event in generator.next(min(1_000, total - written)) {
                var line: [String: JSONValue] = [
                    "event_id": .string(event.id.rawValue), "stream": .string(event.stream.rawValue), "type": .string(event.type),
                    "schema_version": .number(Double(event.schemaVersion)), "payload": event.payload,
                    "metadata": ["recorded_by": .string(event.metadata.recordedBy)],
                ]
                switch event.expectedVersion {
                case .any?: line["expected_version"] = "any"
                case .noStream?: line["expected_version"] = "no_stream"
                case .exact(let version)?: line["expected_version"] = .number(Double(version))
                case nil: break
                }
                chunk += CanonicalJSON.bytes(.object(line))
                chunk.append(UInt8(ascii: "\n"))
                written += 1
            }
            bytes += chunk.count
            try file.write(contentsOf: chunk)
        }
        return bytes
    }

    /// Appends the file's lines in batches of 1,000 to the log at `location`, then reads the log back
    /// whole; returns the figures as JSON.
    ///
    /// Pipelined (the default), through ``EventLog/appendBatches(_:appended:)``, as a bulk import
    /// uses the log: the next batch is decoded and prepared while the current one is appended.
    /// Sequential, each batch is decoded and appended before the next is read.
    static func run(file path: String, location: String, pipelined: Bool, progress: (String) -> Void) async throws -> JSONValue {
        guard let data = FileManager.default.contents(atPath: path) else { throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path]) }
        let bytes = Array(data)
        let backend = try await Backend.open(location, role: "bench", create: true)
        let log = backend.log
        var lineStarts = [0]
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") && index + 1 < bytes.count { lineStarts.append(index + 1) }
        let starts = lineStarts
        @Sendable func decode(_ first: Int) throws -> [ProposedEvent] {
            let from = starts[first]
            let to = first + 1_000 < starts.count ? starts[first + 1_000] : bytes.count
            return try ProposedEventLines.decode(Array(bytes[from..<to]), defaultRecordedBy: nil).map(\.event)
        }
        var appended = 0
        let start = ContinuousClock.now
        if pipelined {
            let cursor = Mutex(0)
            let next = { @Sendable () throws -> [ProposedEvent]? in
                let first = cursor.withLock { first in
                    defer { first += 1_000 }
                    return first
                }
                return first < starts.count ? try decode(first) : nil
            }
            try await log.appendBatches(next) { result in
                appended += result.appendedCount
                if appended % 50_000 < 1_000 { progress("  \(appended) appended") }
            }
        } else {
            for first in stride(from: 0, to: lineStarts.count, by: 1_000) {
                appended += try await log.append(decode(first)).appendedCount
                if appended % 50_000 < 1_000 { progress("  \(appended) appended") }
            }
        }
        let appendSeconds = (ContinuousClock.now - start).seconds
        let readStart = ContinuousClock.now
        var read = 0
        for try await page in backend.log.pages() {
            for event in page { _ = try event.payload() }
            read += page.count
        }
        let readSeconds = (ContinuousClock.now - readStart).seconds
        return [
            "events": .number(Double(appended)), "read": .number(Double(read)),
            "append_events_per_s": .number((Double(appended) / appendSeconds).rounded()),
            "read_events_per_s": .number((Double(read) / readSeconds).rounded()),
            "pipelined": .bool(pipelined),
        ]
    }
}
