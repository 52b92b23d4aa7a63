import Foundation

/// How place names are compared: English names as coders type them against ISO's and GeoNames'
/// spellings, Arabic names as articles write them against GeoNames' alternates.
enum PlaceName {
    /// An English name for matching: no diacritics (`Ḩ` → `h`), lower case, without a leading or
    /// inner article (`al-`, `el `, `ash-`, …), letters and digits only: "Al-Hasakah" and
    /// "Al Ḩasakah" both fold to `hasakah`, "Deir ez-Zor" to `deirezzor`.
    static func folded(_ name: String) -> String {
        var words: [String] = []
        var word = ""
        func flush() {
            if !word.isEmpty { words.append(word) }
            word = ""
        }
        for scalar in name.decomposedStringWithCanonicalMapping.unicodeScalars {
            if scalar.properties.generalCategory == .nonspacingMark { continue }
            if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                word.unicodeScalars.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            } else if scalar == " " || scalar == "-" {
                flush()
            }  // apostrophes and other marks are dropped inside a word
        }
        flush()
        let articles: Set<String> = ["al", "el", "as", "ad", "ar", "an", "ash", "az", "at"]
        return words.filter { !articles.contains($0) || words.count == 1 }.joined()
    }

    /// A division name without a trailing word saying what kind of division it is, as datasets write
    /// them (`Diyala governorate`, `Homs province`).
    static func droppingTypeWords(_ name: String) -> String {
        let typeWords: Set<String> = ["governorate", "province", "region", "state", "district", "muhafazat", "wilayah", "wilaya", "county"]
        var words = name.split(separator: " ").map(String.init)
        while words.count > 1, let last = words.last, typeWords.contains(last.lowercased()) { words.removeLast() }
        return words.joined(separator: " ")
    }

    /// A folded name's consonant skeleton: its first letter, then its other letters without the
    /// vowels and the semivowels w and y that transliterations spell differently, with doubled
    /// letters written once (`hasakeh` and `hasakah` → `hskh`; `deirezzor` and `dayrazzawr` → `drzr`).
    static func skeleton(folded: String) -> String {
        var out = ""
        for (index, character) in folded.enumerated() {
            if index > 0, "aeiouyw".contains(character) { continue }
            if out.last == character { continue }
            out.append(character)
        }
        return out
    }

    /// Arabic text for matching: diacritics (harakat, shadda, sukun, superscript alef) and tatweel
    /// removed; أ إ آ ٱ → ا, ى ی → ي, ک → ك, ة → ه, ؤ → و, ئ → ي; anything not a letter becomes a space.
    static func arabicFolded(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var lastWasSpace = true
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if (0x064B...0x065F).contains(value) || value == 0x0670 || value == 0x0640 { continue }
            var folded = scalar
            switch value {
            case 0x0623, 0x0625, 0x0622, 0x0671: folded = "\u{0627}"
            case 0x0649, 0x0626, 0x06CC: folded = "\u{064A}"  // and the Persian yeh of GeoNames' Persian spellings
            case 0x06A9: folded = "\u{0643}"  // the Persian kaf: «کابول» is «كابول»
            case 0x0629: folded = "\u{0647}"
            case 0x0624: folded = "\u{0648}"
            default: break
            }
            if folded.properties.isAlphabetic {
                out.append(folded)
                lastWasSpace = false
            } else if !lastWasSpace {
                out.append(" ")
                lastWasSpace = true
            }
        }
        return String(out).trimmingSpaces()
    }

    /// The phrase, and the phrase without one proclitic letter (ب ل و ف ك) where it carries one, or
    /// without «و» and one more, or with «لل» standing for «ل» + «ال».
    static func withoutProclitic(_ phrase: String) -> [String] {
        var result = [phrase]
        let proclitics: Set<Character> = ["ب", "ل", "و", "ف", "ك"]
        if let first = phrase.first, proclitics.contains(first), phrase.count > 3 {
            let rest = String(phrase.dropFirst())
            result.append(rest)
            if first == "و", let second = rest.first, proclitics.contains(second), rest.count > 3 { result.append(String(rest.dropFirst())) }
        }
        if phrase.hasPrefix("لل"), phrase.count > 4 { result.append("ال" + phrase.dropFirst(2)) }
        return result
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        var view = Substring(self)
        while view.first == " " { view.removeFirst() }
        while view.last == " " { view.removeLast() }
        return String(view)
    }
}
