import Foundation
import Testing
import ThreatLedgerCore
import ThreatLedgerTesting

@Suite struct SchemaFilesTests {
    @Test func embeddedSchemasMatchTheSchemasFolder() throws {
        let folder = packageRoot.appendingPathComponent("schemas")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".schema.json") }
        #expect(Set(files) == Set(EmbeddedSchemas.byFileName.keys), "run scripts/embed-schemas.py")
        for file in files {
            let onDisk = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            #expect(onDisk.trimmingCharacters(in: .newlines) == EmbeddedSchemas.byFileName[file], "\(file) is stale: run scripts/embed-schemas.py")
        }
    }

    @Test func everyEventTypeHasASchemaAndEverySchemaLoads() throws {
        let validator = EventValidator.standard
        for type in EventType.allCases {
            #expect(validator.schemas.schemaNames.contains(type.schemaFile(version: type.currentSchemaVersion)))
        }
    }

    @Test func aSchemaWithAKeywordTheValidatorLacksIsRefused() throws {
        let schema = try JSONParser().parse(#"{"type":"object","patternProperties":{"^x":{"type":"string"}}}"#)
        #expect(throws: SchemaDefinitionError.self) { try SchemaValidator(schemas: ["x.schema.json": schema]) }
    }
}
