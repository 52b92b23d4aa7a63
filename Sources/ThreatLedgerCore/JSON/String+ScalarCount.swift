extension String {
    /// The number of Unicode scalars (code points), counted on the UTF-8 bytes that do not continue
    /// a scalar: what JSON Schema's lengths and the evidence selectors' positions count.
    var scalarCount: Int {
        func count(_ bytes: some Sequence<UInt8>) -> Int { bytes.reduce(0) { $0 &+ ($1 & 0xC0 != 0x80 ? 1 : 0) } }
        return utf8.withContiguousStorageIfAvailable(count) ?? count(utf8)
    }
}
