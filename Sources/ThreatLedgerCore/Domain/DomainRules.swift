/// The rules of a well-formed payload that JSON Schema cannot express. Each failure names the field.
enum DomainRules {
    static func check(type: EventType, payload: JSONValue) throws(EventValidationError) {
        let root = JSONPath.root
        switch type {
        case .sourceRegistered:
            let text = payload["text"]!.stringValue!
            let stated = payload["text_sha256"]!.stringValue!
            let actual = SHA256Hash.of(text: text).hex
            if actual != stated {
                throw .rule(
                    path: root.appending("text_sha256"),
                    message: "is \(stated), but the SHA-256 of the text is \(actual)")
            }
            try checkDate(payload["published"]!, at: root.appending("published"))
            try checkEvidenceTree(payload["published"]!, at: root.appending("published"), article: stated)
            if let row = payload["dataset_row"]?.objectValue { try checkDatasetRow(row, at: root.appending("dataset_row")) }
        case .claimRecorded:
            try checkClaim(payload, evidenceFromOtherSources: false)
        case .claimCorrected:
            let changes = payload["changes"]!
            let updates = payload["figure_updates"]!.arrayValue!
            if changes.objectValue!.isEmpty && updates.isEmpty {
                throw .rule(path: root.appending("changes"), message: "a correction must change something")
            }
            try checkClaimFields(changes, at: root.appending("changes"))
            try checkEvidenceTree(changes, at: root.appending("changes"), article: nil)
            try checkEvidenceTree(.array(updates), at: root.appending("figure_updates"), article: nil)
            for (index, update) in updates.enumerated() {
                let path = root.appending("figure_updates").appending(index: index)
                if let qualifier = update["qualifier"]?.stringValue {
                    try checkBounds(
                        low: update["low"]?.integerValue, high: update["high"]?.integerValue, qualifier: qualifier,
                        at: path)
                }
            }
        case .claimRetracted, .incidentUnlinked, .sourceRetracted:
            break
        case .sourceCorrected:
            // Each field as a registration codes it; the rest (its evidence in the article) is
            // checked against the source as it stands (``SourceEditRules``).
            if payload["changes"]?.objectValue?.isEmpty != false {
                throw .rule(path: root.appending("changes"), message: "a correction must change something")
            }
            if let published = payload["changes"]?["published"] { try checkDate(published, at: root.appending("changes").appending("published")) }
        case .incidentLinked:
            let members = Set(payload["claim_ids"]!.arrayValue!.compactMap(\.stringValue))
            for (index, disagreement) in payload["disagreements"]!.arrayValue!.enumerated() {
                for (valueIndex, value) in disagreement["values"]!.arrayValue!.enumerated() {
                    let claim = value["claim_id"]!.stringValue!
                    if !members.contains(claim) {
                        throw .rule(
                            path: root.appending("disagreements").appending(index: index).appending("values")
                                .appending(index: valueIndex).appending("claim_id"),
                            message: "claim \(claim) is not one of this incident's claim_ids")
                    }
                }
            }
        }
    }

    /// A whole claim: its fields, its evidence (every quote in its statement's article), and every
    /// figure against its words. With `evidenceFromOtherSources` (a claim as a correction leaves it),
    /// a figure naming a `source_id` other than the claim's own may quote that source's article,
    /// which the store checks; a recorded claim's figures all quote its own article.
    static func checkClaim(_ payload: JSONValue, evidenceFromOtherSources: Bool) throws(EventValidationError) {
        let root = JSONPath.root
        try checkClaimFields(payload, at: root)
        if let proposal = payload["proposal"], !proposal.isNull { try checkProposal(proposal, at: root.appending("proposal")) }
        let article = payload["statement"]!["article_sha256"]!.stringValue!
        let figures = payload["figures"]?.arrayValue ?? []
        let own = payload["source_id"]
        let foreign = figures.indices.filter { index in
            let source = figures[index]["source_id"]
            return source != nil && source != .null && source != own
        }
        if foreign.isEmpty {
            try checkEvidenceTree(payload, at: root, article: article)
        } else {
            guard evidenceFromOtherSources else {
                throw .rule(
                    path: root.appending("figures").appending(index: foreign[0]).appending("source_id"),
                    message: "a recorded claim's figures quote its own source; evidence from another source comes with a correction")
            }
            var ownPart = payload.objectValue!
            var kept = figures
            for index in foreign { kept[index] = .null }
            ownPart["figures"] = .array(kept)
            try checkEvidenceTree(.object(ownPart), at: root, article: article)
            for index in foreign {
                try checkEvidenceTree(figures[index], at: root.appending("figures").appending(index: index), article: nil)
            }
        }
        try checkFigureWords(payload, at: root)
    }

    /// Every figure of a whole claim says what its words say (``FigureWords``).
    static func checkFigureWords(_ claim: JSONValue, at path: JSONPath) throws(EventValidationError) {
        let claimID = claim["claim_id"]?.stringValue ?? "?"
        for (index, figure) in (claim["figures"]?.arrayValue ?? []).enumerated() {
            if let problem = FigureWords.problem(figure: figure, statement: claim["statement"], claimID: claimID) {
                let figurePath = path.appending("figures").appending(index: index)
                let field = problem.field.dropFirst()
                throw .rule(path: field.isEmpty ? figurePath : figurePath.appending(String(field)), message: problem.reason)
            }
        }
    }

    /// Dates, location and figures of a claim (or of the fields a correction replaces).
    static func checkClaimFields(_ claim: JSONValue, at path: JSONPath) throws(EventValidationError) {
        if let date = claim["date"] { try checkDate(date, at: path.appending("date")) }
        if let location = claim["location"], let country = location["country"]?.stringValue,
            !CountryCode.isAssigned(country)
        {
            throw .rule(
                path: path.appending("location").appending("country"),
                message: "\"\(country)\" is not an assigned ISO 3166-1 alpha-2 country code")
        }
        let figures = claim["figures"]?.arrayValue ?? []
        for (index, figure) in figures.enumerated() {
            let figurePath = path.appending("figures").appending(index: index)
            if let parent = figure["part_of"]?.integerValue {
                guard parent != Int64(index), parent < figures.count,
                    figures[Int(parent)]["measure"] == figure["measure"], figures[Int(parent)]["part_of"]?.integerValue == nil
                else {
                    throw .rule(
                        path: figurePath.appending("part_of"),
                        message: "must name another figure of the same measure that is itself part of none")
                }
            }
            try checkBounds(
                low: figure["low"]!.integerValue, high: figure["high"]!.integerValue,
                qualifier: figure["qualifier"]!.stringValue!, at: figurePath)
            try checkDatasetFields(figure, at: figurePath)
            let isAmount = figure["measure"]!.stringValue == "amount"
            if !isAmount, let currency = figure["currency"]?.stringValue {
                throw .rule(
                    path: figurePath.appending("currency"),
                    message: "only an amount has a currency (found \(currency) on a count)")
            }
        }
    }

    /// A figure names dataset columns exactly when its basis is `dataset`, and a column for each bound
    /// it sets (null for a null bound). Whether the columns hold those numbers is checked against the
    /// source's row (``EvidenceCheck``).
    /// A machine proposal reaches the log only reviewed: a draft (`proposed`) is refused, and an
    /// accepted one names who accepted it.
    static func checkProposal(_ proposal: JSONValue, at path: JSONPath) throws(EventValidationError) {
        let acceptedBy = proposal["accepted_by"]?.stringValue
        switch proposal["status"]?.stringValue {
        case "proposed":
            throw .rule(
                path: path.appending("status"),
                message:
                    "is proposed: a machine proposal is a draft until an analyst reviews it; accept it with `threatledger propose --review DRAFT.jsonl` (or --accept-all --by NAME), which records who accepted it"
            )
        default:
            if acceptedBy == nil {
                throw .rule(path: path.appending("accepted_by"), message: "an accepted proposal names the analyst who accepted it")
            }
        }
    }

    static func checkDatasetFields(_ figure: JSONValue, at path: JSONPath) throws(EventValidationError) {
        let isDataset = figure["basis"]?.stringValue == "dataset"
        let fields = figure["dataset_fields"] ?? .null
        guard isDataset == !fields.isNull else {
            throw .rule(
                path: path.appending("dataset_fields"),
                message: isDataset
                    ? "a figure of basis dataset names the dataset columns its bounds equal"
                    : "only a figure of basis dataset names dataset columns (this one is \(figure["basis"]?.stringValue ?? "?"))")
        }
        guard isDataset else { return }
        for bound in ["low", "high"] where (figure[bound] ?? .null).isNull != (fields[bound] ?? .null).isNull {
            throw .rule(
                path: path.appending("dataset_fields").appending(bound),
                message: (figure[bound] ?? .null).isNull
                    ? "names a column, but the figure's \(bound) is null" : "is null, but the figure's \(bound) is set: name its column")
        }
    }

    /// A dataset row's columns are named as its header names them: lowercase letters, digits and `_`,
    /// starting with a letter, at most 64 characters, and at most 200 columns.
    static func checkDatasetRow(_ row: JSONObject, at path: JSONPath) throws(EventValidationError) {
        let fields = row["fields"]?.objectValue ?? [:]
        if fields.count > 200 {
            throw .rule(path: path.appending("fields"), message: "has \(fields.count) columns; a dataset row has at most 200")
        }
        for column in CanonicalJSON.sortedKeys(fields.keys) {
            let scalars = Array(column.unicodeScalars)
            let named =
                !scalars.isEmpty && scalars.count <= 64 && ("a"..."z").contains(scalars[0])
                && scalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
            if !named {
                throw .rule(
                    path: path.appending("fields"),
                    message: "column \"\(column)\" is not a dataset column name (lowercase letters, digits and _, starting with a letter)")
            }
        }
    }

    /// A figure's bounds agree with its qualifier.
    static func checkBounds(low: Int64?, high: Int64?, qualifier: String, at path: JSONPath) throws(EventValidationError) {
        func fail(_ message: String) -> EventValidationError {
            .rule(path: path, message: "qualifier \(qualifier): \(message)")
        }
        switch qualifier {
        case "exact", "about":
            guard let low, let high, low == high else { throw fail("low and high must both be set and equal") }
        case "at_least", "more_than":
            guard low != nil, high == nil else { throw fail("low must be set and high null") }
        case "up_to":
            guard low == nil, high != nil else { throw fail("high must be set and low null") }
        case "range":
            guard let low, let high, low < high else { throw fail("low and high must both be set, with low < high") }
        default:
            guard low == nil, high == nil else { throw fail("low and high must both be null") }
        }
    }

    /// A reported date is internally consistent: real days, start ≤ end, a basis when it is known.
    static func checkDate(_ date: JSONValue, at path: JSONPath) throws(EventValidationError) {
        let precision = date["precision"]!.stringValue!
        let start = date["start"]!.stringValue.flatMap(CalendarDate.init(iso8601:))
        let end = date["end"]!.stringValue.flatMap(CalendarDate.init(iso8601:))
        if precision == "unknown" {
            if start != nil || end != nil {
                throw .rule(path: path, message: "precision unknown: start and end must be null")
            }
            return
        }
        guard let start, let end else {
            throw .rule(path: path, message: "precision \(precision): start and end must both be set")
        }
        if end < start {
            throw .rule(path: path.appending("end"), message: "\(end) is before the start \(start)")
        }
        if date["basis"]!.isNull {
            throw .rule(path: path.appending("basis"), message: "a known date needs its basis (stated, relative, inferred)")
        }
        if precision == "day" && start != end {
            throw .rule(path: path, message: "precision day: start and end must be the same day")
        }
    }

    /// Every evidence object under `value`: its selectors agree with each other, and (when `article`
    /// is given) it points into that article. Valid input (nearly all) is checked in one pass with no
    /// paths built; only a failure is walked again in canonical key order, so the error names the
    /// same field every time.
    static func checkEvidenceTree(_ value: JSONValue, at path: JSONPath, article: String?) throws(EventValidationError) {
        if evidenceTreeHolds(value, article: article) { return }
        try reportEvidenceTree(value, at: path, article: article)
    }

    private static func evidenceTreeHolds(_ value: JSONValue, article: String?) -> Bool {
        switch value {
        case .object(let members):
            if let quote = members["quote"], let position = members["position"], let hash = members["article_sha256"] {
                return evidenceProblem(quote: quote, position: position, hash: hash, article: article) == nil
            }
            return members.values.allSatisfy { evidenceTreeHolds($0, article: article) }
        case .array(let elements):
            return elements.allSatisfy { evidenceTreeHolds($0, article: article) }
        default:
            return true
        }
    }

    private static func reportEvidenceTree(_ value: JSONValue, at path: JSONPath, article: String?) throws(EventValidationError) {
        switch value {
        case .object(let members):
            if let quote = members["quote"], let position = members["position"], let hash = members["article_sha256"] {
                if let problem = evidenceProblem(quote: quote, position: position, hash: hash, article: article) {
                    throw .rule(path: path.appending(problem.field), message: problem.message)
                }
                return
            }
            for key in CanonicalJSON.sortedKeys(members.keys) {
                try reportEvidenceTree(members[key]!, at: path.appending(key), article: article)
            }
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                try reportEvidenceTree(element, at: path.appending(index: index), article: article)
            }
        default:
            break
        }
    }

    /// What is wrong with one evidence object, if anything: the field and why.
    static func evidenceProblem(quote: JSONValue, position: JSONValue, hash: JSONValue, article: String?) -> (field: String, message: String)? {
        let start = position["start"]!.integerValue!
        let end = position["end"]!.integerValue!
        let exact = quote["exact"]!.stringValue!
        let length = Int64(exact.scalarCount)
        if end - start != length {
            return ("position", "start \(start) and end \(end) span \(end - start) code points, but the quote has \(length)")
        }
        if let article, hash.stringValue != article {
            return ("article_sha256", "points at article \(hash.stringValue!), but the claim's statement is in article \(article)")
        }
        return nil
    }
}
