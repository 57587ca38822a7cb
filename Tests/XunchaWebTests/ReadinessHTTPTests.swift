import Foundation
import HummingbirdTesting
import SQLKit
import Testing
import XunchaStore
import XunchaTesting
@testable import XunchaWeb

/// 就绪检查: `/readyz` answers 200 only while the database answers at the schema this binary
/// expects, so a balancer sends nothing to a server whose database is still being migrated.
@Suite struct ReadinessHTTPTests {
    @Test(arguments: TestEngine.available)
    func readyAtTheExpectedSchemaAndNotWhileAMigrationIsMissing(engine: TestEngine) async throws {
        try await withApp(engine) { store, _, client in
            let ready = try await client.api(.get, "/readyz")
            #expect(ready.status == .ok)
            let body = try ready.json()
            #expect(body["status"] as? String == "ready")
            #expect(body["migration"] as? Int == Migrations.all.last?.version)

            try await store.database.transaction { db in
                try await db.raw("DELETE FROM schema_migrations WHERE version = \(bind: Migrations.all.last?.version ?? 0)").run()
            }
            let behind = try await client.api(.get, "/readyz")
            #expect(behind.status == .serviceUnavailable)
            #expect(try behind.json()["status"] as? String == "not_ready")
            #expect(try await client.api(.get, "/healthz").status == .ok, "alive all the same")
        }
    }
}
