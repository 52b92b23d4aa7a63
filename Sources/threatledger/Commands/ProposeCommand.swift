import ArgumentParser
import Foundation
import ThreatLedgerCore

#if canImport(Glibc)
    import Glibc
#endif

struct ProposeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "propose",
        abstract: "Propose claims, with exact selectors, from a new Arabic article; then review them.",
        discussion: """
            threatledger propose ARTICLE.txt --published 2024-03-13[/day|week|month|year] [--title T] [--outlet O] [--url U] > draft.jsonl
              writes one SourceRegistered (the article byte for byte) and one ClaimRecorded per proposed claim, each \
            marked proposed with its confidence and cues. The log refuses a claim still proposed.
            threatledger propose --review draft.jsonl --by NAME [--accept-all | --accept CLAIM_ID …] > reviewed.jsonl
              accepts proposals (recording who accepted them) and drops the others; in a terminal without \
            --accept-all or --accept, asks about each one, showing its quote in context. Then: threatledger append reviewed.jsonl.
            --published DATE/week is the ISO week (Monday to Sunday) holding DATE; DATE/month its calendar month, DATE/year its year.
            """
    )

    @Argument(help: ArgumentHelp("The article, as UTF-8 text.", valueName: "article.txt"))
    var article: String?

    @Option(name: .long, help: ArgumentHelp("When it was published: YYYY-MM-DD[/day|week|month|year].", valueName: "date"))
    var published: String?

    @Option(name: .long, help: "The article's title.")
    var title: String?

    @Option(name: .long, help: "The outlet that published it.")
    var outlet: String?

    @Option(name: .long, help: "Where it was published.")
    var url: String?

    @Flag(
        name: .long,
        help:
            "Also propose sentences with a trigger but no figure, date or place (mostly commentary; left out by default to keep proposals worth reviewing).")
    var includeUnanchored = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Leave out a lexicon trigger (its plain Arabic words) or a gazetteer place (its English name); repeatable. For scripts/propose-eval.sh's leave-one-article-out measure.",
            valueName: "entry", visibility: .hidden))
    var exclude: [String] = []

    @Option(name: .long, help: ArgumentHelp("Review a draft: accept or drop its proposals.", valueName: "draft.jsonl"))
    var review: String?

    @Option(name: .long, help: ArgumentHelp("The analyst who reviews (required with --review).", valueName: "name"))
    var by: String?

    @Flag(name: .long, help: "With --review: accept every proposal (for a draft already reviewed by reading it).")
    var acceptAll = false

    @Option(name: .long, help: ArgumentHelp("With --review: accept this claim (repeatable); the others are dropped.", valueName: "claim-id"))
    var accept: [String] = []

    func validate() throws {
        if review == nil {
            guard article != nil else { throw ValidationError("name the article to propose from, or --review a draft") }
            guard published != nil else { throw ValidationError("--published is required: when the article was published, YYYY-MM-DD[/day|week|month|year]") }
        } else {
            guard article == nil else { throw ValidationError("--review takes a draft, not an article") }
            guard let by, !by.isEmpty else { throw ValidationError("--review needs --by NAME: who accepts the proposals") }
            if acceptAll && !accept.isEmpty { throw ValidationError("--accept-all and --accept cannot be used together") }
        }
    }

    func run() async throws {
        try await reportingFailures {
            if let review { try self.review(review, by: by!) } else { try propose() }
        }
    }

    /// The publication date an analyst gives: a day, or the week or month holding it.
    static func publication(_ text: String) throws -> CodedDate {
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        guard let day = CalendarDate(iso8601: parts[0]) else { throw CommandFailure("--published: \"\(parts[0])\" is not a date (YYYY-MM-DD)") }
        switch parts.count == 2 ? parts[1] : "day" {
        case "day": return CodedDate(start: day, end: day, precision: .day, basis: .stated, words: nil)
        case "week":
            let monday = day.adding(days: 1 - day.isoWeekday)
            return CodedDate(start: monday, end: monday.adding(days: 6), precision: .week, basis: .stated, words: nil)
        case "month":
            let first = CalendarDate(year: day.year, month: day.month, day: 1)!
            return CodedDate(start: first, end: first.lastDayOfMonth, precision: .month, basis: .stated, words: nil)
        case "year":
            return CodedDate(
                start: CalendarDate(year: day.year, month: 1, day: 1)!, end: CalendarDate(year: day.year, month: 12, day: 31)!, precision: .year,
                basis: .stated, words: nil)
        case let other: throw CommandFailure("--published: \"\(other)\" is not a precision (day, week, month or year)")
        }
    }

    func propose() throws {
        let path = article!
        guard let bytes = FileManager.default.contents(atPath: path) else { throw CommandFailure("\(path): cannot be read") }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw CommandFailure("\(path): is not valid UTF-8; store the article as UTF-8 text") }
        guard !text.isEmpty else { throw CommandFailure("\(path): is empty") }
        let source = ClaimProposer.Article(text: text, published: try Self.publication(published!), title: title, outlet: outlet, url: url)
        let claims = ClaimProposer.propose(source, includeUnanchored: includeUnanchored, excluding: Set(exclude))
        var lines: [JSONValue] = [
            [
                "stream": .string("source-\(source.sourceID)"), "expected_version": "no_stream", "type": "SourceRegistered", "schema_version": 1,
                "payload": ClaimProposer.sourcePayload(source),
            ]
        ]
        for claim in claims {
            lines.append([
                "stream": .string("claim-\(claim["claim_id"]!.stringValue!)"), "expected_version": "no_stream", "type": "ClaimRecorded",
                "schema_version": 1, "payload": claim,
            ])
        }
        for line in lines { Terminal.print(CanonicalJSON.string(line)) }
        Terminal.error("propose: \(claims.count) claim(s) proposed from \(path); review them with threatledger propose --review FILE --by NAME")
    }

    func review(_ path: String, by analyst: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else { throw CommandFailure("\(path): cannot be read") }
        let interactive = !acceptAll && accept.isEmpty
        guard !interactive || isatty(STDIN_FILENO) == 1 else {
            throw CommandFailure("--review without --accept-all or --accept asks about each proposal, which needs a terminal")
        }
        // The analyst who reviews records what the review keeps.
        func recorded(_ line: JSONValue, payload: JSONValue) -> JSONValue {
            guard case .object(var object) = line else { return line }
            object["payload"] = payload
            if object["metadata"] == nil || object["metadata"]!.isNull { object["metadata"] = ["recorded_by": .string(analyst)] }
            return .object(object)
        }
        var kept: [JSONValue] = []
        var proposals = Set<String>()
        var accepted = 0
        var dropped = 0
        var articles: [String: String] = [:]
        for (index, raw) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            guard !raw.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            let line: JSONValue
            do { line = try JSONParser().parse(String(raw)) } catch { throw CommandFailure("\(path):\(number): \(error)") }
            guard let payload = line["payload"] else { throw CommandFailure("\(path):\(number): a line without a payload") }
            if line["type"]?.stringValue == "SourceRegistered", let id = payload["source_id"]?.stringValue {
                articles[id] = payload["text"]?.stringValue
            }
            guard ProposalReview.isProposed(payload) else {
                kept.append(recorded(line, payload: payload))
                continue
            }
            let id = payload["claim_id"]?.stringValue ?? "?"
            proposals.insert(id)
            // `Optional.none`, not `nil`: JSONValue takes a nil literal as JSON null.
            var reviewed: JSONValue? = acceptAll || accept.contains(id) ? payload : Optional.none
            if interactive {
                reviewed = try ask(payload, article: articles[payload["source_id"]?.stringValue ?? ""], stream: line["stream"], analyst: analyst)
            }
            guard let reviewed else {
                dropped += 1
                continue
            }
            kept.append(recorded(line, payload: ProposalReview.accept(reviewed, by: analyst)))
            accepted += 1
        }
        // Nothing is written when an --accept names no proposal of the draft.
        let unknown = accept.filter { !proposals.contains($0) }
        if !unknown.isEmpty { throw CommandFailure("--accept: no proposal \(unknown.joined(separator: ", ")) in \(path)") }
        for line in kept { Terminal.print(CanonicalJSON.string(line)) }
        Terminal.error("review: \(accepted) accepted by \(analyst), \(dropped) dropped")
    }

    /// Shows one proposal with its quote in context and asks whether to accept it, drop it or edit
    /// it first: the payload to accept (as edited), or nil to drop it.
    ///
    /// Editing opens the proposal as indented JSON in `$VISUAL` or `$EDITOR` (`vi` when neither is
    /// set), the way `git commit` does; what comes back is checked at once against every rule the
    /// log applies (as accepted, against the article's words), and a failure is shown and asked
    /// about again, so a review never writes a line `append` would refuse.
    func ask(_ payload: JSONValue, article: String?, stream: JSONValue?, analyst: String) throws -> JSONValue? {
        var payload = payload
        show(payload, article: article)
        while true {
            FileHandle.standardError.write(Data("accept? [a]ccept / [d]rop / [e]dit: ".utf8))
            guard let answer = readLine()?.lowercased() else { throw CommandFailure("review: the terminal closed before every proposal was answered") }
            if answer.hasPrefix("a") { return payload }
            if answer.hasPrefix("d") { return Optional.none }
            guard answer.hasPrefix("e") else { continue }
            do {
                let edited = try edit(payload)
                try check(ProposalReview.accept(edited, by: analyst), stream: stream, article: article)
                payload = ProposalReview.edited(edited, by: analyst)
                show(payload, article: article)
            } catch {
                Terminal.error("  not kept: \(error)")
            }
        }
    }

    func show(_ payload: JSONValue, article: String?) {
        let statement = payload["statement"]
        var context = statement?["quote"]?["exact"]?.stringValue ?? ""
        if let article, let start = statement?["position"]?["start"]?.integerValue, let end = statement?["position"]?["end"]?.integerValue {
            let scalars = Array(article.unicodeScalars)
            func cut(_ a: Int, _ b: Int) -> String { String(String.UnicodeScalarView(scalars[max(0, a)..<min(scalars.count, max(0, b))])) }
            context = "…" + cut(Int(start) - 80, Int(start)) + "⟦" + cut(Int(start), Int(end)) + "⟧" + cut(Int(end), Int(end) + 80) + "…"
        }
        Terminal.error("\n\(payload["claim_id"]?.stringValue ?? "?"): \(payload["summary"]?.stringValue ?? "")")
        Terminal.error("  \u{2068}\(context)\u{2069}")
        for figure in payload["figures"]?.arrayValue ?? [] {
            let words = figure["evidence"]?["quote"]?["exact"]?.stringValue ?? ""
            Terminal.error(
                "  figure: \(figure["measure"]?.stringValue ?? "?") \(figure["qualifier"]?.stringValue ?? "") low \(figure["low"]?.integerValue.map(String.init) ?? "-") high \(figure["high"]?.integerValue.map(String.init) ?? "-") «\u{2068}\(words)\u{2069}»"
            )
        }
        for cue in payload["proposal"]?["cues"]?.arrayValue ?? [] { Terminal.error("  cue: \u{2068}\(cue.stringValue ?? "")\u{2069}") }
    }

    /// The payload as the analyst leaves it in their editor.
    func edit(_ payload: JSONValue) throws -> JSONValue {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("threatledger-review-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        let object = try JSONSerialization.jsonObject(with: Data(CanonicalJSON.string(payload).utf8))
        let pretty = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        try pretty.write(to: file)
        let environment = ProcessInfo.processInfo.environment
        let editor = environment["VISUAL"].flatMap { $0.isEmpty ? nil : $0 } ?? environment["EDITOR"].flatMap { $0.isEmpty ? nil : $0 } ?? "vi"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "\(editor) \"$1\"", "editor", file.path]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CommandFailure("the editor (\(editor)) exited with status \(process.terminationStatus); the proposal is unchanged")
        }
        guard let data = FileManager.default.contents(atPath: file.path) else { throw CommandFailure("the edited proposal could not be read back") }
        do { return try JSONParser().parse(String(decoding: data, as: UTF8.self)) } catch { throw CommandFailure("the edited proposal is not JSON: \(error)") }
    }

    /// Every rule the log applies to the accepted claim, and its quotes against the article.
    func check(_ accepted: JSONValue, stream: JSONValue?, article: String?) throws {
        let id = accepted["claim_id"]?.stringValue ?? ""
        let event = ProposedEvent(
            id: EventID.random(), stream: try StreamName.entity("claim", id), type: "ClaimRecorded", payload: accepted,
            metadata: EventMetadata(recordedBy: "review"))
        if let expected = stream?.stringValue, expected != "claim-\(id)" {
            throw CommandFailure("claim_id \(id) no longer matches the draft line's stream \(expected); keep the claim_id as proposed")
        }
        _ = try EventValidator.standard.validate(event)
        if let article, let failure = EvidenceCheck.firstFailure(in: accepted, article: .init(text: article, sha256: SHA256Hash.of(text: article).hex)) {
            throw CommandFailure("\(failure.field): \(failure.reason)")
        }
    }
}
