import Foundation
import Testing

extension CLITests {
    /// A setting out of range must not be ignored: the server would run weaker than its operator believes.
    @Test func aSettingOutOfRangeStopsTheServerBeforeItStarts() async throws {
        try await withDatabase { database in
            let refused = try run(["serve", "--port", "0"], database: database, environment: ["XUNCHA_MAX_FAILED_SIGN_INS": "100"])
            #expect(refused.status == 2)
            #expect(refused.errors.contains("XUNCHA_MAX_FAILED_SIGN_INS=“100”无效：应为3到20之间的整数"), "\(refused.errors)")
            #expect(!FileManager.default.fileExists(atPath: database), "nothing was opened or written")
        }
    }

    /// A key file that cannot be used (missing, readable by others) stops the start before the database is opened.
    @Test func anUnusableAuditKeyStopsTheServerBeforeItStarts() async throws {
        try await withDatabase { database in
            let folder = URL(fileURLWithPath: database).deletingLastPathComponent()
            let missing = try run(["serve", "--port", "0"], database: database, environment: ["XUNCHA_AUDIT_KEY": folder.appendingPathComponent("none.key").path])
            #expect(missing.status == 2)
            #expect(missing.errors.contains("找不到审计签名密钥文件"), "\(missing.errors)")
            #expect(!FileManager.default.fileExists(atPath: database), "nothing was opened or written")

            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let key = folder.appendingPathComponent("audit.key").path
            #expect(try run(["audit", "keygen", "--key", key], database: "").status == 0)
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: key)
            let exposed = try run(["serve", "--port", "0"], database: database, environment: ["XUNCHA_AUDIT_KEY": key])
            #expect(exposed.status == 2)
            #expect(exposed.errors.contains("chmod 600"), "\(exposed.errors)")
            #expect(!FileManager.default.fileExists(atPath: database))
        }
    }
}
