/// A correction is accepted only if the claim it leaves behind is still a valid claim: bounds that fit
/// their qualifier, real dates, ISO countries, evidence that agrees with itself.
public enum ClaimCorrectionCheck {
    /// Throws the rule the corrected claim would break.
    public static func validate(current: JSONValue, correction: JSONValue, stream: StreamName) throws(EventValidationError) {
        let after = ThreatPicture.corrected(current, by: correction)
        try EventValidator.standard.validate(ProposedEvent(
            id: .random(), stream: stream, type: "ClaimRecorded", payload: after, metadata: EventMetadata(recordedBy: "check")))
    }
}
