import Foundation
import ThreatLedgerCore

/// The rebuild lock's lease: its holder renews it while it works, and a lock whose lease was not
/// renewed for ``seconds`` has expired, even if its holder still exists (a hung process, or one on
/// another host of a shared file system, whose liveness cannot be checked from here). An expired
/// lock, a lock whose holder is gone, or any lock an operator takes over with a reason
/// (`threatledger rebuild --take-over REASON`) passes to the new rebuild, and the take-over is
/// recorded (``RebuildTakeOver``). A holder that finds its lock taken over stops without swapping.
public enum RebuildLease {
    /// How long a lease lasts without renewal: `THREATLEDGER_REBUILD_LEASE_SECONDS`, default 60.
    public static var seconds: Int64 {
        ProcessInfo.processInfo.environment["THREATLEDGER_REBUILD_LEASE_SECONDS"].flatMap(Int64.init).flatMap { $0 > 0 ? $0 : nil } ?? 60
    }

    /// How often a holder renews: a quarter of the lease, so two missed renewals still leave it valid.
    public static var renewalMicroseconds: Int64 { seconds * 1_000_000 / 4 }

    /// Whether a lease last renewed at `renewed` has expired at `now`.
    public static func expired(renewed: RecordTime, now: RecordTime) -> Bool {
        now.microsecondsSinceEpoch - renewed.microsecondsSinceEpoch > seconds * 1_000_000
    }
}

/// A rebuild lock that passed from one holder to another before it was released: who took it, from
/// whom, when, and why (an operator's reason, an expired lease, or a holder that was gone).
public struct RebuildTakeOver: Sendable, Equatable {
    public let projection: String
    public let at: RecordTime
    public let holder: String
    public let previousHolder: String
    public let previousSince: RecordTime
    public let reason: String

    package init(projection: String, at: RecordTime, holder: String, previousHolder: String, previousSince: RecordTime, reason: String) {
        self.projection = projection
        self.at = at
        self.holder = holder
        self.previousHolder = previousHolder
        self.previousSince = previousSince
        self.reason = reason
    }
}
