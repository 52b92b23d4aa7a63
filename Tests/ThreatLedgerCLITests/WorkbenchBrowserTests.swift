import Foundation
import Testing
import ThreatLedgerCore
import ThreatLedgerTesting

/// The auditor's workbench in a real browser: headless Chromium (Debian's `chromium` and
/// `chromium-driver`, driven through Selenium by `Tests/Browser/workbench.py`) against the real
/// `threatledger serve` on loopback with the seeds ingested. Screenshots go to
/// `.build/workbench-screenshots/`.
@Suite struct WorkbenchBrowserTests {
    /// A source whose text has characters outside the Basic Multilingual Plane before the quote, so a
    /// page that counted UTF-16 units instead of code points would highlight the wrong words.
    static func outsideTheBMPEvents() -> [JSONValue] {
        let text = "𝔸𝔹ℂ 😀 تقرير: قتل مسلحو داعش 3 مدنيين في هجوم على قرية شرق ليبيا. 🇱🇾 انتهى."
        let sha = SHA256Hash.of(text: text).hex
        let scalars = Array(text.unicodeScalars)
        func evidence(_ quote: String) -> JSONValue {
            let needle = Array(quote.unicodeScalars)
            let start = (0...(scalars.count - needle.count)).first { Array(scalars[$0..<$0 + needle.count]) == needle }!
            let end = start + needle.count
            func cut(_ a: Int, _ b: Int) -> String { String(String.UnicodeScalarView(scalars[max(0, a)..<min(scalars.count, b)])) }
            return [
                "article_sha256": .string(sha),
                "quote": [
                    "type": "TextQuoteSelector", "exact": .string(quote), "prefix": .string(cut(start - 32, start)), "suffix": .string(cut(end, end + 32)),
                ],
                "position": ["type": "TextPositionSelector", "start": .number(Double(start)), "end": .number(Double(end))],
            ]
        }
        let unknownDate: JSONValue = ["start": nil, "end": nil, "precision": "unknown", "basis": nil, "words": nil, "evidence": nil, "note": nil]
        let source: JSONValue = [
            "event_id": .string(EventID.random().rawValue), "stream": "source-bmp-test", "expected_version": "no_stream",
            "type": "SourceRegistered", "schema_version": 1,
            "payload": [
                "source_id": "bmp-test", "text": .string(text), "text_sha256": .string(sha), "file_name": nil, "title": nil, "author": nil,
                "outlet": nil, "url": nil, "dateline": nil, "section": nil, "language": "ar", "published": unknownDate, "notes": nil,
            ],
            "metadata": ["recorded_by": "test"],
        ]
        let claim: JSONValue = [
            "event_id": .string(EventID.random().rawValue), "stream": "claim-bmp-test-1", "expected_version": "no_stream",
            "type": "ClaimRecorded", "schema_version": 1,
            "payload": [
                "claim_id": "bmp-test-1", "source_id": "bmp-test", "kind": "attack", "scope": "incident",
                "summary": "ISIS fighters killed 3 civilians in an attack on a village in eastern Libya.",
                "statement": evidence("قتل مسلحو داعش 3 مدنيين في هجوم على قرية شرق ليبيا"),
                "actors": ["perpetrator": ["name": "ISIS", "name_as_written": "داعش", "type": "isis"], "target": nil, "authority": nil],
                "attribution": ["cited": nil, "cited_as_written": nil, "cited_type": "article", "hedged": false, "hedge_words": nil, "evidence": nil],
                "date": unknownDate,
                "location": ["country": "LY", "admin1": nil, "place": nil, "coordinates": nil, "evidence": evidence("شرق ليبيا")],
                "figures": [
                    [
                        "measure": "killed", "unit": "people", "currency": nil, "low": 3, "high": 3, "qualifier": "exact",
                        "evidence": evidence("3 مدنيين"), "basis": "stated", "note": "civilians",
                    ]
                ],
                "notes": nil,
            ],
            "metadata": ["recorded_by": "test"],
        ]
        return [source, claim]
    }

    @Test func anAuditorSignsInTracesAFigureToHighlightedQuotesAndMovesTheClocks() async throws {
        try await withTemporaryDirectory { directory in
            let db = directory.appendingPathComponent("log.sqlite").path
            let ingest = try runCommand(threatledgerExecutable, ["ingest", packageRoot.appendingPathComponent("seeds").path, "--db", db])
            try #require(ingest.status == 0, "\(ingest.stderr)")
            let lines = Self.outsideTheBMPEvents().map { CanonicalJSON.string($0) }.joined(separator: "\n") + "\n"
            let append = try runCommand(threatledgerExecutable, ["append", "-", "--db", db], stdin: Data(lines.utf8))
            try #require(append.status == 0, "\(append.stderr)")
            let made = try runCommand(threatledgerExecutable, ["token", "--name", "auditor", "--role", "auditor"])
            let token = try #require(made.stdout.split(separator: "\n").first { $0.hasPrefix("token: ") }).dropFirst(7)
            let entry = try #require(made.stdout.split(separator: "\n").first { $0.hasPrefix("entry: ") }).dropFirst(7)
            var environment = ProcessInfo.processInfo.environment
            environment["THREATLEDGER_TOKENS"] = "[\(entry)]"
            let errors = Pipe()
            let server = try startThreatledger(["serve", "--db", db, "--port", "0"], standardError: errors, environment: environment)
            defer {
                server.terminate()
                server.waitUntilExit()
            }
            var port: Int?
            var seen = ""
            while port == nil {
                let chunk = errors.fileHandleForReading.availableData
                guard !chunk.isEmpty else { break }
                seen += String(decoding: chunk, as: UTF8.self)
                if let range = seen.range(of: "listening on http://127.0.0.1:") { port = Int(seen[range.upperBound...].prefix { $0.isNumber }) }
            }
            let listening = try #require(port, "no listening line: \(seen)")
            errors.fileHandleForReading.readabilityHandler = { _ = $0.availableData }
            // The page itself is served without a token, with a content security policy.
            let page = try runCommand(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", Self.fetchPage, "http://127.0.0.1:\(listening)/"])
            #expect(page.stdout.contains("200 text/html"), "\(page.stdout)\(page.stderr)")
            #expect(page.stdout.contains("default-src 'self'"))
            let screenshots = packageRoot.appendingPathComponent(".build/workbench-screenshots").path
            let browser = try runCommand(
                URL(fileURLWithPath: "/usr/bin/env"),
                [
                    "python3", packageRoot.appendingPathComponent("Tests/Browser/workbench.py").path, "--base", "http://127.0.0.1:\(listening)",
                    "--token", String(token), "--screenshots", screenshots, "--bmp-source", "bmp-test",
                ])
            #expect(browser.status == 0, "\(browser.stdout)\(browser.stderr)")
            #expect(browser.stdout.contains(#"{"checks": "all passed"}"#), "\(browser.stdout)")
            #expect(FileManager.default.fileExists(atPath: screenshots + "/trace.png"))
        }
    }

    /// A tiny fetch of the page's status, content type and security policy.
    static let fetchPage = """
        import sys, urllib.request
        with urllib.request.urlopen(sys.argv[1]) as r:
            print(r.status, r.headers.get("Content-Type").split(";")[0], r.headers.get("Content-Security-Policy"))
        """
}
