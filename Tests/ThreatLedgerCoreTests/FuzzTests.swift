import Foundation
import Testing
import ThreatLedgerTesting

@testable import ThreatLedgerCore

/// Bounded, seeded fuzzing of the claim decoder (JSON parser, schemas, domain rules) and the Arabic
/// quantity reader. Each run is bounded by THREATLEDGER_FUZZ_ITERATIONS (default 2,000 per target)
/// and THREATLEDGER_FUZZ_SECONDS (default 20), and starts from THREATLEDGER_FUZZ_SEED (default fixed,
/// so CI is repeatable; set another to explore). Before each input runs it is written to
/// `$TMPDIR/threatledger-fuzz-last-<target>`: if the process dies, that file is the crashing input;
/// copy it into `Tests/FuzzCorpus/<target>/` and it is replayed by the regression tests below forever.
///
/// A hand-written mutator rather than a property-testing package: the inputs that matter are byte
/// mutations of real claim lines and phrases built from the reader's own vocabulary, and it adds no
/// dependency to build in CI.
@Suite struct FuzzTests {
    static let environment = ProcessInfo.processInfo.environment
    static let iterations = Int(environment["THREATLEDGER_FUZZ_ITERATIONS"] ?? "") ?? 2_000
    static let seconds = Double(environment["THREATLEDGER_FUZZ_SECONDS"] ?? "") ?? 20
    static let seed = UInt64(environment["THREATLEDGER_FUZZ_SEED"] ?? "") ?? 20_261_123
    static let corpus = packageRoot.appendingPathComponent("Tests/FuzzCorpus")

    static let seedClaimLines: [[UInt8]] = {
        let folder = packageRoot.appendingPathComponent("seeds/claims")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()) ?? []
        return files.flatMap { name -> [[UInt8]] in
            let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) ?? Data()
            return data.split(separator: UInt8(ascii: "\n")).map(Array.init)
        }
    }()

    // MARK: The claim decoder

    /// Decodes one line as a claim, the way ingest does; any outcome but a crash is fine, and a
    /// claim that decodes survives a canonical round trip unchanged and still validates.
    static func decodeClaim(_ bytes: [UInt8]) -> String? {
        guard let value = try? JSONParser().parse(bytes) else { return nil }
        let validator = EventValidator.standard
        guard (try? validator.schemas.validate(value, against: "claim.schema.json")) != nil,
            let id = value["claim_id"]?.stringValue, let stream = try? StreamName.entity("claim", id)
        else { return nil }
        let event = ProposedEvent(id: EventID.random(), stream: stream, type: "ClaimRecorded", payload: value, metadata: EventMetadata(recordedBy: "fuzz"))
        guard (try? validator.validate(event)) != nil else { return nil }
        let again = try? JSONParser().parse(CanonicalJSON.bytes(value))
        if again != value { return "a valid claim changed in a canonical round trip" }
        return nil
    }

    static func mutate(_ input: [UInt8], random: inout GeneratedLog.RandomNumbers, other: [UInt8]) -> [UInt8] {
        let interesting: [UInt8] =
            Array("{}[]\":,\\-+.eE0123456789nulltruefalse ".utf8) + [0x00, 0x0A, 0x7F, 0x80, 0xBF, 0xC3, 0xD8, 0xD9, 0xE2, 0x80, 0xAE, 0xEF, 0xFF]
        var bytes = input
        for _ in 0...random.below(4) {
            guard !bytes.isEmpty else {
                bytes = other
                continue
            }
            let at = random.below(bytes.count)
            switch random.below(6) {
            case 0: bytes[at] = interesting[random.below(interesting.count)]
            case 1: bytes.insert(interesting[random.below(interesting.count)], at: at)
            case 2: bytes.removeSubrange(at..<min(bytes.count, at + 1 + random.below(16)))
            case 3: bytes.insert(contentsOf: bytes[at..<min(bytes.count, at + 1 + random.below(64))], at: at)
            case 4:  // splice with another line
                let cut = other.isEmpty ? 0 : random.below(other.count)
                bytes = Array(bytes[..<at]) + Array(other[cut...])
            default:  // a digit run turned into an extreme number
                let extremes = ["1e308", "-0", "9007199254740993", "1e-400", "-5", "0.5", "99999999999999999999"]
                bytes.replaceSubrange(at..<min(bytes.count, at + 1), with: Array(extremes[random.below(extremes.count)].utf8))
            }
        }
        return bytes
    }

    static func remember(_ bytes: [UInt8], target: String) {
        try? Data(bytes).write(to: URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("threatledger-fuzz-last-\(target)"))
    }

    @Test func mutatedClaimLinesNeverCrashTheDecoderAndValidClaimsRoundTrip() throws {
        let lines = Self.seedClaimLines
        try #require(lines.count > 50, "the seed claims are the fuzzer's starting corpus")
        #expect(lines.allSatisfy { Self.decodeClaim($0) == nil } && lines.contains { (try? JSONParser().parse($0)) != nil })
        var random = GeneratedLog.RandomNumbers(seed: Self.seed)
        let deadline = ContinuousClock.now + .seconds(Self.seconds)
        var ran = 0
        var accepted = 0
        while ran < Self.iterations && ContinuousClock.now < deadline {
            let input = Self.mutate(lines[random.below(lines.count)], random: &random, other: lines[random.below(lines.count)])
            Self.remember(input, target: "claims")
            if let problem = Self.decodeClaim(input) { Issue.record("\(problem): \(String(decoding: input.prefix(300), as: UTF8.self))") }
            if (try? JSONParser().parse(input)).flatMap({ try? EventValidator.standard.schemas.validate($0, against: "claim.schema.json") }) != nil {
                accepted += 1
            }
            ran += 1
        }
        #expect(ran >= min(Self.iterations, 200), "the fuzzer ran only \(ran) inputs")
        #expect(accepted < ran, "every mutation was accepted: the mutator is not mutating")
    }

    // MARK: The quantity reader

    static let vocabulary = [
        "قرابة", "نحو", "حوالي", "ما يقارب", "ما لا يقل عن", "أكثر من", "ما يزيد على", "ما يصل إلى", "ما بين", "بين", "إلى", "و",
        "واحد", "اثنان", "ثلاثة", "عشرة", "عشرين", "مئة", "مائة", "مئتين", "ألف", "ألفين", "آلاف", "مليون", "مليوني", "ملايين", "مليار",
        "عدد من", "العشرات", "المئات", "قتيلا", "شخصا", "دولار", "،", "٬", ",", "\u{0640}", "\u{200D}", "\u{202E}", "\u{064B}", "\u{0651}",
    ]

    static func phrase(_ random: inout GeneratedLog.RandomNumbers) -> String {
        var words: [String] = []
        for _ in 0...random.below(6) {
            switch random.below(5) {
            case 4: words.append(["9223372036854775807", "9223372036854775808", "4611686018427387904", "999999999999999999"][random.below(4)])
            case 0: words.append(String(random.below(1_000_000)))
            case 1: words.append(arabicIndic(String(random.below(100_000))))
            case 2: words.append(String(UnicodeScalar(UInt32(0x0600 + random.below(0x100)))!))
            default: words.append(vocabulary[random.below(vocabulary.count)])
            }
        }
        return words.joined(separator: random.below(5) == 0 ? "" : " ")
    }

    static func arabicIndic(_ digits: String) -> String {
        String(String.UnicodeScalarView(digits.unicodeScalars.map { ("0"..."9").contains($0) ? UnicodeScalar($0.value - 0x30 + 0x0660)! : $0 }))
    }

    /// What must hold of any reading: bounds never negative, low ≤ high.
    static func checkReading(_ text: String) -> String? {
        if case .quantity(let low, let high, _) = ArabicQuantityReader.read(text) {
            if let low, low < 0 { return "negative low \(low)" }
            if let high, high < 0 { return "negative high \(high)" }
            if let low, let high, low > high { return "low \(low) above high \(high)" }
        }
        return nil
    }

    @Test func randomPhrasesNeverCrashTheQuantityReaderAndReadSensibly() {
        var random = GeneratedLog.RandomNumbers(seed: Self.seed &+ 1)
        let deadline = ContinuousClock.now + .seconds(Self.seconds)
        var ran = 0
        while ran < Self.iterations && ContinuousClock.now < deadline {
            let text = Self.phrase(&random)
            Self.remember(Array(text.utf8), target: "quantities")
            if let problem = Self.checkReading(text) { Issue.record("\(problem) reading \"\(text)\"") }
            // A plain number reads as itself, in either digit script.
            let n = Int64(random.below(10_000_000))
            #expect(ArabicQuantityReader.read(String(n)) == .quantity(low: n, high: n, qualifier: "exact"))
            #expect(ArabicQuantityReader.read(Self.arabicIndic(String(n))) == ArabicQuantityReader.read(String(n)))
            ran += 1
        }
        #expect(ran >= min(Self.iterations, 200))
    }

    /// The words of every figure in the seed claims, as the articles write them.
    static let seedFigureWords: [String] = seedClaimLines.flatMap { line -> [String] in
        guard let claim = try? JSONParser().parse(line) else { return [] }
        return (claim["figures"]?.arrayValue ?? []).compactMap { $0["evidence"]?["quote"]?["exact"]?.stringValue }
    }

    /// The reader reads plain text as bytes and anything else as Strings (``QuantityToken``): on
    /// plain text the two must read the same, or a figure's verdict would hang on which way was taken.
    @Test func plainPhrasesReadTheSameAsBytesAndAsStrings() {
        var random = GeneratedLog.RandomNumbers(seed: Self.seed &+ 2)
        var phrases = Self.seedFigureWords
        #expect(phrases.count >= 20, "the seed claims' figures")
        for _ in 0..<max(Self.iterations, 2_000) { phrases.append(Self.phrase(&random)) }
        var plain = 0
        for phrase in phrases {
            let normalized = ArabicQuantityReader.normalizedUTF8(phrase)
            let asStrings = ArabicQuantityReader.read(normalized: normalized, asBytes: false)
            #expect(ArabicQuantityReader.read(phrase) == asStrings, "\(phrase)")
            guard UTF8Word.isPlain(normalized) else { continue }
            plain += 1
            #expect(ArabicQuantityReader.read(normalized: normalized, asBytes: true) == asStrings, "\(phrase)")
        }
        // Every seed figure's words are plain (read as bytes), and so are most generated phrases.
        #expect(Self.seedFigureWords.allSatisfy { UTF8Word.isPlain(ArabicQuantityReader.normalizedUTF8($0)) })
        #expect(plain > phrases.count / 2, "\(plain) of \(phrases.count) phrases were plain")
    }

    /// What makes text not plain: a scalar that joins the one before it into one character, or one
    /// the reader does not know.
    @Test(arguments: ["قرابة 75", "ما بين 14 – 18 ألف", "Arabic and ASCII 12"])
    func plainTextIsArabicLettersASCIIAndTheEnDash(phrase: String) {
        #expect(UTF8Word.isPlain(ArabicQuantityReader.normalizedUTF8(phrase)))
    }

    @Test(arguments: ["و\u{0610}خمس", "خمسة 🙂", "e\u{0301}", "\u{0600}5"])
    func textWithJoiningMarksOrOtherScriptsIsNotPlain(phrase: String) {
        #expect(!UTF8Word.isPlain(ArabicQuantityReader.normalizedUTF8(phrase)))
    }

    // MARK: Regression corpus

    static func corpusFiles(_ target: String) -> [URL] {
        let folder = corpus.appendingPathComponent(target)
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { !$0.hasPrefix(".") && $0 != "README.md" }.sorted()
            .map { folder.appendingPathComponent($0) }
    }

    @Test func everyKeptClaimInputStillDecodesWithoutCrashing() throws {
        let files = Self.corpusFiles("claims")
        #expect(!files.isEmpty, "Tests/FuzzCorpus/claims holds the kept inputs")
        for file in files {
            let bytes = Array(try Data(contentsOf: file))
            #expect(Self.decodeClaim(bytes) == nil, "\(file.lastPathComponent)")
        }
    }

    @Test func everyKeptPhraseStillReadsSensibly() throws {
        let files = Self.corpusFiles("quantities")
        #expect(!files.isEmpty, "Tests/FuzzCorpus/quantities holds the kept inputs")
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            #expect(Self.checkReading(text) == nil, "\(file.lastPathComponent): \(text)")
        }
    }
}
