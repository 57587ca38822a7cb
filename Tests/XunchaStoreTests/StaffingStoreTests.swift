import Foundation
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

@Suite("巡察组、派驻与回避 store")
struct StaffingStoreTests {
    @Test(arguments: TestEngine.available)
    func aPlantedConflictIsRefusedUnlessTheOfficeWritesWhy(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Scenario.planned(store)
            let office = s.f.origin(.officeStaff)
            let group = try await store.createGroup(in: s.round.id, name: "第一巡察组", authorisation: nil, origin: office)
            _ = try await store.addMember(s.leader.id, to: group.id, role: .leader, overrideReason: nil, origin: office)
            _ = try await store.addMember(s.conflicted.id, to: group.id, role: .member, overrideReason: nil, origin: office)
            let refused = await #expect(throws: DomainError.self) {
                _ = try await store.assign(unit: s.f.cityUnit.id, to: group.id, batch: s.batch.id, overrideReason: nil, origin: office)
            }
            #expect(refused?.code == "conflict_of_interest")
            #expect(refused?.message.contains("钱财政的工作单位即市财政局") == true)
            #expect(try await store.groups(of: s.round.id, for: office.actor).first?.assignments.isEmpty == true)

            _ = try await store.assign(unit: s.f.cityUnit.id, to: group.id, batch: s.batch.id, overrideReason: "该同志仅负责财务凭证核查，已报领导小组同意", origin: office)
            let log = try await store.auditEntries(AuditQuery(action: AuditAction.conflictOverridden.rawValue), origin: s.f.origin(.auditAdministrator))
            #expect(log.items.first?.event.detail?.contains("领导小组同意") == true)
        }
    }

    @Test(arguments: TestEngine.available)
    func oneToNAndOneGroupPerPersonPerBatchAreEnforced(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Scenario.planned(store)
            let office = s.f.origin(.officeStaff)
            let first = try await store.createGroup(in: s.round.id, name: "第一巡察组", authorisation: nil, origin: office)
            let second = try await store.createGroup(in: s.round.id, name: "第二巡察组", authorisation: nil, origin: office)
            _ = try await store.addMember(s.auditor.id, to: first.id, role: .member, overrideReason: nil, origin: office)
            _ = try await store.assign(unit: s.units[1].id, to: first.id, batch: s.batch.id, overrideReason: nil, origin: office)
            _ = try await store.assign(unit: s.units[2].id, to: first.id, batch: s.batch.id, overrideReason: nil, origin: office)
            let overLimit = await #expect(throws: DomainError.self) {
                _ = try await store.assign(unit: s.units[0].id, to: first.id, batch: s.batch.id, overrideReason: nil, origin: office)
            }
            #expect(overLimit?.code == "over_units_per_group")
            let twice = await #expect(throws: DomainError.self) {
                _ = try await store.assign(unit: s.units[1].id, to: second.id, batch: s.batch.id, overrideReason: nil, origin: office)
            }
            #expect(twice?.code == "unit_already_assigned")
            _ = try await store.assign(unit: s.units[0].id, to: second.id, batch: s.batch.id, overrideReason: nil, origin: office)
            let doubleBooked = await #expect(throws: DomainError.self) {
                _ = try await store.addMember(s.auditor.id, to: second.id, role: .member, overrideReason: nil, origin: office)
            }
            #expect(doubleBooked?.code == "already_serving_in_batch")
            let notALeader = await #expect(throws: DomainError.self) {
                _ = try await store.addMember(s.auditor.id, to: second.id, role: .leader, overrideReason: nil, origin: office)
            }
            #expect(notALeader?.code == "not_in_leader_pool")
        }
    }

    @Test(arguments: TestEngine.available)
    func groupsAreFormedOnlyBetweenApprovalAndMobilisation(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let f = try await Fixture.make(store)
            let office = f.origin(.officeStaff)
            let draft = try await store.createRound(
                try RoundDraft.validate(term: "十五届", sequence: 9, kind: "special", theme: nil, plannedStart: "2026-07-01", plannedEnd: "2026-09-30", maxUnitsPerGroup: nil, defaultMaxUnitsPerGroup: 3),
                in: f.city.id, origin: office)
            let early = await #expect(throws: DomainError.self) { _ = try await store.createGroup(in: draft.id, name: "第一巡察组", authorisation: nil, origin: office) }
            #expect(early?.code == "round_not_staffable")
            let notOffice = await #expect(throws: DomainError.self) {
                _ = try await store.createGroup(in: draft.id, name: "第一巡察组", authorisation: nil, origin: f.origin(.groupLeader))
            }
            #expect(notOffice?.code == "forbidden")
        }
    }

    @Test(arguments: TestEngine.available)
    func theProposalCoversTheUnitsAndSteersAroundThePlantedConflict(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Scenario.planned(store)
            let office = s.f.origin(.officeStaff)
            let proposal = try await store.proposeTeams(roundID: s.round.id, batchID: s.batch.id, unitIDs: s.units.map(\.id), membersPerGroup: 2, for: office.actor)
            #expect(Set(proposal.groups.flatMap(\.units).map(\.id)) == Set(s.units.map(\.id)))
            #expect(proposal.groups.allSatisfy { $0.units.count <= 2 })
            let withFinance = try #require(proposal.groups.first { $0.units.contains { $0.id == s.f.cityUnit.id } })
            #expect(!withFinance.members.contains(s.conflicted.id))
            #expect(proposal.groups.contains { !$0.shortfalls.isEmpty }, "one leader for two groups: the second group's missing leader is said")
        }
    }

    @Test(arguments: TestEngine.available)
    func coverageCountsWhatRoundsOfTheTermHaveEntered(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Scenario.planned(store)
            let office = s.f.origin(.officeStaff)
            _ = try await store.createPlan(
                term: "十五届", termStart: "2026-01-01", termEnd: "2030-12-31", title: "十五届市委巡察规划",
                targets: [PlanTarget(unitID: s.units[1].id, reason: "信访举报较多"), PlanTarget(unitID: s.units[2].id, reason: nil)], in: s.f.city.id, origin: office)
            let group = try await store.createGroup(in: s.round.id, name: "第一巡察组", authorisation: nil, origin: office)
            _ = try await store.assign(unit: s.units[1].id, to: group.id, batch: s.batch.id, overrideReason: nil, origin: office)
            let before = try await store.coverage(term: "十五届", for: office.actor)
            #expect(before.total == 3)
            #expect(before.planned == 2)
            #expect(before.inspected == 0, "assigned is not yet inspected")
            var round = try await store.round(s.round.id, for: office.actor)
            for step in [RoundStep.startPreparing, .mobilise, .enter] {
                round = try await store.take(step, on: round.id, note: nil, version: round.version, origin: office)
            }
            let after = try await store.coverage(term: "十五届", for: office.actor)
            #expect(after.inspected == 1)
            #expect(after.remaining == 2)
            #expect(after.percent == 33.3)
            #expect(!after.remainingSample.contains { $0.id == s.units[1].id })
            let otherTerm = try await store.coverage(term: "十四届", for: office.actor)
            #expect(otherTerm.inspected == 0)
            let hidden = await #expect(throws: DomainError.self) { _ = try await store.coverage(term: "十五届", for: s.f.actor(.unitContact)) }
            #expect(hidden?.code == "forbidden")
        }
    }

    @Test(arguments: TestEngine.available)
    func anAcceptedProposalFormsEveryGroupAtOnce(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Scenario.planned(store)
            let office = s.f.origin(.officeStaff)
            let proposal = try await store.proposeTeams(roundID: s.round.id, batchID: s.batch.id, unitIDs: s.units.map(\.id), membersPerGroup: 2, for: office.actor)
            let plans = proposal.groups.enumerated().map { index, proposed in
                GroupPlan(
                    name: "第\(index + 1)巡察组",
                    members: (proposed.leader.map { [PlannedMember(inspectorID: $0, role: .leader)] } ?? []) + proposed.members.map { PlannedMember(inspectorID: $0, role: .member) },
                    unitIDs: proposed.units.map(\.id))
            }
            let groups = try await store.acceptProposal(roundID: s.round.id, batchID: s.batch.id, groups: plans, origin: office)
            #expect(groups.map(\.name) == plans.map(\.name))
            #expect(Set(groups.flatMap(\.assignments).map(\.unitID)) == Set(s.units.map(\.id)))
            #expect(groups.first?.leader?.inspectorID == s.leader.id)
        }
    }

    @Test(arguments: TestEngine.available)
    func anAcceptedProposalWithAPlantedConflictWritesNothing(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Scenario.planned(store)
            let office = s.f.origin(.officeStaff)
            let plans = [
                GroupPlan(name: "第一巡察组", members: [PlannedMember(inspectorID: s.leader.id, role: .leader)], unitIDs: [s.units[1].id]),
                // The office edited the second group and put 钱财政 on his own unit.
                GroupPlan(name: "第二巡察组", members: [PlannedMember(inspectorID: s.conflicted.id, role: .member)], unitIDs: [s.f.cityUnit.id]),
            ]
            let refused = await #expect(throws: DomainError.self) {
                _ = try await store.acceptProposal(roundID: s.round.id, batchID: s.batch.id, groups: plans, origin: office)
            }
            #expect(refused?.code == "conflict_of_interest")
            #expect(try await store.groups(of: s.round.id, for: office.actor).isEmpty, "the first group is rolled back with the second")

            let samePerson = [
                GroupPlan(name: "第一巡察组", members: [PlannedMember(inspectorID: s.auditor.id, role: .member)], unitIDs: [s.units[1].id]),
                GroupPlan(name: "第二巡察组", members: [PlannedMember(inspectorID: s.auditor.id, role: .member)], unitIDs: [s.units[2].id]),
            ]
            let twice = await #expect(throws: DomainError.self) {
                _ = try await store.acceptProposal(roundID: s.round.id, batchID: s.batch.id, groups: samePerson, origin: office)
            }
            #expect(twice?.code == "already_serving_in_batch")
            let noUnits = await #expect(throws: DomainError.self) {
                _ = try await store.acceptProposal(
                    roundID: s.round.id, batchID: s.batch.id, groups: [GroupPlan(name: "第一巡察组", members: [], unitIDs: [])], origin: office)
            }
            #expect(noUnits?.code == "group_without_units")
            #expect(try await store.groups(of: s.round.id, for: office.actor).isEmpty)
        }
    }
}
