import Foundation
import ThreatLedgerCore

/// Reads a corpus folder (`seeds/`) into a ``SeedCorpus``: `sources.jsonl`, `articles/`,
/// `claims/*.jsonl`, `incidents.jsonl`. File paths in errors start with the folder as given, so a
/// user can open the file named.
public enum SeedCorpusReader {
    public static func read(folder: String) throws(CorpusError) -> SeedCorpus {
        let root = URL(fileURLWithPath: folder)
        let files = FileManager.default
        func read(_ relative: String) throws(CorpusError) -> SeedCorpus.File {
            guard let data = files.contents(atPath: root.appendingPathComponent(relative).path) else {
                throw CorpusError(file: display(folder, relative), reason: "cannot read the file")
            }
            return SeedCorpus.File(path: display(folder, relative), bytes: Array(data))
        }
        var isDirectory: ObjCBool = false
        guard files.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CorpusError(file: folder, reason: "not a folder (expected sources.jsonl, articles/, claims/)")
        }
        let sources = try read("sources.jsonl")
        let claimNames = ((try? files.contentsOfDirectory(atPath: root.appendingPathComponent("claims").path)) ?? [])
            .filter { $0.hasSuffix(".jsonl") }.sorted()
        var claims: [SeedCorpus.File] = []
        for name in claimNames { claims.append(try read("claims/\(name)")) }
        let incidents =
            files.fileExists(atPath: root.appendingPathComponent("incidents.jsonl").path)
            ? try read("incidents.jsonl") : nil
        var articles: [String: [UInt8]] = [:]
        for name in (try? files.contentsOfDirectory(atPath: root.appendingPathComponent("articles").path)) ?? [] {
            if let data = files.contents(atPath: root.appendingPathComponent("articles/\(name)").path) {
                articles["articles/\(name)"] = Array(data)
            }
        }
        return SeedCorpus(sources: sources, claims: claims, incidents: incidents, articles: articles)
    }

    static func display(_ folder: String, _ relative: String) -> String {
        folder.hasSuffix("/") ? folder + relative : folder + "/" + relative
    }
}
