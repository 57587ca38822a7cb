import Foundation
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

@Suite("重置密码的双人控制")
struct PasswordResetTests {
    func signIn(_ store: Store, _ name: String, _ password: String) async throws -> SignIn {
        try await store.signIn(username: name, password: password, kind: .api, clientAddress: "10.0.0.9")
    }

    func actions(_ store: Store, _ f: Fixture) async throws -> [String] {
        try await store.auditEntries(AuditQuery(targetID: f.users[.leadCustodian]!.id.text, limit: 100), origin: f.origin(.auditAdministrator))
            .items.map(\.event.action.rawValue)
    }

    @Test(arguments: TestEngine.available)
    func theSystemAdministratorAloneOnlyRequestsAResetOfABusinessAccount(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let f = try await Fixture.make(store)
            let custodian = f.users[.leadCustodian]!
            let session = try await signIn(store, custodian.username, f.passwords[.leadCustodian]!)
            let outcome = try await store.resetPassword(custodian.id, origin: f.origin(.systemAdministrator))
            guard case .requested(let request) = outcome else {
                Issue.record("a business account's password was reset by one administrator")
                return
            }
            #expect(request.status == .pending)
            // The account stays as it was: the old password and the session still work.
            #expect(try await store.authenticate(token: session.token) != nil)
            _ = try await signIn(store, custodian.username, f.passwords[.leadCustodian]!)
            // The requester cannot confirm its own request, nor can the auditor.
            for role in [Role.systemAdministrator, .auditAdministrator] {
                await #expect(throws: DomainError.self) { _ = try await store.confirmPasswordReset(request.id, origin: f.origin(role)) }
            }
            let again = await #expect(throws: DomainError.self) { _ = try await store.resetPassword(custodian.id, origin: f.origin(.systemAdministrator)) }
            #expect(again?.code == "reset_already_requested")
            #expect(try await store.pendingPasswordResets(for: f.actor(.securityAdministrator)).map(\.id) == [request.id])
            #expect(try await actions(store, f).contains(AuditAction.userPasswordResetRequested.rawValue))
        }
    }

    @Test(arguments: TestEngine.available)
    func theSecurityAdministratorsConfirmationIssuesTheOneTimePasswordToTheConfirmerAndTellsTheOwner(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let f = try await Fixture.make(store)
            let custodian = f.users[.leadCustodian]!
            let old = try await signIn(store, custodian.username, f.passwords[.leadCustodian]!)
            let request = try #require(try await { () async throws -> PasswordResetRequest? in
                if case .requested(let r) = try await store.resetPassword(custodian.id, origin: f.origin(.systemAdministrator)) { return r }
                return nil
            }())
            let issued = try await store.confirmPasswordReset(request.id, origin: f.origin(.securityAdministrator))
            #expect(issued.user.mustChangePassword)
            #expect(try await store.authenticate(token: old.token) == nil, "the owner's sessions end")
            await #expect(throws: DomainError.self) { _ = try await signIn(store, custodian.username, f.passwords[.leadCustodian]!) }
            let owner = try await signIn(store, custodian.username, issued.oneTimePassword)
            let notice = try #require(owner.session.user.resetNotice)
            #expect(notice.contains(f.users[.systemAdministrator]!.username) && notice.contains(f.users[.securityAdministrator]!.username))
            try await store.acknowledgeResetNotice(origin: RequestOrigin(actor: owner.session.actor))
            #expect(try await store.authenticate(token: owner.token)?.user.resetNotice == nil)
            let trail = try await actions(store, f)
            for action in [AuditAction.userPasswordResetRequested, .userPasswordResetConfirmed, .resetNoticeAcknowledged] {
                #expect(trail.contains(action.rawValue), "\(action.rawValue)")
            }
            let twice = await #expect(throws: DomainError.self) { _ = try await store.confirmPasswordReset(request.id, origin: f.origin(.securityAdministrator)) }
            #expect(twice?.code == "reset_not_pending")
        }
    }

    @Test(arguments: TestEngine.available)
    func aRefusedResetLeavesTheAccountAsItWas(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let f = try await Fixture.make(store)
            let custodian = f.users[.leadCustodian]!
            guard case .requested(let request) = try await store.resetPassword(custodian.id, origin: f.origin(.systemAdministrator)) else {
                Issue.record("reset was not a request")
                return
            }
            let refused = try await store.refusePasswordReset(request.id, reason: "未经本人申请", origin: f.origin(.securityAdministrator))
            #expect(refused.status == .refused)
            let late = await #expect(throws: DomainError.self) { _ = try await store.confirmPasswordReset(request.id, origin: f.origin(.securityAdministrator)) }
            #expect(late?.code == "reset_not_pending")
            let signedIn = try await signIn(store, custodian.username, f.passwords[.leadCustodian]!)
            #expect(signedIn.session.user.resetNotice == nil)
            #expect(try await actions(store, f).contains(AuditAction.userPasswordResetRefused.rawValue))
            #expect(try await store.pendingPasswordResets(for: f.actor(.securityAdministrator)).isEmpty)
        }
    }

    @Test(arguments: TestEngine.available)
    func everyBusinessRoleNeedsTheSecondAdministratorAndTheConsoleDoesNot(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let f = try await Fixture.make(store)
            for role in Role.allCases where !role.isAdministrator {
                let outcome = try await store.resetPassword(f.users[role]!.id, origin: f.origin(.systemAdministrator))
                #expect(outcome.issued == nil, "\(role) was reset by the system administrator alone")
            }
            let console = try await store.resetPassword(f.users[.groupLeader]!.id, origin: Fixture.console)
            #expect(console.issued != nil)
        }
    }
}
