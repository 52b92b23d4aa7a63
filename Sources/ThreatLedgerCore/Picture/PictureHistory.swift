/// Every version a part of the picture has held up to a log position: what a timeline over record
/// time folds, read from the bitemporal read index in one go instead of one picture per position.
///
/// It holds the claims ever placed in one region with all their versions (also those placed
/// elsewhere after a correction moved them), every version of each incident that ever listed one
/// of them, all versions of those incidents' other claims, every version of the sources of them
/// all, and the record time of every position where a version starts or ends.
public struct PictureHistory: Sendable, Equatable {
    /// One version of a claim or an incident, valid from the position that made it until the one
    /// that replaced it (nil: still valid at the history's position).
    public struct Version<Value: Sendable & Equatable>: Sendable, Equatable {
        public var value: Value
        public var validFrom: Int64
        public var validTo: Int64?

        public init(value: Value, validFrom: Int64, validTo: Int64?) {
            self.value = value
            self.validFrom = validFrom
            self.validTo = validTo
        }

        /// Whether this version is the one valid at `position`.
        public func isValid(at position: Int64) -> Bool {
            validFrom <= position && (validTo.map { $0 > position } ?? true)
        }
    }

    public var claims: [Version<ThreatPicture.Claim>]
    public var incidents: [Version<ThreatPicture.Incident>]
    public var sources: [Version<ThreatPicture.Source>]
    /// The record time of each position where a version starts or ends.
    public var recordedAt: [Int64: RecordTime]
    /// Each source as it stands at the history's position.
    public var currentSources: [ThreatPicture.Source] {
        sources.filter { $0.isValid(at: position) }.map(\.value)
    }

    /// The last position the history covers (a version ending after it is still valid here).
    public var position: Int64

    public init(
        claims: [Version<ThreatPicture.Claim>], incidents: [Version<ThreatPicture.Incident>], sources: [Version<ThreatPicture.Source>],
        recordedAt: [Int64: RecordTime], position: Int64
    ) {
        self.claims = claims
        self.incidents = incidents
        self.sources = sources
        self.recordedAt = recordedAt
        self.position = position
    }
}
