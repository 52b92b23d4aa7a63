/// Finds the first byte of interest in UTF-8 text eight bytes at a time (SWAR: "SIMD within a
/// register"). Writing a payload canonically and checking free text both look at every byte of
/// every string for the few that matter (a quote or a control character); nearly all text has none,
/// and a word of eight plain bytes is passed over with a handful of integer operations instead of
/// eight comparisons.
enum ByteScan {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// Whether some byte of `word` is below `limit` (at most 128). Exact: no byte at or above it is
    /// ever reported.
    @inline(__always)
    private static func hasByte(below limit: UInt8, in word: UInt64) -> Bool {
        (word &- ones &* UInt64(limit)) & ~word & highs != 0
    }

    /// Whether some byte of `word` equals `value`. Exact.
    @inline(__always)
    private static func hasByte(_ value: UInt8, in word: UInt64) -> Bool {
        let x = word ^ (ones &* UInt64(value))
        return (x &- ones) & ~x & highs != 0
    }

    /// The index of the first byte at or after `start` that is below `limit` (at most 128) or equal
    /// to one of `values`, or `bytes.count` when there is none.
    static func firstIndex(
        in bytes: UnsafeBufferPointer<UInt8>, from start: Int = 0, below limit: UInt8, orEqualTo values: (UInt8, UInt8, UInt8)
    ) -> Int {
        var index = start
        if let base = bytes.baseAddress {
            while index + 8 <= bytes.count {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                if hasByte(below: limit, in: word) || hasByte(values.0, in: word) || hasByte(values.1, in: word)
                    || hasByte(values.2, in: word)
                {
                    break
                }
                index += 8
            }
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte < limit || byte == values.0 || byte == values.1 || byte == values.2 { return index }
            index += 1
        }
        return bytes.count
    }
}
