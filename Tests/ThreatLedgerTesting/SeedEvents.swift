import Foundation
import ThreatLedgerCore
import ThreatLedgerStore

/// The seed corpus (`seeds/`) compiled to events, recorded by "test".
public func seedEvents() throws -> [ProposedEvent] {
    try CorpusCompiler.compile(
        try SeedCorpusReader.read(folder: packageRoot.appendingPathComponent("seeds").path), recordedBy: "test"
    ).events
}
