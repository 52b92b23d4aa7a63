/// A plain text table with columns padded to their widest cell.
///
/// Arabic (and any right-to-left) text is wrapped in Unicode bidi isolates (U+2068 FIRST STRONG
/// ISOLATE … U+2069 POP DIRECTIONAL ISOLATE), so that a terminal's bidi algorithm shows the Arabic
/// run right to left without reordering the columns around it. Widths count what takes a column:
/// characters, less isolates, zero-width and joining marks.
struct TextTable {
    var headers: [String]
    var rows: [[String]] = []

    init(_ headers: String...) {
        self.headers = headers
    }

    mutating func add(_ cells: String...) {
        rows.append(cells.map(Self.isolated))
    }

    func render() -> String {
        var widths = headers.map(Self.width)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], Self.width(cell))
            }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - Self.width(cell))
            }.joined(separator: "  ")
        }
        var lines = [line(headers), line(widths.map { String(repeating: "-", count: $0) })]
        lines += rows.map(line)
        return lines.joined(separator: "\n")
    }

    /// The text wrapped in a first-strong isolate when it holds right-to-left letters.
    static func isolated(_ text: String) -> String {
        text.unicodeScalars.contains(where: isRightToLeft) ? "\u{2068}" + text + "\u{2069}" : text
    }

    static func isRightToLeft(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0590...0x08FF, 0xFB1D...0xFDFF, 0xFE70...0xFEFF: true
        default: false
        }
    }

    /// Terminal columns: one per character, none for isolates, bidi and zero-width marks.
    static func width(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { count, scalar in
            switch scalar.value {
            case 0x200B...0x200F, 0x2028...0x202E, 0x2060...0x2069, 0xFEFF, 0x0610...0x061A, 0x064B...0x065F, 0x0670,
                0x06D6...0x06ED:
                count
            case 0x0300...0x036F: count
            default: count + 1
            }
        }
    }
}
