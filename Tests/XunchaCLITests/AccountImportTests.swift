import Foundation
import Logging
import SQLKit
import Testing
import XunchaCore
import XunchaStore

/// `xuncha import accounts`: accounts from a spreadsheet, whole or not at all, whose roles wait for
/// the security administrator's one approval.
extension CLITests {
    func accounts(_ database: String) async throws -> [String: (roles: String, proposed: String, unit: String?)] {
        let db = try await Database.open(.sqliteFile(database), logger: Logger(label: "test"))
        defer { Task { await db.close() } }
        let rows = try await db.read { db in
            try await db.raw("SELECT u.username, u.roles, u.proposed_roles, n.name FROM users u LEFT JOIN units n ON n.id = u.proposed_unit_id").all()
        }
        var found: [String: (roles: String, proposed: String, unit: String?)] = [:]
        for row in rows {
            found[try row.decode(column: "username", as: String.self)] = (
                try row.decode(column: "roles", as: String.self), try row.decode(column: "proposed_roles", as: String.self),
                try row.decode(column: "name", as: String?.self)
            )
        }
        return found
    }

    @Test func accountImportChecksTheWholeFileAndProposesRolesForTheSecurityAdministrator() async throws {
        try await withDatabase { database in
            #expect(try run(["demo"], database: database).status == 0)
            let before = try await accounts(database)
            let folder = URL(fileURLWithPath: database).deletingLastPathComponent()

            let bad = folder.appendingPathComponent("bad.csv")
            try Data(
                """
                姓名,账号,单位,角色
                陈晨,chen.chen,,巡察办工作人员
                ,wu.bo,,巡察组成员
                吴波,office,,巡察组成员
                郑洁,zheng.jie,不存在的局,被巡察单位联络员
                孙丽,sun.li,,国王
                钱多,qian.duo,,安全保密管理员
                赵敏,zhao.min,市财政局,巡察办工作人员
                冯雪,feng.xue,,整改责任人
                陈晨,chen.chen,,巡察组组长

                """.utf8
            ).write(to: bad)
            let refused = try run(["import", "accounts", bad.path], database: database)
            #expect(refused.status == 2, "\(refused.output)")
            for expected in [
                "第3行“姓名”列", "第4行“账号”列：用户名“office”已被使用", "第5行“单位”列：本党委没有名为“不存在的局”的单位",
                "第6行“角色”列：未知的角色“国王”", "第7行“角色”列：三员角色", "第8行“单位”列", "第9行“单位”列", "第10行“账号”列：与第2行重复",
            ] {
                #expect(refused.errors.contains(expected), "\(expected) in \(refused.errors)")
            }
            #expect(try await accounts(database).count == before.count, "nothing written")

            let good = folder.appendingPathComponent("good.csv")
            try Data(
                """
                姓名,账号,单位,角色
                陈晨,chen.chen,,巡察组组长、巡察组成员
                许诺,xu.nuo,市财政局,被巡察单位联络员;整改责任人
                何平,he.ping,,

                """.utf8
            ).write(to: good)
            let imported = try run(["import", "accounts", good.path, "--jurisdiction", "江城市委"], database: database)
            #expect(imported.status == 0, "\(imported.errors)")
            #expect(imported.output.contains("已导入3个账号"))
            #expect(imported.output.components(separatedBy: "一次性密码（仅显示一次）：").count == 4, "one password per account, as user add prints it")
            #expect(imported.output.contains("已开设账号 xu.nuo（许诺，拟授被巡察单位联络员、整改责任人，待安全保密管理员批准）"))
            let opened = try await accounts(database)
            #expect(opened.count == before.count + 3)
            #expect(opened["chen.chen"]?.roles == "" && opened["chen.chen"]?.proposed == "group_leader group_member", "roles are only proposed")
            #expect(opened["xu.nuo"]?.proposed == "unit_contact task_owner" && opened["xu.nuo"]?.unit == "市财政局")
            #expect(opened["he.ping"]?.roles == "" && opened["he.ping"]?.proposed == "")

            // Written to a file instead: a new file only, readable by its owner; again all or nothing.
            let more = folder.appendingPathComponent("more.csv")
            try Data("name,username,unit,roles\n林一,lin.yi,,纪委监委承办人\n".utf8).write(to: more)
            let secrets = folder.appendingPathComponent("passwords.csv")
            let written = try run(["import", "accounts", more.path, "--passwords", secrets.path], database: database)
            #expect(written.status == 0, "\(written.errors)")
            #expect(!written.output.contains("一次性密码（仅显示一次）"))
            let file = try String(contentsOf: secrets, encoding: .utf8)
            #expect(file.hasPrefix("账号,姓名,一次性密码\nlin.yi,林一,"))
            let permissions = try FileManager.default.attributesOfItem(atPath: secrets.path)[.posixPermissions] as? Int
            #expect(permissions == 0o600)
            #expect(try run(["import", "accounts", more.path, "--passwords", secrets.path], database: database).status == 2)

            // The security administrator approves each proposal once; nobody else may.
            let store = try await Store.open(.sqliteFile(database), hasher: PasswordHasher(cost: 4), logger: Logger(label: "test"))
            do {
                let xu = try #require(try await store.userID(username: "xu.nuo"))
                let office = try await store.signIn(username: "office", password: "Xuncha@2026", kind: .api, clientAddress: nil).session.actor
                await #expect(throws: DomainError.self) { try await store.approveRoleProposal(xu, origin: RequestOrigin(actor: office)) }
                let security = try await store.signIn(username: "secadmin", password: "Xuncha@2026", kind: .api, clientAddress: nil).session.actor
                let granted = try await store.approveRoleProposal(xu, origin: RequestOrigin(actor: security))
                #expect(granted.roles == [.unitContact, .taskOwner] && granted.unitID != nil && granted.proposedRoles.isEmpty)
                await #expect(throws: DomainError.self) { try await store.approveRoleProposal(xu, origin: RequestOrigin(actor: security)) }
                let chen = try #require(try await store.userID(username: "chen.chen"))
                let declined = try await store.refuseRoleProposal(chen, origin: RequestOrigin(actor: security))
                #expect(declined.roles.isEmpty && declined.proposedRoles.isEmpty)
            } catch {
                await store.close()
                throw error
            }
            await store.close()
        }
    }
}
