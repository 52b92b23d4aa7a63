/// A POSIX ustar archive of files, written in memory: how `GET /v1/evidence` sends a bundle (every
/// `tar` and Python's `tarfile` read it). Regular files only, each under `directory/`.
public enum TarArchive {
    public enum Failure: Error, Sendable, CustomStringConvertible {
        case nameTooLong(String)

        public var description: String {
            switch self {
            case .nameTooLong(let name): "\(name): a ustar path holds at most 100 bytes after a prefix of at most 155"
            }
        }
    }

    /// The archive of `files` (path, bytes) under `directory`, every file mode 0644 with `mtime`
    /// (seconds since 1970) as its time, ended by two zero blocks.
    public static func archive(_ files: [(path: String, bytes: [UInt8])], directory: String, mtime: Int64) throws(Failure) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(files.reduce(1_024) { $0 + 512 + ($1.bytes.count + 511) / 512 * 512 })
        for file in files {
            // A path longer than the name field is split at a slash into ustar's prefix (155 bytes) and name.
            let full = Array("\(directory)/\(file.path)".utf8)
            var name = full
            var prefix: [UInt8] = []
            if full.count > 100 {
                guard let slash = full.indices.last(where: { full[$0] == UInt8(ascii: "/") && $0 <= 155 && full.count - $0 - 1 <= 100 }) else {
                    throw .nameTooLong("\(directory)/\(file.path)")
                }
                prefix = Array(full[..<slash])
                name = Array(full[(slash + 1)...])
            }
            var header = [UInt8](repeating: 0, count: 512)
            func put(_ bytes: [UInt8], at offset: Int) { header.replaceSubrange(offset..<(offset + bytes.count), with: bytes) }
            func octal(_ value: Int64, width: Int) -> [UInt8] {
                let digits = String(value, radix: 8)
                return Array((String(repeating: "0", count: max(0, width - 1 - digits.count)) + digits).utf8) + [0]
            }
            put(name, at: 0)
            put(octal(0o644, width: 8), at: 100)
            put(octal(0, width: 8), at: 108)
            put(octal(0, width: 8), at: 116)
            put(octal(Int64(file.bytes.count), width: 12), at: 124)
            put(octal(max(0, mtime), width: 12), at: 136)
            put(Array("        ".utf8), at: 148)  // the checksum counts its own field as spaces
            header[156] = UInt8(ascii: "0")
            put(Array("ustar".utf8) + [0] + Array("00".utf8), at: 257)
            put(prefix, at: 345)
            let checksum = header.reduce(0) { $0 + Int64($1) }
            put(octal(checksum, width: 7) + [UInt8(ascii: " ")], at: 148)
            out += header
            out += file.bytes
            out += [UInt8](repeating: 0, count: (512 - file.bytes.count % 512) % 512)
        }
        out += [UInt8](repeating: 0, count: 1_024)
        return out
    }
}
