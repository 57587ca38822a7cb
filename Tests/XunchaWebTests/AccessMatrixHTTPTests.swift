import Foundation
import HTTPTypes
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

/// The access policy as the API enforces it, role by role.
@Suite("Access policy over HTTP")
struct AccessMatrixHTTPTests {
    /// Expected status of each list endpoint for each role.
    static let lists: [(String, Set<Role>)] = [
        ("/api/v1/units", [.officeStaff, .leadCustodian, .leadingGroupMember, .groupLeader, .groupMember, .disciplineReceiver, .organisationReceiver, .unitHead, .unitContact]),
        ("/api/v1/users", [.systemAdministrator, .securityAdministrator]),
        ("/api/v1/audit", [.auditAdministrator]),
        ("/api/v1/audit/checkpoints", [.auditAdministrator]),
        ("/api/v1/jurisdictions", Set(Role.allCases)),
        ("/api/v1/rounds", [.officeStaff, .leadingGroupMember]),
        ("/api/v1/inspectors", [.officeStaff]),
        ("/api/v1/assignments", [.officeStaff, .leadingGroupMember, .groupLeader, .groupMember]),
        ("/api/v1/notices", [.officeStaff, .leadingGroupMember, .unitHead, .unitContact]),
        // The office decides units' recusal requests; a unit reads only its own.
        ("/api/v1/recusal-requests", [.officeStaff, .unitHead, .unitContact]),
        ("/api/v1/me/groups", [.groupLeader, .groupMember]),
        ("/api/v1/settings", [.officeStaff, .leadingGroupMember]),
        (
            "/api/v1/rectification-tasks",
            [.officeStaff, .leadingGroupMember, .groupLeader, .groupMember, .disciplineReceiver, .organisationReceiver, .unitHead, .unitContact, .taskOwner]
        ),
        ("/api/v1/rectification-plans", [.officeStaff, .leadingGroupMember, .groupLeader, .groupMember, .disciplineReceiver, .organisationReceiver, .unitHead, .unitContact, .taskOwner]),
        ("/api/v1/systemic-problems", [.officeStaff, .leadingGroupMember]),
        // A unit's accounts list only the thematic reports sent to their unit (as a functional department).
        ("/api/v1/thematic-reports", [.officeStaff, .leadingGroupMember, .unitHead, .unitContact]),
    ]

    @Test(arguments: TestEngine.available)
    func eachRoleListsExactlyWhatThePolicyAllows(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            for role in Role.allCases {
                let token = try await f.signIn(store, role).token
                for (path, allowed) in Self.lists {
                    let response = try await client.api(.get, path, token: token)
                    if allowed.contains(role) {
                        #expect(response.status == .ok, "\(role) \(path)")
                    } else {
                        #expect(response.status == .forbidden, "\(role) \(path)")
                        #expect(response.errorCode == "forbidden", "\(role) \(path)")
                    }
                }
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func aUnitAccountSeesOnlyItsOwnUnitAndNoOtherRecordExists(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            for role in [Role.unitHead, .unitContact] {
                let token = try await f.signIn(store, role).token
                let list = try await client.api(.get, "/api/v1/units", token: token)
                let items = try #require(try list.json()["items"] as? [[String: Any]])
                #expect(items.map { $0["name"] as? String } == ["市财政局"])
                let other = try await client.api(.get, "/api/v1/units/\(f.countyAUnit.id.text)", token: token)
                #expect(other.status == .notFound)
                let missing = try await client.api(.get, "/api/v1/units/\(UUID().uuidString)", token: token)
                #expect(missing.status == .notFound)
                #expect(other.text == missing.text, "a denied read must look exactly like a missing record")
                let write = try await client.api(.post, "/api/v1/units", token: token, json: #"{"name": "新单位", "type": "school", "party_organisation": "committee"}"#)
                #expect(write.status == .forbidden)
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func countyOfficesSeeNothingOfEachOther(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let office = try #require(try await store.userID(username: "qinghe.office"))
            let issued = try #require(try await store.resetPassword(office, origin: Fixture.console).issued)
            try await f.settle(store)
            let token = try await store.signIn(username: "qinghe.office", password: issued.oneTimePassword, kind: .api, clientAddress: nil).token
            let list = try await client.api(.get, "/api/v1/units", token: token)
            let names = try #require(try list.json()["items"] as? [[String: Any]]).compactMap { $0["name"] as? String }
            #expect(names == ["清河县水利局"])
            let foreign = try await client.api(.get, "/api/v1/units?jurisdiction_id=\(f.countyB.id.text)", token: token)
            #expect(try #require(try foreign.json()["items"] as? [[String: Any]]).isEmpty)
            #expect(try await client.api(.get, "/api/v1/units/\(f.countyBUnit.id.text)", token: token).status == .notFound)
            #expect(try await client.api(.get, "/api/v1/jurisdictions/\(f.countyB.id.text)", token: token).status == .notFound)
            let write = try await client.api(
                .post, "/api/v1/units", token: token,
                json: #"{"jurisdiction_id": "\#(f.countyB.id.text)", "name": "越权单位", "type": "school", "party_organisation": "committee"}"#)
            #expect(write.status == .notFound)
        }
    }

    @Test(arguments: TestEngine.available)
    func theAuditAdministratorChangesNothing(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let token = try await f.signIn(store, .auditAdministrator).token
            let attempts: [(HTTPRequest.Method, String, String)] = [
                (.post, "/api/v1/units", #"{"name": "新单位", "type": "school", "party_organisation": "committee"}"#),
                (.put, "/api/v1/units/\(f.cityUnit.id.text)", #"{"name": "改名", "type": "school", "party_organisation": "committee", "version": 1}"#),
                (.post, "/api/v1/users", #"{"username": "x.y", "display_name": "某", "jurisdiction_id": "\#(f.city.id.text)", "roles": ["office_staff"]}"#),
                (.post, "/api/v1/jurisdictions", #"{"name": "新县委", "level": "county", "parent_id": "\#(f.city.id.text)"}"#),
                (.post, "/api/v1/users/\(f.users[.officeStaff]!.id.text)/disable", "{}"),
                (.put, "/api/v1/users/\(f.users[.officeStaff]!.id.text)/roles", #"{"roles": ["group_leader"]}"#),
            ]
            for (method, path, body) in attempts {
                let response = try await client.api(method, path, token: token, json: body)
                #expect([.forbidden, .notFound].contains(response.status), "\(method) \(path): \(response.status)")
            }
            let verify = try await client.api(.post, "/api/v1/audit/verify", token: token)
            #expect(verify.status == .ok)
            #expect(try verify.json()["intact"] as? Bool == true)
        }
    }

    @Test(arguments: TestEngine.available)
    func theSystemAdministratorManagesAccountsButReadsNoBusinessRecord(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let token = try await f.signIn(store, .systemAdministrator).token
            #expect(try await client.api(.get, "/api/v1/units", token: token).status == .forbidden)
            #expect(try await client.api(.get, "/api/v1/units/\(f.cityUnit.id.text)", token: token).status == .notFound)
            #expect(try await client.api(.get, "/api/v1/audit", token: token).status == .forbidden)
            let withRoles = try await client.api(
                .post, "/api/v1/users", token: token,
                json: #"{"username": "li.si", "display_name": "李四", "jurisdiction_id": "\#(f.city.id.text)", "roles": ["unit_contact"], "unit_id": "\#(f.cityUnit.id.text)"}"#)
            #expect(withRoles.status == .forbidden)
            #expect(withRoles.errorCode == "roles_granted_by_security_administrator")
            let created = try await client.api(
                .post, "/api/v1/users", token: token, json: #"{"username": "li.si", "display_name": "李四", "jurisdiction_id": "\#(f.city.id.text)"}"#)
            #expect(created.status == .created)
            let body = try created.json()
            #expect((body["one_time_password"] as? String)?.count ?? 0 >= 10)
            let admin = try await client.api(
                .post, "/api/v1/users", token: token,
                json: #"{"username": "sec2", "display_name": "某", "jurisdiction_id": "\#(f.city.id.text)", "roles": ["security_admin"]}"#)
            #expect(admin.status == .forbidden)
            let twoAdminRoles = try await client.api(
                .post, "/api/v1/users", token: token,
                json: #"{"username": "two", "display_name": "某", "jurisdiction_id": "\#(f.city.id.text)", "roles": ["security_admin", "audit_admin"]}"#)
            #expect(twoAdminRoles.status == .badRequest)
            #expect(twoAdminRoles.errorCode == "separation_of_duties")
        }
    }

    @Test(arguments: TestEngine.available)
    func anAccountWithItsInitialPasswordCanOnlyChangeIt(engine: TestEngine) async throws {
        try await withApp(engine, settle: false) { store, f, client in
            let signIn = try await f.signIn(store, .officeStaff)
            let blocked = try await client.api(.get, "/api/v1/units", token: signIn.token)
            #expect(blocked.status == .forbidden)
            #expect(blocked.errorCode == "password_change_required")
            #expect(try await client.api(.get, "/api/v1/me", token: signIn.token).status == .ok)
            let changed = try await client.api(
                .post, "/api/v1/me/password", token: signIn.token,
                json: #"{"current_password": "\#(f.passwords[.officeStaff]!)", "new_password": "Strong#Pass2026"}"#)
            #expect(changed.status == .noContent)
            #expect(try await client.api(.get, "/api/v1/units", token: signIn.token).status == .ok)
        }
    }
}
