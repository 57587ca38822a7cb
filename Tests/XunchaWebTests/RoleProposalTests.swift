import Foundation
import HTTPTypes
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting
@testable import XunchaWeb

/// 拟授角色: an account import proposes roles; the security administrator approves or refuses
/// them once, over the API or on the account's page, and nobody else may.
@Suite("Role proposals of imported accounts")
struct RoleProposalTests {
    @Test func theSecurityAdministratorApprovesAnImportedAccountsRolesOnce() async throws {
        try await withApp(.sqlite) { store, f, client in
            let csv = "姓名,账号,单位,角色\n许诺,xu.nuo,市财政局,被巡察单位联络员、整改责任人\n陈晨,chen.chen,,巡察组成员\n"
            let plan = try AccountImportPlan.plan(try CSVTable.parse(Data(csv.utf8)))
            let issued = try await store.importAccounts(plan, into: f.city.id, origin: Fixture.console)
            let xu = try #require(issued.first { $0.user.username == "xu.nuo" }).user
            let chen = try #require(issued.first { $0.user.username == "chen.chen" }).user
            #expect(xu.roles.isEmpty && xu.unitID == nil, "the import grants nothing")

            let security = try await f.signIn(store, .securityAdministrator).token
            let system = try await f.signIn(store, .systemAdministrator).token
            let read = try await client.api(.get, "/api/v1/users/\(xu.id.text)", token: security)
            #expect(try read.json()["proposed_roles"] as? [String] == ["unit_contact", "task_owner"])
            #expect(try read.json()["proposed_unit_id"] as? String == f.cityUnit.id.text)

            let bySystem = try await client.api(.post, "/api/v1/users/\(xu.id.text)/role-proposal/approve", token: system)
            #expect(bySystem.status == .forbidden, "the system administrator opens accounts but grants no role")
            let approved = try await client.api(.post, "/api/v1/users/\(xu.id.text)/role-proposal/approve", token: security)
            #expect(approved.status == .ok)
            #expect(try approved.json()["roles"] as? [String] == ["unit_contact", "task_owner"])
            #expect(try approved.json()["unit_id"] as? String == f.cityUnit.id.text)
            #expect(try approved.json()["proposed_roles"] as? [String] == [])
            let again = try await client.api(.post, "/api/v1/users/\(xu.id.text)/role-proposal/approve", token: security)
            #expect(again.status == .conflict && again.errorCode == "no_role_proposal")

            let page = try await client.page(.get, "/users/\(chen.id.text)", session: try await f.signIn(store, .securityAdministrator, kind: .web))
            #expect(page.text.contains("拟授角色") && page.text.contains("批准拟授角色") && page.text.contains("巡察组成员"))
            let refused = try await client.api(.post, "/api/v1/users/\(chen.id.text)/role-proposal/refuse", token: security)
            #expect(refused.status == .ok)
            #expect(try refused.json()["roles"] as? [String] == [] && (try refused.json()["proposed_roles"] as? [String]) == [])
        }
    }
}
