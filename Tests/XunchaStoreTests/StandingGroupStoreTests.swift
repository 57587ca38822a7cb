import Foundation
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

@Suite("常设巡察组 store")
struct StandingGroupStoreTests {
    @Test(arguments: TestEngine.available)
    func aGroupOfTheSameNameInALaterRoundIsTheSameGroup(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let t = try await Scenario.staffed(store)
            let office = t.f.origin(.officeStaff)
            let later = try await Scenario.approvedRound(
                store, t.f, sequence: 2, planned: ("2026-07-01", "2026-10-31"), batch: ("2026-07-10", "2026-08-30"), approval: "江委〔2026〕9号")
            let again = try await store.createGroup(in: later.round.id, name: "第一巡察组", authorisation: "江巡授〔2026〕2号", origin: office)
            let third = try await store.createGroup(in: later.round.id, name: "第三巡察组", authorisation: nil, origin: office)
            #expect(again.standingGroupID == t.first.standingGroupID)
            #expect(third.standingGroupID != t.first.standingGroupID && third.standingGroupID != t.second.standingGroupID)

            let listed = try await store.standingGroups(for: office.actor)
            #expect(listed.map(\.name) == ["第一巡察组", "第二巡察组", "第三巡察组"])
            #expect(listed.map(\.rounds) == [2, 1, 1])
            #expect(listed.first?.latestRoundID == later.round.id, "the later round is the group's latest")

            let first = try await store.standingGroup(t.first.standingGroupID, for: office.actor)
            #expect(first.terms.map(\.round.id) == [later.round.id, t.round.id], "newest round first")
            #expect(first.terms[0].group.authorisation == "江巡授〔2026〕2号")
            #expect(Set(first.terms[1].group.members.map(\.name)) == ["张组长", "周审计"], "each round keeps its own composition")
            #expect(first.terms[1].group.assignments.count == 2)
        }
    }

    @Test(arguments: TestEngine.available)
    func onlyThoseWhoMaySeeRoundsSeeTheGroups(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let t = try await Scenario.staffed(store)
            #expect(try await store.standingGroups(for: t.f.actor(.leadingGroupMember)).count == 2)
            for role in [Role.unitHead, .groupMember, .leadCustodian] {
                await #expect(throws: DomainError.self, "\(role) may not list the groups") { _ = try await store.standingGroups(for: t.f.actor(role)) }
                await #expect(throws: DomainError.self, "\(role) may not read a group") {
                    _ = try await store.standingGroup(t.first.standingGroupID, for: t.f.actor(role))
                }
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func aStandingGroupsFiguresCountTheWorkOfEveryRoundItServedIn(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let t = try await Scenario.onSite(store)
            let office = t.f.actor(.officeStaff)
            _ = try await t.atFinance.triagedPaper(store, as: .deadline)
            _ = try await t.atEducation.triagedPaper(store, as: .immediate, content: try Scenario.content("公务接待超标准"))

            let first = try await store.statistics(StatisticsFilter(standingGroupID: t.staffed.first.standingGroupID), for: office)
            #expect(first.findings?.total == 2)
            #expect(first.findings?.immediate == 1)
            #expect(first.unitsInspected == 2)
            #expect(first.unitsRegistered == nil, "a group has no coverage")
            #expect(first.pools == nil, "pools are a whole committee's")
            let second = try await store.statistics(StatisticsFilter(standingGroupID: t.staffed.second.standingGroupID), for: office)
            #expect(second.findings?.total == 0)
            #expect(second.unitsInspected == 1)

            let rows = try await store.statisticsBreakdown(.group, for: office)
            #expect(rows.map(\.name) == ["第一巡察组"], "groups with findings or tasks are listed")
            #expect(rows.first?.id == t.staffed.first.standingGroupID)
            #expect(rows.first?.findings == 2)
            #expect(rows.first?.immediate == 1)
            #expect(rows.first?.deadline == 1)
            #expect(rows.first?.unitsInspected == 2)
        }
    }
}
