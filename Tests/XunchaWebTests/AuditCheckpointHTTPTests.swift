import Foundation
import Logging
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting
@testable import XunchaWeb

/// 审计检查点 in the server: signed at start and at each interval by the service, refused with a
/// key other than the one that signed before, and listed for the audit administrator.
@Suite("审计检查点 in the server")
struct AuditCheckpointHTTPTests {
    @Test(arguments: TestEngine.available)
    func theServerSignsCheckpointsAtItsIntervalAndTheAuditAdministratorListsThem(engine: TestEngine) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("xuncha-key-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("audit.key").path
        let key = try AuditSigningKey.create(at: path)
        let other = folder.appendingPathComponent("other.key").path
        _ = try AuditSigningKey.create(at: other)

        try await withApp(engine) { store, f, client in
            let service = try await AuditCheckpointService.make(store: store, keyPath: path, interval: .milliseconds(20), logger: Logger(label: "test"))
            let running = Task { try await service.run() }
            var waited = 0
            while try await store.auditCheckpoints().count < 2, waited < 500 {
                try await Task.sleep(for: .milliseconds(20))
                waited += 1
            }
            running.cancel()
            _ = try? await running.value
            let signed = try await store.auditCheckpoints()
            #expect(signed.count >= 2)
            #expect(signed.allSatisfy { $0.isSigned(by: key.publicKey) && $0.madeBy == "server" })

            // Another key is refused at start: the server would sign with a key nobody holds the public half of.
            let refused = await #expect(throws: DomainError.self) {
                _ = try await AuditCheckpointService.make(store: store, keyPath: other, interval: .seconds(60), logger: Logger(label: "test"))
            }
            #expect(refused?.message.contains("服务未启动") == true)

            let token = try await f.signIn(store, .auditAdministrator).token
            let listed = try await client.api(.get, "/api/v1/audit/checkpoints", token: token)
            #expect(listed.status == .ok)
            let items = try #require(try listed.json()["items"] as? [[String: Any]])
            #expect(items.count == signed.count)
            #expect(items.first?["signed_text"] as? String == signed.first?.signedText)
            #expect(items.first?["public_key"] as? String == key.publicKey.base64)
        }
    }
}
