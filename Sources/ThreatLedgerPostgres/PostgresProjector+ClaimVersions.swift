import Foundation
import NIOCore
import PostgresNIO
import ThreatLedgerCore
import ThreatLedgerProjections
import ThreatLedgerStore

/// The read index (``ClaimVersionIndex``) in the log's PostgreSQL schema, with the rows
/// ``ClaimVersionFold`` decides, as ``SQLiteProjector`` keeps them: catch-up in one transaction
/// with the checkpoint row locked; a rebuild that writes shadow tables in short transactions under
/// the rebuild lock and swaps them in with the checkpoint in one transaction (PostgreSQL's DDL is
/// transactional); reads that lock the checkpoint row FOR SHARE, so a swap is seen whole or not
/// at all; verify re-derives the index in temporary tables of its own session and compares.
extension PostgresProjector: ClaimVersionIndex {
    static let indexDefinition = ProjectionDefinition(
        name: ClaimVersionIndexLayout.name, version: ClaimVersionIndexLayout.version, tablePrefix: "rx", keys: .places,
        render: { _ in [:] }, renderKey: { _, _ in nil })

    struct IndexTables: Sendable {
        let schema: String
        let prefix: String
        func table(_ name: String) -> String { "\(schema).\(prefix)_\(name)" }
    }

    nonisolated var liveIndex: IndexTables { IndexTables(schema: schema, prefix: "rx") }
    nonisolated var shadowIndex: IndexTables { IndexTables(schema: schema, prefix: "rx__next") }
    static let checkIndex = IndexTables(schema: "pg_temp", prefix: "rx__check")

    // MARK: Tables

    func createIndexTables(_ t: IndexTables, on connection: PostgresConnection) async throws {
        let token = String(UInt64(Date().timeIntervalSince1970 * 1_000_000), radix: 36)
        for sql in [
            "CREATE TABLE IF NOT EXISTS \(t.table("sources")) (source_id text NOT NULL, valid_from bigint NOT NULL, valid_to bigint, published_start text, published_end text, retracted boolean NOT NULL, doc text NOT NULL, PRIMARY KEY (source_id, valid_from))",
            "CREATE TABLE IF NOT EXISTS \(t.table("claim_versions")) (claim_id text NOT NULL, valid_from bigint NOT NULL, valid_to bigint, country text, admin1 text, source_id text NOT NULL, kind text NOT NULL, retracted boolean NOT NULL, event_start text, event_end text, doc text NOT NULL, PRIMARY KEY (claim_id, valid_from))",
            "CREATE INDEX IF NOT EXISTS \(t.prefix)_cv_region_\(token) ON \(t.table("claim_versions")) (country, admin1, valid_from)",
            "CREATE INDEX IF NOT EXISTS \(t.prefix)_cv_source_\(token) ON \(t.table("claim_versions")) (source_id, valid_from)",
            "CREATE INDEX IF NOT EXISTS \(t.prefix)_cv_kind_\(token) ON \(t.table("claim_versions")) (kind, claim_id)",
            "CREATE INDEX IF NOT EXISTS \(t.prefix)_cv_country_\(token) ON \(t.table("claim_versions")) (country, claim_id)",
            "CREATE TABLE IF NOT EXISTS \(t.table("incident_versions")) (incident_id text NOT NULL, valid_from bigint NOT NULL, valid_to bigint, doc text NOT NULL, PRIMARY KEY (incident_id, valid_from))",
            "CREATE TABLE IF NOT EXISTS \(t.table("incident_members")) (claim_id text NOT NULL, incident_id text NOT NULL, valid_from bigint NOT NULL, valid_to bigint, PRIMARY KEY (claim_id, incident_id, valid_from))",
            "CREATE INDEX IF NOT EXISTS \(t.prefix)_im_incident_\(token) ON \(t.table("incident_members")) (incident_id, valid_to)",
            "CREATE TABLE IF NOT EXISTS \(t.table("regions")) (region text PRIMARY KEY, country text, admin1 text)",
        ] {
            try await connection.run(PostgresQuery(unsafeSQL: sql))
        }
    }

    func dropIndexTables(_ t: IndexTables, on connection: PostgresConnection) async throws {
        for name in ClaimVersionIndexLayout.tables.map(\.name) { try await connection.run(PostgresQuery(unsafeSQL: "DROP TABLE IF EXISTS \(t.table(name))")) }
    }

    // MARK: Applying events

    func applyToIndex(_ event: RecordedEvent, _ t: IndexTables, on connection: PostgresConnection) async throws {
        // The document of the current version (valid to no position yet) of `id` in `table`, or nil.
        func currentDocument(_ table: String, key: String, _ id: String?) async throws -> JSONValue? {
            guard let id else { return nil }
            var binds = PostgresBindings()
            binds.append(id)
            var found: JSONValue?
            for try await doc in try await connection.run(
                PostgresQuery(unsafeSQL: "SELECT doc FROM \(t.table(table)) WHERE \(key) = $1 AND valid_to IS NULL", binds: binds)
            ).decode(String.self) {
                found = try JSONParser().parse(doc)
            }
            return found
        }
        let claimID = try ClaimVersionFold.claimEdited(by: event)
        let current = try await currentDocument("claim_versions", key: "claim_id", claimID).map { try ThreatPicture.claim(id: claimID!, document: $0) }
        let incidentID = try ClaimVersionFold.incidentEdited(by: event)
        let currentIncident = try await currentDocument("incident_versions", key: "incident_id", incidentID).map {
            try ThreatPicture.incident(id: incidentID!, document: $0)
        }
        let sourceID = try ClaimVersionFold.sourceEdited(by: event)
        let currentSource = try await currentDocument("sources", key: "source_id", sourceID).map { try ThreatPicture.source(id: sourceID!, document: $0) }
        for change in try ClaimVersionFold.changes(for: event, current: current, currentIncident: currentIncident, currentSource: currentSource) {
            switch change {
            case .addSource(let source, let position):
                try await connection.run(
                    """
                    INSERT INTO \(unescaped: t.table("sources")) (source_id, valid_from, valid_to, published_start, published_end, retracted, doc)
                    VALUES (\(source.id), \(position), NULL, \(source.published.start?.iso8601), \(source.published.end?.iso8601), \(source.retracted),
                        \(ThreatPicture.canonicalDocument(of: source)))
                    ON CONFLICT (source_id, valid_from) DO UPDATE SET valid_to = NULL, published_start = EXCLUDED.published_start,
                        published_end = EXCLUDED.published_end, retracted = EXCLUDED.retracted, doc = EXCLUDED.doc
                    """)
            case .closeSource(let id, let position):
                try await connection.run(
                    "UPDATE \(unescaped: t.table("sources")) SET valid_to = \(position) WHERE source_id = \(id) AND valid_to IS NULL")
            case .closeClaim(let id, let position):
                try await connection.run(
                    "UPDATE \(unescaped: t.table("claim_versions")) SET valid_to = \(position) WHERE claim_id = \(id) AND valid_to IS NULL")
            case .addClaim(let claim, let position):
                let columns = ClaimVersionFold.ClaimColumns(claim)
                try await connection.run(
                    """
                    INSERT INTO \(unescaped: t.table("claim_versions")) (claim_id, valid_from, valid_to, country, admin1, source_id, kind, retracted,
                        event_start, event_end, doc)
                    VALUES (\(claim.id), \(position), NULL, \(columns.country), \(columns.admin1), \(claim.sourceID), \(columns.kind), \(claim.retracted),
                        \(columns.eventStart), \(columns.eventEnd), \(ThreatPicture.canonicalDocument(of: claim)))
                    """)
                for region in columns.regions {
                    try await connection.run(
                        "INSERT INTO \(unescaped: t.table("regions")) (region, country, admin1) VALUES (\(region.key), \(region.country), \(region.admin1)) ON CONFLICT DO NOTHING"
                    )
                }
            case .closeIncident(let id, let position):
                try await connection.run(
                    "UPDATE \(unescaped: t.table("incident_versions")) SET valid_to = \(position) WHERE incident_id = \(id) AND valid_to IS NULL")
                try await connection.run(
                    "UPDATE \(unescaped: t.table("incident_members")) SET valid_to = \(position) WHERE incident_id = \(id) AND valid_to IS NULL")
            case .addIncident(let incident, let position):
                try await connection.run(
                    """
                    INSERT INTO \(unescaped: t.table("incident_versions")) (incident_id, valid_from, valid_to, doc)
                    VALUES (\(incident.id), \(position), NULL, \(ThreatPicture.canonicalDocument(of: incident)))
                    """)
                for claimID in Set(incident.claimIDs).sorted() {
                    try await connection.run(
                        """
                        INSERT INTO \(unescaped: t.table("incident_members")) (claim_id, incident_id, valid_from, valid_to)
                        VALUES (\(claimID), \(incident.id), \(position), NULL) ON CONFLICT DO NOTHING
                        """)
                }
            }
        }
    }

    /// Applies the events after `position` (at most `limit`, none after `through`); returns the last.
    func applyEvents(after position: Int64, through: Int64? = nil, limit: Int, to t: IndexTables, on connection: PostgresConnection) async throws
        -> RecordedEvent?
    {
        let end = through ?? Int64.max
        let page = try await PostgresEventLog.decode(
            try await connection.run(
                "SELECT \(unescaped: PostgresEventLog.columns) FROM \(unescaped: schema).events WHERE position > \(position) AND position <= \(end) ORDER BY position LIMIT \(Int64(limit))"
            ))
        for event in page { try await applyToIndex(event, t, on: connection) }
        return page.last
    }

    // MARK: Serving

    func indexCheckpoint(on connection: PostgresConnection?) async throws -> IndexCheckpoint? {
        try await checkpoint(Self.indexDefinition, on: connection).map { IndexCheckpoint(version: $0.version, position: $0.position, hash: $0.hash) }
    }

    func eventHash(at position: Int64, on connection: PostgresConnection?) async throws -> SHA256Hash? {
        let query = "SELECT hash FROM \(unescaped: schema).events WHERE position = \(position)" as PostgresQuery
        let rows: PostgresRowSequence
        if let connection { rows = try await connection.run(query) } else { rows = try await client.query(query, logger: logger) }
        for try await hash in rows.decode(ByteBuffer.self) { return SHA256Hash(bytes: Array(buffer: hash)) }
        return nil
    }

    public func indexCheckpoint() async throws(ProjectionError) -> IndexCheckpoint? {
        try await wrap { try await self.indexCheckpoint(on: nil) }
    }

    public func catchUpIndex(from seen: IndexCheckpoint) async throws(ProjectionError) -> IndexCheckpoint {
        try await wrap {
            let head = try await self.log.head()
            if head?.position ?? 0 == seen.position, head?.hash == seen.hash { return seen }
            return try await self.client.withTransaction(logger: self.logger) { connection in
                try await self.lockCheckpoint(Self.indexDefinition, "FOR UPDATE", on: connection)
                guard let checkpoint = try await self.indexCheckpoint(on: connection) else {
                    throw ProjectionError.storage("\(Self.indexDefinition.name) has never been built; rebuild it first")
                }
                if checkpoint.position > 0, try await self.eventHash(at: checkpoint.position, on: connection) != checkpoint.hash {
                    throw ProjectionError.checkpointMismatch(projection: Self.indexDefinition.name, position: checkpoint.position)
                }
                var position = checkpoint.position
                var hash = checkpoint.hash
                while let last = try await self.applyEvents(after: position, limit: 1_000, to: self.liveIndex, on: connection) {
                    position = last.position
                    hash = last.hash
                }
                if position != checkpoint.position {
                    try await self.writeCheckpoint(Self.indexDefinition, position: position, hash: hash, on: connection)
                }
                return IndexCheckpoint(version: ClaimVersionIndexLayout.version, position: position, hash: hash)
            }
        }
    }

    public func rebuildIndex(progress: @Sendable (Int64, Int64) -> Void) async throws(ProjectionError) -> RebuildRecord {
        let definition = Self.indexDefinition
        return try await withRebuildLock(definition, takeOver: nil) { renew in
            let started = self.clock.now()
            let shadow = self.shadowIndex
            try await self.client.withTransaction(logger: self.logger) { connection in
                try await self.dropIndexTables(shadow, on: connection)
                try await self.createIndexTables(shadow, on: connection)
            }
            let total = try await self.log.head()?.position ?? 0
            var position: Int64 = 0
            var hash: SHA256Hash?
            while true {
                let from = position
                let last = try await self.client.withTransaction(logger: self.logger) { connection in
                    try await self.applyEvents(after: from, limit: 5_000, to: shadow, on: connection)
                }
                guard let last else { break }
                position = last.position
                hash = last.hash
                progress(position, max(total, position))
                try await renew()
            }
            let finished = self.clock.now()
            let (tailPosition, tailHash) = (position, hash)
            return try await self.client.withTransaction(logger: self.logger) { connection in
                try await connection.run(
                    "INSERT INTO \(unescaped: self.schema).projection_checkpoints VALUES (\(definition.name), 0, 0, NULL, 0) ON CONFLICT DO NOTHING")
                try await self.lockCheckpoint(definition, "FOR UPDATE", on: connection)
                try await self.checkStillHolding(definition, on: connection)
                var position = tailPosition
                var hash = tailHash
                while let last = try await self.applyEvents(after: position, limit: 1_000, to: shadow, on: connection) {
                    position = last.position
                    hash = last.hash
                }
                try await self.dropIndexTables(self.liveIndex, on: connection)
                for name in ClaimVersionIndexLayout.tables.map(\.name) {
                    try await connection.run(PostgresQuery(unsafeSQL: "ALTER TABLE \(shadow.table(name)) RENAME TO rx_\(name)"))
                }
                try await self.writeCheckpoint(definition, position: position, hash: hash, on: connection)
                let digest = try await self.indexDigest(self.liveIndex, on: connection)
                return try await self.recordRebuild(
                    definition, started: started, finished: finished, folded: position, headPosition: position, headHash: hash,
                    digest: digest, on: connection)
            }
        }
    }

    /// SHA-256 over every row of the index tables, in key order, each column as text.
    func indexDigest(_ t: IndexTables, on connection: PostgresConnection) async throws -> SHA256Hash {
        var hasher = SHA256Hasher()
        for (table, columns, key) in ClaimVersionIndexLayout.tables {
            hasher.update(text: "\(table)\n")
            let text = columns.split(separator: ",").map { "COALESCE(\($0.trimmingCharacters(in: .whitespaces))::text, E'\\\\x01')" }
                .joined(separator: " || E'\\t' || ")
            for try await line in try await connection.run(PostgresQuery(unsafeSQL: "SELECT \(text) FROM \(t.table(table)) ORDER BY \(key)")).decode(
                String.self)
            {
                hasher.update(text: line + "\n")
            }
        }
        return hasher.finalize()
    }

    public func position(recordedAtOrBefore time: RecordTime) async throws(ProjectionError) -> Int64 {
        try await wrap {
            var low: Int64 = 0
            var high = try await self.log.head()?.position ?? 0
            while low < high {
                let middle = low + (high - low + 1) / 2
                var recorded: Int64 = .max
                for try await value in try await self.client.query(
                    "SELECT recorded_at FROM \(unescaped: self.schema).events WHERE position = \(middle)", logger: self.logger
                ).decode(Int64.self) {
                    recorded = value
                }
                if recorded <= time.microsecondsSinceEpoch { low = middle } else { high = middle - 1 }
            }
            return low
        }
    }

    public func hash(at position: Int64) async throws(ProjectionError) -> SHA256Hash? {
        try await wrap { try await self.eventHash(at: position, on: nil) }
    }

    public func regionKeys(country: String?) async throws(ProjectionError) -> [String] {
        try await wrap {
            var keys: [String] = []
            let table = self.liveIndex.table("regions")
            let query: PostgresQuery =
                switch country {
                case nil: "SELECT region FROM \(unescaped: table)"
                case "unplaced": "SELECT region FROM \(unescaped: table) WHERE country IS NULL"
                case let country?: "SELECT region FROM \(unescaped: table) WHERE country = \(country)"
                }
            for try await key in try await self.client.query(query, logger: self.logger).decode(String.self) {
                keys.append(key)
            }
            return keys.sorted()
        }
    }

    // MARK: Pictures

    public func picture(region: String?, at position: Int64) async throws(ProjectionError) -> ThreatPicture {
        try await wrap {
            try await self.client.withTransaction(logger: self.logger) { connection in
                try await self.lockCheckpoint(Self.indexDefinition, "FOR SHARE", on: connection)
                let t = self.liveIndex
                var claims: [String: ThreatPicture.Claim] = [:]
                var incidents: [String: ThreatPicture.Incident] = [:]
                guard let region else {
                    for try await (id, doc) in try await connection.run(
                        "SELECT claim_id, doc FROM \(unescaped: t.table("claim_versions")) WHERE valid_from <= \(position) AND (valid_to IS NULL OR valid_to > \(position))"
                    ).decode((String, String).self) {
                        claims[id] = try ThreatPicture.claim(id: id, documentText: doc)
                    }
                    for try await (id, doc) in try await connection.run(
                        "SELECT incident_id, doc FROM \(unescaped: t.table("incident_versions")) WHERE valid_from <= \(position) AND (valid_to IS NULL OR valid_to > \(position))"
                    ).decode((String, String).self) {
                        incidents[id] = try ThreatPicture.incident(id: id, document: try JSONParser().parse(doc))
                    }
                    var sources: [ThreatPicture.Source] = []
                    for try await (id, doc) in try await connection.run(
                        "SELECT source_id, doc FROM \(unescaped: t.table("sources")) WHERE valid_from <= \(position) AND (valid_to IS NULL OR valid_to > \(position))"
                    ).decode((String, String).self) {
                        sources.append(try ThreatPicture.source(id: id, document: try JSONParser().parse(doc)))
                    }
                    return ThreatPicture(sources: sources, claims: Array(claims.values), incidents: Array(incidents.values), position: position)
                }
                let place = try await self.regionPlace(region, on: connection)
                let rows: PostgresRowSequence
                if let country = place.country, let admin1 = place.admin1 {
                    rows = try await connection.run(
                        "SELECT claim_id, doc FROM \(unescaped: t.table("claim_versions")) WHERE country = \(country) AND admin1 = \(admin1) AND valid_from <= \(position) AND (valid_to IS NULL OR valid_to > \(position))"
                    )
                } else if let country = place.country {
                    rows = try await connection.run(
                        "SELECT claim_id, doc FROM \(unescaped: t.table("claim_versions")) WHERE country = \(country) AND valid_from <= \(position) AND (valid_to IS NULL OR valid_to > \(position))"
                    )
                } else {
                    rows = try await connection.run(
                        "SELECT claim_id, doc FROM \(unescaped: t.table("claim_versions")) WHERE country IS NULL AND valid_from <= \(position) AND (valid_to IS NULL OR valid_to > \(position))"
                    )
                }
                for try await (id, doc) in rows.decode((String, String).self) {
                    claims[id] = try ThreatPicture.claim(id: id, documentText: doc)
                }
                try await self.addIncidents(of: Array(claims.keys), at: position, claims: &claims, incidents: &incidents, on: connection)
                let sources = try await self.sources(of: Array(claims.values), at: position, on: connection)
                return ThreatPicture(sources: sources, claims: Array(claims.values), incidents: Array(incidents.values), position: position)
            }
        }
    }

    public func picture(of selection: IndexSelection, at position: Int64) async throws(ProjectionError) -> ThreatPicture {
        try await wrap {
            try await self.client.withTransaction(logger: self.logger) { connection in
                try await self.lockCheckpoint(Self.indexDefinition, "FOR SHARE", on: connection)
                let versions = self.liveIndex.table("claim_versions")
                let valid = "valid_from <= \(position) AND (valid_to IS NULL OR valid_to > \(position))"
                var claims: [String: ThreatPicture.Claim] = [:]
                var incidents: [String: ThreatPicture.Incident] = [:]
                var own: String?
                var rows: PostgresRowSequence?
                switch selection {
                case .claim(let id):
                    if let claim = try await self.claimVersion(id, at: position, on: connection) { claims[id] = claim }
                case .place(let place):
                    if let country = place.country, let admin1 = place.admin1 {
                        rows = try await connection.run(
                            "SELECT claim_id, doc FROM \(unescaped: versions) WHERE country = \(country) AND admin1 = \(admin1) AND \(unescaped: valid)")
                    } else if let country = place.country {
                        rows = try await connection.run(
                            "SELECT claim_id, doc FROM \(unescaped: versions) WHERE country = \(country) AND admin1 IS NULL AND \(unescaped: valid)")
                    } else {
                        rows = try await connection.run("SELECT claim_id, doc FROM \(unescaped: versions) WHERE country IS NULL AND \(unescaped: valid)")
                    }
                case .source(let id):
                    own = id
                    rows = try await connection.run("SELECT claim_id, doc FROM \(unescaped: versions) WHERE source_id = \(id) AND \(unescaped: valid)")
                case .incident(let id):
                    rows = try await connection.run(
                        """
                        SELECT v.claim_id, v.doc FROM \(unescaped: self.liveIndex.table("incident_members")) m
                        JOIN \(unescaped: versions) v ON v.claim_id = m.claim_id AND v.valid_from <= \(position) AND (v.valid_to IS NULL OR v.valid_to > \(position))
                        WHERE m.incident_id = \(id) AND m.valid_from <= \(position) AND (m.valid_to IS NULL OR m.valid_to > \(position))
                        """)
                }
                if let rows {
                    for try await (id, doc) in rows.decode((String, String).self) {
                        claims[id] = try ThreatPicture.claim(id: id, documentText: doc)
                    }
                }
                try await self.addIncidents(of: Array(claims.keys), at: position, claims: &claims, incidents: &incidents, on: connection)
                let sources = try await self.sources(of: Array(claims.values), at: position, including: own, on: connection)
                return ThreatPicture(sources: sources, claims: Array(claims.values), incidents: Array(incidents.values), position: position)
            }
        }
    }

    public func claimPage(_ query: ClaimPageQuery, at position: Int64) async throws(ProjectionError) -> ClaimPage {
        try await wrap {
            try await self.client.withTransaction(logger: self.logger) { connection in
                let t = self.liveIndex
                let limit = max(1, query.limit)
                var binds = PostgresBindings()
                binds.append(position)
                func bind(_ value: String) -> String {
                    binds.append(value)
                    return "$\(binds.count)"
                }
                let conditions = ClaimPageSQL.conditions(query, sourcesTable: t.table("sources"), position: "$1", retractedTrue: "retracted", bind: bind)
                let sql = """
                    SELECT cv.claim_id, cv.doc FROM \(t.table("claim_versions")) cv WHERE cv.valid_from <= $1 AND (cv.valid_to IS NULL OR cv.valid_to > $1)
                    AND NOT cv.retracted \(conditions.map { "AND " + $0 }.joined(separator: " ")) ORDER BY cv.claim_id LIMIT \(limit + 1)
                    """
                var rows: [ThreatPicture.Claim] = []
                for try await (id, doc) in try await connection.run(PostgresQuery(unsafeSQL: sql, binds: binds)).decode((String, String).self) {
                    rows.append(try ThreatPicture.claim(id: id, documentText: doc))
                }
                let page = Array(rows.prefix(limit))
                var incidentIDs: [String: [String]] = [:]
                for try await (claimID, incidentID) in try await connection.run(
                    """
                    SELECT claim_id, incident_id FROM \(unescaped: t.table("incident_members"))
                    WHERE claim_id = ANY(\(page.map(\.id))) AND valid_from <= \(position) AND (valid_to IS NULL OR valid_to > \(position))
                    ORDER BY claim_id, incident_id
                    """
                ).decode((String, String).self) {
                    incidentIDs[claimID, default: []].append(incidentID)
                }
                let sources = Dictionary(uniqueKeysWithValues: try await self.sources(of: page, at: position, on: connection).map { ($0.id, $0) })
                return ClaimPage.trimmed(rows, limit: limit, incidentIDs: incidentIDs, sources: sources, position: position)
            }
        }
    }

    public func history(region: String, through position: Int64) async throws(ProjectionError) -> PictureHistory {
        try await wrap {
            try await self.client.withTransaction(logger: self.logger) { connection in
                try await self.lockCheckpoint(Self.indexDefinition, "FOR SHARE", on: connection)
                let t = self.liveIndex
                let place = try await self.regionPlace(region, on: connection)
                let rows: PostgresRowSequence
                if let country = place.country, let admin1 = place.admin1 {
                    rows = try await connection.run(
                        "SELECT DISTINCT claim_id FROM \(unescaped: t.table("claim_versions")) WHERE country = \(country) AND admin1 = \(admin1) AND valid_from <= \(position)"
                    )
                } else if let country = place.country {
                    rows = try await connection.run(
                        "SELECT DISTINCT claim_id FROM \(unescaped: t.table("claim_versions")) WHERE country = \(country) AND valid_from <= \(position)"
                    )
                } else {
                    rows = try await connection.run(
                        "SELECT DISTINCT claim_id FROM \(unescaped: t.table("claim_versions")) WHERE country IS NULL AND valid_from <= \(position)"
                    )
                }
                var regionClaims: [String] = []
                for try await id in rows.decode(String.self) { regionClaims.append(id) }
                func open(_ end: Int64?) -> Int64? { end.flatMap { $0 > position ? nil : $0 } }
                var claims: [PictureHistory.Version<ThreatPicture.Claim>] = []
                var loaded = Set<String>()
                func load(_ ids: [String]) async throws {
                    let missing = ids.filter { loaded.insert($0).inserted }
                    guard !missing.isEmpty else { return }
                    for try await (id, from, to, doc) in try await connection.run(
                        """
                        SELECT claim_id, valid_from, valid_to, doc FROM \(unescaped: t.table("claim_versions"))
                        WHERE claim_id = ANY(\(missing)) AND valid_from <= \(position) ORDER BY claim_id, valid_from
                        """
                    ).decode((String, Int64, Int64?, String).self) {
                        claims.append(.init(value: try ThreatPicture.claim(id: id, documentText: doc), validFrom: from, validTo: open(to)))
                    }
                }
                try await load(regionClaims)
                var incidentIDs: [String] = []
                if !regionClaims.isEmpty {
                    for try await id in try await connection.run(
                        """
                        SELECT DISTINCT incident_id FROM \(unescaped: t.table("incident_members"))
                        WHERE claim_id = ANY(\(regionClaims)) AND valid_from <= \(position) ORDER BY incident_id
                        """
                    ).decode(String.self) {
                        incidentIDs.append(id)
                    }
                }
                // Every version up to `position` of each of `ids` in `table`, decoded.
                func versions<Value>(
                    _ table: String, key: String, ids: [String], _ decode: (String, JSONValue) throws -> Value
                ) async throws -> [PictureHistory.Version<Value>] {
                    guard !ids.isEmpty else { return [] }
                    var binds = PostgresBindings()
                    binds.append(ids)
                    binds.append(position)
                    var result: [PictureHistory.Version<Value>] = []
                    let sql =
                        "SELECT \(key), valid_from, valid_to, doc FROM \(t.table(table)) WHERE \(key) = ANY($1) AND valid_from <= $2 ORDER BY \(key), valid_from"
                    for try await (id, from, to, doc) in try await connection.run(PostgresQuery(unsafeSQL: sql, binds: binds)).decode(
                        (String, Int64, Int64?, String).self)
                    {
                        result.append(.init(value: try decode(id, try JSONParser().parse(doc)), validFrom: from, validTo: open(to)))
                    }
                    return result
                }
                let incidents = try await versions("incident_versions", key: "incident_id", ids: incidentIDs) {
                    try ThreatPicture.incident(id: $0, document: $1)
                }
                try await load(Set(incidents.flatMap(\.value.claimIDs)).sorted())
                let sources = try await versions("sources", key: "source_id", ids: Set(claims.map(\.value.sourceID)).sorted()) {
                    try ThreatPicture.source(id: $0, document: $1)
                }
                let positions = Array(
                    Set(claims.flatMap { [$0.validFrom, $0.validTo].compactMap { $0 } })
                        .union(incidents.flatMap { [$0.validFrom, $0.validTo].compactMap { $0 } })
                        .union(sources.flatMap { [$0.validFrom, $0.validTo].compactMap { $0 } }))
                var recordedAt: [Int64: RecordTime] = [:]
                if !positions.isEmpty {
                    for try await (p, time) in try await connection.run(
                        "SELECT position, recorded_at FROM \(unescaped: self.schema).events WHERE position = ANY(\(positions))"
                    ).decode((Int64, Int64).self) {
                        recordedAt[p] = RecordTime(microsecondsSinceEpoch: time)
                    }
                }
                return PictureHistory(claims: claims, incidents: incidents, sources: sources, recordedAt: recordedAt, position: position)
            }
        }
    }

    public func sourceIDs(at position: Int64) async throws(ProjectionError) -> [String] {
        try await wrap {
            var ids: [String] = []
            for try await id in try await self.client.query(
                "SELECT source_id FROM \(unescaped: self.liveIndex.table("sources")) WHERE valid_from <= \(position) AND (valid_to IS NULL OR valid_to > \(position))",
                logger: self.logger
            ).decode(String.self) {
                ids.append(id)
            }
            return ids.sorted()
        }
    }

    public func events(after position: Int64, through: Int64, limit: Int) async throws(ProjectionError) -> [RecordedEvent] {
        try await wrap {
            try await PostgresEventLog.decode(
                try await self.client.query(
                    "SELECT \(unescaped: PostgresEventLog.columns) FROM \(unescaped: self.schema).events WHERE position > \(position) AND position <= \(through) ORDER BY position LIMIT \(Int64(limit))",
                    logger: self.logger))
        }
    }

    /// The country and division a region key names in the index (nil for `unplaced`).
    private func regionPlace(_ region: String, on connection: PostgresConnection) async throws -> (country: String?, admin1: String?) {
        for try await (country, admin1) in try await connection.run(
            "SELECT country, admin1 FROM \(unescaped: liveIndex.table("regions")) WHERE region = \(region)"
        ).decode((String?, String?).self) {
            return (country, admin1)
        }
        throw ProjectionError.storage("the read index has no region \(region)")
    }

    private func addIncidents(
        of claimIDs: [String], at position: Int64, claims: inout [String: ThreatPicture.Claim],
        incidents: inout [String: ThreatPicture.Incident], on connection: PostgresConnection
    ) async throws {
        guard !claimIDs.isEmpty else { return }
        let t = liveIndex
        var incidentIDs: [String] = []
        for try await id in try await connection.run(
            """
            SELECT DISTINCT incident_id FROM \(unescaped: t.table("incident_members"))
            WHERE claim_id = ANY(\(claimIDs)) AND valid_from <= \(position) AND (valid_to IS NULL OR valid_to > \(position))
            ORDER BY incident_id
            """
        ).decode(String.self) {
            incidentIDs.append(id)
        }
        guard !incidentIDs.isEmpty else { return }
        for try await (id, doc) in try await connection.run(
            """
            SELECT incident_id, doc FROM \(unescaped: t.table("incident_versions"))
            WHERE incident_id = ANY(\(incidentIDs)) AND valid_from <= \(position) AND (valid_to IS NULL OR valid_to > \(position))
            """
        ).decode((String, String).self) {
            incidents[id] = try ThreatPicture.incident(id: id, document: try JSONParser().parse(doc))
        }
        let missing = Array(Set(incidents.values.flatMap(\.claimIDs)).subtracting(claims.keys)).sorted()
        guard !missing.isEmpty else { return }
        for try await (id, doc) in try await connection.run(
            """
            SELECT claim_id, doc FROM \(unescaped: t.table("claim_versions"))
            WHERE claim_id = ANY(\(missing)) AND valid_from <= \(position) AND (valid_to IS NULL OR valid_to > \(position))
            """
        ).decode((String, String).self) {
            claims[id] = try ThreatPicture.claim(id: id, documentText: doc)
        }
    }

    private func claimVersion(_ id: String, at position: Int64, on connection: PostgresConnection) async throws -> ThreatPicture.Claim? {
        for try await doc in try await connection.run(
            "SELECT doc FROM \(unescaped: liveIndex.table("claim_versions")) WHERE claim_id = \(id) AND valid_from <= \(position) AND (valid_to IS NULL OR valid_to > \(position))"
        ).decode(String.self) {
            return try ThreatPicture.claim(id: id, documentText: doc)
        }
        return nil
    }

    /// The sources of `claims` (and `including`, when given) registered by `position`.
    private func sources(
        of claims: [ThreatPicture.Claim], at position: Int64, including: String? = nil, on connection: PostgresConnection
    ) async throws -> [ThreatPicture.Source] {
        let ids = Array(Set(claims.map(\.sourceID)).union([including].compactMap { $0 })).sorted()
        guard !ids.isEmpty else { return [] }
        var result: [ThreatPicture.Source] = []
        for try await (id, doc) in try await connection.run(
            "SELECT source_id, doc FROM \(unescaped: liveIndex.table("sources")) WHERE source_id = ANY(\(ids)) AND valid_from <= \(position) AND (valid_to IS NULL OR valid_to > \(position)) ORDER BY source_id"
        ).decode((String, String).self) {
            result.append(try ThreatPicture.source(id: id, document: try JSONParser().parse(doc)))
        }
        return result
    }

    // MARK: Verify

    public func verifyIndex(limit: Int, progress: @Sendable (Int64, Int64) -> Void) async throws(ProjectionError) -> [String] {
        try await wrap {
            guard let checkpoint = try await self.indexCheckpoint(on: nil) else {
                return ["the read index \(Self.indexDefinition.name) has never been built"]
            }
            let logHash = checkpoint.position == 0 ? nil : try await self.eventHash(at: checkpoint.position, on: nil)
            let problems = ClaimVersionIndexLayout.checkpointProblems(checkpoint, logHash: logHash)
            // Temporary tables belong to one session: the whole check runs on one connection.
            let found = try await self.client.withConnection { connection in
                let check = Self.checkIndex
                try await self.dropIndexTables(check, on: connection)
                try await self.createIndexTables(check, on: connection)
                var position: Int64 = 0
                while let last = try await self.applyEvents(after: position, through: checkpoint.position, limit: 1_000, to: check, on: connection) {
                    position = last.position
                    progress(position, checkpoint.position)
                }
                var found: [String] = []
                for (table, columns, key) in ClaimVersionIndexLayout.tables where found.count < limit {
                    for (side, a, b) in [
                        ("stored but not derived from the log", self.liveIndex, check),
                        ("derived from the log but not stored", check, self.liveIndex),
                    ] {
                        let keyText = key.split(separator: ",").map { "COALESCE(\($0.trimmingCharacters(in: .whitespaces))::text, 'null')" }
                            .joined(separator: " || ', ' || ")
                        for try await values in try await connection.run(
                            PostgresQuery(
                                unsafeSQL:
                                    "SELECT \(keyText) FROM (SELECT \(columns) FROM \(a.table(table)) EXCEPT SELECT \(columns) FROM \(b.table(table))) AS d ORDER BY \(key) LIMIT \(limit)"
                            )
                        ).decode(String.self) where found.count < limit {
                            found.append("read index table rx_\(table): row (\(key)) = (\(values)) is \(side)")
                        }
                    }
                }
                try await self.dropIndexTables(check, on: connection)
                return found
            }
            return problems + found
        }
    }
}
