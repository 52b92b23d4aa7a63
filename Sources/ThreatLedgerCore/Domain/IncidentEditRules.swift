/// The rule an `IncidentUnlinked` must pass against the incident as it stands: each claim it takes
/// out must be one of the incident's claims at that point (linked, and not unlinked since). The
/// append planner (every write), `copy` and `verify` all apply it.
///
/// Decision: an incident's stream starts with its one `IncidentLinked`; unlinking only takes claims
/// out. Claims that belong to another event are linked as an incident of their own (a new
/// `IncidentLinked`), so what an incident held at any moment is its link minus the unlinks before it.
public enum IncidentEditRules {
    /// The incident's claims as its stream leaves them, or nil when the stream holds no link.
    public static func members(_ history: [ClaimEditRules.Step]) -> [String]? {
        guard let first = history.first, first.type == .incidentLinked else { return nil }
        var members = first.payload["claim_ids"]?.arrayValue?.compactMap(\.stringValue) ?? []
        for step in history.dropFirst() where step.type == .incidentUnlinked {
            let leaving = Set(step.payload["claim_ids"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            members.removeAll { leaving.contains($0) }
        }
        return members
    }

    /// Checks an `IncidentUnlinked` payload against the incident's `history` (its stream's events
    /// before it, in order).
    /// - Throws: ``EventValidationError`` naming the claim that is not the incident's.
    public static func check(_ type: EventType, payload: JSONValue, history: [ClaimEditRules.Step]) throws(EventValidationError) {
        guard type == .incidentUnlinked, let members = members(history) else { return }  // the stream check reports a missing incident
        let incidentID = payload["incident_id"]?.stringValue ?? "?"
        let current = Set(members)
        for (index, item) in (payload["claim_ids"]?.arrayValue ?? []).enumerated() {
            guard let claimID = item.stringValue, !current.contains(claimID) else { continue }
            throw .rule(
                path: JSONPath.root.appending("claim_ids").appending(index: index),
                message:
                    "claim \(claimID) is not one of incident \(incidentID)'s claims (they are: \(members.isEmpty ? "none" : members.joined(separator: ", ")))")
        }
    }
}
