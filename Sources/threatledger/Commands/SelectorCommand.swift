import ArgumentParser
import Foundation
import ThreatLedgerCore

struct SelectorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "selector",
        abstract: "The W3C Web Annotation selectors of a quote in an article, as a claim's evidence stores them.",
        discussion: """
            Prints {"article_sha256", "quote": TextQuoteSelector (exact, 32 code points of prefix and suffix), \
            "position": TextPositionSelector (start, end in Unicode code points)} as JSON: paste it as a \
            claim's statement, a figure's evidence or a date's evidence (see seeds/examples/append-example.jsonl). \
            Matching is exact, code point for code point. A quote that occurs more than once needs --occurrence; \
            one that does not occur is refused, naming the likely cause.
            """
    )

    @Argument(help: ArgumentHelp("The article, as UTF-8 text (the bytes the source registers).", valueName: "article.txt"))
    var article: String

    @Argument(help: ArgumentHelp("The exact words to anchor.", valueName: "quote"))
    var quote: String

    @Option(name: .long, help: ArgumentHelp("Which occurrence, from 1, when the quote occurs more than once.", valueName: "n"))
    var occurrence: Int?

    func run() async throws {
        try await reportingFailures {
            guard let bytes = FileManager.default.contents(atPath: article) else { throw CommandFailure("\(article): cannot be read") }
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw CommandFailure("\(article): is not valid UTF-8; store the article as UTF-8 text")
            }
            do throws(QuoteLocator.Failure) {
                Terminal.print(CanonicalJSON.string(try QuoteLocator.locate(quote, in: text, occurrence: occurrence).json))
            } catch {
                throw CommandFailure("\(article): \(error)")
            }
        }
    }
}
