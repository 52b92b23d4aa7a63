import Foundation
import Testing
import ThreatLedgerCore
import ThreatLedgerTesting

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Evidence bundles through the real binary: a bundle for one figure is checked offline by a
/// standard-library Python script that shares nothing with the Swift code; any changed byte fails
/// it, naming the file; and a keeper who re-signs a changed figure with the log's own key is still
/// caught by the rules.
@Suite struct EvidenceCommandTests {
    func run(_ arguments: [String]) throws -> CommandResult { try runCommand(threatledgerExecutable, arguments) }

    func check(_ arguments: [String]) throws -> CommandResult {
        try runCommand(URL(fileURLWithPath: "/usr/bin/env"), ["python3", packageRoot.appendingPathComponent("scripts/verify-evidence.py").path] + arguments)
    }

    /// The seeds ingested, a key made: (log, key file, public key hex).
    func seededLog(in directory: URL) throws -> (String, String, String) {
        let db = directory.appendingPathComponent("log.sqlite").path
        let key = directory.appendingPathComponent("key.hex").path
        let keygen = try run(["keygen", "--out", key])
        #expect(keygen.status == 0)
        #expect(try run(["ingest", packageRoot.appendingPathComponent("seeds").path, "--db", db]).status == 0)
        return (db, key, String(keygen.stdout.split(separator: " ").last!.dropLast()))
    }

    @Test func aBundleOfSyriasKilledFigureChecksOfflineAndAnyChangedByteFailsNamingTheFile() async throws {
        try await withTemporaryDirectory { directory in
            let (db, key, publicKey) = try seededLog(in: directory)
            let bundle = directory.appendingPathComponent("sy-killed").path
            let made = try run(["evidence", "--db", db, "--region", "SY", "--measure", "killed", "--sign-with", key, "--out", bundle])
            #expect(made.status == 0, "\(made.stderr)")

            // The bundle's figure is the one trace shows for the same figure.
            let traced = try JSONParser().parse(try run(["trace", "--db", db, "--region", "SY", "--measure", "killed", "--format", "json"]).stdout)
            let manifest = try JSONParser().parse(String(contentsOfFile: bundle + "/manifest.json", encoding: .utf8))
            #expect(manifest["sections"] == traced["sections"])
            #expect(manifest["sections"]?.arrayValue?.first?["total"]?["low"] == 260)

            let checked = try check([bundle, "--public-key", publicKey])
            #expect(checked.status == 0, "\(checked.stdout)\(checked.stderr)")
            #expect(checked.stdout.contains("OK figures.killed = low 260"), "\(checked.stdout)")
            #expect(checked.stdout.contains("in the signed tree of 100 events"), "\(checked.stdout)")

            // Under another key than the keeper's, the bundle is refused.
            let other = try check([bundle, "--public-key", String(repeating: "ab", count: 32)])
            #expect(other.status == 1 && other.stdout.contains("not the trusted key"), "\(other.stdout)")

            // One byte changed in any file fails the check, naming that file.
            let files = try FileManager.default.subpathsOfDirectory(atPath: bundle).filter { path in
                var isDirectory: ObjCBool = false
                return FileManager.default.fileExists(atPath: bundle + "/" + path, isDirectory: &isDirectory) && !isDirectory.boolValue
            }
            #expect(files.contains("head.json") && files.contains { $0.hasPrefix("events/") } && files.contains { $0.hasPrefix("articles/") })
            for file in files.sorted() {
                let path = bundle + "/" + file
                let original = try Data(contentsOf: URL(fileURLWithPath: path))
                var changed = original
                let index = changed.count / 2
                changed[index] = changed[index] == UInt8(ascii: "1") ? UInt8(ascii: "2") : UInt8(ascii: "1")
                try changed.write(to: URL(fileURLWithPath: path))
                let refused = try check([bundle])
                #expect(refused.status == 1 && refused.stdout.contains("FAIL") && refused.stdout.contains(file), "\(file): \(refused.stdout)")
                try original.write(to: URL(fileURLWithPath: path))
            }
            #expect(try check([bundle]).status == 0, "every file restored, the bundle checks again")

            // A file added or removed fails too.
            try Data("extra".utf8).write(to: URL(fileURLWithPath: bundle + "/extra.txt"))
            let added = try check([bundle])
            #expect(added.status == 1 && added.stdout.contains("extra.txt"), "\(added.stdout)")
            try FileManager.default.removeItem(atPath: bundle + "/extra.txt")

            // An existing bundle is never overwritten.
            let again = try run(["evidence", "--db", db, "--region", "SY", "--measure", "killed", "--sign-with", key, "--out", bundle])
            #expect(again.status != 0 && again.stderr.contains("exists"), "\(again.stderr)")
        }
    }

    /// The server sends the same bundle as a tar archive to a reader, signed with its --sign-with
    /// key; without a key it says how to start it with one.
    @Test func theServerSendsTheBundleAsATarArchiveThatChecksOffline() async throws {
        try await withTemporaryDirectory { directory in
            let (db, key, publicKey) = try seededLog(in: directory)
            let tokens = directory.appendingPathComponent("tokens.json").path
            let made = try run(["token", "--name", "auditor", "--role", "auditor", "--tokens", tokens])
            let token = String(try #require(made.stdout.split(separator: "\n").first { $0.hasPrefix("token: ") }).dropFirst(7))
            var environment = ProcessInfo.processInfo.environment
            environment.removeValue(forKey: "THREATLEDGER_TOKENS")

            func get(_ port: Int, _ query: String) async throws -> (Int, String?, Data) {
                var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/v1/evidence?\(query)")!)
                request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
                for _ in 0..<600 {
                    let (data, response) = try await URLSession.shared.data(for: request)
                    let http = response as? HTTPURLResponse
                    // 503 while the projections are first built; the keyless server's 503 names --sign-with.
                    if http?.statusCode != 503 || String(decoding: data, as: UTF8.self).contains("--sign-with") {
                        return (http?.statusCode ?? 0, http?.value(forHTTPHeaderField: "Content-Type"), data)
                    }
                    try await Task.sleep(for: .milliseconds(50))
                }
                return (503, nil, Data())
            }

            let (server, port, _) = try ServeCommandTests.startServer(
                ["serve", "--db", db, "--port", "0", "--tokens", tokens, "--sign-with", key], environment: environment)
            defer { if server.isRunning { server.terminate() } }
            let (status, type, body) = try await get(port, "region=SY&measure=killed")
            #expect(status == 200 && type == "application/x-tar", "\(status) \(String(decoding: body, as: UTF8.self))")
            let archive = directory.appendingPathComponent("sy.tar")
            try body.write(to: archive)
            let checked = try check([archive.path, "--public-key", publicKey])
            #expect(checked.status == 0 && checked.stdout.contains("OK figures.killed = low 260"), "\(checked.stdout)\(checked.stderr)")
            // A byte changed inside the archive's article fails the check, naming the file.
            var bytes = [UInt8](body)
            let marker = try #require(String(decoding: bytes, as: UTF8.self).range(of: "داعش"))
            let offset = String(decoding: bytes, as: UTF8.self).utf8.distance(from: String(decoding: bytes, as: UTF8.self).startIndex, to: marker.lowerBound)
            bytes[offset + 1] ^= 0x01
            try Data(bytes).write(to: archive)
            let refused = try check([archive.path])
            #expect(refused.status == 1 && refused.stdout.contains("FAIL"), "\(refused.stdout)")
            let missing = try await get(port, "region=SY&measure=no_such_measure")
            #expect(missing.0 == 404, "\(String(decoding: missing.2, as: UTF8.self))")
            server.terminate()
            server.waitUntilExit()

            let (keyless, keylessPort, _) = try ServeCommandTests.startServer(
                ["serve", "--db", db, "--port", "0", "--tokens", tokens], environment: environment)
            defer { if keyless.isRunning { keyless.terminate() } }
            let refusedByKeyless = try await get(keylessPort, "region=SY&measure=killed")
            #expect(refusedByKeyless.0 == 503 && String(decoding: refusedByKeyless.2, as: UTF8.self).contains("serve --sign-with"))
            keyless.terminate()
            keyless.waitUntilExit()
        }
    }

    /// The signatures only say who made the bundle: a keeper who changes the figure, or leaves out
    /// a claim behind it, and signs the manifest again with the log's own key is caught by the
    /// rules the checker applies to the claims.
    @Test func aFigureResignedByTheKeeperMustStillFollowFromItsClaims() async throws {
        try await withTemporaryDirectory { directory in
            let (db, key, publicKey) = try seededLog(in: directory)
            let bundle = directory.appendingPathComponent("b").path
            #expect(try run(["evidence", "--db", db, "--region", "SY", "--measure", "killed", "--sign-with", key, "--out", bundle]).status == 0)
            let privateKey = try #require(Hex.decode(String(contentsOfFile: key, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
            let manifestPath = bundle + "/manifest.json"
            let original = try String(contentsOfFile: manifestPath, encoding: .utf8)

            func resign(_ edit: (inout JSONObject) throws -> Void) throws -> CommandResult {
                var manifest = try #require(try JSONParser().parse(original).objectValue)
                try edit(&manifest)
                let bytes = Array((CanonicalJSON.string(.object(manifest)) + "\n").utf8)
                try Data(bytes).write(to: URL(fileURLWithPath: manifestPath))
                let signature = try SignedHead.signature(of: bytes, privateKey: privateKey)
                try Data((Hex.encode(signature) + "\n").utf8).write(to: URL(fileURLWithPath: bundle + "/manifest.sig"))
                return try check([bundle, "--public-key", publicKey])
            }
            func section(_ manifest: JSONObject, _ index: Int) throws -> JSONObject {
                try #require(manifest["sections"]?.arrayValue?[index].objectValue)
            }

            // The total raised by one.
            let raised = try resign { manifest in
                var first = try section(manifest, 0)
                var total = try #require(first["total"]?.objectValue)
                total["low"] = 261
                total["best"] = 261
                first["total"] = .object(total)
                manifest["sections"] = .array([.object(first)] + (manifest["sections"]?.arrayValue?.dropFirst() ?? []))
            }
            #expect(raised.status == 1 && raised.stdout.contains("FAIL figures.killed: states the total"), "\(raised.stdout)")

            // A part's claim dropped from the events (and from the list of files).
            let dropped = try resign { manifest in
                let part = try #require(try section(manifest, 0)["parts"]?.arrayValue?.first?["claim_ids"]?.arrayValue?.first?.stringValue)
                let events = manifest["events"]?.arrayValue ?? []
                let kept = events.filter { $0["stream"]?.stringValue != "claim-\(part)" }
                #expect(kept.count < events.count)
                manifest["events"] = .array(kept)
                var files = try #require(manifest["files"]?.objectValue)
                for event in events where !kept.contains(event) {
                    let name = try #require(event["file"]?.stringValue)
                    files[name] = nil
                    try FileManager.default.removeItem(atPath: bundle + "/" + name)
                }
                manifest["files"] = .object(files)
            }
            #expect(dropped.status == 1 && dropped.stdout.contains("FAIL figures.killed part"), "\(dropped.stdout)")

            // A rule the checker does not know is no rule.
            try? FileManager.default.removeItem(atPath: bundle)
            #expect(try run(["evidence", "--db", db, "--region", "SY", "--measure", "killed", "--sign-with", key, "--out", bundle]).status == 0)
            let renamed = try resign { manifest in
                var first = try section(manifest, 0)
                first["rule"] = "largest-claim-wins/v1"
                manifest["sections"] = .array([.object(first)] + (manifest["sections"]?.arrayValue?.dropFirst() ?? []))
            }
            #expect(renamed.status == 1 && renamed.stdout.contains("which this checker does not know"), "\(renamed.stdout)")
        }
    }

    /// A bundle over a history with a source corrected, a claim taken out of an incident and a
    /// source retracted (one of whose claims is in the incident) still checks offline: the checker
    /// folds those events as the log does.
    @Test func aBundleOverCorrectedUnlinkedAndRetractedHistoryChecksOffline() async throws {
        try await withTemporaryDirectory { directory in
            let (db, key, publicKey) = try seededLog(in: directory)
            for edit in [
                ["source", "correct", "1aee4b5224ae9675", "--published", "2022-02-01/month", "--basis", "inferred", "--note", "n"],
                ["unlink", "hasakah-prison-assault-2022", "--claim", "1aee4b5224ae9675-05"], ["source", "retract", "9fda8b7b93fb41eb"],
            ] {
                let result = try run(edit + ["--reason", "test", "--by", "tester", "--db", db])
                #expect(result.status == 0, "\(edit): \(result.stderr)")
            }
            for (region, measure) in [("SY-HA", "escaped"), ("SY", "killed")] {
                let bundle = directory.appendingPathComponent("\(region)-\(measure)").path
                let made = try run(["evidence", "--db", db, "--region", region, "--measure", measure, "--sign-with", key, "--out", bundle])
                #expect(made.status == 0, "\(made.stderr)")
                let checked = try check([bundle, "--public-key", publicKey])
                #expect(checked.status == 0, "\(region) \(measure): \(checked.stdout)")
            }
            let manifest = try JSONParser().parse(
                String(contentsOfFile: directory.appendingPathComponent("SY-HA-escaped").path + "/manifest.json", encoding: .utf8))
            let types = Set((manifest["events"]?.arrayValue ?? []).compactMap { $0["type"]?.stringValue })
            #expect(types.isSuperset(of: ["SourceCorrected", "SourceRetracted", "IncidentUnlinked"]), "\(types)")
        }
    }

    /// Python's reading of Arabic figures (scripts/arabic_quantity.py), which the offline checker
    /// uses, gives the verdict the log's own rule gives on every seed figure and on each figure
    /// moved off its words.
    @Test func theOfflineReadingOfFiguresAgreesWithTheLogsRule() async throws {
        try await withTemporaryDirectory { directory in
            var lines: [String] = []
            var verdicts: [Bool] = []
            let claimFiles = try FileManager.default.contentsOfDirectory(atPath: packageRoot.appendingPathComponent("seeds/claims").path).sorted()
            for file in claimFiles where file.hasSuffix(".jsonl") {
                let text = try String(contentsOf: packageRoot.appendingPathComponent("seeds/claims/\(file)"), encoding: .utf8)
                for line in text.split(separator: "\n") {
                    let claim = try JSONParser().parse(String(line))
                    for figure in claim["figures"]?.arrayValue ?? [] {
                        var variants = [figure]
                        if var moved = figure.objectValue, let low = moved["low"]?.integerValue {
                            moved["low"] = .number(Double(low + 1))
                            variants.append(.object(moved))
                        }
                        if var renamed = figure.objectValue {
                            renamed["measure"] = figure["measure"] == "killed" ? "escaped" : "killed"
                            variants.append(.object(renamed))
                        }
                        for variant in variants {
                            let problem = FigureWords.problem(figure: variant, statement: claim["statement"], claimID: "c")
                            verdicts.append(problem == nil)
                            lines.append(CanonicalJSON.string(["figure": variant, "statement": claim["statement"] ?? .null]))
                        }
                    }
                }
            }
            #expect(lines.count > 100)
            let input = directory.appendingPathComponent("figures.jsonl")
            try lines.joined(separator: "\n").write(to: input, atomically: true, encoding: .utf8)
            let script = """
                import json, sys
                sys.path.insert(0, sys.argv[1])
                import arabic_quantity
                for line in open(sys.argv[2], encoding="utf-8"):
                    item = json.loads(line)
                    print("ok" if arabic_quantity.figure_problem(item["figure"], item["statement"]) is None else "problem")
                """
            let result = try runCommand(
                URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script, packageRoot.appendingPathComponent("scripts").path, input.path])
            #expect(result.status == 0, "\(result.stderr)")
            let python = result.stdout.split(separator: "\n").map { $0 == "ok" }
            #expect(python.count == verdicts.count)
            for index in verdicts.indices where index < python.count && python[index] != verdicts[index] {
                Issue.record("figure \(index): Swift says \(verdicts[index] ? "ok" : "problem"), Python the other: \(lines[index])")
            }
            #expect(verdicts.contains(false) && verdicts.contains(true), "both verdicts are exercised")
        }
    }
}
