import Synchronization
import ThreatLedgerProjections
import ThreatLedgerStore

/// The log and projector pairs a server reads through, handed out in turn. On SQLite each log and
/// projector is an actor with one connection, so a single pair would make every read wait for the
/// one before it (a trace's index and stream reads in front of a summary's one-row read); several
/// let reads run side by side, as WAL lets readers do. Appends go through the server's own log.
final class ReaderPool: Sendable {
    typealias Reader = (log: any EventLog, projector: any Projector)
    let readers: [Reader]
    private let turn = Mutex(0)

    init(_ readers: [Reader]) {
        precondition(!readers.isEmpty, "a reader pool needs a reader")
        self.readers = readers
    }

    func next() -> Reader {
        let index = turn.withLock { value in
            defer { value = (value + 1) % readers.count }
            return value
        }
        return readers[index]
    }
}
