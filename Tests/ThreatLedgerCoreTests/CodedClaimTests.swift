import Testing
import ThreatLedgerCore
import ThreatLedgerTesting

/// The typed read models (``CodedClaim``, ``SourceDescription``) against the seed corpus: they hold
/// every field the schemas define, encode back to what the schemas accept, and name the field a
/// document gets wrong.
@Suite struct CodedClaimTests {
    /// The value with every null member dropped, recursively: an empty field spelled as null and one
    /// left out are the same coded claim.
    func withoutNulls(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object): .object(JSONObject(object.dictionary.filter { !$0.value.isNull }.mapValues(withoutNulls)))
        case .array(let items): .array(items.map(withoutNulls))
        default: value
        }
    }

    func seedClaimPayloads() throws -> [JSONValue] {
        try seedEvents().filter { $0.type == "ClaimRecorded" }.map(\.payload)
    }

    @Test func everySeedClaimDecodesAndEncodesBackToTheSameSchemaValidFields() throws {
        let payloads = try seedClaimPayloads()
        #expect(payloads.count == 89)
        for payload in payloads {
            let coded = try CodedClaim(json: payload)
            // Nothing is lost or invented: the same non-null fields, and the encoding passes every rule a recorded claim must.
            #expect(withoutNulls(coded.json) == withoutNulls(payload), "\(coded.claimID)")
            try EventValidator.standard.validateClaim(coded.json)
            #expect(try CodedClaim(json: coded.json) == coded)
        }
    }

    @Test func anEncodedClaimNamesEveryFieldOfItsSchemaNullWhereNothingWasCoded() throws {
        var payload = try #require(try seedClaimPayloads().first?.objectValue)
        payload["notes"] = nil
        var location = try #require(payload["location"]?.objectValue)
        location["coordinates"] = nil
        payload["location"] = .object(location)
        let json = try CodedClaim(json: .object(payload)).json
        #expect(json["notes"] == .null)
        #expect(json["location"]?["coordinates"] == .null)
        #expect(json["figures"]?.arrayValue?.allSatisfy { $0.objectValue?.keys.contains("source_id") == true } == true)
    }

    @Test func aFieldThatDoesNotFitIsNamedByItsPath() throws {
        let payload = try #require(try seedClaimPayloads().first { ($0["figures"]?.arrayValue?.count ?? 0) > 0 }?.objectValue)
        func failure(_ edit: (inout JSONObject) -> Void) -> String? {
            var copy = payload
            edit(&copy)
            do {
                _ = try CodedClaim(json: .object(copy))
                return nil
            } catch {
                return error.description
            }
        }
        func figure(_ key: String, _ value: JSONValue) -> (inout JSONObject) -> Void {
            { object in
                var figures = object["figures"]!.arrayValue!
                var first = figures[0].objectValue!
                first[key] = value
                figures[0] = .object(first)
                object["figures"] = .array(figures)
            }
        }
        #expect(failure(figure("low", "many")) == "claim.figures[0].low: expected an integer or null")
        #expect(failure(figure("qualifier", "lots"))?.hasPrefix("claim.figures[0].qualifier: expected one of") == true)
        #expect(failure { $0["kind"] = "riot" }?.hasPrefix("claim.kind:") == true)
        #expect(
            failure { $0["date"] = ["start": "2023-02-30", "end": nil, "precision": "day", "basis": nil, "words": nil] }
                == "claim.date.start: expected a date (YYYY-MM-DD) or null")
        #expect(failure { $0["statement"] = nil } == "claim.statement: expected an object")
    }

    @Test func aPayloadWrittenAroundTheRulesStopsTheFoldNamingItsPositionAndField() throws {
        var payload = try #require(try seedClaimPayloads().first?.objectValue)
        payload["scope"] = "everything"
        let event = RecordedEvent(
            position: 7, id: .random(), stream: try StreamName.entity("claim", "x-01"), streamVersion: 1, type: "ClaimRecorded",
            schemaVersion: 1, payloadJSON: CanonicalJSON.string(.object(payload)), metadata: EventMetadata(recordedBy: "test"),
            recordedAt: RecordTime(microsecondsSinceEpoch: 0), previousHash: SHA256Hash.of(text: ""), hash: SHA256Hash.of(text: ""))
        var picture = ThreatPicture()
        #expect(throws: PictureFoldError.malformed(position: 7, ModelDecodingError(path: "payload.scope", expected: "one of the schema's values for scope"))) {
            try picture.apply(event)
        }
    }

    @Test func everySeedSourceDescribesItselfWithItsPublicationDate() throws {
        let sources = try seedEvents().filter { $0.type == "SourceRegistered" }
        #expect(sources.count == 5)
        for event in sources {
            let described = try SourceDescription(json: event.payload)
            #expect(described.sourceID == event.payload["source_id"]?.stringValue)
            #expect(described.published.json["start"] == event.payload["published"]?["start"])
            #expect(described.published.precision.rawValue == event.payload["published"]?["precision"]?.stringValue)
        }
    }
}
