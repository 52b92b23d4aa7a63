import ArgumentParser
import Foundation
import ThreatLedgerAudit
import ThreatLedgerCore
import ThreatLedgerStore

struct EvidenceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evidence",
        abstract: "Write a self-contained evidence bundle for one summary figure, checkable offline by a third party.",
        discussion: """
            threatledger evidence --region SY --measure killed --sign-with head.key --out sy-killed/
            threatledger evidence --region IQ --measure arrested --as-of 2022-06-30 --sign-with head.key --out iq.tar
            The bundle holds the figure with the rule that computed it and its parts, every event it stands on (each \
            version of each claim, the incidents' links, the sources' registrations) as written, each with its RFC 9162 \
            inclusion proof, each article's text, and a version-2 head signed with --sign-with whose Merkle root the \
            proofs end at; manifest.json lists every file's SHA-256 and is signed with the same key. \
            scripts/verify-evidence.py DIR checks it with Python's standard library alone; changing any byte makes it \
            fail, naming what. Only a figure whose trace holds is bundled. --out names a new directory, or a file \
            ending in .tar; an existing one is never overwritten.
            """
    )

    @OptionGroup var log: LogOptions

    @OptionGroup var clocks: ClockOptions

    @Option(name: .long, help: ArgumentHelp("The figure's region: a country (SY) or a division (SY-HA).", valueName: "region"))
    var region: String

    @Option(name: .long, help: ArgumentHelp("The figure's measure (killed, prisoners_held, amount USD, …).", valueName: "measure"))
    var measure: String

    @Option(name: .long, help: ArgumentHelp("Only claims and incidents of this kind.", valueName: "kind"))
    var kind: CodedClaim.Kind?

    @Option(
        name: .customLong("sign-with"), help: ArgumentHelp("The private key (threatledger keygen) that signs the head and the manifest.", valueName: "file"))
    var signWith: String

    @Option(name: .long, help: ArgumentHelp("A new directory to write the bundle to, or a new file ending in .tar.", valueName: "path"))
    var out: String

    func run() async throws {
        try await reportingFailures {
            guard !FileManager.default.fileExists(atPath: out) else {
                throw CommandFailure("\(out) exists: a bundle is written to a new directory or .tar file, never over one")
            }
            let key = try SignedHeadFiles.privateKey(signWith)
            let clocks = try clocks.clocks()
            let view = try await Serving.view(.regionSummary, log: log, clocks: clocks, role: "threatledger evidence", scope: .region(region), needs: .picture)
            let store = try await log.open()
            let bundle: EvidenceBundle
            do throws(AuditError) {
                bundle = try await EvidenceBundle.build(
                    view: view, region: region, measure: measure, kind: kind, clocks: clocks, log: store, vault: ArticleVault(log: store), privateKey: key)
            } catch {
                throw CommandFailure(error.description)
            }
            try write(bundle)
            let total = bundle.traced.trace.sections.map { section in
                let t = section.total
                let shown = t.parts > 0 ? "low \(t.low), best \(t.best.map(String.init) ?? "—"), high \(t.high.map(String.init) ?? "open")" : "no number"
                return "\(section.section).\(section.key) \(shown) (\(section.rule))"
            }.joined(separator: "; ")
            Terminal.print(
                "\(measure) in \(bundle.traced.regionKey): \(total)\n"
                    + "wrote \(bundle.files.count) files, \(bundle.totalBytes) bytes, to \(out): \(bundle.eventCount) events with inclusion proofs, "
                    + "\(bundle.articleCount) articles, a head signed at position \(bundle.head.position) (key \(Hex.encode(bundle.head.publicKey)))\n"
                    + "check it with: python3 scripts/verify-evidence.py \(out)")
        }
    }

    /// Writes the bundle to a temporary sibling first and renames it into place, so `out` is never
    /// half written.
    func write(_ bundle: EvidenceBundle) throws {
        let manager = FileManager.default
        let url = URL(fileURLWithPath: out)
        let staging = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial-\(getpid())")
        try? manager.removeItem(at: staging)
        do {
            if out.hasSuffix(".tar") {
                let name = String(url.lastPathComponent.dropLast(4))
                let tar = try TarArchive.archive(
                    bundle.files.map { ($0.path, $0.bytes) }, directory: name, mtime: bundle.head.recordedAt.microsecondsSinceEpoch / 1_000_000)
                try Data(tar).write(to: staging)
            } else {
                for file in bundle.files {
                    let target = staging.appendingPathComponent(file.path)
                    try manager.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try Data(file.bytes).write(to: target)
                }
            }
            try manager.moveItem(at: staging, to: url)
        } catch {
            try? manager.removeItem(at: staging)
            throw CommandFailure("\(out): cannot write the bundle: \(error)")
        }
    }
}
