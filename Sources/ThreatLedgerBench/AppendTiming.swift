import Synchronization
import ThreatLedgerCore

/// One append measurement: the same generated events appended through ThreatLedger and inserted
/// into the floor, batch by batch, each side timed on its own. Shared by both backends.
struct AppendTiming {
    var events = 0
    var seconds = 0.0
    var floorSeconds = 0.0
    var payloadBytes = 0
    /// Single events by kind (batches of one only): a recorded claim, which reads no earlier state,
    /// and a claim's correction or retraction, which must read its claim's history first.
    var singles: [SingleKind: (events: Int, seconds: Double)] = [:]

    enum SingleKind: String, CaseIterable {
        case claimRecorded = "claim_recorded"
        case claimEdits = "claim_edits"

        init?(type: String) {
            switch type {
            case EventType.claimRecorded.rawValue: self = .claimRecorded
            case EventType.claimCorrected.rawValue, EventType.claimRetracted.rawValue: self = .claimEdits
            default: return nil
            }
        }
    }

    /// The figures under `append_<batch>_…` keys (batches of 1,000 use the plain floor key); for
    /// single events also `append_1_<kind>_events_per_s` and `append_1_<kind>_events` per ``SingleKind``.
    func figures(batch: Int) -> [String: Double] {
        let floorKey = batch == 1_000 ? "floor_insert_rows_per_s" : "floor_insert_\(batch)_rows_per_s"
        var figures = [
            "append_\(batch)_events_per_s": Double(events) / seconds,
            floorKey: Double(events) / floorSeconds,
            "append_\(batch)_ratio": floorSeconds / seconds,
        ]
        for (kind, timing) in singles where timing.events > 0 {
            figures["append_1_\(kind.rawValue)_events_per_s"] = Double(timing.events) / timing.seconds
            figures["append_1_\(kind.rawValue)_events"] = Double(timing.events)
        }
        return figures
    }

    /// Appends about `total` events in batches of `batch`. Batches of 1,000 take the generator's
    /// next 1,000 events; smaller batches cut each source's events (article, claims, links) into
    /// pieces, as a client appending one action at a time would.
    static func measure(
        total: Int, batch: Int, seed: UInt64, ids: SyntheticLog.IDs = .derived, progress: (String) -> Void,
        floor: ([RawSQLiteFloor.Row]) async throws -> Double, append: ([ProposedEvent]) async throws -> Void
    ) async throws -> AppendTiming {
        var timing = AppendTiming()
        var generator = SyntheticLog(seed: seed, events: total, ids: ids)
        let started = ContinuousClock.now
        func run(_ chunk: [ProposedEvent]) async throws {
            let rows = RawSQLiteFloor.rows(from: chunk, startingAt: Int64(timing.events + 1))
            timing.payloadBytes += rows.reduce(0) { $0 + $1.payload.utf8.count }
            timing.floorSeconds += try await floor(rows)
            let t = ContinuousClock.now
            try await append(chunk)
            let seconds = (ContinuousClock.now - t).seconds
            timing.seconds += seconds
            if chunk.count == 1, let kind = SingleKind(type: chunk[0].type) {
                timing.singles[kind, default: (0, 0)].events += 1
                timing.singles[kind, default: (0, 0)].seconds += seconds
            }
            timing.events += chunk.count
            if timing.events % 50_000 < chunk.count {
                progress(
                    "  \(timing.events)/\(total) appended, \(Int(Double(timing.events) / timing.seconds)) events/s, elapsed \(Int((ContinuousClock.now - started).seconds))s"
                )
            }
        }
        while timing.events < total {
            if batch >= 1_000 {
                try await run(generator.next(min(batch, total - timing.events)))
            } else {
                let source = generator.nextSource()
                for start in stride(from: 0, to: source.count, by: batch) {
                    try await run(Array(source[start..<min(start + batch, source.count)]))
                }
            }
        }
        return timing
    }
}

/// Time added up across tasks: with `--prepare-whole`, how much of the batches' append went to
/// preparing them (validation, canonical payloads, evidence) before the write began.
final class Stopwatch: Sendable {
    private let total = Mutex(Duration.zero)

    func add(_ duration: Duration) { total.withLock { $0 += duration } }

    var seconds: Double { total.withLock { $0.seconds } }
}
