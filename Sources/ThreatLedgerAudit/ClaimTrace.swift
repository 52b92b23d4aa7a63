import ThreatLedgerCore
import ThreatLedgerStore

/// A claim traced to its source: the article (its SHA-256 re-verified now), the attribution, and every
/// quote (statement, figures, date, place, attribution) checked at its code-point position, with the
/// sentence around it.
public struct ClaimTrace: Sendable {
    /// One figure of the claim, checked: its words read again, its quote found in its article.
    public struct FigureCheck: Sendable {
        public let index: Int
        public let figure: ClaimFigure
        /// The source whose article the figure quotes (the claim's own unless the figure names another).
        public let sourceID: String
        public let evidence: ResolvedEvidence?
        /// What is wrong with the figure's words, when they do not say it (for a dataset's figure:
        /// when its row's field does not give it).
        public let wordsProblem: String?
        /// For a dataset's figure: the row it was imported with, whose fields it was checked against.
        public var datasetRow: DatasetRow? = nil

        /// What the figure was checked against: its words, its dataset's field, or nothing (inferred).
        public var checkedAgainst: String {
            switch figure.basis {
            case .stated: "words"
            case .dataset: "dataset field"
            case .inferred: "nothing: inferred by the coder (see its note)"
            }
        }
    }

    public let claim: ThreatPicture.Claim
    /// The claim's article, or nil when its source is not in the log.
    public let article: ArticleVault.Article?
    public let statement: ResolvedEvidence?
    public let attribution: ResolvedEvidence?
    public let date: ResolvedEvidence?
    public let location: ResolvedEvidence?
    public let figures: [FigureCheck]
    /// The claim's source as the picture holds it at the trace's position: its metadata after any
    /// correction, and whether it is retracted.
    public var source: ThreatPicture.Source? = nil
    /// Whether the article re-hashed to its SHA-256 and every quote stands at its position.
    public var holds: Bool
    /// Each figure whose words, read again now, do not say it: what is wrong, naming the figure.
    public var wordProblems: [String] = []
    /// How what was served differs from the claim folded again from the log, when it does.
    public var logProblem: String?

    public var claimID: String { claim.id }

    /// Every quote the trace checked.
    public var resolved: [ResolvedEvidence] {
        [statement].compactMap { $0 } + figures.compactMap(\.evidence) + [attribution, date, location].compactMap { $0 }
    }

    public static func build(_ claim: ThreatPicture.Claim, picture: ThreatPicture, vault: ArticleVault) async throws -> ClaimTrace {
        guard let article = try await vault.article(claim.sourceID) else {
            return ClaimTrace(
                claim: claim, article: nil, statement: nil, attribution: nil, date: nil, location: nil, figures: [], holds: false)
        }
        let coded = claim.coded
        var wordProblems: [String] = []
        var figures: [FigureCheck] = []
        let statement = coded.statement.json  // what each figure's words must lie within
        for (index, figure) in coded.figures.enumerated() {
            // A figure a correction re-based on a later article is checked in that article.
            var figureArticle: ArticleVault.Article? = article
            if let other = figure.sourceID, other != claim.sourceID { figureArticle = try await vault.article(other) }
            // The trace judges again whether the figure says what its words say (FigureWords), or,
            // for a dataset's figure, whether it is the field of the row its source stores.
            var problem = FigureWords.problem(figure: figure.json, statement: statement, claimID: claim.id)?.reason
            if figure.basis == .dataset {
                let row = figureArticle?.description.dataset
                problem = row.map { $0.problem(with: figure) } ?? "a figure of basis dataset, but its source holds no dataset row"
            }
            if let problem { wordProblems.append("figure \(index) (\(figure.measure)): \(problem)") }
            if figureArticle == nil { wordProblems.append("figure \(index): source \(figure.sourceID ?? "") is not in the log") }
            figures.append(
                FigureCheck(
                    index: index, figure: figure, sourceID: figure.sourceID ?? claim.sourceID,
                    evidence: figureArticle.map { ResolvedEvidence.resolve(figure.evidence, in: $0) }, wordsProblem: problem,
                    datasetRow: figure.basis == .dataset ? figureArticle?.description.dataset : nil))
        }
        func resolve(_ evidence: Evidence?) -> ResolvedEvidence? { evidence.map { ResolvedEvidence.resolve($0, in: article) } }
        var trace = ClaimTrace(
            claim: claim, article: article, statement: resolve(coded.statement), attribution: resolve(coded.attribution.evidence),
            date: resolve(coded.date.evidence), location: resolve(coded.location.evidence), figures: figures, holds: false,
            wordProblems: wordProblems)
        trace.source = picture.sources[claim.sourceID]
        trace.holds = article.verified && trace.resolved.allSatisfy(\.holds) && wordProblems.isEmpty
        return trace
    }

    /// The trace as JSON: the claim's fields with each quote resolved in place, the article and its
    /// verification, and each figure's check.
    public var json: JSONValue {
        guard let article else {
            return ["claim_id": .string(claim.id), "error": .string("source \(claim.sourceID) is not in the log")]
        }
        let coded = claim.coded
        func replacingEvidence(_ value: JSONValue, with resolved: ResolvedEvidence?) -> JSONValue {
            guard case .object(var object) = value else { return value }
            object["evidence"] = resolved?.json ?? .null
            return .object(object)
        }
        let about = article.description
        var json: JSONObject = [
            "claim_id": .string(claim.id), "kind": .string(coded.kind.rawValue), "scope": .string(coded.scope.rawValue),
            "summary": .string(coded.summary), "revision": .number(Double(claim.revision)), "retracted": .bool(claim.retracted),
            "source": [
                "source_id": .string(claim.sourceID), "title": .optional(source?.title ?? about.title), "author": .optional(about.author),
                "outlet": .optional(source?.outlet ?? about.outlet), "dateline": .optional(about.dateline),
                "published": (source?.published ?? about.published).json, "retracted": .bool(source?.retracted ?? false),
                "changes": .array(
                    (source?.changes ?? []).map { change in
                        [
                            "type": .string(change.type), "position": .number(Double(change.position)), "recorded_at": .string(change.recordedAt.iso8601),
                            "recorded_by": .string(change.recordedBy), "reason": .optional(change.reason),
                        ]
                    }),
                "file_name": .optional(about.fileName), "text_sha256": .string(article.statedSHA256),
                "dataset": about.dataset?.reference.json ?? .null,
                "text_sha256_recomputed": .string(article.computedSHA256), "verified": .bool(article.verified),
            ],
            "statement": statement?.json ?? .null, "attribution": replacingEvidence(coded.attribution.json, with: attribution),
            "date": replacingEvidence(coded.date.json, with: date), "location": replacingEvidence(coded.location.json, with: location),
            "figures": .array(
                figures.map { check in
                    guard case .object(var figure) = check.figure.json else { return .null }
                    figure["index"] = .number(Double(check.index))
                    figure["source_id"] = .string(check.sourceID)
                    figure["evidence"] = check.evidence?.json ?? .null
                    figure["words_agree"] = .bool(check.wordsProblem == nil)
                    figure["words_problem"] = .optional(check.wordsProblem)
                    figure["checked_against"] = .string(check.checkedAgainst)
                    if let row = check.datasetRow, let columns = check.figure.datasetFields {
                        func cell(_ column: String?) -> JSONValue {
                            column.map { ["column": .string($0), "value": .optional(row.fields[$0])] } ?? .null
                        }
                        figure["dataset"] = [
                            "dataset": .string(row.dataset.rawValue), "name": .string(row.dataset.displayName), "row_id": .string(row.rowID),
                            "low": cell(columns.low), "high": cell(columns.high),
                        ]
                    }
                    return .object(figure)
                }),
            "actors": coded.actors.json,
        ]
        if let logProblem { json["log_problem"] = .string(logProblem) }
        return .object(json)
    }
}
