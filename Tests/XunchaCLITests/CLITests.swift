import Foundation
import Logging
import SQLKit
import Testing
import XunchaCore
import XunchaStore

/// The console tool, run as a separate process on a throwaway SQLite file. One process at a time:
/// Foundation's `Process.run()` crashed once (a bad read in its memcpy) when these tests spawned in parallel.
@Suite("xuncha command line", .serialized)
struct CLITests {
    struct Run {
        let status: Int32
        let output: String
        let errors: String
    }

    /// The binary `swift test` built beside the tests, or `XUNCHA_BIN`.
    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["XUNCHA_BIN"], !path.isEmpty { return URL(fileURLWithPath: path) }
        var root = URL(fileURLWithPath: #filePath)
        while !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) { root.deleteLastPathComponent() }
        return root.appendingPathComponent(".build/debug/xuncha")
    }

    func run(_ arguments: [String], database: String, environment extra: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments + (database.isEmpty ? [] : ["--database", database])
        var environment = ProcessInfo.processInfo.environment
        environment["XUNCHA_BCRYPT_COST"] = "4"
        environment.merge(extra) { _, new in new }
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: String(decoding: output, as: UTF8.self), errors: String(decoding: errors, as: UTF8.self))
    }

    func withDatabase(_ body: (String) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("xuncha-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try await body(folder.appendingPathComponent("cli.sqlite").path)
    }

    func unitNames(_ database: String) async throws -> [String] {
        let db = try await Database.open(.sqliteFile(database), logger: Logger(label: "test"))
        defer { Task { await db.close() } }
        return try await db.read { db in try await db.raw("SELECT name FROM units ORDER BY name").all().map { try $0.decode(column: "name", as: String.self) } }
    }

    @Test func importRejectsABadFileNamingRowAndColumnAndWritesNothing() async throws {
        try await withDatabase { database in
            #expect(try run(["demo"], database: database).status == 0)
            let before = try await unitNames(database)
            let folder = URL(fileURLWithPath: database).deletingLastPathComponent()
            let bad = folder.appendingPathComponent("bad.csv")
            try Data("单位名称,单位类型,党组织类型\n清河县第一中学,学校,党委\n清河县第二中学,城堡,党委\n".utf8).write(to: bad)
            let refused = try run(["import", "units", bad.path, "--jurisdiction", "清河县委"], database: database)
            #expect(refused.status == 2)
            #expect(refused.errors.contains("第3行“单位类型”列"))
            #expect(try await unitNames(database) == before)

            let good = folder.appendingPathComponent("good.csv")
            try Data("单位名称,单位类型,党组织类型,上级单位\n清河县第一中学,学校,党委,\n清河县第一中学团委,学校,党支部,清河县第一中学\n".utf8).write(to: good)
            let imported = try run(["import", "units", good.path, "--jurisdiction", "清河县委"], database: database)
            #expect(imported.status == 0, "\(imported.errors)")
            #expect(imported.output.contains("已导入2家单位"))
            #expect(try await unitNames(database).count == before.count + 2)

            let again = try run(["import", "units", good.path, "--jurisdiction", "清河县委"], database: database)
            #expect(again.status == 2)
            #expect(again.errors.contains("已有名为“清河县第一中学”的单位"))
            let missing = try run(["import", "units", folder.appendingPathComponent("none.csv").path], database: database)
            #expect(missing.status != 0)
        }
    }

    @Test func poolRostersImportWholeOrNotAtAll() async throws {
        try await withDatabase { database in
            #expect(try run(["demo"], database: database).status == 0)
            let folder = URL(fileURLWithPath: database).deletingLastPathComponent()
            let bad = folder.appendingPathComponent("bad.csv")
            try Data("姓名,工作单位,部门类别,职级,入库类别\n甲,市审计局,审计,,人才库\n乙,市委组织部,组织,正部级,组长库\n".utf8).write(to: bad)
            let refused = try run(["import", "inspectors", bad.path], database: database)
            #expect(refused.status == 2)
            #expect(refused.errors.contains("第3行“职级”列"))
            let good = folder.appendingPathComponent("good.csv")
            try Data("姓名,工作单位,部门类别,职级,入库类别,专长\n甲,市审计局,审计,,人才库,经济责任审计\n乙,市委组织部,组织,正处级,组长库、人才库,\n".utf8).write(to: good)
            let imported = try run(["import", "inspectors", good.path, "--jurisdiction", "江城市委"], database: database)
            #expect(imported.status == 0, "\(imported.errors)")
            #expect(imported.output.contains("已导入2名巡察干部"))
        }
    }

    @Test func userAddPrintsAOneTimePasswordAndRefusesBadInput() async throws {
        try await withDatabase { database in
            #expect(try run(["demo"], database: database).status == 0)
            let added = try run(["user", "add", "--username", "zhao.liu", "--name", "赵六", "--role", "office_staff", "--jurisdiction", "青山县委"], database: database)
            #expect(added.status == 0, "\(added.errors)")
            #expect(added.output.contains("一次性密码"))
            let unknownRole = try run(["user", "add", "--username", "x.y", "--name", "某", "--role", "king"], database: database)
            #expect(unknownRole.status == 2)
            #expect(unknownRole.errors.contains("未知的角色"))
            let twoAdmins = try run(["user", "add", "--username", "x.z", "--name", "某", "--role", "audit_admin", "--role", "system_admin"], database: database)
            #expect(twoAdmins.status == 2)
            #expect(twoAdmins.errors.contains("三员分立"))
            let duplicate = try run(["user", "add", "--username", "zhao.liu", "--name", "赵六", "--role", "office_staff"], database: database)
            #expect(duplicate.status != 0)
            let listed = try run(["user", "list"], database: database)
            #expect(listed.output.contains("zhao.liu"))
            let disabled = try run(["user", "disable", "zhao.liu"], database: database)
            #expect(disabled.status == 0)
            #expect(try run(["user", "list"], database: database).output.contains("zhao.liu\t赵六\t巡察办工作人员\t已停用"))
            let reset = try run(["user", "reset-password", "nobody"], database: database)
            #expect(reset.status == 2)
        }
    }

    @Test func userUnlockClearsAnAccountsSignInPausesAndIsAudited() async throws {
        try await withDatabase { database in
            #expect(try run(["demo"], database: database).status == 0)
            func attempt(_ password: String) async throws -> String? {
                let store = try await Store.open(.sqliteFile(database), hasher: PasswordHasher(cost: 4), logger: Logger(label: "test"))
                var code: String?
                do {
                    _ = try await store.signIn(username: "office", password: password, kind: .api, clientAddress: "203.0.113.9")
                } catch let error as DomainError {
                    code = error.code
                }
                await store.close()
                return code
            }
            for _ in 1...5 { _ = try await attempt("wrong") }
            #expect(try await attempt("Xuncha@2026") == "sign_in_throttled")
            let unlocked = try run(["user", "unlock", "office"], database: database)
            #expect(unlocked.status == 0, "\(unlocked.errors)")
            #expect(unlocked.output.contains("已解除 office 的登录限制"))
            #expect(try await attempt("Xuncha@2026") == nil)
            let db = try await Database.open(.sqliteFile(database), logger: Logger(label: "test"))
            let actors = try await db.read { db in
                try await db.raw("SELECT actor_name FROM audit_entries WHERE action = 'user.unlock'").all().map { try $0.decode(column: "actor_name", as: String.self) }
            }
            await db.close()
            #expect(actors.count == 1 && actors[0].hasPrefix("console:"))
            #expect(try run(["user", "unlock", "nobody"], database: database).status == 2)
        }
    }

    @Test func auditVerifyExitsNonZeroNamingTheFirstBrokenEntry() async throws {
        try await withDatabase { database in
            #expect(try run(["demo"], database: database).status == 0)
            let intact = try run(["audit", "verify"], database: database)
            #expect(intact.status == 0)
            #expect(intact.output.contains("审计日志完整"))

            let db = try await Database.open(.sqliteFile(database), logger: Logger(label: "test"))
            try await db.transaction { db in try await db.raw("UPDATE audit_entries SET actor_name = 'someone-else' WHERE seq = 12").run() }
            await db.close()
            let broken = try run(["audit", "verify"], database: database)
            #expect(broken.status == 3)
            #expect(broken.errors.contains("第12条"))
        }
    }

    @Test func migrateIsRepeatableAndDemoRefusesAFilledDatabase() async throws {
        try await withDatabase { database in
            let first = try run(["migrate"], database: database)
            #expect(first.status == 0)
            #expect(first.output.contains("1"))
            #expect(try run(["migrate"], database: database).status == 0)
            #expect(try run(["demo"], database: database).status == 0)
            let second = try run(["demo"], database: database)
            #expect(second.status != 0)
            #expect(second.errors.contains("空库"))
        }
    }

    @Test func backupThenRestoreIntoAnEmptyDatabaseVerifiesItAndRefusesToOverwrite() async throws {
        try await withDatabase { database in
            #expect(try run(["demo"], database: database).status == 0)
            let folder = URL(fileURLWithPath: database).deletingLastPathComponent()
            let backup = folder.appendingPathComponent("backup").path
            let taken = try run(["backup", "--to", backup], database: database)
            #expect(taken.status == 0, "\(taken.errors)")
            #expect(taken.output.contains("备份已写入"))
            #expect(taken.errors.contains("正在复制数据库"), "progress on standard error")
            #expect(FileManager.default.fileExists(atPath: backup + "/manifest.json"))

            let target = folder.appendingPathComponent("restored/xuncha.sqlite").path
            let restored = try run(["restore", backup], database: target)
            #expect(restored.status == 0, "\(restored.errors)")
            #expect(restored.output.contains("核验无误"))
            #expect(try run(["audit", "verify"], database: target).status == 0)

            let again = try run(["restore", backup], database: target)
            #expect(again.status == 2)
            #expect(again.errors.contains("不会覆盖"))
            let overwrite = try run(["backup", "--to", backup], database: database)
            #expect(overwrite.status == 2)
            #expect(overwrite.errors.contains("不为空"))

            // One byte of the database copy changed: refused before anything is written.
            let copy = URL(fileURLWithPath: backup + "/database.sqlite")
            var bytes = try Data(contentsOf: copy)
            bytes[bytes.count / 2] ^= 0x01
            try bytes.write(to: copy)
            let elsewhere = folder.appendingPathComponent("elsewhere/xuncha.sqlite").path
            let tampered = try run(["restore", backup], database: elsewhere)
            #expect(tampered.status == 2)
            #expect(tampered.errors.contains("database.sqlite"))
            #expect(!FileManager.default.fileExists(atPath: elsewhere))
        }
    }
}
