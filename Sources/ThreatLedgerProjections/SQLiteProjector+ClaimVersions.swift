import Foundation
import ThreatLedgerCore
import ThreatLedgerStore

/// The read index (``ClaimVersionIndex``) in the log's SQLite file: tables `rx_sources`,
/// `rx_claim_versions`, `rx_incident_versions`, `rx_incident_members` and `rx_regions`.
///
/// - **Catch-up** applies only the events after the checkpoint, each touching the rows it changes
///   (a correction closes the claim's current version and adds the next), in one write
///   transaction with the checkpoint. A read that finds the checkpoint at the head takes no write
///   lock at all.
/// - **Rebuild** takes the rebuild lock, writes shadow tables (`rx__next_*`) from the log a page at a
///   time in short transactions (memory does not grow with the log; appends go on meanwhile), then
///   in one transaction applies the tail, drops the live tables, renames the shadows into place,
///   sets the checkpoint and records the rebuild: readers never see a half-built index.
/// - **Verify** re-derives the index in temporary tables (SQLite's temp store, never the log file)
///   up to the stored checkpoint and compares them with the stored ones in SQL, naming each row
///   that differs.
extension SQLiteProjector: ClaimVersionIndex {
    static let indexDefinition = ProjectionDefinition(
        name: ClaimVersionIndexLayout.name, version: ClaimVersionIndexLayout.version, tablePrefix: "rx", keys: .places,
        render: { _ in [:] }, renderKey: { _, _ in nil })
    /// Events applied per transaction while a rebuild writes its shadow tables.
    static let rebuildChunk = 5_000

    /// Where a set of index tables lives: `main.rx` (live), `main.rx__next` (a rebuild's shadow),
    /// `temp.rx__check` (verify's re-derivation).
    struct IndexTables {
        let schema: String
        let prefix: String
        func table(_ name: String) -> String { "\(schema).\(prefix)_\(name)" }
        var sources: String { table("sources") }
        var claimVersions: String { table("claim_versions") }
        var incidentVersions: String { table("incident_versions") }
        var incidentMembers: String { table("incident_members") }
        var regions: String { table("regions") }
        static let live = IndexTables(schema: "main", prefix: "rx")
        static let shadow = IndexTables(schema: "main", prefix: "rx__next")
        static let check = IndexTables(schema: "temp", prefix: "rx__check")
    }

    // MARK: Tables

    /// Creates the index tables of `t`; with `secondaryIndexes`, their secondary indexes too.
    ///
    /// Decision: a rebuild fills its shadow tables without the claim versions' four secondary
    /// indexes (region, source, kind, country) and creates them once the rows are in
    /// (``createSecondaryIndexes(_:)``): SQLite then sorts each index once instead of inserting
    /// every version into four more B-trees at scattered places, and nothing the fold reads uses
    /// them (it finds current versions by primary key). `verify`'s re-derivation needs none.
    func createIndexTables(_ t: IndexTables, secondaryIndexes: Bool = true) throws {
        let bare = "\(t.prefix)_"
        try connection.execute(
            """
            CREATE TABLE IF NOT EXISTS \(t.sources) (source_id TEXT NOT NULL, valid_from INTEGER NOT NULL, valid_to INTEGER,
                published_start TEXT, published_end TEXT, retracted INTEGER NOT NULL, doc TEXT NOT NULL,
                PRIMARY KEY (source_id, valid_from)) STRICT;
            CREATE TABLE IF NOT EXISTS \(t.claimVersions) (claim_id TEXT NOT NULL, valid_from INTEGER NOT NULL,
                valid_to INTEGER, country TEXT, admin1 TEXT, source_id TEXT NOT NULL, kind TEXT NOT NULL, retracted INTEGER NOT NULL,
                event_start TEXT, event_end TEXT, doc TEXT NOT NULL, PRIMARY KEY (claim_id, valid_from)) STRICT;
            CREATE TABLE IF NOT EXISTS \(t.incidentVersions) (incident_id TEXT NOT NULL, valid_from INTEGER NOT NULL,
                valid_to INTEGER, doc TEXT NOT NULL, PRIMARY KEY (incident_id, valid_from)) STRICT;
            CREATE TABLE IF NOT EXISTS \(t.incidentMembers) (claim_id TEXT NOT NULL, incident_id TEXT NOT NULL,
                valid_from INTEGER NOT NULL, valid_to INTEGER, PRIMARY KEY (claim_id, incident_id, valid_from)) STRICT;
            CREATE INDEX IF NOT EXISTS \(t.schema).\(bare)im_incident_\(Self.indexNameToken()) ON \(bare)incident_members (incident_id, valid_to);
            CREATE TABLE IF NOT EXISTS \(t.regions) (region TEXT PRIMARY KEY, country TEXT, admin1 TEXT) STRICT;
            """)
        if secondaryIndexes { try createSecondaryIndexes(t) }
    }

    /// The claim versions' secondary indexes, by which reads find a region's, a source's, a kind's
    /// or a country's versions. Created once per table (their names differ per call).
    func createSecondaryIndexes(_ t: IndexTables) throws {
        let token = Self.indexNameToken()
        let bare = "\(t.prefix)_"
        try connection.execute(
            """
            CREATE INDEX IF NOT EXISTS \(t.schema).\(bare)cv_region_\(token) ON \(bare)claim_versions (country, admin1, valid_from);
            CREATE INDEX IF NOT EXISTS \(t.schema).\(bare)cv_source_\(token) ON \(bare)claim_versions (source_id, valid_from);
            CREATE INDEX IF NOT EXISTS \(t.schema).\(bare)cv_kind_\(token) ON \(bare)claim_versions (kind, claim_id);
            CREATE INDEX IF NOT EXISTS \(t.schema).\(bare)cv_country_\(token) ON \(bare)claim_versions (country, claim_id);
            """)
    }

    /// Index names carry a token: a shadow's indexes keep their names when it is renamed into
    /// place, so the next rebuild's shadow needs names of its own. No query names an index.
    private static func indexNameToken() -> String { String(UInt64(Date().timeIntervalSince1970 * 1_000_000), radix: 36) }

    func dropIndexTables(_ t: IndexTables) throws {
        try connection.execute(ClaimVersionIndexLayout.tables.map(\.name).map { "DROP TABLE IF EXISTS \(t.table($0));" }.joined(separator: " "))
    }

    // MARK: Applying events

    /// Applies one event to the index tables `t`: the rows ``ClaimVersionFold`` says it changes,
    /// `prepared` when they were worked out ahead (``IndexPagePreparation``).
    func applyToIndex(_ event: RecordedEvent, _ t: IndexTables, prepared: [ClaimVersionFold.PreparedChange]? = nil) throws {
        let changes: [ClaimVersionFold.PreparedChange]
        if let prepared {
            changes = prepared
        } else {
            let current = try ClaimVersionFold.claimEdited(by: event).flatMap { try currentVersion($0, t) }
            let currentIncident = try ClaimVersionFold.incidentEdited(by: event).flatMap { try currentIncidentVersion($0, t) }
            let currentSource = try ClaimVersionFold.sourceEdited(by: event).flatMap { try currentSourceVersion($0, t) }
            changes = try ClaimVersionFold.changes(for: event, current: current, currentIncident: currentIncident, currentSource: currentSource)
                .map(ClaimVersionFold.PreparedChange.init)
        }
        for prepared in changes {
            switch prepared.change {
            case .addSource(let source, let position):
                let insert = try connection.statement(
                    """
                    INSERT OR REPLACE INTO \(t.sources) (source_id, valid_from, valid_to, published_start, published_end, retracted, doc)
                    VALUES (?, ?, NULL, ?, ?, ?, ?)
                    """)
                insert.bind(1, source.id)
                insert.bind(2, position)
                insert.bind(3, source.published.start?.iso8601)
                insert.bind(4, source.published.end?.iso8601)
                insert.bind(5, Int64(source.retracted ? 1 : 0))
                insert.bind(6, prepared.document)
                _ = try insert.step()
            case .closeSource(let id, let position):
                let close = try connection.statement("UPDATE \(t.sources) SET valid_to = ? WHERE source_id = ? AND valid_to IS NULL")
                close.bind(1, position)
                close.bind(2, id)
                _ = try close.step()
            case .closeClaim(let id, let position):
                let close = try connection.statement("UPDATE \(t.claimVersions) SET valid_to = ? WHERE claim_id = ? AND valid_to IS NULL")
                close.bind(1, position)
                close.bind(2, id)
                _ = try close.step()
            case .addClaim(let claim, let position):
                try insertVersion(claim, document: prepared.document, from: position, t)
            case .closeIncident(let id, let position):
                for sql in [
                    "UPDATE \(t.incidentVersions) SET valid_to = ? WHERE incident_id = ? AND valid_to IS NULL",
                    "UPDATE \(t.incidentMembers) SET valid_to = ? WHERE incident_id = ? AND valid_to IS NULL",
                ] {
                    let close = try connection.statement(sql)
                    close.bind(1, position)
                    close.bind(2, id)
                    _ = try close.step()
                }
            case .addIncident(let incident, let position):
                let insert = try connection.statement(
                    "INSERT INTO \(t.incidentVersions) (incident_id, valid_from, valid_to, doc) VALUES (?, ?, NULL, ?)")
                insert.bind(1, incident.id)
                insert.bind(2, position)
                insert.bind(3, prepared.document)
                _ = try insert.step()
                let member = try connection.statement(
                    "INSERT OR IGNORE INTO \(t.incidentMembers) (claim_id, incident_id, valid_from, valid_to) VALUES (?, ?, ?, NULL)")
                for claimID in incident.claimIDs {
                    member.reset()
                    member.bind(1, claimID)
                    member.bind(2, incident.id)
                    member.bind(3, position)
                    _ = try member.step()
                }
            }
        }
    }

    private func insertVersion(_ claim: ThreatPicture.Claim, document: String?, from position: Int64, _ t: IndexTables) throws {
        let columns = ClaimVersionFold.ClaimColumns(claim)
        let insert = try connection.statement(
            """
            INSERT INTO \(t.claimVersions) (claim_id, valid_from, valid_to, country, admin1, source_id, kind, retracted,
                event_start, event_end, doc) VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insert.bind(1, claim.id)
        insert.bind(2, position)
        insert.bind(3, columns.country)
        insert.bind(4, columns.admin1)
        insert.bind(5, claim.sourceID)
        insert.bind(6, columns.kind)
        insert.bind(7, Int64(claim.retracted ? 1 : 0))
        insert.bind(8, columns.eventStart)
        insert.bind(9, columns.eventEnd)
        insert.bind(10, document)
        _ = try insert.step()
        let region = try connection.statement("INSERT OR IGNORE INTO \(t.regions) (region, country, admin1) VALUES (?, ?, ?)")
        for key in columns.regions {
            region.reset()
            region.bind(1, key.key)
            region.bind(2, key.country)
            region.bind(3, key.admin1)
            _ = try region.step()
        }
    }

    private func currentSourceVersion(_ id: String, _ t: IndexTables) throws -> ThreatPicture.Source? {
        try currentDocument(t.sources, key: "source_id", id) { try ThreatPicture.source(id: id, documentBytes: $0) }
    }

    private func currentIncidentVersion(_ id: String, _ t: IndexTables) throws -> ThreatPicture.Incident? {
        try currentDocument(t.incidentVersions, key: "incident_id", id) { try ThreatPicture.incident(id: id, documentBytes: $0) }
    }

    private func currentVersion(_ id: String, _ t: IndexTables) throws -> ThreatPicture.Claim? {
        try currentDocument(t.claimVersions, key: "claim_id", id) { try ThreatPicture.claim(id: id, documentBytes: $0) }
    }

    /// Reads the stored document in column `column` of `select`'s current row with `read`, from its
    /// bytes (the typed decoders of ``ThreatPicture/claim(id:documentBytes:)`` and its kin); NULL
    /// reads as the JSON `null`, which the general path refuses with the model's words as before.
    static func document<T>(in select: SQLiteStatement, column: Int32, _ read: (UnsafeBufferPointer<UInt8>) throws -> T) throws -> T {
        try select.withTextBytes(column) { bytes in
            if let bytes { return try read(bytes) }
            return try Array("null".utf8).withUnsafeBufferPointer { try read($0) }
        }
    }

    /// The document of the current version (valid to no position yet) of `id` in `table`, read by
    /// `read`, or nil.
    private func currentDocument<T>(_ table: String, key: String, _ id: String, _ read: (UnsafeBufferPointer<UInt8>) throws -> T) throws -> T? {
        let select = try connection.statement("SELECT doc FROM \(table) WHERE \(key) = ? AND valid_to IS NULL")
        select.bind(1, id)
        defer { select.reset() }
        guard try select.step() else { return nil }
        return try Self.document(in: select, column: 0, read)
    }

    /// Applies the events after `position` (up to `limit` of them, and none after `through`) to `t`;
    /// returns the last one applied.
    func applyEvents(after position: Int64, through: Int64? = nil, limit: Int, to t: IndexTables) throws -> RecordedEvent? {
        let statement = try connection.statement(
            "SELECT \(SQLiteEventLog.columns) FROM events WHERE position > ?1 AND (?2 IS NULL OR position <= ?2) ORDER BY position LIMIT ?3")
        statement.bind(1, position)
        if let through { statement.bind(2, through) } else { statement.bind(2, nil as String?) }
        statement.bind(3, Int64(limit))
        var page: [RecordedEvent] = []
        while try statement.step() { page.append(try SQLiteEventLog.decodeRow(statement)) }
        statement.reset()
        if let preparation = IndexPagePreparation.start(page) {
            for (index, event) in page.enumerated() { try applyToIndex(event, t, prepared: try preparation.changes(at: index)) }
        } else {
            for event in page { try applyToIndex(event, t) }
        }
        return page.last
    }

    // MARK: Checkpoint

    func readIndexCheckpoint() throws -> IndexCheckpoint? {
        let statement = try connection.statement("SELECT version, position, hash FROM projection_checkpoints WHERE projection = ?")
        statement.bind(1, Self.indexDefinition.name)
        defer { statement.reset() }
        guard try statement.step() else { return nil }
        return IndexCheckpoint(version: Int(statement.int64(0)), position: statement.int64(1), hash: SHA256Hash(bytes: statement.blob(2)))
    }

    private func writeIndexCheckpoint(position: Int64, hash: SHA256Hash?) throws {
        let statement = try connection.statement(
            "INSERT OR REPLACE INTO projection_checkpoints (projection, version, position, hash, updated_at) VALUES (?, ?, ?, ?, ?)")
        statement.bind(1, Self.indexDefinition.name)
        statement.bind(2, Int64(ClaimVersionIndexLayout.version))
        statement.bind(3, position)
        if let hash { statement.bind(4, bytes: hash.bytes) } else { statement.bind(4, nil as String?) }
        statement.bind(5, clock.now().microsecondsSinceEpoch)
        _ = try statement.step()
    }

    // MARK: Serving

    public func indexCheckpoint() throws(ProjectionError) -> IndexCheckpoint? {
        try wrap { try readIndexCheckpoint() }
    }

    /// Applies the events after the checkpoint in one transaction; takes no write lock when there are none.
    public func catchUpIndex(from seen: IndexCheckpoint) throws(ProjectionError) -> IndexCheckpoint {
        try wrap {
            let head = try connection.scalarInt("SELECT MAX(position) FROM events") ?? 0
            if head == seen.position {
                let hash = seen.position == 0 ? nil : try hashAt(position: seen.position)
                if hash == seen.hash { return seen }
            }
            return try connection.transaction {
                guard let checkpoint = try readIndexCheckpoint() else {
                    throw ProjectionError.storage("\(Self.indexDefinition.name) has never been built; rebuild it first")
                }
                if checkpoint.position > 0, try hashAt(position: checkpoint.position) != checkpoint.hash {
                    throw ProjectionError.checkpointMismatch(projection: Self.indexDefinition.name, position: checkpoint.position)
                }
                var position = checkpoint.position
                var hash = checkpoint.hash
                while let last = try applyEvents(after: position, limit: 1_000, to: .live) {
                    position = last.position
                    hash = last.hash
                }
                if position != checkpoint.position { try writeIndexCheckpoint(position: position, hash: hash) }
                return IndexCheckpoint(version: ClaimVersionIndexLayout.version, position: position, hash: hash)
            }
        }
    }

    public func rebuildIndex(progress: @Sendable (Int64, Int64) -> Void) throws(ProjectionError) -> RebuildRecord {
        let definition = Self.indexDefinition
        try acquireLock(definition, takeOver: nil)
        defer { try? releaseLock(definition) }
        return try wrap {
            let started = clock.now()
            try dropIndexTables(.shadow)
            try createIndexTables(.shadow, secondaryIndexes: false)
            let total = try connection.scalarInt("SELECT MAX(position) FROM events") ?? 0
            var position: Int64 = 0
            var hash: SHA256Hash?
            // The shadow tables fill in short transactions; appends go on between them.
            while true {
                let last = try connection.transaction { try applyEvents(after: position, limit: Self.rebuildChunk, to: .shadow) }
                guard let last else { break }
                position = last.position
                hash = last.hash
                progress(position, max(total, position))
                try renewLease(definition)
            }
            try connection.transaction { try createSecondaryIndexes(.shadow) }
            try renewLease(definition, force: true)
            return try connection.transaction {
                try checkStillHolding(definition, on: connection)
                // Events appended since the last chunk.
                while let last = try applyEvents(after: position, limit: 1_000, to: .shadow) {
                    position = last.position
                    hash = last.hash
                }
                try dropIndexTables(.live)
                for table in ClaimVersionIndexLayout.tables.map(\.name) {
                    try connection.execute("ALTER TABLE \(IndexTables.shadow.table(table)) RENAME TO rx_\(table)")
                }
                try writeIndexCheckpoint(position: position, hash: hash)
                let digest = try indexDigest(.live)
                let finished = clock.now()
                return try recordRebuild(
                    definition, started: started, finished: finished, folded: position, headPosition: position, headHash: hash,
                    digest: digest)
            }
        }
    }

    /// SHA-256 over every row of the index tables, in key order, read a row at a time: per table its
    /// name and a newline, then per row each column's text (NUL for NULL) followed by a tab, and a
    /// newline. The bytes are fed to the hash in pieces of about 64 KiB, straight from SQLite's.
    func indexDigest(_ t: IndexTables) throws -> SHA256Hash {
        var hasher = SHA256Hasher()
        var pending: [UInt8] = []
        pending.reserveCapacity(1 << 17)
        for (table, columns, key) in ClaimVersionIndexLayout.tables {
            let select = try connection.statement("SELECT \(columns) FROM \(t.table(table)) ORDER BY \(key)")
            defer { select.reset() }
            let count = Int32(columns.split(separator: ",").count)
            pending += Array("\(table)\n".utf8)
            while try select.step() {
                for column in 0..<count {
                    if select.isNull(column) { pending.append(0) } else { select.appendText(column, to: &pending) }
                    pending.append(UInt8(ascii: "\t"))
                }
                pending.append(UInt8(ascii: "\n"))
                if pending.count >= 1 << 16 {
                    hasher.update(pending)
                    pending.removeAll(keepingCapacity: true)
                }
            }
        }
        hasher.update(pending)
        return hasher.finalize()
    }

    public func position(recordedAtOrBefore time: RecordTime) throws(ProjectionError) -> Int64 {
        try wrap {
            // Record time never decreases along positions: a binary search over the gapless positions.
            var low: Int64 = 0
            var high = try connection.scalarInt("SELECT MAX(position) FROM events") ?? 0
            let select = try connection.statement("SELECT recorded_at FROM events WHERE position = ?")
            while low < high {
                let middle = low + (high - low + 1) / 2
                select.reset()
                select.bind(1, middle)
                guard try select.step() else { break }
                if select.int64(0) <= time.microsecondsSinceEpoch { low = middle } else { high = middle - 1 }
            }
            select.reset()
            return low
        }
    }

    public func hash(at position: Int64) throws(ProjectionError) -> SHA256Hash? {
        try wrap { try hashAt(position: position) }
    }

    public func regionKeys(country: String?) throws(ProjectionError) -> [String] {
        try wrap {
            // A country's keys are itself, its divisions by code `CC-…` and by name `CC/…`: two ranges
            // of the primary key ('-' sorts just before '.', '/' just before '0').
            let select = try connection.statement(
                country == nil
                    ? "SELECT region FROM rx_regions ORDER BY region"
                    : "SELECT region FROM rx_regions WHERE region = ?1 OR (region > ?1 || '-' AND region < ?1 || '.') "
                        + "OR (region > ?1 || '/' AND region < ?1 || '0') ORDER BY region")
            if let country { select.bind(1, country) }
            defer { select.reset() }
            var keys: [String] = []
            while try select.step() { keys.append(select.text(0) ?? "") }
            return keys
        }
    }

    // MARK: Pictures

    public func picture(region: String?, at position: Int64) throws(ProjectionError) -> ThreatPicture {
        try wrap {
            try connection.transaction(immediate: false) {
                let valid = "valid_from <= ?1 AND (valid_to IS NULL OR valid_to > ?1)"
                var claims: [String: ThreatPicture.Claim] = [:]
                var incidents: [String: ThreatPicture.Incident] = [:]
                var sources: [ThreatPicture.Source] = []
                guard let region else {
                    for claim in try claimRows("SELECT claim_id, doc FROM rx_claim_versions WHERE \(valid)", position) {
                        claims[claim.id] = claim
                    }
                    for incident in try documents(
                        "SELECT incident_id, doc FROM rx_incident_versions WHERE \(valid)", position, read: ThreatPicture.incident(id:documentBytes:))
                    {
                        incidents[incident.id] = incident
                    }
                    sources = try documents("SELECT source_id, doc FROM rx_sources WHERE \(valid)", position, read: ThreatPicture.source(id:documentBytes:))
                    return ThreatPicture(sources: sources, claims: Array(claims.values), incidents: Array(incidents.values), position: position)
                }
                let place = try regionPlace(region)
                let sql: String
                var bindings: [String?] = []
                if let country = place.country, let admin1 = place.admin1 {
                    sql = "SELECT claim_id, doc FROM rx_claim_versions WHERE country = ?2 AND admin1 = ?3 AND \(valid)"
                    bindings = [country, admin1]
                } else if let country = place.country {
                    sql = "SELECT claim_id, doc FROM rx_claim_versions WHERE country = ?2 AND \(valid)"
                    bindings = [country]
                } else {
                    sql = "SELECT claim_id, doc FROM rx_claim_versions WHERE country IS NULL AND \(valid)"
                }
                for claim in try claimRows(sql, position, bindings) { claims[claim.id] = claim }
                try addIncidents(of: Array(claims.keys), at: position, claims: &claims, incidents: &incidents)
                sources = try self.sources(of: claims.values, at: position)
                return ThreatPicture(sources: sources, claims: Array(claims.values), incidents: Array(incidents.values), position: position)
            }
        }
    }

    public func picture(of selection: IndexSelection, at position: Int64) throws(ProjectionError) -> ThreatPicture {
        try wrap {
            try connection.transaction(immediate: false) {
                let valid = "valid_from <= ?1 AND (valid_to IS NULL OR valid_to > ?1)"
                var claims: [String: ThreatPicture.Claim] = [:]
                var incidents: [String: ThreatPicture.Incident] = [:]
                var sources: [ThreatPicture.Source] = []
                var own: String?
                switch selection {
                case .claim(let id):
                    if let claim = try claimVersion(id, at: position) { claims[id] = claim }
                case .place(let place):
                    let sql =
                        place.country == nil
                        ? "SELECT claim_id, doc FROM rx_claim_versions WHERE country IS NULL AND \(valid)"
                        : place.admin1 == nil
                            ? "SELECT claim_id, doc FROM rx_claim_versions WHERE country = ?2 AND admin1 IS NULL AND \(valid)"
                            : "SELECT claim_id, doc FROM rx_claim_versions WHERE country = ?2 AND admin1 = ?3 AND \(valid)"
                    for claim in try claimRows(sql, position, [place.country, place.admin1].compactMap { $0 }) {
                        claims[claim.id] = claim
                    }
                case .source(let id):
                    own = id
                    for claim in try claimRows("SELECT claim_id, doc FROM rx_claim_versions WHERE source_id = ?2 AND \(valid)", position, [id]) {
                        claims[claim.id] = claim
                    }
                case .incident(let id):
                    for incident in try documents(
                        "SELECT incident_id, doc FROM rx_incident_versions WHERE incident_id = ?2 AND \(valid)", position, [id],
                        read: ThreatPicture.incident(id:documentBytes:))
                    {
                        for claimID in incident.claimIDs {
                            if let claim = try claimVersion(claimID, at: position) { claims[claimID] = claim }
                        }
                    }
                }
                try addIncidents(of: Array(claims.keys), at: position, claims: &claims, incidents: &incidents)
                sources = try self.sources(of: claims.values, at: position, including: own)
                return ThreatPicture(sources: sources, claims: Array(claims.values), incidents: Array(incidents.values), position: position)
            }
        }
    }

    public func claimPage(_ query: ClaimPageQuery, at position: Int64) throws(ProjectionError) -> ClaimPage {
        try wrap {
            try connection.transaction(immediate: false) {
                var bindings: [String?] = []
                func bind(_ value: String) -> String {
                    bindings.append(value)
                    return "?\(bindings.count + 1)"
                }
                let conditions = ClaimPageSQL.conditions(query, bind: bind)
                let sql = """
                    SELECT cv.claim_id, cv.doc FROM rx_claim_versions cv WHERE cv.valid_from <= ?1 AND (cv.valid_to IS NULL OR cv.valid_to > ?1) AND cv.retracted = 0
                    \(conditions.map { "AND " + $0 }.joined(separator: " ")) ORDER BY cv.claim_id LIMIT \(max(1, query.limit) + 1)
                    """
                let rows = try claimRows(sql, position, bindings)
                let page = Array(rows.prefix(max(1, query.limit)))
                let members = try connection.statement(
                    "SELECT incident_id FROM rx_incident_members WHERE claim_id = ?1 AND valid_from <= ?2 AND (valid_to IS NULL OR valid_to > ?2) ORDER BY incident_id"
                )
                var incidentIDs: [String: [String]] = [:]
                for claim in page {
                    members.reset()
                    members.bind(1, claim.id)
                    members.bind(2, position)
                    while try members.step() { incidentIDs[claim.id, default: []].append(members.text(0) ?? "") }
                }
                members.reset()
                let sources = Dictionary(uniqueKeysWithValues: try self.sources(of: page, at: position).map { ($0.id, $0) })
                return ClaimPage.trimmed(rows, limit: max(1, query.limit), incidentIDs: incidentIDs, sources: sources, position: position)
            }
        }
    }

    public func history(region: String, through position: Int64) throws(ProjectionError) -> PictureHistory {
        try wrap {
            try connection.transaction(immediate: false) {
                let place = try regionPlace(region)
                let sql: String
                var bindings: [String] = []
                if let country = place.country, let admin1 = place.admin1 {
                    sql = "SELECT DISTINCT claim_id FROM rx_claim_versions WHERE country = ?2 AND admin1 = ?3 AND valid_from <= ?1"
                    bindings = [country, admin1]
                } else if let country = place.country {
                    sql = "SELECT DISTINCT claim_id FROM rx_claim_versions WHERE country = ?2 AND valid_from <= ?1"
                    bindings = [country]
                } else {
                    sql = "SELECT DISTINCT claim_id FROM rx_claim_versions WHERE country IS NULL AND valid_from <= ?1"
                }
                let select = try connection.statement(sql)
                select.bind(1, position)
                for (offset, value) in bindings.enumerated() { select.bind(Int32(offset + 2), value) }
                var regionClaims: [String] = []
                while try select.step() { regionClaims.append(select.text(0) ?? "") }
                select.reset()

                func open(_ end: Int64?) -> Int64? { end.flatMap { $0 > position ? nil : $0 } }
                var claims: [PictureHistory.Version<ThreatPicture.Claim>] = []
                var loaded = Set<String>()
                let claimVersions = try connection.statement(
                    "SELECT valid_from, valid_to, doc FROM rx_claim_versions WHERE claim_id = ?1 AND valid_from <= ?2 ORDER BY valid_from")
                func load(_ ids: [String]) throws {
                    for id in ids where loaded.insert(id).inserted {
                        claimVersions.reset()
                        claimVersions.bind(1, id)
                        claimVersions.bind(2, position)
                        while try claimVersions.step() {
                            let claim = try Self.document(in: claimVersions, column: 2) { try ThreatPicture.claim(id: id, documentBytes: $0) }
                            claims.append(
                                .init(
                                    value: claim, validFrom: claimVersions.int64(0),
                                    validTo: open(claimVersions.isNull(1) ? nil : claimVersions.int64(1))))
                        }
                    }
                    claimVersions.reset()
                }
                try load(regionClaims)

                let members = try connection.statement("SELECT DISTINCT incident_id FROM rx_incident_members WHERE claim_id = ?1 AND valid_from <= ?2")
                var incidentIDs = Set<String>()
                for id in regionClaims {
                    members.reset()
                    members.bind(1, id)
                    members.bind(2, position)
                    while try members.step() { incidentIDs.insert(members.text(0) ?? "") }
                }
                members.reset()
                // Every version up to `position` of each of `ids` in `table`, decoded.
                func versions<Value>(
                    _ table: String, key: String, ids: [String], _ decode: (String, UnsafeBufferPointer<UInt8>) throws -> Value
                ) throws -> [PictureHistory.Version<Value>] {
                    let select = try connection.statement(
                        "SELECT valid_from, valid_to, doc FROM \(table) WHERE \(key) = ?1 AND valid_from <= ?2 ORDER BY valid_from")
                    defer { select.reset() }
                    var result: [PictureHistory.Version<Value>] = []
                    for id in ids {
                        select.reset()
                        select.bind(1, id)
                        select.bind(2, position)
                        while try select.step() {
                            result.append(
                                .init(
                                    value: try Self.document(in: select, column: 2) { try decode(id, $0) }, validFrom: select.int64(0),
                                    validTo: open(select.isNull(1) ? nil : select.int64(1))))
                        }
                    }
                    return result
                }
                let incidents = try versions("rx_incident_versions", key: "incident_id", ids: incidentIDs.sorted(), ThreatPicture.incident(id:documentBytes:))
                try load(Set(incidents.flatMap(\.value.claimIDs)).sorted())

                let sources = try versions(
                    "rx_sources", key: "source_id", ids: Set(claims.map(\.value.sourceID)).sorted(), ThreatPicture.source(id:documentBytes:))
                var recordedAt: [Int64: RecordTime] = [:]
                let times = try connection.statement("SELECT recorded_at FROM events WHERE position = ?")
                let positions = Set(claims.flatMap { [$0.validFrom, $0.validTo].compactMap { $0 } })
                    .union(incidents.flatMap { [$0.validFrom, $0.validTo].compactMap { $0 } })
                    .union(sources.flatMap { [$0.validFrom, $0.validTo].compactMap { $0 } })
                for p in positions {
                    times.reset()
                    times.bind(1, p)
                    if try times.step() { recordedAt[p] = RecordTime(microsecondsSinceEpoch: times.int64(0)) }
                }
                times.reset()
                return PictureHistory(claims: claims, incidents: incidents, sources: sources, recordedAt: recordedAt, position: position)
            }
        }
    }

    public func sourceIDs(at position: Int64) throws(ProjectionError) -> [String] {
        try wrap {
            let select = try connection.statement(
                "SELECT source_id FROM rx_sources WHERE valid_from <= ?1 AND (valid_to IS NULL OR valid_to > ?1) ORDER BY source_id")
            select.bind(1, position)
            defer { select.reset() }
            var ids: [String] = []
            while try select.step() { ids.append(select.text(0) ?? "") }
            return ids
        }
    }

    public func events(after position: Int64, through: Int64, limit: Int) throws(ProjectionError) -> [RecordedEvent] {
        try wrap {
            let statement = try connection.statement(
                "SELECT \(SQLiteEventLog.columns) FROM events WHERE position > ? AND position <= ? ORDER BY position LIMIT ?")
            statement.bind(1, position)
            statement.bind(2, through)
            statement.bind(3, Int64(limit))
            defer { statement.reset() }
            var page: [RecordedEvent] = []
            while try statement.step() { page.append(try SQLiteEventLog.decodeRow(statement)) }
            return page
        }
    }

    /// The country and division a region key names in the index (nil for `unplaced`).
    private func regionPlace(_ region: String) throws -> (country: String?, admin1: String?) {
        let select = try connection.statement("SELECT country, admin1 FROM rx_regions WHERE region = ?")
        select.bind(1, region)
        defer { select.reset() }
        guard try select.step() else {
            throw ProjectionError.storage("the read index has no region \(region)")
        }
        guard !select.isNull(0) else { return (nil, nil) }
        return (select.text(0), select.isNull(1) ? nil : select.text(1))
    }

    /// Adds the incidents that list any of `claimIDs` at `position`, and every claim of theirs.
    private func addIncidents(
        of claimIDs: [String], at position: Int64, claims: inout [String: ThreatPicture.Claim],
        incidents: inout [String: ThreatPicture.Incident]
    ) throws {
        let members = try connection.statement(
            "SELECT incident_id FROM rx_incident_members WHERE claim_id = ?1 AND valid_from <= ?2 AND (valid_to IS NULL OR valid_to > ?2)")
        let version = try connection.statement(
            "SELECT doc FROM rx_incident_versions WHERE incident_id = ?1 AND valid_from <= ?2 AND (valid_to IS NULL OR valid_to > ?2)")
        var incidentIDs = Set<String>()
        for claimID in claimIDs {
            members.reset()
            members.bind(1, claimID)
            members.bind(2, position)
            while try members.step() { incidentIDs.insert(members.text(0) ?? "") }
        }
        members.reset()
        for incidentID in incidentIDs.sorted() {
            version.reset()
            version.bind(1, incidentID)
            version.bind(2, position)
            guard try version.step() else { continue }
            let incident = try Self.document(in: version, column: 0) { try ThreatPicture.incident(id: incidentID, documentBytes: $0) }
            version.reset()
            incidents[incidentID] = incident
            for claimID in incident.claimIDs where claims[claimID] == nil {
                if let claim = try claimVersion(claimID, at: position) { claims[claimID] = claim }
            }
        }
        version.reset()
    }

    private func claimVersion(_ id: String, at position: Int64) throws -> ThreatPicture.Claim? {
        let select = try connection.statement(
            "SELECT doc FROM rx_claim_versions WHERE claim_id = ?1 AND valid_from <= ?2 AND (valid_to IS NULL OR valid_to > ?2)")
        select.bind(1, id)
        select.bind(2, position)
        defer { select.reset() }
        guard try select.step() else { return nil }
        return try Self.document(in: select, column: 0) { try ThreatPicture.claim(id: id, documentBytes: $0) }
    }

    /// The sources of `claims` (and `including`, when given) registered by `position`.
    private func sources(
        of claims: some Sequence<ThreatPicture.Claim>, at position: Int64, including: String? = nil
    ) throws -> [ThreatPicture.Source] {
        let select = try connection.statement("SELECT doc FROM rx_sources WHERE source_id = ?1 AND valid_from <= ?2 AND (valid_to IS NULL OR valid_to > ?2)")
        var result: [ThreatPicture.Source] = []
        for id in Set(claims.map(\.sourceID)).union([including].compactMap { $0 }).sorted() {
            select.reset()
            select.bind(1, id)
            select.bind(2, position)
            if try select.step() { result.append(try Self.document(in: select, column: 0) { try ThreatPicture.source(id: id, documentBytes: $0) }) }
        }
        select.reset()
        return result
    }

    /// The claim versions `sql` selects (claim id, document), decoded.
    private func claimRows(_ sql: String, _ position: Int64, _ bindings: [String?] = []) throws -> [ThreatPicture.Claim] {
        try documents(sql, position, bindings, read: ThreatPicture.claim(id:documentBytes:))
    }

    /// The rows `sql` selects (id, document), each document read by `read` from its bytes.
    private func documents<T>(
        _ sql: String, _ position: Int64, _ bindings: [String?] = [], read: (String, UnsafeBufferPointer<UInt8>) throws -> T
    ) throws -> [T] {
        let select = try connection.statement(sql)
        select.bind(1, position)
        for (offset, value) in bindings.enumerated() { select.bind(Int32(offset + 2), value) }
        defer { select.reset() }
        var result: [T] = []
        while try select.step() {
            let id = select.text(0) ?? ""
            result.append(try Self.document(in: select, column: 1) { try read(id, $0) })
        }
        return result
    }

    // MARK: Verify

    public func verifyIndex(limit: Int, progress: @Sendable (Int64, Int64) -> Void) throws(ProjectionError) -> [String] {
        try wrap {
            guard let checkpoint = try readIndexCheckpoint() else { return ["the read index \(Self.indexDefinition.name) has never been built"] }
            let logHash = checkpoint.position == 0 ? nil : try hashAt(position: checkpoint.position)
            var problems = ClaimVersionIndexLayout.checkpointProblems(checkpoint, logHash: logHash)
            try dropIndexTables(.check)
            try createIndexTables(.check, secondaryIndexes: false)
            defer { try? dropIndexTables(.check) }
            // The stored rows and the log are read as of one snapshot.
            try connection.execute("BEGIN")
            defer { try? connection.execute("COMMIT") }
            var position: Int64 = 0
            while let last = try applyEvents(after: position, through: checkpoint.position, limit: 1_000, to: .check) {
                position = last.position
                progress(position, checkpoint.position)
            }
            for (table, columns, key) in ClaimVersionIndexLayout.tables where problems.count < limit {
                for (side, a, b) in [
                    ("stored but not derived from the log", IndexTables.live, IndexTables.check),
                    ("derived from the log but not stored", IndexTables.check, IndexTables.live),
                ] {
                    let select = try connection.statement(
                        "SELECT \(key) FROM (SELECT \(columns) FROM \(a.table(table)) EXCEPT SELECT \(columns) FROM \(b.table(table))) ORDER BY \(key) LIMIT \(limit)"
                    )
                    defer { select.reset() }
                    while try select.step(), problems.count < limit {
                        let keyCount = key.split(separator: ",").count
                        let values = (0..<Int32(keyCount)).map { select.text($0) ?? "null" }
                        problems.append("read index table rx_\(table): row (\(key)) = (\(values.joined(separator: ", "))) is \(side)")
                    }
                }
            }
            return problems
        }
    }
}
