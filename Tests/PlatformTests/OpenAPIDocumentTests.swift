import Foundation
import KexieApp
import Platform
import XCTVapor
import Yams

/// The contract in `/api/openapi.yaml` is written by hand (docs/operators/api.md says why); these tests
/// hold it to the routes: every route is described and nothing else is, every operation names its
/// success and its refusals with a schema, every reference resolves.
final class OpenAPIDocumentTests: KexieTestCase {
    private typealias Object = [String: Any]
    private static let methods = ["get", "post", "put", "patch", "delete"]

    private func document() async throws -> Object {
        let response = try await app.testable().sendRequest(.GET, "/api/openapi.yaml")
        XCTAssertEqual(response.status, .ok)
        guard let document = try Yams.load(yaml: response.body.string) as? Object else {
            throw Abort(.internalServerError, reason: "openapi.yaml is not a mapping")
        }
        return document
    }

    /// Every operation as "METHOD /path" with its path item and operation object.
    private func operations(_ document: Object) -> [(name: String, pathItem: Object, operation: Object)] {
        let paths = document["paths"] as? Object ?? [:]
        return paths.keys.sorted().flatMap { path -> [(String, Object, Object)] in
            let item = paths[path] as? Object ?? [:]
            return Self.methods.compactMap { method in
                (item[method] as? Object).map { ("\(method.uppercased()) \(path)", item, $0) }
            }
        }
    }

    /// Follows `$ref: '#/components/…'` once.
    private func resolve(_ value: Any?, in document: Object) -> Object? {
        guard let object = value as? Object else { return nil }
        guard let ref = object["$ref"] as? String else { return object }
        var current: Any? = document
        for key in ref.dropFirst(2).split(separator: "/") { current = (current as? Object)?[String(key)] }
        return current as? Object
    }

    func testEveryAPIRouteIsDescribedAndNothingElse() async throws {
        let document = try await document()
        XCTAssertEqual(document["openapi"] as? String, "3.1.0")
        var registered = Set<String>()
        for route in app.routes.all {
            let parts = route.path.map { "\($0)" }
            guard parts.starts(with: ["api", "v1"]), !parts.contains("**") else { continue }
            let path = "/" + parts.dropFirst(2).map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : $0 }.joined(separator: "/")
            registered.insert("\(route.method.rawValue) \(path)")
        }
        let described = Set(operations(document).map(\.name))
        XCTAssertEqual(registered.subtracting(described).sorted(), [], "routes missing from openapi.yaml")
        XCTAssertEqual(described.subtracting(registered).sorted(), [], "operations in openapi.yaml without a route")
    }

    func testEveryOperationNamesItsSuccessAndItsRefusalsWithSchemas() async throws {
        let document = try await document()
        for (name, pathItem, operation) in operations(document) {
            let responses = operation["responses"] as? Object ?? [:]
            let codes = responses.keys.sorted()
            XCTAssertTrue(codes.contains { $0.hasPrefix("2") }, "\(name) has no 2xx response")
            XCTAssertTrue(codes.contains { $0.hasPrefix("4") }, "\(name) has no 4xx response")
            for code in codes {
                guard let response = resolve(responses[code], in: document) else {
                    XCTFail("\(name) \(code) does not resolve")
                    continue
                }
                if code == "204" { continue }
                let content = response["content"] as? Object ?? [:]
                XCTAssertFalse(content.isEmpty, "\(name) \(code) has no content")
                for (mediaType, value) in content {
                    XCTAssertNotNil((value as? Object)?["schema"], "\(name) \(code) \(mediaType) has no schema")
                }
                if code.hasPrefix("4") {
                    XCTAssertNotNil(content["application/json"], "\(name) \(code) is not the JSON error body")
                }
            }
            // What every operation can meet: the per-token rate limit, and 401 for a missing or bad token.
            XCTAssertTrue(codes.contains("429"), "\(name) does not list 429")
            XCTAssertTrue(codes.contains("401"), "\(name) does not list 401")
            if operation["requestBody"] != nil {
                XCTAssertTrue(codes.contains("413"), "\(name) takes a body but does not list 413")
                XCTAssertTrue(codes.contains("422"), "\(name) takes a body but does not list 422")
            }
            if !name.hasPrefix("GET ") {
                XCTAssertTrue(codes.contains("403"), "\(name) changes data but does not list 403 (read-only tokens)")
            }
            let parameters = ((pathItem["parameters"] as? [Any] ?? []) + (operation["parameters"] as? [Any] ?? []))
                .compactMap { resolve($0, in: document) }
            let names = Set(parameters.compactMap { $0["name"] as? String })
            if !parameters.filter({ $0["in"] as? String == "query" }).isEmpty || names.contains("id") {
                XCTAssertTrue(codes.contains("422") || codes.contains("404"), "\(name) reads parameters but lists neither 422 nor 404")
            }
            if names.contains("page") {
                XCTAssertTrue(names.contains("per"), "\(name) pages without per")
                XCTAssertTrue(codes.contains("422"), "\(name) pages without listing 422")
            }
            for parameter in parameters where parameter["in"] as? String == "path" {
                XCTAssertEqual(parameter["required"] as? Bool, true, "\(name) path parameter \(parameter["name"] ?? "")")
            }
            let template = name.split(separator: " ")[1]
            for placeholder in template.split(separator: "/") where placeholder.hasPrefix("{") {
                XCTAssertTrue(names.contains(String(placeholder.dropFirst().dropLast())), "\(name) does not declare \(placeholder)")
            }
        }
    }

    func testPagingParametersStateTheBoundsTheHandlersEnforce() async throws {
        let document = try await document()
        let page = resolve(["$ref": "#/components/parameters/Page"], in: document)?["schema"] as? Object
        XCTAssertEqual(page?["minimum"] as? Int, 1)
        XCTAssertEqual(page?["maximum"] as? Int, 10_000)
        for (name, _, operation) in operations(document) {
            for parameter in (operation["parameters"] as? [Any] ?? []).compactMap({ resolve($0, in: document) })
            where parameter["name"] as? String == "per" {
                let schema = parameter["schema"] as? Object
                XCTAssertEqual(schema?["minimum"] as? Int, 1, name)
                XCTAssertTrue([100, 200].contains(schema?["maximum"] as? Int ?? 0), name)
            }
        }
        // Out of range is refused with the field named, not clamped.
        let response = try await app.testable().sendRequest(.GET, "/api/v1/supplies?per=101")
        XCTAssertEqual(response.status, .unprocessableEntity)
        XCTAssertEqual(try response.content.decode(APIErrorBody.self).error.field, "per")
    }

    func testEveryReferenceResolvesAndModulesDoNotShareSchemaNames() async throws {
        let document = try await document()
        var refs: [String] = []
        func walk(_ value: Any) {
            if let object = value as? Object {
                if let ref = object["$ref"] as? String { refs.append(ref) }
                // YAML reads 35_44 as a number and yes as a boolean: an enum of texts must hold texts.
                if let type = object["type"], "\(type)".contains("string"), let values = object["enum"] as? [Any] {
                    for value in values where !(value is String) && !(value is NSNull) {
                        XCTFail("enum value \(value) of a string schema is not a string: \(values)")
                    }
                }
                object.values.forEach(walk)
            } else if let array = value as? [Any] {
                array.forEach(walk)
            }
        }
        walk(document)
        XCTAssertFalse(refs.isEmpty)
        for ref in Set(refs) {
            XCTAssertTrue(ref.hasPrefix("#/components/"), ref)
            XCTAssertNotNil(resolve(["$ref": ref], in: document), "\(ref) does not resolve")
        }
        var owner: [String: String] = [:]
        for module in try KexieApp.modules() where !module.openAPISchemas.isEmpty {
            let names = (try Yams.load(yaml: "schemas:\n" + module.openAPISchemas) as? Object)?["schemas"] as? Object ?? [:]
            XCTAssertFalse(names.isEmpty, "\(module.id) schemas do not parse")
            for name in names.keys {
                XCTAssertNil(owner[name], "\(name) is defined by \(owner[name] ?? "") and \(module.id)")
                owner[name] = module.id
            }
        }
    }
}
