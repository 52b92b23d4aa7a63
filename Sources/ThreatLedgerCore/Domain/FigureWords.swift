/// Whether a stated figure says what its words say: the rule every write, `verify` and `trace` apply
/// to each figure whose basis is `stated`.
///
/// - **Number and qualifier**: ``ArabicQuantityReader`` reads the figure's quote; a number must be
///   coded with exactly the bounds and qualifier read (`قرابة 75` is `about` 75–75, `ما يصل إلى 200` is
///   `up_to` with high 200 and low null); a vague amount (`العشرات`) must be coded `unknown`; words with
///   no number at all cannot carry a stated figure (mark it `inferred` and say how in its note).
/// - **Measure**: the figure's words, its quote with the context its selector keeps (prefix and
///   suffix, up to 32 code points each side), must hold a word of its measure (``MeasureWords``);
///   failing that, the claim's statement must. A "killed" figure on «مقتل 11 جنديًا» cannot be
///   recoded as "wounded".
/// - **Place**: a figure quoting its claim's own article lies inside the claim's statement.
///
/// Figures of another basis (`inferred`, and any later one such as a dataset's own field) declare
/// what they rest on and are shown as such; their words are not read.
public enum FigureWords {
    /// What is wrong with one figure, if anything: the field under the figure (`""` for the figure
    /// itself, `.evidence` for its span) and why, in words an analyst can act on.
    /// - Parameters:
    ///   - figure: the figure object.
    ///   - statement: the claim's statement evidence, when known.
    ///   - claimID: for the message.
    public static func problem(figure: JSONValue, statement: JSONValue?, claimID: String) -> (field: String, reason: String)? {
        guard let evidence = figure["evidence"], let quote = evidence["quote"] else { return nil }
        if let statement, evidence["article_sha256"] == statement["article_sha256"],
            let start = evidence["position"]?["start"]?.integerValue, let end = evidence["position"]?["end"]?.integerValue,
            let statementStart = statement["position"]?["start"]?.integerValue,
            let statementEnd = statement["position"]?["end"]?.integerValue,
            start < statementStart || end > statementEnd
        {
            return (".evidence", "\(start)–\(end) lies outside the claim's statement (\(statementStart)–\(statementEnd))")
        }
        guard figure["basis"]?.stringValue == "stated" else { return nil }
        let words = quote["exact"]?.stringValue ?? ""
        let low = figure["low"]?.integerValue
        let high = figure["high"]?.integerValue
        let qualifier = figure["qualifier"]?.stringValue ?? ""
        let coded = ArabicQuantityReader.Reading.quantity(low: low, high: high, qualifier: qualifier)
        let normalizedWords = ArabicQuantityReader.normalizedUTF8(words)
        let read = ArabicQuantityReader.read(normalized: normalizedWords)
        switch read {
        case .quantity:
            if read != coded {
                return ("", "claim \(claimID) codes \(coded), but its words \"\(words)\" say \(read)")
            }
        case .vague:
            if qualifier != "unknown" || low != nil || high != nil {
                return ("", "claim \(claimID) codes \(coded), but its words \"\(words)\" give \(read): code it unknown")
            }
        case .none:
            return ("", "claim \(claimID): the words \"\(words)\" state no number; mark the figure inferred and say how in its note")
        }
        let measure = figure["measure"]?.stringValue ?? ""
        // The words with the context their selector keeps, normalized: normalization reads one
        // scalar at a time and a space resets what it remembers, so normalizing the three parts
        // apart and joining them with spaces is normalizing "prefix words suffix" (the words are
        // normalized once, for the reader and here).
        let window =
            ArabicQuantityReader.normalizedUTF8(quote["prefix"]?.stringValue ?? "") + [0x20] + normalizedWords + [0x20]
            + ArabicQuantityReader.normalizedUTF8(quote["suffix"]?.stringValue ?? "")
        if MeasureWords.say(measure, inNormalized: window) { return nil }
        let statementWords = statement?["quote"]?["exact"]?.stringValue
        if let statementWords, MeasureWords.say(measure, in: statementWords) { return nil }
        let instead = MeasureWords.measures(inNormalized: window)
        let saying = instead.isEmpty ? "name no measure ThreatLedger knows" : "speak of \(instead.joined(separator: ", "))"
        return (
            ".measure",
            "claim \(claimID) codes a \(measure) figure, but its words \"\(words)\" (with the text around them) and its statement \(saying), not \(measure); code the measure the words say, or mark the figure inferred and say how in its note"
        )
    }
}
