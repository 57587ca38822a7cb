import Foundation
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

/// Who sees which assignment: the pledge opens a member's own group's assignments, recusal
/// closes a unit again, and an inspected unit sees only the notices addressed to it.
@Suite("巡察任务的知悉范围 store")
struct AssignmentAccessTests {
    static func units(_ store: Store, _ actor: Actor) async throws -> Set<String> {
        Set(try await store.assignments(for: actor).items.map(\.unitName))
    }

    @Test(arguments: TestEngine.available)
    func aMemberSeesOnlyTheirOwnGroupsAssignmentsAndOnlyAfterThePledge(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let t = try await Scenario.staffed(store)
            #expect(try await Self.units(store, t.member).isEmpty, "nothing opens before the pledge")
            let mine = try await store.memberships(for: t.member)
            #expect(mine.map(\.groupName) == ["第一巡察组"])
            #expect(mine.first?.pledgedAt == nil)
            let financeTask = try #require(t.first.assignments.first { $0.unitID == t.units[0].id })
            await #expect(throws: DomainError.notFound) { _ = try await store.assignment(financeTask.id, for: t.member) }

            let signature = try await store.signPledge(round: t.round.id, origin: t.f.origin(.groupMember))
            #expect(signature.version == Pledge.version)
            #expect(try await Self.units(store, t.member) == ["市财政局", "市教育局"])
            #expect(try await store.assignment(financeTask.id, for: t.member).groupName == "第一巡察组")
            let otherGroupsTask = try #require(t.second.assignments.first)
            await #expect(throws: DomainError.notFound) { _ = try await store.assignment(otherGroupsTask.id, for: t.member) }
            #expect(try await Self.units(store, t.leader).isEmpty, "each member signs for themself")

            #expect(try await Self.units(store, t.f.actor(.officeStaff)).count == 3)
            #expect(try await Self.units(store, t.f.actor(.leadingGroupMember)).count == 3)
            #expect(try await Self.units(store, t.f.countyAOffice).isEmpty)
            for role in [Role.unitHead, .unitContact, .disciplineReceiver, .organisationReceiver, .systemAdministrator, .securityAdministrator, .auditAdministrator] {
                await #expect(throws: DomainError.forbidden, "\(role)") { _ = try await store.assignments(for: t.f.actor(role)) }
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func signingAPledgeNeedsALinkedCadreOfThatRound(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let t = try await Scenario.staffed(store)
            let unlinked = try await store.createUser(
                UserDraft(username: "t.unlinked", displayName: "未关联", jurisdictionID: t.f.city.id, roles: try RoleSet([.groupMember], unitGiven: false), unitID: nil),
                origin: Fixture.console)
            let someone = RequestOrigin(actor: .account(unlinked.user, jurisdictionPath: t.f.city.path))
            let refused = await #expect(throws: DomainError.self) { _ = try await store.signPledge(round: t.round.id, origin: someone) }
            #expect(refused?.code == "no_pool_entry")
            await #expect(throws: DomainError.forbidden) { _ = try await store.signPledge(round: t.round.id, origin: t.f.origin(.officeStaff)) }
            let first = try await store.signPledge(round: t.round.id, origin: t.f.origin(.groupMember))
            let again = try await store.signPledge(round: t.round.id, origin: t.f.origin(.groupMember))
            #expect(first.signedAt == again.signedAt, "the first signature stands")
        }
    }

    @Test(arguments: TestEngine.available)
    func aRecusedMemberLosesThatUnitAtOnce(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let t = try await Scenario.staffed(store)
            _ = try await store.signPledge(round: t.round.id, origin: t.f.origin(.groupMember))
            try await store.declareOwnConflict(unit: t.units[1].id, reason: "配偶在该局任办公室主任", origin: t.f.origin(.groupMember))
            #expect(try await Self.units(store, t.member) == ["市财政局"])
            let education = try #require(t.first.assignments.first { $0.unitID == t.units[1].id })
            await #expect(throws: DomainError.notFound) { _ = try await store.assignment(education.id, for: t.member) }
            let blank = await #expect(throws: DomainError.self) {
                try await store.declareOwnConflict(unit: t.units[0].id, reason: "  ", origin: t.f.origin(.groupMember))
            }
            #expect(blank?.code == "required")
            #expect(try await Self.units(store, t.member) == ["市财政局"], "a refused declaration changes nothing")
        }
    }

    @Test(arguments: TestEngine.available)
    func anOverrideInWritingAfterTheDeclarationKeepsTheMemberOnTheUnit(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Scenario.planned(store)
            let office = s.f.origin(.officeStaff)
            try await Scenario.link(s.auditor, to: .groupMember, store, s.f)
            try await store.declareOwnConflict(unit: s.units[1].id, reason: "曾在该局借调半年", origin: s.f.origin(.groupMember))
            let group = try await store.createGroup(in: s.round.id, name: "第一巡察组", authorisation: nil, origin: office)
            _ = try await store.addMember(s.auditor.id, to: group.id, role: .member, overrideReason: nil, origin: office)
            let refused = await #expect(throws: DomainError.self) {
                _ = try await store.assign(unit: s.units[1].id, to: group.id, batch: s.batch.id, overrideReason: nil, origin: office)
            }
            #expect(refused?.code == "conflict_of_interest")
            _ = try await store.assign(unit: s.units[1].id, to: group.id, batch: s.batch.id, overrideReason: "借调时间短且不涉及财务，领导小组同意", origin: office)
            _ = try await store.signPledge(round: s.round.id, origin: s.f.origin(.groupMember))
            #expect(try await Self.units(store, s.f.actor(.groupMember)) == ["市教育局"])
        }
    }

    @Test(arguments: TestEngine.available)
    func aUnitSeesOnlyTheNoticesAddressedToItAndMayAskForARecusal(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let t = try await Scenario.staffed(store)
            let office = t.f.origin(.officeStaff)
            let financeTask = try #require(t.first.assignments.first { $0.unitID == t.f.cityUnit.id })
            let notice = try await store.sendNotice(for: financeTask.id, number: "江巡办〔2026〕5号", body: nil, origin: office)
            #expect(notice.body.contains("江城市委第一巡察组将于2026年3月10日至2026年4月30日对你单位开展常规巡察"))
            _ = try await store.sendNotice(for: try #require(t.second.assignments.first).id, number: nil, body: "请做好准备。", origin: office)
            let twice = await #expect(throws: DomainError.self) { _ = try await store.sendNotice(for: financeTask.id, number: nil, body: nil, origin: office) }
            #expect(twice?.code == "notice_already_sent")
            #expect(try await store.assignment(financeTask.id, for: office.actor).status == .notified)

            let head = t.f.actor(.unitHead)
            #expect(try await store.notices(for: head).items.map(\.unitName) == ["市财政局"])
            #expect(try await store.notices(for: t.f.actor(.officeStaff)).items.count == 2)
            let first = try await store.notices(page: PageRequest(limit: 1), for: office.actor)
            let cursor = try #require(first.nextCursor)
            let second = try await store.notices(page: PageRequest(limit: 1, after: try Cursor(token: cursor)), for: office.actor)
            #expect(second.items.count == 1 && second.items[0].id != first.items[0].id && second.nextCursor == nil, "newest first, page by page")
            let tasks = try await store.assignments(page: PageRequest(limit: 2), for: office.actor)
            let rest = try await store.assignments(page: PageRequest(limit: 2, after: try Cursor(token: try #require(tasks.nextCursor))), for: office.actor)
            #expect(Set(tasks.items.map(\.id) + rest.items.map(\.id)).count == 3)
            #expect(try await store.notices(for: t.f.countyAOffice).items.isEmpty)
            let otherNotice = try #require(try await store.notices(for: office.actor).items.first { $0.unitID != t.f.cityUnit.id })
            await #expect(throws: DomainError.notFound) { _ = try await store.notice(otherNotice.id, for: head) }
            await #expect(throws: DomainError.forbidden) { _ = try await store.notices(for: t.f.actor(.groupMember)) }

            _ = try await store.signPledge(round: t.round.id, origin: t.f.origin(.groupMember))
            #expect(try await Self.units(store, t.member).contains("市财政局"))
            let stranger = await #expect(throws: DomainError.self) {
                try await store.requestRecusal(notice: notice.id, inspector: t.planned.conflicted.id, reason: "与本单位有利害关系", origin: t.f.origin(.unitHead))
            }
            #expect(stranger?.code == "not_in_group")
            await #expect(throws: DomainError.forbidden) {
                try await store.requestRecusal(notice: notice.id, inspector: t.planned.auditor.id, reason: "与本单位有利害关系", origin: t.f.origin(.unitContact))
            }
            let filed = try await store.requestRecusal(notice: notice.id, inspector: t.planned.auditor.id, reason: "其兄在本单位任副局长", origin: t.f.origin(.unitHead))
            #expect(filed.status == .pending)
            #expect(try await Self.units(store, t.member).contains("市财政局"), "a request is not a recusal: the office decides (RecusalRequestTests)")
        }
    }

    @Test(arguments: TestEngine.available)
    func settingsAreTheCommitteesOwnAndDecideTheRules(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Scenario.planned(store)
            let office = s.f.origin(.officeStaff)
            let defaults = try await store.settings(of: s.f.city.id, for: office.actor)
            #expect(defaults == .defaults)
            // Worked at 市教育局 until 2022; the round is in 2026: four years ago.
            let former = try await store.createInspector(
                InspectorDraft(
                    name: "吴前任", homeUnitName: "市委办公室", category: .organisation, inLeaderPool: false, inTalentPool: true,
                    workHistory: [WorkRecord(unitID: s.units[1].id, unitName: "市教育局", fromYear: 2015, toYear: 2022)]),
                in: s.f.city.id, origin: office)
            let group = try await store.createGroup(in: s.round.id, name: "第一巡察组", authorisation: nil, origin: office)
            _ = try await store.addMember(former.id, to: group.id, role: .member, overrideReason: nil, origin: office)

            let stricter = try await store.changeSettings(of: s.f.city.id, maxUnitsPerGroup: 2, recentWorkYears: 5, version: 0, origin: office)
            #expect(stricter.version == 1)
            let refused = await #expect(throws: DomainError.self) {
                _ = try await store.assign(unit: s.units[1].id, to: group.id, batch: s.batch.id, overrideReason: nil, origin: office)
            }
            #expect(refused?.code == "conflict_of_interest", "five years now, four years ago is recent")

            let stale = await #expect(throws: DomainError.self) {
                _ = try await store.changeSettings(of: s.f.city.id, maxUnitsPerGroup: 3, recentWorkYears: nil, version: 0, origin: office)
            }
            #expect(stale?.code == "stale_version")
            let outOfRange = await #expect(throws: DomainError.self) {
                _ = try await store.changeSettings(of: s.f.city.id, maxUnitsPerGroup: 9, recentWorkYears: nil, version: 1, origin: office)
            }
            #expect(outOfRange?.code == "invalid_units_per_group")
            await #expect(throws: DomainError.forbidden) {
                _ = try await store.changeSettings(of: s.f.city.id, maxUnitsPerGroup: 3, recentWorkYears: nil, version: 1, origin: s.f.origin(.leadingGroupMember))
            }
            #expect(try await store.settings(of: s.f.city.id, for: office.actor) == stricter)
            await #expect(throws: DomainError.forbidden) { _ = try await store.settings(of: s.f.city.id, for: s.f.actor(.unitHead)) }
            await #expect(throws: DomainError.notFound) { _ = try await store.settings(of: s.f.city.id, for: s.f.countyAOffice) }
        }
    }

    @Test(arguments: TestEngine.available)
    func aPoolEntryIsEditedWithItsRecordsAndLinkedToOneAccount(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Scenario.planned(store)
            let office = s.f.origin(.officeStaff)
            let a = s.auditor
            let draft = InspectorDraft(name: a.name, homeUnitName: a.homeUnitName, category: a.category, inLeaderPool: false, inTalentPool: true, skills: ["审计", "工程"])
            let records = InspectorRecords(training: "2026年5月参加市委巡察干部培训班", evaluation: "2025年度优秀巡察员", accountUsername: s.f.users[.groupMember]!.username)
            let edited = try await store.updateInspector(a.id, draft, records: records, version: a.version, origin: office)
            #expect(edited.version == a.version + 1)
            #expect(edited.skills == ["审计", "工程"])
            #expect(edited.evaluation == "2025年度优秀巡察员")
            #expect(edited.accountID == s.f.users[.groupMember]!.id)

            let stale = await #expect(throws: DomainError.self) { _ = try await store.updateInspector(a.id, draft, records: records, version: a.version, origin: office) }
            #expect(stale?.code == "stale_version")
            let taken = await #expect(throws: DomainError.self) {
                _ = try await store.updateInspector(s.leader.id, InspectorDraft(name: "张组长", homeUnitName: "市委组织部", category: .organisation, rank: .divisionChief, inLeaderPool: true, inTalentPool: false), records: records, version: s.leader.version, origin: office)
            }
            #expect(taken?.code == "account_already_linked")
            let notAnInspector = await #expect(throws: DomainError.self) {
                _ = try await store.updateInspector(
                    a.id, draft, records: InspectorRecords(training: nil, evaluation: nil, accountUsername: s.f.users[.unitHead]!.username), version: edited.version, origin: office)
            }
            #expect(notAnInspector?.code == "not_an_inspector_account")
            let unknown = await #expect(throws: DomainError.self) {
                _ = try await store.updateInspector(
                    a.id, draft, records: InspectorRecords(training: nil, evaluation: nil, accountUsername: "nobody"), version: edited.version, origin: office)
            }
            #expect(unknown?.code == "unknown_account")
            await #expect(throws: DomainError.notFound, "the pools are the office's") {
                _ = try await store.updateInspector(a.id, draft, records: records, version: edited.version, origin: s.f.origin(.leadingGroupMember))
            }
            await #expect(throws: DomainError.notFound) {
                _ = try await store.updateInspector(a.id, draft, records: records, version: edited.version, origin: RequestOrigin(actor: s.f.countyAOffice))
            }
            #expect(try await store.inspector(a.id, origin: office) == edited, "refused edits wrote nothing")
        }
    }
}
