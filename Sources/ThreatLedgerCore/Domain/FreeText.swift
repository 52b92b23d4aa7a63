/// Text that people write (a reason, a summary, a note, a name, who recorded an event), as opposed to
/// words quoted from an article. It must not be able to forge output: no control characters (C0 but
/// tab and line feed where a field may hold several lines, DEL, C1) and no bidirectional overrides,
/// embeddings or isolates (U+202A–U+202E, U+2066–U+2069), which can make a terminal or a page show
/// text other than what is stored. Quoted article text is exempt: it is stored exactly as the
/// article has it, and every output isolates it.
public enum FreeText {
    /// Payload keys whose values people write. Everything else that is text is either quoted from an
    /// article (`exact`, `prefix`, `suffix`, `text`, `words`, `*_as_written`, `hedge_words`, `title`…),
    /// an identifier or an enumeration, each checked by its schema.
    public static let payloadKeys: Set<String> = ["summary", "notes", "note", "reason", "label", "name", "transliteration", "cited"]
    /// Of those, the ones that may hold several lines (tab and line feed allowed).
    public static let multiLineKeys: Set<String> = ["notes", "note", "reason"]

    /// What is wrong with `text` as free text, if anything, naming the character and its position.
    public static func problem(_ text: String, multiLine: Bool) -> String? {
        for (offset, scalar) in text.unicodeScalars.enumerated() {
            let value = scalar.value
            let name: String?
            switch value {
            case 0x09, 0x0A: name = multiLine ? nil : "a tab or line break (this field is one line)"
            case 0x00...0x1F, 0x7F: name = "a control character"
            case 0x80...0x9F: name = "a C1 control character"
            case 0x202A...0x202E: name = "a bidirectional embedding or override"
            case 0x2066...0x2069: name = "a bidirectional isolate"
            default: name = nil
            }
            if let name {
                return
                    "holds \(name) (U+\(String(value, radix: 16, uppercase: true).leftPadded(to: 4))) at code point \(offset); free text may not, since it could change how output reads"
            }
        }
        return nil
    }

    /// The first free-text field under `value` that holds what it may not: its path and why. Every
    /// string is scanned as UTF-8 bytes for anything that could be refused (almost none has any);
    /// only a string that has is judged by its key.
    public static func firstProblem(in value: JSONValue, at path: JSONPath) -> (path: JSONPath, message: String)? {
        switch value {
        case .object(let members):
            for (key, member) in members {  // members are kept in canonical key order
                if case .string(let text) = member {
                    guard mayHoldRefused(text), payloadKeys.contains(key),
                        let problem = problem(text, multiLine: multiLineKeys.contains(key))
                    else { continue }
                    return (path.appending(key), problem)
                }
                if case .object = member, let found = firstProblem(in: member, at: path.appending(key)) { return found }
                if case .array = member, let found = firstProblem(in: member, at: path.appending(key)) { return found }
            }
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                if case .object = element, let found = firstProblem(in: element, at: path.appending(index: index)) { return found }
                if case .array = element, let found = firstProblem(in: element, at: path.appending(index: index)) { return found }
            }
        default:
            break
        }
        return nil
    }

    /// A fast, conservative look at the bytes: false means `text` holds no control character (C0
    /// other than tab and line feed, DEL, C1) and no bidirectional control; true means look closer.
    static func mayHoldRefused(_ text: String) -> Bool {
        var utf8 = text.utf8
        return utf8.withContiguousStorageIfAvailable(scan)
            ?? {
                var copy = text
                copy.makeContiguousUTF8()
                utf8 = copy.utf8
                return utf8.withContiguousStorageIfAvailable(scan) ?? true
            }()
    }

    private static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        while true {
            // Passes over words of eight bytes holding none of the bytes that may start what is refused.
            index = ByteScan.firstIndex(in: bytes, from: index, below: 0x20, orEqualTo: (0x7F, 0xC2, 0xE2))
            guard index < bytes.count else { return false }
            switch bytes[index] {
            case 0x00...0x08, 0x0B...0x1F, 0x7F: return true
            case 0xC2: if index + 1 < bytes.count, (0x80...0x9F).contains(bytes[index + 1]) { return true }
            case 0xE2: if index + 1 < bytes.count, bytes[index + 1] == 0x80 || bytes[index + 1] == 0x81 { return true }
            default: break
            }
            index += 1
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
