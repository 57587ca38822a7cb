import Foundation
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

@Suite("巡察轮次与人才库 store")
struct PlanningStoreTests {
    static func draft(sequence: Int = 1) throws -> RoundDraft {
        try RoundDraft.validate(
            term: "十五届", sequence: sequence, kind: "routine", theme: "政治巡察", plannedStart: "2026-03-01", plannedEnd: "2026-06-30",
            maxUnitsPerGroup: nil, defaultMaxUnitsPerGroup: 3)
    }

    @Test(arguments: TestEngine.available)
    func aRoundClimbsItsReviewChainWithHistoryAndAudit(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let f = try await Fixture.make(store)
            let office = f.origin(.officeStaff)
            var round = try await store.createRound(try Self.draft(), in: f.city.id, origin: office)
            round = try await store.take(RoundStep.submitForReview, on: round.id, note: nil, version: round.version, origin: office)
            let officeApproves = await #expect(throws: DomainError.self) {
                _ = try await store.take(RoundStep.approveByLeadingGroup, on: round.id, note: nil, version: round.version, origin: office)
            }
            #expect(officeApproves?.code == "forbidden")
            round = try await store.take(RoundStep.returnForRevision, on: round.id, note: "请补充重点单位理由", version: round.version, origin: f.origin(.leadingGroupMember))
            #expect(round.status == .draft)
            round = try await store.take(RoundStep.submitForReview, on: round.id, note: nil, version: round.version, origin: office)
            round = try await store.take(RoundStep.approveByLeadingGroup, on: round.id, note: nil, version: round.version, origin: f.origin(.leadingGroupMember))
            round = try await store.take(RoundStep.recordCommitteeApproval, on: round.id, note: "江委〔2026〕12号", version: round.version, origin: office)
            #expect(round.status == .approved)
            let history = try await store.history(RoundLifecycle.self, of: round.id, for: f.actor(.leadingGroupMember))
            #expect(history.map(\.step) == [.submitForReview, .returnForRevision, .submitForReview, .approveByLeadingGroup, .recordCommitteeApproval])
            #expect(history[1].note == "请补充重点单位理由")
            let stale = await #expect(throws: DomainError.self) {
                _ = try await store.take(RoundStep.startPreparing, on: round.id, note: nil, version: 1, origin: office)
            }
            #expect(stale?.code == "stale_version")
        }
    }

    @Test(arguments: TestEngine.available)
    func batchesStayInsideTheRoundAndAreNumberedInOrder(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let f = try await Fixture.make(store)
            let office = f.origin(.officeStaff)
            let round = try await store.createRound(try Self.draft(), in: f.city.id, origin: office)
            let first = try await store.addBatch(to: round.id, entry: "2026-03-10", exit: "2026-04-20", origin: office)
            let second = try await store.addBatch(to: round.id, entry: "2026-05-01", exit: "2026-06-15", origin: office)
            #expect(first.sequence == 1)
            #expect(second.sequence == 2)
            let outside = await #expect(throws: DomainError.self) {
                _ = try await store.addBatch(to: round.id, entry: "2026-06-01", exit: "2026-07-15", origin: office)
            }
            #expect(outside?.code == "batch_outside_round")
            #expect(try await store.batches(of: round.id, for: f.actor(.leadingGroupMember)).count == 2)
            _ = try await store.take(RoundStep.submitForReview, on: round.id, note: nil, version: 1, origin: office)
            let frozen = await #expect(throws: DomainError.self) {
                _ = try await store.addBatch(to: round.id, entry: "2026-03-10", exit: "2026-03-20", origin: office)
            }
            #expect(frozen?.code == "round_frozen")
            let duplicate = await #expect(throws: DomainError.self) { _ = try await store.createRound(try Self.draft(), in: f.city.id, origin: office) }
            #expect(duplicate?.code == "duplicate_round")
        }
    }

    @Test(arguments: TestEngine.available)
    func roundsAreSeenByTheOfficeAndLeadingGroupOfTheirCommitteeOnly(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let f = try await Fixture.make(store)
            let round = try await store.createRound(try Self.draft(), in: f.city.id, origin: f.origin(.officeStaff))
            for role in Role.allCases {
                let allowed = role == .officeStaff || role == .leadingGroupMember
                do {
                    _ = try await store.round(round.id, for: f.actor(role))
                    #expect(allowed, "\(role) read a round")
                } catch let error as DomainError {
                    #expect(!allowed, "\(role)")
                    #expect(error.code == "not_found")
                }
            }
            #expect(try await store.rounds(for: f.countyAOffice).isEmpty)
            let foreign = await #expect(throws: DomainError.self) {
                _ = try await store.createRound(try Self.draft(), in: f.city.id, origin: RequestOrigin(actor: f.countyAOffice))
            }
            #expect(foreign?.code == "not_found")
        }
    }

    @Test(arguments: TestEngine.available)
    func thePoolsTakeCadresAndRostersAllOrNothing(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let f = try await Fixture.make(store)
            let office = f.origin(.officeStaff)
            let leader = try await store.createInspector(
                InspectorDraft(
                    name: "张卫东", homeUnitName: "市委组织部", category: .organisation, rank: .divisionChief, inLeaderPool: true, inTalentPool: false,
                    workHistory: [WorkRecord(unitID: f.cityUnit.id, unitName: "市财政局", fromYear: 2019, toYear: 2023)],
                    relations: [FamilyRelation(unitID: nil, unitName: "市教育局", relation: "配偶", personName: "李某")]),
                in: f.city.id, origin: office)
            let read = try await store.inspector(leader.id, origin: office)
            #expect(read.workHistory.first?.unitName == "市财政局")
            #expect(read.relations.first?.relation == "配偶")

            let roster = "姓名,工作单位,部门类别,职级,入库类别,专长,可抽调\n杨帆,市纪委监委,纪检,,人才库,审查调查,是\n周敏,市审计局,审计,,人才库,经济责任审计、财务,是\n"
            let drafts = try InspectorImportPlan.plan(try CSVTable.parse(Data(roster.utf8)), currentYear: 2026)
            #expect(try await store.importInspectors(drafts, into: f.city.id, origin: office) == 2)
            let talent = try await store.inspectors(InspectorQuery(pool: .talent), for: office.actor)
            #expect(Set(talent.items.map(\.name)) == ["杨帆", "周敏"])
            let bySkill = try await store.inspectors(InspectorQuery(search: "审计"), for: office.actor)
            #expect(bySkill.items.map(\.name) == ["周敏"])

            let badRank = "姓名,工作单位,部门类别,职级,入库类别\n甲,某局,组织,正部级,组长库\n"
            let error = #expect(throws: DomainError.self) { _ = try InspectorImportPlan.plan(try CSVTable.parse(Data(badRank.utf8)), currentYear: 2026) }
            #expect(error?.message.contains("第2行“职级”列") == true)

            for role in Role.allCases where role != .officeStaff {
                let denied = await #expect(throws: DomainError.self) { _ = try await store.inspectors(InspectorQuery(), for: f.actor(role)) }
                #expect(denied?.code == "forbidden", "\(role)")
            }
        }
    }
}
