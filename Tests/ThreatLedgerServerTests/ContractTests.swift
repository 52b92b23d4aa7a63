import Foundation
import Testing
import ThreatLedgerCore
import ThreatLedgerServer
import ThreatLedgerTesting

/// `schemas/openapi.yaml` is the contract: the routes and it cannot drift.
@Suite struct ContractTests {
    @Test func everyRouteIsInTheContractAndEveryOperationIsARoute() {
        let paths = Contract.document["paths"]?.objectValue ?? [:]
        var documented = Set<String>()
        for (path, item) in paths {
            for method in (item.objectValue ?? [:]).keys { documented.insert("\(method.uppercased()) \(path)") }
        }
        let served = Set(APIRoutes.all.map { "\($0.method) \($0.path)" })
        #expect(served == documented)
        for spec in APIRoutes.all {
            let operation = Contract.document["paths"]?[spec.path]?[spec.method.lowercased()]
            let open = operation?["security"] == .array([])
            #expect(open == (spec.permission == nil), "\(spec.method) \(spec.path): security does not match the route's permission")
            if spec.permission != nil {
                #expect(Contract.documents(spec.method, spec.path, 401) && Contract.documents(spec.method, spec.path, 403))
            }
            // The query parameters a route accepts are exactly those the contract documents.
            let parameters = (operation?["parameters"]?.arrayValue ?? []).map { parameter -> JSONValue in
                guard let reference = parameter["$ref"]?.stringValue else { return parameter }
                return Contract.document["components"]?["parameters"]?[String(reference.split(separator: "/").last!)] ?? .null
            }
            let documentedQuery = Set(parameters.filter { $0["in"] == "query" }.compactMap { $0["name"]?.stringValue })
            #expect(Set(spec.query) == documentedQuery, "\(spec.method) \(spec.path): query parameters differ from the contract")
        }
    }

    static let pythonValidatorAvailable: Bool = {
        (try? runCommand(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", "import openapi_spec_validator"]).status) == 0
    }()

    @Test(.enabled(if: pythonValidatorAvailable, "the Python openapi-spec-validator is not installed"))
    func theContractIsAValidOpenAPIDocument() throws {
        let script = """
            import sys
            from openapi_spec_validator import validate
            from openapi_spec_validator.readers import read_from_filename
            spec, base = read_from_filename(sys.argv[1])
            validate(spec, base_uri=base)
            """
        let result = try runCommand(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["python3", "-c", script, packageRoot.appendingPathComponent("schemas/openapi.yaml").path])
        #expect(result.status == 0, "\(result.stderr)")
    }
}
