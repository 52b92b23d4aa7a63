import Foundation
import Testing
import ThreatLedgerCore
import ThreatLedgerStore
import ThreatLedgerTesting

/// The schema-version policy (`schemas/VERSIONING.md`), by upgrading a type: `ClaimRetracted` gains
/// a version 2 with a required `category`, and version 1 reads as version 2 with category `other`.
/// Events written at version 1 before the upgrade and at version 2 after it read alike; each is
/// still validated against the version it was written with; the bytes written never change.
@Suite struct SchemaVersionTests {
    static let claimRetractedV2: JSONValue = [
        "$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://threatledger.invalid/schemas/claim-retracted.v2.schema.json",
        "title": "ClaimRetracted v2 (a test's upgrade)", "type": "object", "additionalProperties": false,
        "required": ["claim_id", "reason", "category"],
        "properties": [
            "claim_id": ["$ref": "identifiers.schema.json#/$defs/entity_id"], "reason": ["type": "string", "minLength": 1, "maxLength": 4000],
            "category": ["enum": ["duplicate", "error", "source_retracted", "other"]],
        ],
    ]

    /// The validator after the upgrade: every embedded schema, version 2 beside version 1, and the step between them.
    static func upgraded() throws -> EventValidator {
        var documents: [String: JSONValue] = [:]
        for (name, text) in EmbeddedSchemas.byFileName { documents[name] = try JSONParser().parse(text) }
        documents["claim-retracted.v2.schema.json"] = claimRetractedV2
        let versions = SchemaVersions(
            current: [.claimRetracted: 2],
            upcasts: [
                .init(type: .claimRetracted, from: 1) { payload in
                    guard case .object(var object) = payload else { return payload }
                    object["category"] = "other"
                    return .object(object)
                }
            ])
        return EventValidator(schemas: try SchemaValidator(schemas: documents), versions: versions)
    }

    static func retraction(_ claim: String, version: Int, _ payload: JSONValue) throws -> ProposedEvent {
        ProposedEvent(
            id: EventID.random(), stream: try StreamName.entity("claim", claim), type: "ClaimRetracted", schemaVersion: version, payload: payload,
            metadata: EventFixtures.analyst)
    }

    @Test func eventsWrittenBeforeAndAfterAnUpgradeReadAlikeAndEachVerifiesAgainstItsOwnVersion() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("log.sqlite").path
            let before = try SQLiteEventLog(path: path)
            _ = try await before.append([
                EventFixtures.sourceRegistered(id: "s1"), EventFixtures.claimRecorded(id: "c1", sourceID: "s1"),
                EventFixtures.claimRecorded(id: "c2", sourceID: "s1"),
            ])
            _ = try await before.append([EventFixtures.claimRetracted(id: "c1", reason: "a duplicate of c2")])

            let validator = try Self.upgraded()
            let after = try SQLiteEventLog(path: path, validator: validator)
            _ = try await after.append([try Self.retraction("c2", version: 2, ["claim_id": "c2", "reason": "the wrong place", "category": "error"])])
            // Each version's own schema still decides: a version-2 payload without its category, or a
            // version-1 payload with one, is refused and nothing is appended.
            await #expect(throws: StoreError.self) {
                _ = try await after.append([try Self.retraction("c2", version: 2, ["claim_id": "c2", "reason": "again"])])
            }
            await #expect(throws: StoreError.self) {
                _ = try await after.append([try Self.retraction("c2", version: 1, ["claim_id": "c2", "reason": "again", "category": "other"])])
            }

            let retractions = try await after.read(from: 1, limit: 10).filter { $0.type == "ClaimRetracted" }
            #expect(retractions.map(\.schemaVersion) == [1, 2])
            let read = try retractions.map { try $0.payload(versions: validator.versions) }
            #expect(read.map { Set($0.objectValue?.keys ?? []) } == [["claim_id", "reason", "category"], ["claim_id", "reason", "category"]])
            #expect(read[0]["category"] == "other" && read[1]["category"] == "error")
            #expect(try retractions[0].writtenPayload()["category"] == nil, "the bytes written at version 1 are never rewritten")
            #expect(retractions.allSatisfy { $0.hashIsConsistent })
            #expect(try await after.verify { _ in }.isValid, "each event verifies against the version it was written with")

            // Code that knows only version 1 refuses the newer event by name instead of misreading it.
            let old = try await before.verify { _ in }
            #expect(
                old.failure?.position == 5 && old.failure?.description.contains("ClaimRetracted has no schema version 2") == true,
                "\(String(describing: old.failure))")
        }
    }
}
