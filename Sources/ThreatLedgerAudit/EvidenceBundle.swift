import ThreatLedgerCore
import ThreatLedgerProjections
import ThreatLedgerStore

/// A self-contained, offline-checkable bundle of evidence for one summary figure: what an auditor
/// hands a third party to show why, say, SY's killed figure is 260, without handing over the log.
///
/// The bundle holds (all paths relative to its directory):
/// - `manifest.json`: the figure (region, measure, kind, clocks, log position) with each section's
///   total, parts and the rule that combined them, exactly as `trace` shows them; the list of events
///   and articles; where each claim is placed; the SHA-256 of every other file; what the bundle
///   cannot prove (`limits`).
/// - `manifest.sig`: the Ed25519 signature (hex) of `manifest.json`'s bytes, by the key that signed
///   the head.
/// - `head.json`: a version-2 signed head of the log (``SignedHead``), whose Merkle root every
///   inclusion proof ends at; `public-key.txt`: that key, hex.
/// - `events/POSITION.json`: each event the figure stands on, as written (its payload at the
///   version it was written with, its metadata, `previous_hash` and `hash`, so its hash can be
///   recomputed by `schemas/canonical-encoding.md`) with its RFC 9162 inclusion proof: every version
///   of every claim behind the figure (and every claim of each incident it counts, which decides
///   where the incident is placed), each incident's links, each source's registration.
/// - `articles/SHA256.txt`: each article's text, as its registration holds it.
/// - `README.txt`: how to check it (`scripts/verify-evidence.py DIR`).
///
/// Only a figure whose trace holds is bundled: every article re-hashes, every quote stands at its
/// position, every claim agrees with its own events, and the figure adds up to the summary's.
public struct EvidenceBundle: Sendable {
    public static let type = "threatledger-evidence/v1"

    /// One file of the bundle.
    public struct File: Sendable, Equatable {
        public let path: String
        public let bytes: [UInt8]
    }

    /// Every file, `manifest.json` first.
    public let files: [File]
    /// The figure's trace the bundle was made from.
    public let traced: AuditViews.TracedFigure
    public let head: SignedHead
    public let eventCount: Int
    public let articleCount: Int

    public var totalBytes: Int { files.reduce(0) { $0 + $1.bytes.count } }

    /// What an offline check of the bundle cannot establish, written into every manifest.
    public static let limits = [
        "The bundle proves that each event it holds is in the log whose head is signed, and that the figure follows from those events by the named rules; it cannot prove that the log holds no other event about the same region (another claim, a later correction or retraction before the figure's position): for that, check the log itself (threatledger verify, threatledger trace) or compare the figure with one the log's keeper published under the same signed head.",
        "Which ISO 3166-2 division a claim's admin1 names comes from ThreatLedger's gazetteer and is stated in the manifest (placements), not derived again; the country is checked against each claim's own coding.",
    ]

    /// Builds the bundle of `measure` in `region` (of `kind` when given) from `view` (read with
    /// ``AuditViews/Needs/picture`` for that region under `clocks`), proving its events in the
    /// log's tree at its head and signing that head with `privateKey` (32 raw Ed25519 bytes).
    public static func build(
        view: PictureView, region: String, measure: String, kind: CodedClaim.Kind?, clocks: AuditClocks, log: any EventLog,
        vault: ArticleVault, privateKey: [UInt8]
    ) async throws(AuditError) -> EvidenceBundle {
        let traced = try await AuditViews.traceFigure(
            view, region: region, measure: measure, kind: kind, vault: vault, page: AuditViews.TracePage(limit: AuditViews.TracePage.maximumLimit))
        guard traced.nextAfter == nil else {
            throw .cannotBundle(
                "\(measure) in \(traced.regionKey) stands on \(traced.trace.claimIDs.count) claims; a bundle holds at most \(AuditViews.TracePage.maximumLimit): narrow it with --kind or a clock"
            )
        }
        guard traced.holds else {
            let problem =
                traced.servedProblem ?? traced.claims.values.sorted { $0.claimID < $1.claimID }.compactMap { trace in
                    trace.holds ? nil : "claim \(trace.claimID): \(trace.wordProblems.first ?? "its article or a quote failed verification")"
                }.first ?? "a claim behind it does not hold"
            throw .cannotBundle("the trace of \(measure) in \(traced.regionKey) does not hold (\(problem)); no bundle of a figure that does not hold")
        }
        let picture = view.picture
        let position = picture.position

        // The claims whose events go in: those behind the figure and every claim of each incident it counts.
        var claimIDs = Set(traced.trace.claimIDs)
        var incidentIDs = Set<String>()
        for section in traced.trace.sections {
            for part in section.parts where part.id.hasPrefix("incident:") {
                let id = String(part.id.dropFirst("incident:".count))
                incidentIDs.insert(id)
                for claimID in picture.incidents[id]?.claimIDs ?? [] where picture.claims[claimID] != nil { claimIDs.insert(claimID) }
            }
        }
        var sourceIDs = Set<String>()
        for id in claimIDs {
            guard let claim = picture.claims[id] else { continue }
            sourceIDs.insert(claim.sourceID)
            for figure in claim.figures { if let other = figure.sourceID { sourceIDs.insert(other) } }
        }
        var events: [RecordedEvent] = []
        do {
            for (entity, ids) in [("source", sourceIDs), ("claim", claimIDs), ("incident", incidentIDs)] {
                for id in ids.sorted() {
                    events += try await log.readWholeStream(try StreamName.entity(entity, id)).filter { $0.position <= position }
                }
            }
        } catch {
            throw .log("reading the figure's events: \(error)")
        }
        events.sort { $0.position < $1.position }

        // Their proofs, in the tree at the log's head now, and that head signed.
        let signed: SignedHead
        let proofs: [Int64: LogMerkle.InclusionProof]
        do {
            guard let head = try await log.head() else { throw AuditError.cannotBundle("the log is empty") }
            proofs = try await LogMerkle.inclusions(of: Set(events.map(\.position)), in: log, size: head.position)
            var root: SHA256Hash
            if let proven = proofs.values.first?.root { root = proven } else { root = try await LogMerkle.root(of: log, size: head.position) }
            signed = try SignedHead.sign(position: head.position, hash: head.hash, recordedAt: head.recordedAt, treeRoot: root, privateKey: privateKey)
        } catch let error as AuditError {
            throw error
        } catch {
            throw .log("proving the figure's events: \(error)")
        }

        var files: [File] = []
        var eventEntries: [JSONValue] = []
        for event in events {
            let path = "events/\(String(event.position).leftPadded(to: 12)).json"
            guard let proof = proofs[event.position], proof.eventHash == event.hash else {
                throw .inconsistent("event \(event.position)'s hash is not the one its tree holds")
            }
            let written: JSONValue
            do { written = try event.writtenPayload() } catch { throw .log("event \(event.position): \(error)") }
            let envelope: JSONValue = [
                "event_id": .string(event.id.rawValue), "stream": .string(event.stream.rawValue),
                "stream_version": .number(Double(event.streamVersion)), "position": .number(Double(event.position)),
                "type": .string(event.type), "schema_version": .number(Double(event.schemaVersion)), "payload": written,
                "metadata": EnvelopeEncoding.metadataJSON(event.metadata, recordedAt: event.recordedAt),
            ]
            let document: JSONValue = [
                "envelope": envelope, "previous_hash": .string(event.previousHash.hex), "hash": .string(event.hash.hex),
                "inclusion": [
                    "type": "rfc9162-inclusion", "leaf_index": .number(Double(event.position - 1)), "tree_size": .number(Double(proof.treeSize)),
                    "path": .array(proof.path.map { .string($0.hex) }),
                ],
            ]
            files.append(File(path: path, bytes: Array((CanonicalJSON.string(document) + "\n").utf8)))
            eventEntries.append([
                "position": .number(Double(event.position)), "type": .string(event.type), "stream": .string(event.stream.rawValue), "file": .string(path),
            ])
        }
        var articleEntries: [JSONValue] = []
        do {
            for id in sourceIDs.sorted() {
                guard let article = try await vault.article(id) else { throw AuditError.cannotBundle("source \(id) is not in the log") }
                let path = "articles/\(article.statedSHA256).txt"
                if !files.contains(where: { $0.path == path }) { files.append(File(path: path, bytes: Array(article.text.utf8))) }
                articleEntries.append(["source_id": .string(id), "sha256": .string(article.statedSHA256), "file": .string(path)])
            }
        } catch let error as AuditError {
            throw error
        } catch {
            throw .log("reading the figure's articles: \(error)")
        }
        files.append(File(path: "head.json", bytes: Array((CanonicalJSON.string(signed.json) + "\n").utf8)))
        files.append(File(path: "public-key.txt", bytes: Array((Hex.encode(signed.publicKey) + "\n").utf8)))
        files.append(File(path: "README.txt", bytes: Array(readme(region: traced.regionKey, measure: measure).utf8)))

        var placements: JSONObject = [:]
        for id in claimIDs.sorted() {
            guard let claim = picture.claims[id] else { continue }
            let place = RegionPlace(country: claim.country, admin1: claim.admin1)
            placements[id] = ["country": .optional(claim.country), "admin1": .optional(place.admin1), "region": .string(place.key)]
        }
        var digests: JSONObject = [:]
        for file in files { digests[file.path] = .string(SHA256Hash.of(file.bytes).hex) }
        let manifest: JSONValue = [
            "type": .string(type), "region": .string(traced.regionKey), "measure": .string(measure), "kind": .optional(kind?.rawValue),
            "clocks": [
                "position": .number(Double(position)), "as_of": .optional(clocks.asOf?.iso8601), "reported_by": .optional(clocks.reportedBy?.iso8601),
                "occurred_by": .optional(clocks.occurredBy?.iso8601),
            ],
            "as_of": view.asOf, "sections": traced.json["sections"] ?? .array([]), "placements": .object(placements),
            "events": .array(eventEntries), "articles": .array(articleEntries), "head": "head.json",
            "public_key": .string(Hex.encode(signed.publicKey)), "files": .object(digests),
            "limits": .array(limits.map(JSONValue.string)),
        ]
        let manifestBytes = Array((CanonicalJSON.string(manifest) + "\n").utf8)
        let signature: [UInt8]
        do throws(SignedHeadError) { signature = try SignedHead.signature(of: manifestBytes, privateKey: privateKey) } catch {
            throw .cannotBundle(error.description)
        }
        files.insert(File(path: "manifest.sig", bytes: Array((Hex.encode(signature) + "\n").utf8)), at: 0)
        files.insert(File(path: "manifest.json", bytes: manifestBytes), at: 0)
        return EvidenceBundle(files: files, traced: traced, head: signed, eventCount: events.count, articleCount: articleEntries.count)
    }

    static func readme(region: String, measure: String) -> String {
        """
        ThreatLedger evidence bundle: \(measure) in \(region)

        Check it offline, with Python 3 and nothing else installed:

            python3 verify-evidence.py THIS_DIRECTORY [--public-key HEX]

        (scripts/verify-evidence.py in ThreatLedger's repository). It checks the signatures of the
        manifest and the head, every file's SHA-256, each event's hash and its inclusion proof
        against the signed head's Merkle root (RFC 9162), each article's SHA-256, every quote at its
        code points, each stated figure against its words, and that the figure follows from the
        claims by the rules the manifest names. Pass --public-key with the log keeper's published
        key: without it the check only shows the bundle is consistent under the key it carries.

        manifest.json   the figure, its rules, its parts, the files and their SHA-256
        manifest.sig    Ed25519 signature of manifest.json by the head's key
        head.json       the signed head (threatledger-head/v2) the proofs end at
        public-key.txt  the key, hex
        events/         each event as written, with previous_hash, hash and inclusion proof
        articles/       each article's text, named by its SHA-256

        """
    }
}

extension String {
    /// The string with zeros before it up to `width` characters (event file names sort by position).
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
