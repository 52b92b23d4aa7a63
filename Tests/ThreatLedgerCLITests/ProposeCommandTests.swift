import Foundation
import Testing
import ThreatLedgerCore
import ThreatLedgerTesting

/// `threatledger propose` and its review, with the real binary: a draft from each seed article is
/// refused by the log until reviewed, and appends cleanly once accepted.
@Suite struct ProposeCommandTests {
    static func published(_ sourceID: String) throws -> String {
        let sources = try String(contentsOf: packageRoot.appendingPathComponent("seeds/sources.jsonl"), encoding: .utf8)
        for line in sources.split(separator: "\n") {
            let source = try JSONParser().parse(String(line))
            if source["source_id"]?.stringValue == sourceID, let start = source["published"]?["start"]?.stringValue,
                let precision = source["published"]?["precision"]?.stringValue
            {
                return "\(start)/\(precision)"
            }
        }
        throw CommandFailureForTest("no seed source \(sourceID)")
    }

    struct CommandFailureForTest: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }

    @Test func eachSeedArticlesDraftIsRefusedUntilReviewedAndAppendsCleanlyOnceAccepted() async throws {
        try await withTemporaryDirectory { directory in
            let db = directory.appendingPathComponent("log.sqlite").path
            let articles = try FileManager.default.contentsOfDirectory(atPath: packageRoot.appendingPathComponent("seeds/articles").path).sorted()
            var proposed = 0
            for name in articles {
                let id = String(name.split(separator: "_")[1].dropLast(4))
                let article = packageRoot.appendingPathComponent("seeds/articles/\(name)").path
                let draft = try runCommand(threatledgerExecutable, ["propose", article, "--published", try Self.published(id), "--title", "seed \(id)"])
                #expect(draft.status == 0, "\(draft.stderr)")
                let draftFile = directory.appendingPathComponent("draft-\(id).jsonl")
                try draft.stdout.write(to: draftFile, atomically: true, encoding: .utf8)
                let lines = draft.stdout.split(separator: "\n")
                #expect(lines.count >= 2, "\(name): a source and at least one proposal")
                proposed += lines.count - 1
                // The first line registers the article byte for byte.
                let source = try JSONParser().parse(String(lines[0]))
                #expect(source["payload"]?["text"]?.stringValue == (try String(contentsOfFile: article, encoding: .utf8)))
                // Unreviewed: refused, nothing appended.
                let refused = try runCommand(threatledgerExecutable, ["append", draftFile.path, "--db", db, "--by", "someone"])
                #expect(refused.status == 1)
                #expect(refused.stderr.contains("payload.proposal.status: is proposed"))
                #expect(refused.stderr.contains("nothing was appended"))
                // Reviewed: every proposal accepted by the analyst, then appended.
                let reviewed = try runCommand(
                    threatledgerExecutable, ["propose", "--review", draftFile.path, "--by", "A. Analyst", "--accept-all"])
                #expect(reviewed.status == 0, "\(reviewed.stderr)")
                let reviewedFile = directory.appendingPathComponent("reviewed-\(id).jsonl")
                try reviewed.stdout.write(to: reviewedFile, atomically: true, encoding: .utf8)
                let appended = try runCommand(threatledgerExecutable, ["append", reviewedFile.path, "--db", db])
                #expect(appended.status == 0, "\(name): \(appended.stderr)")
            }
            #expect(proposed >= 50)
            let verify = try runCommand(threatledgerExecutable, ["verify", "--db", db])
            #expect(verify.status == 0, "\(verify.stderr)")
            // An accepted claim keeps its mark, naming who accepted it.
            let claims = try runCommand(threatledgerExecutable, ["claims", "--db", db, "--format", "jsonl"])
            let first = try JSONParser().parse(String(claims.stdout.split(separator: "\n")[0]))
            #expect(first["proposal"]?["status"] == "accepted")
            #expect(first["proposal"]?["accepted_by"] == "A. Analyst")
        }
    }

    @Test func reviewKeepsOnlyTheAcceptedProposalsAndNeedsAnAnalystAndATerminalToAsk() async throws {
        try await withTemporaryDirectory { directory in
            let article = directory.appendingPathComponent("article.txt")
            try "هاجم مسلحو داعش حاجزا للجيش أمس، مما أسفر عن مقتل 7 جنود.\nواعتقلت القوات 3 مشتبهين بعد الهجوم.\n".write(
                to: article, atomically: true, encoding: .utf8)
            let draft = try runCommand(threatledgerExecutable, ["propose", article.path, "--published", "2024-03-13"])
            #expect(draft.status == 0, "\(draft.stderr)")
            let draftFile = directory.appendingPathComponent("draft.jsonl")
            try draft.stdout.write(to: draftFile, atomically: true, encoding: .utf8)
            let ids = draft.stdout.split(separator: "\n").dropFirst().compactMap { try? JSONParser().parse(String($0))["payload"]?["claim_id"]?.stringValue }
            #expect(ids.count == 2)
            let one = try runCommand(threatledgerExecutable, ["propose", "--review", draftFile.path, "--by", "B", "--accept", ids[1]])
            #expect(one.status == 0, "\(one.stderr)")
            let kept = one.stdout.split(separator: "\n")
            #expect(kept.count == 2, "the source and the accepted claim")
            #expect(try JSONParser().parse(String(kept.last ?? ""))["payload"]?["claim_id"]?.stringValue == ids[1])
            let noAnalyst = try runCommand(threatledgerExecutable, ["propose", "--review", draftFile.path, "--accept-all"])
            #expect(noAnalyst.status != 0)
            #expect(noAnalyst.stderr.contains("--by"))
            let noTerminal = try runCommand(threatledgerExecutable, ["propose", "--review", draftFile.path, "--by", "B"])
            #expect(noTerminal.status == 1)
            #expect(noTerminal.stderr.contains("needs a terminal"))
            let unknown = try runCommand(threatledgerExecutable, ["propose", "--review", draftFile.path, "--by", "B", "--accept", "nope"])
            #expect(unknown.status == 1)
            #expect(unknown.stderr.contains("no proposal nope"))
            let badDate = try runCommand(threatledgerExecutable, ["propose", article.path, "--published", "2024-13-40"])
            #expect(badDate.status != 0)
            #expect(badDate.stderr.contains("is not a date"))
        }
    }

    /// In a terminal (a real pseudo-terminal from util-linux `script`), the review asks about each
    /// proposal: an edit made in `$EDITOR` is checked against the log's rules at once (a figure
    /// its words do not state is not kept, and asked about again), a good edit is kept with a cue
    /// naming the analyst, and dropping leaves a proposal out.
    @Test func anInteractiveReviewAcceptsDropsAndEditsCheckingEachEditAtOnce() async throws {
        try await withTemporaryDirectory { directory in
            let article = directory.appendingPathComponent("article.txt")
            try "أسفر هجوم لداعش في الرقة عن مقتل 5 أشخاص وإصابة 12 آخرين.\nاعتقلت قوات الأمن خمسة من عناصر داعش في كركوك أمس.\n".write(
                to: article, atomically: true, encoding: .utf8)
            let draft = try runCommand(threatledgerExecutable, ["propose", article.path, "--published", "2024-03-13"])
            #expect(draft.status == 0, "\(draft.stderr)")
            let draftFile = directory.appendingPathComponent("draft.jsonl")
            try draft.stdout.write(to: draftFile, atomically: true, encoding: .utf8)
            // The editor: the first edit makes «5 أشخاص» a 6 (which its words do not say); the
            // second rewrites the summary.
            let editor = directory.appendingPathComponent("editor.sh")
            try """
            #!/bin/sh
            if [ ! -e "\(directory.path)/edited-once" ]; then
              touch "\(directory.path)/edited-once"
              sed -i '0,/"low" : 5,/s//"low" : 6,/' "$1"
            else
              sed -i 's/(machine proposal; review before accepting)/(checked by B against the article)/' "$1"
            fi
            """.write(to: editor, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: editor.path)
            let output = directory.appendingPathComponent("reviewed.jsonl")
            let command = "'\(threatledgerExecutable.path)' propose --review '\(draftFile.path)' --by B > '\(output.path)'"
            var environment = ProcessInfo.processInfo.environment
            environment["EDITOR"] = editor.path
            environment.removeValue(forKey: "VISUAL")
            let session = try runCommand(
                URL(fileURLWithPath: "/usr/bin/script"), ["-qec", command, "/dev/null"], stdin: Data("e\ne\na\nd\n".utf8), environment: environment)
            #expect(session.status == 0, "\(session.stdout)\(session.stderr)")
            #expect(session.stdout.contains("not kept"), "\(session.stdout)")
            #expect(session.stdout.contains("5 أشخاص"), "the refusal names the words: \(session.stdout)")
            let lines = try String(contentsOf: output, encoding: .utf8).split(separator: "\n").map { try JSONParser().parse(String($0)) }
            #expect(lines.count == 2, "the source and the one accepted claim")
            let claim = try #require(lines.last?["payload"])
            #expect(claim["summary"]?.stringValue?.hasSuffix("(checked by B against the article).") == true)
            #expect(claim["figures"]?.arrayValue?.first?["low"]?.integerValue == 5)
            #expect(claim["proposal"]?["status"]?.stringValue == "accepted")
            #expect(claim["proposal"]?["accepted_by"]?.stringValue == "B")
            #expect(claim["proposal"]?["cues"]?.arrayValue?.last?.stringValue == "edited in review by B")
            // What the review kept appends.
            let db = directory.appendingPathComponent("log.sqlite").path
            let appended = try runCommand(threatledgerExecutable, ["append", output.path, "--db", db])
            #expect(appended.status == 0, "\(appended.stderr)")
        }
    }
}
