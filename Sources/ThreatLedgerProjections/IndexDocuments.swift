import Dispatch
import ThreatLedgerCore

/// Claim versions decoded from the documents the read index stores, spread over every
/// worker when there are many (``Workers/chunks(of:workers:)``).
///
/// Why: reading a picture is mostly parsing and decoding these documents (half of a full render of
/// the region summaries, measured with `perf` over 100,000 events), and a country's picture holds
/// thousands of them. The outcome does not depend on the workers: the values come back in the rows'
/// order, and a document that does not decode gives the error of the first such row, as one thread
/// reading them in turn would.
enum IndexDocuments {
    /// A version's id and its stored document text, as read from the index.
    typealias Row = (id: String, text: String)

    /// `rows` decoded by `decode`, in order.
    static func decode<Value: Sendable>(
        _ rows: [Row], workers: Int = Workers.count, _ decode: @Sendable (Row) throws -> Value
    ) throws -> [Value] {
        guard let chunks = Workers.chunks(of: rows.count, workers: workers) else { return try rows.map(decode) }
        var outcomes = [Result<Value, any Error>?](repeating: nil, count: rows.count)
        outcomes.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let output = buffer  // each worker writes only its own chunk
            rows.withUnsafeBufferPointer { input in
                nonisolated(unsafe) let rows = input
                DispatchQueue.concurrentPerform(iterations: chunks.count) { worker in
                    for index in chunks[worker] { output[index] = Result { try decode(rows[index]) } }
                }
            }
        }
        return try outcomes.map { try $0!.get() }
    }

    /// Claim versions, in the rows' order.
    static func claims(_ rows: [Row], workers: Int = Workers.count) throws -> [ThreatPicture.Claim] {
        try decode(rows, workers: workers) { row in try ThreatPicture.claim(id: row.id, document: try JSONParser().parse(row.text)) }
    }
}
