import Foundation
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

@Suite("账号、登录与会话")
struct AccountTests {
    /// Opens an account as the console and sets a known password, returning it.
    func account(_ store: Store, _ f: Fixture, roles: Set<Role> = [.officeStaff], name: String = "wang.ming") async throws -> (User, String) {
        let issued = try await store.createUser(
            UserDraft(username: name, displayName: "王明", jurisdictionID: f.city.id, roles: try RoleSet(roles, unitGiven: false), unitID: nil), origin: Fixture.console)
        return (issued.user, issued.oneTimePassword)
    }

    @Test(arguments: TestEngine.available)
    func aNewAccountMustChangeItsOneTimePasswordThenSignsIn(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let f = try await Fixture.make(store)
            let (_, password) = try await account(store, f)
            let first = try await store.signIn(username: "Wang.Ming", password: password, kind: .web, clientAddress: "10.0.0.1")
            #expect(first.session.user.mustChangePassword)
            let origin = RequestOrigin(actor: first.session.actor)

            let weak = await #expect(throws: DomainError.self) {
                try await store.changePassword(current: password, new: "short", keepingSession: first.token, origin: origin)
            }
            #expect(weak?.code == "weak_password")
            let wrong = await #expect(throws: DomainError.self) {
                try await store.changePassword(current: "not-it", new: "Good#Pass2026", keepingSession: first.token, origin: origin)
            }
            #expect(wrong?.code == "wrong_current_password")

            try await store.changePassword(current: password, new: "Good#Pass2026", keepingSession: first.token, origin: origin)
            let session = try #require(try await store.authenticate(token: first.token))
            #expect(!session.user.mustChangePassword)
            await #expect(throws: DomainError.self) {
                _ = try await store.signIn(username: "wang.ming", password: password, kind: .web, clientAddress: nil)
            }
            _ = try await store.signIn(username: "wang.ming", password: "Good#Pass2026", kind: .api, clientAddress: nil)
        }
    }

    @Test(arguments: TestEngine.available)
    func whileLockedEveryPasswordGetsTheSameAnswer(engine: TestEngine) async throws {
        let clock = TestClock()
        try await withTestStore(engine, clock: clock) { store in
            let f = try await Fixture.make(store)
            let (_, password) = try await account(store, f)
            for _ in 1...5 {
                let error = await #expect(throws: DomainError.self) {
                    _ = try await store.signIn(username: "wang.ming", password: "wrong", kind: .web, clientAddress: nil)
                }
                #expect(error?.code == "invalid_credentials")
            }
            // The right password and a wrong one are answered alike, so the lock never confirms a guess.
            let right = await #expect(throws: DomainError.self) {
                _ = try await store.signIn(username: "wang.ming", password: password, kind: .web, clientAddress: nil)
            }
            let wrong = await #expect(throws: DomainError.self) {
                _ = try await store.signIn(username: "wang.ming", password: "wrong again", kind: .web, clientAddress: nil)
            }
            #expect(right != nil && right == wrong)
            clock.advance(by: store.security.lockDuration + 1)
            _ = try await store.signIn(username: "wang.ming", password: password, kind: .web, clientAddress: nil)
        }
    }

    @Test(arguments: TestEngine.available)
    func parallelGuessesAllCountTowardsTheLock(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let f = try await Fixture.make(store)
            let (_, password) = try await account(store, f)
            await withTaskGroup(of: Void.self) { group in
                for _ in 1...12 {
                    group.addTask { _ = try? await store.signIn(username: "wang.ming", password: "wrong", kind: .web, clientAddress: nil) }
                }
            }
            let locked = await #expect(throws: DomainError.self) {
                _ = try await store.signIn(username: "wang.ming", password: password, kind: .web, clientAddress: nil)
            }
            #expect(locked?.code == "sign_in_throttled")
        }
    }

    /// Signs in with a wrong password and returns the answer.
    func fail(_ store: Store, _ name: String, from address: String?, password: String = "wrong") async -> DomainError? {
        do {
            _ = try await store.signIn(username: name, password: password, kind: .api, clientAddress: address)
            return nil
        } catch {
            return error as? DomainError
        }
    }

    @Test(arguments: TestEngine.available)
    func aStrangersGuessesFromOneAddressNeverKeepTheAdministratorsOut(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let f = try await Fixture.make(store)
            for role in [Role.securityAdministrator, .systemAdministrator, .auditAdministrator] {
                let name = f.users[role]!.username
                for _ in 1...12 { _ = await fail(store, name, from: "203.0.113.9") }
                // The stranger's own address is paused, right password or not …
                let right = await fail(store, name, from: "203.0.113.9", password: f.passwords[role]!)
                let wrong = await fail(store, name, from: "203.0.113.9")
                #expect(right?.code == "sign_in_throttled")
                #expect(right == wrong)
                // … but the owner at a desk that never signed in before is not.
                _ = try await store.signIn(username: name, password: f.passwords[role]!, kind: .web, clientAddress: "10.0.0.5")
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func guessingFromManyAddressesIsSlowedButTheOwnersRightPasswordStillWorks(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let f = try await Fixture.make(store)
            let name = f.users[.securityAdministrator]!.username
            let password = f.passwords[.securityAdministrator]!
            _ = try await store.signIn(username: name, password: password, kind: .web, clientAddress: "10.0.0.5")
            // Four guesses from each of five addresses: the account-wide ceiling.
            for host in 1...5 {
                for _ in 1...4 { #expect(await fail(store, name, from: "198.51.100.\(host)")?.code == "invalid_credentials") }
            }
            // Now a fresh address gets one guess per pause, whatever it sends next …
            #expect(await fail(store, name, from: "192.0.2.50")?.code == "invalid_credentials")
            #expect(await fail(store, name, from: "192.0.2.50", password: password)?.code == "sign_in_throttled")
            // … the desk the owner used before keeps its allowance, and the owner's right password
            // from an address that has not been failing still works.
            _ = try await store.signIn(username: name, password: password, kind: .web, clientAddress: "10.0.0.5")
            _ = try await store.signIn(username: name, password: password, kind: .web, clientAddress: "192.0.2.77")
        }
    }

    @Test(arguments: TestEngine.available)
    func unknownNamesAreThrottledExactlyLikeAccounts(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let f = try await Fixture.make(store)
            _ = try await account(store, f)
            var answers: [String: [DomainError?]] = [:]
            for name in ["wang.ming", "nobody.here"] {
                for _ in 1...7 { answers[name, default: []].append(await fail(store, name, from: "203.0.113.9")) }
            }
            #expect(answers["wang.ming"] == answers["nobody.here"])
            #expect(answers["nobody.here"]?.last??.code == "sign_in_throttled")
        }
    }

    @Test(arguments: TestEngine.available)
    func anAddressSprayingManyNamesIsStoppedButItsKnownOwnersAreNot(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let f = try await Fixture.make(store)
            let (_, password) = try await account(store, f)
            _ = try await store.signIn(username: "wang.ming", password: password, kind: .web, clientAddress: "10.0.0.7")
            for n in 1...20 { _ = await fail(store, "guess.\(n)", from: "10.0.0.7") }
            #expect(await fail(store, "t.office.staff", from: "10.0.0.7", password: f.passwords[.officeStaff]!)?.code == "sign_in_throttled")
            _ = try await store.signIn(username: "wang.ming", password: password, kind: .web, clientAddress: "10.0.0.7")
            _ = try await store.signIn(username: "t.office.staff", password: f.passwords[.officeStaff]!, kind: .web, clientAddress: "10.0.0.8")
        }
    }

    @Test(arguments: TestEngine.available)
    func eachPauseIsLongerThanTheLastAndUnlockClearsThem(engine: TestEngine) async throws {
        let clock = TestClock()
        try await withTestStore(engine, clock: clock) { store in
            let f = try await Fixture.make(store)
            let (user, password) = try await account(store, f)
            for _ in 1...5 { _ = await fail(store, "wang.ming", from: "203.0.113.9") }
            clock.advance(by: store.security.lockDuration + 1)
            for _ in 1...5 { _ = await fail(store, "wang.ming", from: "203.0.113.9") }
            clock.advance(by: store.security.lockDuration + 1)
            #expect(await fail(store, "wang.ming", from: "203.0.113.9", password: password)?.code == "sign_in_throttled", "the second pause is twice the first")
            #expect(try await store.users(UserQuery(search: "wang.ming"), for: f.actor(.securityAdministrator)).items.first?.isLocked(at: clock.now()) == true)
            _ = try await store.unlockUser(user.id, origin: Fixture.console)
            _ = try await store.signIn(username: "wang.ming", password: password, kind: .web, clientAddress: "203.0.113.9")
            let unlocks = try await store.auditEntries(AuditQuery(action: AuditAction.userUnlocked.rawValue), origin: f.origin(.auditAdministrator))
            #expect(unlocks.items.first?.actorName == "console:test")
        }
    }

    @Test(arguments: TestEngine.available)
    func aDisabledAccountAnswersEveryPasswordLikeAWrongOne(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let f = try await Fixture.make(store)
            let (user, password) = try await account(store, f)
            _ = try await store.disableUser(user.id, origin: f.origin(.systemAdministrator))
            let guess = await #expect(throws: DomainError.self) { _ = try await store.signIn(username: "wang.ming", password: "guess", kind: .web, clientAddress: nil) }
            let owner = await #expect(throws: DomainError.self) { _ = try await store.signIn(username: "wang.ming", password: password, kind: .web, clientAddress: nil) }
            let stranger = await #expect(throws: DomainError.self) { _ = try await store.signIn(username: "no.such.name", password: password, kind: .web, clientAddress: nil) }
            #expect(guess?.code == "invalid_credentials")
            #expect(owner == guess)
            #expect(stranger == guess)
        }
    }

    @Test(arguments: TestEngine.available)
    func accountsAreOpenedWithoutRolesAndTheSecurityAdministratorGrantsThem(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let f = try await Fixture.make(store)
            let withRoles = UserDraft(username: "chen.qi", displayName: "陈七", jurisdictionID: f.city.id, roles: try RoleSet([.officeStaff], unitGiven: false), unitID: nil)
            let refused = await #expect(throws: DomainError.self) { _ = try await store.createUser(withRoles, origin: f.origin(.systemAdministrator)) }
            #expect(refused?.code == "roles_granted_by_security_administrator")
            let opened = try await store.createUser(
                UserDraft(username: "chen.qi", displayName: "陈七", jurisdictionID: f.city.id, roles: nil, unitID: nil), origin: f.origin(.systemAdministrator))
            #expect(opened.user.roles.isEmpty)
            let signIn = try await store.signIn(username: "chen.qi", password: opened.oneTimePassword, kind: .web, clientAddress: nil)
            #expect(!store.policy.allowsAnywhere(signIn.session.actor, .viewUnits))
            let granted = try await store.setRoles(opened.user.id, roles: [.officeStaff], unitID: nil, origin: f.origin(.securityAdministrator))
            #expect(granted.roles == [.officeStaff])
        }
    }

    @Test(arguments: TestEngine.available)
    func twoAdministratorsChangingOneAccountAtOnceCannotBothWin(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let f = try await Fixture.make(store)
            let (user, _) = try await account(store, f)
            async let disable = outcome { try await store.disableUser(user.id, origin: f.origin(.systemAdministrator)) }
            async let grant = outcome { try await store.setRoles(user.id, roles: [.groupLeader], unitID: nil, origin: f.origin(.securityAdministrator)) }
            let outcomes = await [disable, grant]
            let stored = try await store.users(UserQuery(search: "wang.ming"), for: f.actor(.systemAdministrator)).items.first!
            // Whatever the interleaving, the stored account is the result of every change that
            // reported success, never a silent mix.
            if case .success = outcomes[0] { #expect(stored.disabled) }
            if case .success = outcomes[1] { #expect(stored.roles == [.groupLeader]) }
            for case .failure(let error) in outcomes { #expect((error as? DomainError)?.code == "stale_version") }
        }
    }

    @Test(arguments: TestEngine.available)
    func theSecurityAdministratorUnlocksAndTheSystemAdministratorCannot(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let f = try await Fixture.make(store)
            let (user, password) = try await account(store, f)
            for _ in 1...5 { _ = try? await store.signIn(username: "wang.ming", password: "wrong", kind: .web, clientAddress: nil) }
            let denied = await #expect(throws: DomainError.self) { _ = try await store.unlockUser(user.id, origin: f.origin(.systemAdministrator)) }
            #expect(denied?.code == "forbidden")
            _ = try await store.unlockUser(user.id, origin: f.origin(.securityAdministrator))
            _ = try await store.signIn(username: "wang.ming", password: password, kind: .web, clientAddress: nil)
        }
    }

    @Test(arguments: TestEngine.available)
    func disablingEndsSessionsAndBlocksSignIn(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let f = try await Fixture.make(store)
            let (user, password) = try await account(store, f)
            let signIn = try await store.signIn(username: "wang.ming", password: password, kind: .web, clientAddress: nil)
            _ = try await store.disableUser(user.id, origin: f.origin(.systemAdministrator))
            #expect(try await store.authenticate(token: signIn.token) == nil)
            let error = await #expect(throws: DomainError.self) {
                _ = try await store.signIn(username: "wang.ming", password: password, kind: .web, clientAddress: nil)
            }
            #expect(error?.code == "invalid_credentials")
            let selfDisable = await #expect(throws: DomainError.self) {
                _ = try await store.disableUser(f.users[.systemAdministrator]!.id, origin: f.origin(.systemAdministrator))
            }
            #expect(selfDisable?.code == "cannot_disable_self")
        }
    }

    @Test(arguments: TestEngine.available)
    func sessionsExpireWhenIdleAndAfterTheirLifetime(engine: TestEngine) async throws {
        let clock = TestClock()
        try await withTestStore(engine, clock: clock) { store in
            let f = try await Fixture.make(store)
            let (_, password) = try await account(store, f)
            let idle = try await store.signIn(username: "wang.ming", password: password, kind: .web, clientAddress: nil)
            clock.advance(by: store.security.sessionIdleTimeout - 60)
            #expect(try await store.authenticate(token: idle.token) != nil)
            clock.advance(by: store.security.sessionIdleTimeout - 60)
            #expect(try await store.authenticate(token: idle.token) != nil, "each request renews the idle window")
            clock.advance(by: store.security.sessionIdleTimeout + 1)
            #expect(try await store.authenticate(token: idle.token) == nil)

            let busy = try await store.signIn(username: "wang.ming", password: password, kind: .web, clientAddress: nil)
            var elapsed: TimeInterval = 0
            while elapsed < store.security.sessionAbsoluteTimeout - 600 {
                clock.advance(by: 600)
                elapsed += 600
                #expect(try await store.authenticate(token: busy.token) != nil)
            }
            clock.advance(by: 1200)
            #expect(try await store.authenticate(token: busy.token) == nil)
        }
    }

    @Test(arguments: TestEngine.available)
    func administratorRolesAreGrantedOnlyAtTheConsole(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let f = try await Fixture.make(store)
            let draft = UserDraft(username: "new.auditor", displayName: "审计", jurisdictionID: f.city.id, roles: try RoleSet([.auditAdministrator], unitGiven: false), unitID: nil)
            let error = await #expect(throws: DomainError.self) { _ = try await store.createUser(draft, origin: f.origin(.systemAdministrator)) }
            #expect(error?.code == "administrator_roles_console_only")
            let (user, _) = try await account(store, f)
            let grant = await #expect(throws: DomainError.self) {
                _ = try await store.setRoles(user.id, roles: [.systemAdministrator], unitID: nil, origin: f.origin(.securityAdministrator))
            }
            #expect(grant?.code == "administrator_roles_console_only")
            let changed = try await store.setRoles(user.id, roles: [.officeStaff, .leadingGroupMember], unitID: nil, origin: f.origin(.securityAdministrator))
            #expect(changed.roles == [.officeStaff, .leadingGroupMember])
            _ = try await store.createUser(draft, origin: Fixture.console)
        }
    }

    @Test(arguments: TestEngine.available)
    func onlyAccountAdministratorsListAccounts(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let f = try await Fixture.make(store)
            for role in Role.allCases {
                let allowed = role == .systemAdministrator || role == .securityAdministrator
                do {
                    let page = try await store.users(UserQuery(), for: f.actor(role))
                    #expect(allowed, "\(role) listed accounts")
                    #expect(!page.items.isEmpty)
                } catch let error as DomainError {
                    #expect(!allowed, "\(role) was refused")
                    #expect(error.code == "forbidden")
                }
            }
            let byRole = try await store.users(UserQuery(role: .unitContact), for: f.actor(.systemAdministrator))
            #expect(byRole.items.map(\.username) == ["t.unit.contact"])
            let search = try await store.users(UserQuery(search: "巡察组"), for: f.actor(.systemAdministrator))
            #expect(Set(search.items.map(\.username)) == ["t.group.leader", "t.group.member"])
        }
    }

    @Test(arguments: TestEngine.available)
    func failedSignInsAreAuditedEvenForUnknownNames(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let f = try await Fixture.make(store)
            _ = try? await store.signIn(username: "ghost", password: "x", kind: .web, clientAddress: "192.0.2.7")
            let page = try await store.auditEntries(AuditQuery(action: AuditAction.signInFailed.rawValue), origin: f.origin(.auditAdministrator))
            let entry = try #require(page.items.first)
            #expect(entry.actorName.contains("ghost"))
            #expect(entry.clientAddress == "192.0.2.7")
            #expect(entry.event.jurisdictionID == nil)
        }
    }

    @Test(arguments: TestEngine.available)
    func resettingAnAccountWithoutRolesIssuesANewOneTimePasswordAtOnce(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let f = try await Fixture.make(store)
            let opened = try await store.createUser(
                UserDraft(username: "wang.ming", displayName: "王明", jurisdictionID: f.city.id, roles: nil, unitID: nil), origin: f.origin(.systemAdministrator))
            let (user, old) = (opened.user, opened.oneTimePassword)
            let issued = try #require(try await store.resetPassword(user.id, origin: f.origin(.systemAdministrator)).issued)
            #expect(issued.user.mustChangePassword)
            await #expect(throws: DomainError.self) { _ = try await store.signIn(username: "wang.ming", password: old, kind: .web, clientAddress: nil) }
            _ = try await store.signIn(username: "wang.ming", password: issued.oneTimePassword, kind: .web, clientAddress: nil)
            let adminReset = await #expect(throws: DomainError.self) {
                _ = try await store.resetPassword(f.users[.auditAdministrator]!.id, origin: f.origin(.systemAdministrator))
            }
            #expect(adminReset?.code == "administrator_console_only")
        }
    }
}

/// Runs `body`, capturing success or failure instead of throwing.
func outcome<T: Sendable>(_ body: () async throws -> T) async -> Result<T, any Error> {
    do { return .success(try await body()) } catch { return .failure(error) }
}
