import Foundation
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

/// People, not account names: what a person wrote, approved or signed carries their 姓名; the
/// account stands beside it only where two accounts share one.
@Suite("姓名，而非账号 store")
struct PersonNameStoreTests {
    @Test(arguments: TestEngine.available)
    func aPaperApprovedByAnAccountShowsTheApproversName(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Scenario.onSite(store)
            let leader = s.f.users[.groupLeader]!
            let member = s.f.users[.groupMember]!
            let paper = try await s.atFinance.approvedPaper(store)
            #expect(paper.approvedBy == leader.displayName)
            #expect(paper.draftedBy == member.displayName)
            let history = try await store.history(FindingLifecycle.self, of: paper.id, for: s.office.actor)
            #expect(history.map(\.actorName) == [member.displayName, leader.displayName])
            #expect(!history.map(\.actorName).contains(leader.username), "the history names people, not accounts")
        }
    }

    @Test(arguments: TestEngine.available)
    func twoAccountsSharingANameAreToldApartByTheirAccount(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Scenario.onSite(store)
            let leader = s.f.users[.groupLeader]!
            let namesake = try await store.createUser(
                UserDraft(username: "t.namesake", displayName: leader.displayName, jurisdictionID: s.f.city.id, roles: try RoleSet([.officeStaff], unitGiven: false), unitID: nil),
                origin: Fixture.console)
            let signedIn = try await s.f.signIn(store, .groupLeader)
            #expect(signedIn.session.actor.displayName == "\(leader.displayName)（\(leader.username)）")
            #expect(try await store.authenticate(token: signedIn.token)?.actor.displayName == "\(leader.displayName)（\(leader.username)）")
            let other = try await store.signIn(username: "t.namesake", password: namesake.oneTimePassword, kind: .api, clientAddress: nil)
            #expect(other.session.actor.displayName == "\(leader.displayName)（t.namesake）")
            #expect(try await s.f.signIn(store, .groupMember).session.actor.displayName == s.f.users[.groupMember]!.displayName, "a name no one else has stands alone")

            let drafted = try await store.draftFinding(in: s.finance.id, content: try Scenario.content(), tags: Scenario.integrity, origin: s.atFinance.member)
            let submitted = try await store.take(FindingStep.submit, on: drafted.id, note: nil, version: drafted.version, origin: s.atFinance.member)
            let approved = try await store.take(
                FindingStep.approve, on: submitted.id, note: "同意", version: submitted.version, origin: RequestOrigin(actor: signedIn.session.actor))
            #expect(approved.approvedBy == "\(leader.displayName)（\(leader.username)）")
        }
    }

    @Test(arguments: TestEngine.available)
    func theAuditLogNamesObjectsAndPeopleInWords(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let issued = try await Scenario.feedbackIssued(store)
            let (plan, tasks) = try await issued.approvedPlan(store, deadlines: [issued.today.adding(days: 60)])
            let page = try await store.auditEntries(AuditQuery(limit: 500), origin: issued.f.origin(.auditAdministrator))
            let names = try await store.auditNames(of: page.items, for: issued.f.actor(.auditAdministrator))
            await #expect(throws: DomainError.forbidden, "the names come with the log, to its readers") {
                _ = try await store.auditNames(of: page.items, for: issued.f.actor(.officeStaff))
            }
            let targets = Set(page.items.compactMap(names.target(of:)))
            #expect(targets.contains("整改任务 1-1 市财政局"), "\(targets.sorted())")
            #expect(targets.contains("整改方案 市财政局第\(plan.revision)稿"))
            #expect(targets.contains("反馈意见 \(issued.feedback.document.number)"))
            #expect(targets.contains("被巡察单位 市财政局"))
            #expect(!targets.contains { $0.contains(tasks[0].id.text.suffix(12)) || $0.contains("rectification_") })
            let office = issued.f.users[.officeStaff]!
            let byOffice = try #require(page.items.first { $0.actorID == office.id })
            #expect(names.actor(of: byOffice) == "\(office.displayName)（\(office.username)）")
        }
    }
}
