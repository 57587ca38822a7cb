import Foundation
import Hummingbird
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting
@testable import XunchaWeb

@Suite("Health, metrics and the OpenAPI contract")
struct SystemAndContractTests {
    @Test(arguments: TestEngine.available)
    func healthAndTheContractArePublicButMetricsAreNot(engine: TestEngine) async throws {
        try await withApp(engine) { store, _, client in
            let health = try await client.api(.get, "/healthz")
            #expect(health.status == .ok)
            #expect(try health.json()["database"] as? String == engine.rawValue)
            _ = try await client.api(.get, "/login")
            // Without a socket there is no peer address, so the loopback default refuses; the
            // live-socket tests of `HTTPHygieneTests` read them from this machine.
            let metrics = try await client.api(.get, "/metrics")
            #expect(metrics.status == .forbidden)
            #expect(!metrics.text.contains("hb_requests"))
            let contract = try await client.api(.get, "/api/openapi.yaml")
            #expect(contract.status == .ok)
            #expect(contract.text.hasPrefix("openapi: 3.1"))
        }
    }

    /// Fails when a route exists that the OpenAPI document does not describe, or the reverse.
    @Test func everyAPIRouteIsDescribedInTheContract() async throws {
        try await withTestStore(.sqlite) { store in
            let router = try await buildRouter(config: AppConfig(), store: store)
            // The contract covers the JSON API and the operational endpoints; HTML pages are not part of it.
            let routes = Set(
                router.routes.filter { route in
                    let path = route.path.description
                    return path.hasPrefix("/api/") || path == "/healthz" || path == "/metrics"
                }.map { "\($0.method.rawValue.lowercased()) \($0.path.description)" })
            #expect(routes.count > 40, "the API routes were found")
            let documented = try Self.documentedOperations()
            #expect(routes.subtracting(documented).isEmpty, "routes missing from openapi.yaml: \(routes.subtracting(documented).sorted())")
            #expect(documented.subtracting(routes).isEmpty, "openapi.yaml describes routes that do not exist: \(documented.subtracting(routes).sorted())")
        }
    }

    /// `method path` for every operation in openapi.yaml (paths at two spaces, methods at four).
    static func documentedOperations() throws -> Set<String> {
        let text = try String(contentsOf: Resources.url("openapi.yaml"), encoding: .utf8)
        var operations = Set<String>()
        var currentPath: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("  /"), line.hasSuffix(":"), !line.hasPrefix("   ") {
                currentPath = String(line.dropFirst(2).dropLast())
            } else if line.hasPrefix("    "), !line.hasPrefix("     "), let path = currentPath {
                let key = line.trimmingCharacters(in: .whitespaces).dropLast()
                if ["get", "post", "put", "patch", "delete"].contains(String(key)) { operations.insert("\(key) \(path)") }
            } else if !line.hasPrefix(" "), !line.isEmpty {
                currentPath = nil
            }
        }
        return operations
    }
}

@Suite("JSON timestamps")
struct TimestampTests {
    @Test(arguments: [-2_208_988_800.0, -1.0, 0, 951_782_400, 1_709_164_800, 1_798_000_000.9, 4_102_444_799])
    func theFastFormatterAgreesWithFoundation(seconds: Double) {
        let date = Date(timeIntervalSince1970: seconds)
        let reference = ISO8601DateFormatter()
        #expect(JSONBody.timestamp(date) == reference.string(from: Date(timeIntervalSince1970: seconds.rounded(.down))))
    }
}
