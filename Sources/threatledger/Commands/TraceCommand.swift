import ArgumentParser
import ThreatLedgerAudit
import ThreatLedgerCore
import ThreatLedgerProjections

struct TraceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Trace a summary figure to its claims, articles and exact quotes; or trace one claim.",
        discussion: """
            threatledger trace --region SY --measure killed [--kind attack]
            threatledger trace claim a896289027671bb9-08
            A figure's claims are shown in full a page at a time (--limit, default 100; --after the previous page's \
            next_after); its sum is checked over every claim behind it, and every claim shown is checked against \
            its own events in the log.
            Shows how the rules combined the claims, and for each claim its source (the article's SHA-256 is \
            re-verified against the stored text on every trace), attribution, the exact quote with the sentence \
            around it, and its code-point positions. Exits 1 if anything fails to resolve. Measures: killed, wounded, \
            kidnapped, arrested, escaped, prisoners_held, fighters, amount (or "amount USD"), attacks, …
            """
    )

    @OptionGroup var log: LogOptions

    @OptionGroup var clocks: ClockOptions

    @Argument(help: ArgumentHelp("`claim ID` to trace one claim.", valueName: "claim ID"))
    var target: [String] = []

    @Option(
        name: .long, help: ArgumentHelp("The region of the figure: a country (SY) or a division by code (SY-HA) or name (SY/Al-Hasakah).", valueName: "region"))
    var region: String?

    @Option(name: .long, help: ArgumentHelp("The figure's measure (killed, prisoners_held, amount USD, …).", valueName: "measure"))
    var measure: String?

    @Option(name: .long, help: ArgumentHelp("Only claims and incidents of this kind (attack, prison_break, …).", valueName: "kind"))
    var kind: CodedClaim.Kind?

    @Option(name: .long, help: ArgumentHelp("Claims of the figure shown in full per page (1–10000); the sum is checked over all of them.", valueName: "n"))
    var limit: Int = AuditViews.TracePage.defaultLimit

    @Option(name: .long, help: ArgumentHelp("Show the claims after this claim id (the previous page's next_after).", valueName: "claim id"))
    var after: String?

    @Option(name: .long, help: "Output format: table or json.")
    var format: OutputFormat = .table

    func validate() throws {
        let claimMode = target.count == 2 && target[0] == "claim"
        if !target.isEmpty && !claimMode { throw ValidationError("write `trace claim ID`, or `trace --region R --measure M`") }
        if !(1...AuditViews.TracePage.maximumLimit).contains(limit) {
            throw ValidationError("--limit \(limit): give a number from 1 to \(AuditViews.TracePage.maximumLimit)")
        }
        if !claimMode && (region == nil || measure == nil) {
            throw ValidationError("give --region and --measure (or `trace claim ID`)")
        }
    }

    func run() async throws {
        try await reportingFailures {
            let scope: AuditViews.Scope = target.count == 2 ? .claim(target[1]) : .region(region!)
            let view = try await Serving.view(.regionSummary, log: log, clocks: try clocks.clocks(), role: "threatledger trace", scope: scope, needs: .picture)
            let vault = ArticleVault(log: try await log.open())
            if target.count == 2 {
                try await traceClaim(target[1], view: view, vault: vault)
            } else {
                try await traceFigure(view: view, vault: vault)
            }
        }
    }

    func traceClaim(_ id: String, view: PictureView, vault: ArticleVault) async throws {
        let trace: ClaimTrace
        do throws(AuditError) { trace = try await AuditViews.traceClaim(view, id: id, vault: vault) } catch {
            throw CommandFailure(error.description)
        }
        switch format {
        case .json, .jsonl:
            Terminal.print(CanonicalJSON.string(["as_of": view.asOf, "claim": trace.json, "holds": .bool(trace.holds)]))
        case .table:
            Terminal.print("Trace of claim \(id) — \(view.headline)\n")
            Terminal.print(TraceText.claim(trace, indent: ""))
        }
        if let problem = trace.wordProblems.first {
            throw CommandFailure("claim \(id) does not hold: \(problem)")
        }
        if !trace.holds { throw CommandFailure("claim \(id) does not resolve: its article or a quote failed verification") }
    }

    func traceFigure(view: PictureView, vault: ArticleVault) async throws {
        let traced: AuditViews.TracedFigure
        do throws(AuditError) {
            traced = try await AuditViews.traceFigure(
                view, region: region!, measure: measure!, kind: kind, vault: vault, page: AuditViews.TracePage(limit: limit, after: after))
        } catch {
            throw CommandFailure(error.description)
        }
        switch format {
        case .json, .jsonl:
            Terminal.print(CanonicalJSON.string(traced.json))
        case .table:
            Terminal.print("Trace of \(measure!) in \(traced.regionKey)\(kind.map { " (kind \($0.rawValue))" } ?? "") — \(view.headline)")
            for section in traced.trace.sections {
                let t = section.total
                Terminal.print(
                    "\n\(section.section).\(section.key): low \(t.parts > 0 ? String(t.low) : "unknown"), best \(t.best.map(String.init) ?? "—"), high \(t.parts > 0 ? (t.high.map(String.init) ?? "open") : "—")"
                        + (t.unknownParts > 0 ? "; \(t.unknownParts) part(s) state it without a number" : ""))
                Terminal.print("  rule: \(section.rule)")
                for part in section.parts {
                    let values =
                        part.numbered
                        ? "low \(part.low.map(String.init) ?? "—"), best \(part.best.map(String.init) ?? "—"), high \(part.high.map(String.init) ?? "open")"
                        : "no number"
                    Terminal.print(
                        "\n  \(part.id) (\(part.kind.rawValue))\(part.superseded ? " — superseded" : ""): \(values)"
                            + (part.bestFrom.map { "; best from \($0)" } ?? ""))
                    for id in part.claimIDs {
                        if let claim = traced.claims[id] {
                            Terminal.print(TraceText.claim(claim, indent: "    "))
                        } else {
                            Terminal.print("    claim \(id): on another page")
                        }
                    }
                }
            }
        }
        if let next = traced.nextAfter, format == .table {
            Terminal.print("\n\(traced.claims.count) of \(traced.trace.claimIDs.count) claims shown in full; next page: --after \(next)")
        }
        for claim in traced.claims.values.sorted(by: { $0.claimID < $1.claimID }) {
            if let problem = claim.wordProblems.first { throw CommandFailure("claim \(claim.claimID) behind the figure does not hold: \(problem)") }
        }
        if let problem = traced.servedProblem { throw CommandFailure(problem) }
        if !traced.holds { throw CommandFailure("some claims behind the figure do not resolve: an article or a quote failed verification") }
    }
}

/// A traced claim as text for a terminal; Arabic quotes sit in bidi isolates.
enum TraceText {
    static func claim(_ trace: ClaimTrace, indent: String) -> String {
        let claim = trace.claim
        let coded = claim.coded
        guard let article = trace.article else { return "\(indent)claim \(claim.id): source \(claim.sourceID) is not in the log" }
        var lines: [String] = []
        lines.append(
            "\(indent)claim \(claim.id) (\(coded.kind.rawValue), \(coded.scope.rawValue), revision \(claim.revision)): \(coded.summary)")
        lines.append(
            "\(indent)  source \(claim.sourceID)" + (article.description.title.map { " " + TextTable.isolated($0) } ?? "")
                + (article.description.dataset.map { " (imported: \($0.dataset.displayName) row \(TextTable.isolated($0.rowID)))" } ?? "")
                + ", published \(DateText.of(article.description.published)); sha256 \(article.statedSHA256) \(article.verified ? "verified" : "MISMATCH")")
        let attribution = coded.attribution
        lines.append(
            "\(indent)  cited: \(attribution.cited ?? "the article itself") (\(attribution.citedType))"
                + (attribution.hedged ? ", hedged: " + TextTable.isolated(attribution.hedgeWords ?? "") : ""))
        if let statement = trace.statement {
            lines.append(
                "\(indent)  quote [\(statement.start)–\(statement.end)]\(statement.quoteAtPosition ? "" : " NOT AT POSITION"): «\(TextTable.isolated(statement.exact))»"
            )
            lines.append("\(indent)  sentence: «\(TextTable.isolated(statement.sentence))»")
        }
        for check in trace.figures {
            let figure = check.figure
            let evidence = check.evidence
            let amount = FigureText.of([figure]).split(separator: " ", maxSplits: 1).last ?? ""
            if let row = check.datasetRow, let columns = figure.datasetFields {
                // A dataset's figure is its row's field: say which, and what the row holds there.
                let cells = [columns.low, columns.high].compactMap { $0 }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
                    .map { "\($0) = \(TextTable.isolated(row.fields[$0] ?? "?"))" }.joined(separator: ", ")
                lines.append(
                    "\(indent)  figure \(figure.measure) \(amount) (dataset: \(row.dataset.displayName) row \(TextTable.isolated(row.rowID)), \(cells))"
                        + (check.wordsProblem.map { " — FIELD DISAGREES: \($0)" } ?? ""))
                continue
            }
            lines.append(
                "\(indent)  figure \(figure.measure) \(amount) (\(figure.basis.rawValue))"
                    + " from «\(TextTable.isolated(figure.evidence.exact))» [\(figure.evidence.start)–\(figure.evidence.end)]"
                    + (evidence?.quoteAtPosition == true ? "" : evidence == nil ? " ARTICLE MISSING" : " NOT AT POSITION")
                    + (check.sourceID != claim.sourceID ? " in source \(check.sourceID)" : "")
                    + (check.wordsProblem.map { " — WORDS DISAGREE: \($0)" } ?? ""))
        }
        return lines.joined(separator: "\n")
    }
}
