import ArgumentParser
import ThreatLedgerAudit
import ThreatLedgerCore
import ThreatLedgerProjections

struct SourceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "source",
        abstract: "Sources and their articles.",
        subcommands: [SourceListCommand.self, SourceShowCommand.self, SourceCorrectCommand.self, SourceRetractCommand.self]
    )
}

struct SourceListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Every source: id, title, outlet, publication date, article SHA-256 and current claims (GET /v1/sources)."
    )

    @OptionGroup var log: LogOptions

    @OptionGroup var clocks: ClockOptions

    @Option(name: .long, help: "Output format: table or json.")
    var format: OutputFormat = .table

    func run() async throws {
        try await reportingFailures {
            let view = try await Serving.view(.sourceProvenance, log: log, clocks: try clocks.clocks(), role: "threatledger source list")
            let sources = SourceListing.rows(view.rows)
            switch format {
            case .json, .jsonl:
                Terminal.print(CanonicalJSON.string(["as_of": view.asOf, "sources": .array(sources)]))
            case .table:
                var table = TextTable("source", "published", "claims", "outlet", "title")
                for source in sources {
                    table.add(
                        source["source_id"]?.stringValue ?? "", source["published"]?["start"]?.stringValue ?? "—",
                        String(source["claims"]?.integerValue ?? 0), source["outlet"]?.stringValue ?? "",
                        TextTable.isolated(source["title"]?.stringValue ?? ""))
                }
                Terminal.print("Sources — \(view.headline)\n\n" + table.render())
            }
        }
    }
}

struct SourceShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "One source: what it says about itself, its article (re-hashed now) and every span its claims quote.",
        discussion: """
            threatledger source show 1aee4b5224ae9675
            threatledger source show 1aee4b5224ae9675 --around 1571-1580
            Without --around, prints the whole article, then each quoted span with its selector and whether it
            stands there. With --around START-END (code points, end exclusive, as the selectors count), prints
            the passage around that span, the span marked ⟦…⟧. Exits 1 if the article does not re-hash to its
            SHA-256 or a span is not at its selector (GET /v1/sources/{id}).
            """
    )

    @OptionGroup var log: LogOptions

    @OptionGroup var clocks: ClockOptions

    @Argument(help: ArgumentHelp("The source id.", valueName: "id"))
    var id: String

    @Option(name: .long, help: ArgumentHelp("A span of the article, in code points: START-END.", valueName: "start-end"))
    var around: String?

    @Option(name: .long, help: ArgumentHelp("Code points of context on each side of --around.", valueName: "n"))
    var context: Int = 200

    @Option(name: .long, help: "Output format: table or json.")
    var format: OutputFormat = .table

    func validate() throws {
        if let around, SourceShowCommand.span(around) == nil {
            throw ValidationError("--around \(around): give START-END in code points, START < END (e.g. 1571-1580)")
        }
        if context < 0 { throw ValidationError("--context must be 0 or more") }
    }

    static func span(_ text: String) -> (start: Int, end: Int)? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 2, parts[0] >= 0, parts[0] < parts[1] else { return nil }
        return (parts[0], parts[1])
    }

    func run() async throws {
        try await reportingFailures {
            let view = try await Serving.view(
                .sourceProvenance, log: log, clocks: try clocks.clocks(), role: "threatledger source show", scope: .source(id), needs: .picture)
            let vault = ArticleVault(log: try await log.open())
            guard let source = try await SourceView.build(id, picture: view.picture, vault: vault) else {
                throw CommandFailure("no source \(id) in the log (threatledger source list shows them)")
            }
            if let around, let span = Self.span(around) {
                guard span.end <= source.article.scalars.count else {
                    throw CommandFailure("--around \(around): the article has \(source.article.scalars.count) code points")
                }
                let before = source.text(from: span.start - context, to: span.start)
                let inside = source.text(from: span.start, to: span.end)
                let after = source.text(from: span.end, to: span.end + context)
                switch format {
                case .json, .jsonl:
                    Terminal.print(
                        CanonicalJSON.string([
                            "source_id": .string(id), "start": .number(Double(span.start)), "end": .number(Double(span.end)),
                            "before": .string(before), "span": .string(inside), "after": .string(after),
                            "verified": .bool(source.article.verified),
                        ]))
                case .table:
                    Terminal.print("\(id) [\(span.start)–\(span.end)] of \(source.article.scalars.count) code points")
                    Terminal.print(TextTable.isolated(before + "⟦" + inside + "⟧" + after))
                }
            } else {
                switch format {
                case .json, .jsonl:
                    Terminal.print(CanonicalJSON.string(["as_of": view.asOf, "source": source.json]))
                case .table:
                    Terminal.print(render(source))
                }
            }
            if !source.holds {
                throw CommandFailure(
                    source.article.verified
                        ? "a quoted span of \(id) is not at its selector" : "the article of \(id) does not re-hash to its SHA-256: it was altered")
            }
        }
    }

    func render(_ source: SourceView) -> String {
        let about = source.article.description
        var lines: [String] = []
        lines.append("source \(about.sourceID)" + (about.title.map { " " + TextTable.isolated($0) } ?? ""))
        lines.append(
            "  outlet: \(about.outlet ?? "—"), published \(DateText.of(about.published)), language \(about.language)"
                + (about.dataset.map { ", imported from \($0.dataset.displayName) row \(TextTable.isolated($0.rowID))" } ?? ""))
        lines.append(
            "  sha256 \(source.article.statedSHA256) \(source.article.verified ? "verified" : "MISMATCH: recomputed \(source.article.computedSHA256)")")
        lines.append("  \(source.claims.count) current claim(s), \(source.spans.count) quoted span(s)")
        lines.append("")
        lines.append(TextTable.isolated(source.article.text))
        lines.append("")
        for span in source.spans {
            let what = span.measure.map { "\(span.role) \($0)" } ?? span.role
            lines.append(
                "  [\(span.evidence.start)–\(span.evidence.end)] \(span.claimID) \(what): «\(TextTable.isolated(span.evidence.exact))»"
                    + (span.evidence.quoteAtPosition ? "" : " NOT AT POSITION"))
        }
        return lines.joined(separator: "\n")
    }
}
