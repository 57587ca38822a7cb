import Foundation
import Logging
import SQLKit
import Testing
import XunchaCore
import XunchaStore

/// `xuncha audit keygen|checkpoint|checkpoints|verify`: the key the console creates, checkpoints
/// signed with it and exported, and a verify that reads only and names a truncation in words.
extension CLITests {
    @Test func auditCheckpointsAnchorTheChainAndVerifyOnlyReads() async throws {
        try await withDatabase { database in
            let folder = URL(fileURLWithPath: database).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let keyPath = folder.appendingPathComponent("audit.key").path
            #expect(try run(["demo"], database: database).status == 0)

            let keygen = try run(["audit", "keygen", "--key", keyPath], database: "")
            #expect(keygen.status == 0, "\(keygen.errors)")
            let publicKey = try #require(keygen.output.split(separator: "\n").map(String.init).first { $0.count == 44 && $0.hasSuffix("=") })
            #expect(try FileManager.default.attributesOfItem(atPath: keyPath)[.posixPermissions] as? Int == 0o600)
            #expect(try run(["audit", "keygen", "--key", keyPath], database: "").status == 2, "an existing key is never overwritten")

            let signed = try run(["audit", "checkpoint", "--key", keyPath], database: database)
            #expect(signed.status == 0, "\(signed.errors)")
            #expect(signed.output.contains("已签署检查点：第1号"))
            let export = folder.appendingPathComponent("checkpoints.jsonl").path
            #expect(try run(["audit", "checkpoints", "--export", export], database: database).status == 0)
            #expect(try String(contentsOfFile: export, encoding: .utf8).contains("\"signature\""))
            #expect(try run(["audit", "checkpoints"], database: database).output.contains(publicKey))

            let count = { try await self.auditRows(database) }
            let before = try await count()
            let intact = try run(["audit", "verify", "--public-key", publicKey, "--checkpoints", export, "--deep"], database: database)
            #expect(intact.status == 0, "\(intact.errors)")
            #expect(intact.output.contains("检查点：1个核验无误"))
            #expect(intact.output.contains("审计日志完整"))
            #expect(try await count() == before, "verify wrote nothing")

            // Bad input: a malformed public key, a key file that is not one, another key.
            let malformed = try run(["audit", "verify", "--public-key", "not-a-key"], database: database)
            #expect(malformed.status == 2 && malformed.errors.contains("公钥"))
            let other = folder.appendingPathComponent("other.key").path
            #expect(try run(["audit", "keygen", "--key", other], database: "").status == 0)
            let foreign = try run(["audit", "checkpoint", "--key", other], database: database)
            #expect(foreign.status == 2 && foreign.errors.contains("不是此前签署检查点的密钥"))
            #expect(try run(["audit", "verify", "--key", other], database: database).status == 3, "checkpoints another key signed")
            #expect(try await count() == before)

            // The newest entries cut off and the head moved back: named, exit 3.
            let db = try await Database.open(.sqliteFile(database), logger: Logger(label: "test"))
            try await db.transaction { db in
                try await db.raw("DELETE FROM audit_entries WHERE seq > 20").run()
                try await db.raw("UPDATE audit_head SET seq = 20, hash = (SELECT hash FROM audit_entries WHERE seq = 20) WHERE id = 1").run()
            }
            await db.close()
            #expect(try run(["audit", "verify"], database: database).status == 0, "the chain alone cannot see it")
            let truncated = try run(["audit", "verify", "--public-key", publicKey], database: database)
            #expect(truncated.status == 3)
            #expect(truncated.errors.contains("末尾记录被删除"), "\(truncated.errors)")
        }
    }

    func auditRows(_ database: String) async throws -> Int64 {
        let db = try await Database.open(.sqliteFile(database), logger: Logger(label: "test"))
        let count = try await db.read { db in try await db.raw("SELECT COUNT(*) AS n FROM audit_entries").first()!.decode(column: "n", as: Int64.self) }
        await db.close()
        return count
    }
}
