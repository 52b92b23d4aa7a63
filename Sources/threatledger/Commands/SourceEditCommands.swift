import ArgumentParser
import ThreatLedgerCore
import ThreatLedgerStore

/// `threatledger source correct`: a source's metadata coded wrong, corrected with a reason.
struct SourceCorrectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "correct",
        abstract: "Append a SourceCorrected event: correct a source's publication date or other metadata, with the reason and the words it rests on.",
        discussion: """
            threatledger source correct a896289027671bb9 --published 2023-02-24 --words "قبل أسبوعين وتحديدًا في 10 فبراير/شباط 2023" \\
                --basis inferred --note "two weeks after 10 February" --reason "the week was coded a week late" --by analyst
            --published DATE[/day|week|month|year] replaces the publication date; --words finds its words in the source's own \
            article and writes their selectors (--at START when they stand there more than once). --title, --author, \
            --outlet, --url, --dateline and --section replace those fields (--clear FIELD sets one to null). The article's \
            text never changes. The corrected source must pass every rule a registered one passes; from this event on it \
            reads as corrected (a new publication date moves its claims under report time), every replay before keeps the old.
            """
    )

    @OptionGroup var log: LogOptions

    @Argument(help: ArgumentHelp("The source id.", valueName: "source"))
    var source: String

    @Option(name: .long, help: ArgumentHelp("The publication date: YYYY-MM-DD[/day|week|month|year].", valueName: "date"))
    var published: String?

    @Option(name: .long, help: ArgumentHelp("With --published: the article's words the date rests on.", valueName: "words"))
    var words: String?

    @Option(name: .long, help: ArgumentHelp("With --words: the code-point position they start at, when they stand more than once.", valueName: "start"))
    var at: Int?

    @Option(name: .long, help: ArgumentHelp("With --published: stated, relative or inferred (default: stated).", valueName: "basis"))
    var basis: String = "stated"

    @Option(name: .long, help: ArgumentHelp("With --published: how the date was worked out.", valueName: "text"))
    var note: String?

    @Option(name: .long, help: "The headline as written.")
    var title: String?
    @Option(name: .long, help: "The author as written.")
    var author: String?
    @Option(name: .long, help: "The outlet, where the article names it.")
    var outlet: String?
    @Option(name: .long, help: "The URL, where the article gives it.")
    var url: String?
    @Option(name: .long, help: "The dateline as written.")
    var dateline: String?
    @Option(name: .long, help: "The section as written.")
    var section: String?

    @Option(name: .customLong("clear"), help: ArgumentHelp("Set this field to null (title, author, outlet, url, dateline, section).", valueName: "field"))
    var clear: [String] = []

    @Option(name: .long, help: "Why the metadata is corrected.")
    var reason: String

    @Option(name: .long, help: ArgumentHelp("Who corrects it.", valueName: "name"))
    var by: String

    static let clearable = ["title", "author", "outlet", "url", "dateline", "section"]

    func validate() throws {
        if published == nil && words != nil { throw ValidationError("--words goes with --published: the words the new date rests on") }
        if CodedDate.Basis(rawValue: basis) == nil { throw ValidationError("--basis \(basis): use stated, relative or inferred") }
        for field in clear where !Self.clearable.contains(field) {
            throw ValidationError("--clear \(field): one of \(Self.clearable.joined(separator: ", "))")
        }
    }

    func run() async throws {
        try await reportingFailures {
            let store = try await log.open()
            let stream = try SourceEdits.stream(source)
            let version = try await SourceEdits.version(stream, source: source, store: store)
            var changes: JSONObject = [:]
            for (field, value) in [("title", title), ("author", author), ("outlet", outlet), ("url", url), ("dateline", dateline), ("section", section)] {
                if let value { changes[field] = .string(value) }
            }
            for field in clear { changes[field] = JSONValue.null }
            if let published {
                var date = try ProposeCommand.publication(published)
                date.basis = CodedDate.Basis(rawValue: basis)
                date.note = note
                if let words {
                    date.words = words
                    let evidence = try await SourceQuote.evidence(quoting: words, at: at, source: source, store: store)
                    date.evidence = try Evidence(json: evidence, path: "evidence")
                }
                changes["published"] = date.json
            }
            guard !changes.isEmpty else { throw CommandFailure("nothing to correct: give --published, a field to replace, or --clear FIELD") }
            let event = ProposedEvent(
                id: .random(), stream: stream, expectedVersion: .exact(version), type: EventType.sourceCorrected.rawValue,
                payload: ["source_id": .string(source), "reason": .string(reason), "changes": .object(changes)],
                metadata: EventMetadata(recordedBy: by, correlationID: "threatledger source correct"))
            try await SourceEdits.append(event, store: store)
        }
    }
}

/// `threatledger source retract`: a source that can no longer be relied on.
struct SourceRetractCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retract",
        abstract: "Append a SourceRetracted event: the source can no longer be relied on; none of its claims counts from now on.",
        discussion: """
            Its claims stay in the log and are shown (history, trace, the claim itself) as standing on a retracted source; \
            no figure counts them and no new claim may cite the source. Every replay before keeps them.
            """
    )

    @OptionGroup var log: LogOptions

    @Argument(help: ArgumentHelp("The source id.", valueName: "source"))
    var source: String

    @Option(name: .long, help: "Why the source is retracted.")
    var reason: String

    @Option(name: .long, help: ArgumentHelp("Who retracts it.", valueName: "name"))
    var by: String

    func run() async throws {
        try await reportingFailures {
            let store = try await log.open()
            let stream = try SourceEdits.stream(source)
            let version = try await SourceEdits.version(stream, source: source, store: store)
            let event = ProposedEvent(
                id: .random(), stream: stream, expectedVersion: .exact(version), type: EventType.sourceRetracted.rawValue,
                payload: ["source_id": .string(source), "reason": .string(reason)],
                metadata: EventMetadata(recordedBy: by, correlationID: "threatledger source retract"))
            try await SourceEdits.append(event, store: store)
        }
    }
}

/// What `source correct` and `source retract` share.
enum SourceEdits {
    static func stream(_ source: String) throws -> StreamName {
        do { return try StreamName.entity("source", source) } catch { throw CommandFailure("\(source) is not a source id: \(error)") }
    }

    /// The source stream's version; fails for an unknown source. (Whether it may still be changed is
    /// the log's decision, made when the event is appended.)
    static func version(_ stream: StreamName, source: String, store: any EventLog) async throws -> Int64 {
        let version = try await store.streamVersion(stream)
        guard version > 0 else { throw CommandFailure("no source \(source) in the log") }
        return version
    }

    static func append(_ event: ProposedEvent, store: any EventLog) async throws {
        try await ClaimEdits.append(event, store: store, noun: "source")
    }
}
