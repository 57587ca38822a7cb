import Foundation
import SQLKit
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

/// 被巡察单位申请回避 is a request: the office decides it with reasons, the member keeps the unit
/// until then, a grant takes effect as a recusal does, and each unit reads only its own requests.
/// Role by role: the unit that asked, another unit, the member named, the group leader, the
/// leading group, the office and another committee's office.
@Suite("回避申请 store")
struct RecusalRequestTests {
    struct Setup {
        let t: StaffedRound
        let notice: InspectionNotice
        var f: Fixture { t.f }
        var office: RequestOrigin { t.f.origin(.officeStaff) }
        var head: RequestOrigin { t.f.origin(.unitHead) }
    }

    /// The notice to 市财政局 is sent and 周审计 (the member's cadre) has signed the pledge.
    static func setUp(_ store: Store) async throws -> Setup {
        let t = try await Scenario.staffed(store)
        let finance = try #require(t.first.assignments.first { $0.unitID == t.f.cityUnit.id })
        let notice = try await store.sendNotice(for: finance.id, number: "江巡办〔2026〕5号", body: nil, origin: t.f.origin(.officeStaff))
        _ = try await store.signPledge(round: t.round.id, origin: t.f.origin(.groupMember))
        return Setup(t: t, notice: notice)
    }

    static func count(_ store: Store, _ table: String) async throws -> Int {
        try await store.database.read { db in try await db.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()?.decode(column: "n", as: Int.self) ?? -1 }
    }

    @Test(arguments: TestEngine.available)
    func aUnitsRecusalRequestWaitsForTheOfficesDecision(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Self.setUp(store)
            let member = s.t.member

            let request = try await store.requestRecusal(notice: s.notice.id, inspector: s.t.planned.auditor.id, reason: "其兄在本单位任副局长", origin: s.head)

            #expect(request.status == .pending)
            #expect(request.inspectorName == "周审计" && request.unitName == "市财政局")
            #expect(try await AssignmentAccessTests.units(store, member).contains("市财政局"), "the member keeps the unit until the office decides")
            #expect(try await store.recusalRequestsToDecide(for: s.office.actor) == 1)
            let twice = await #expect(throws: DomainError.self) {
                try await store.requestRecusal(notice: s.notice.id, inspector: s.t.planned.auditor.id, reason: "再次申请", origin: s.head)
            }
            #expect(twice?.code == "recusal_request_pending")
            #expect(try await Self.count(store, "recusal_requests") == 1)
            #expect(try await Self.count(store, "conflict_declarations") == 0, "nothing is on record as a conflict yet")
        }
    }

    @Test(arguments: TestEngine.available)
    func onlyTheOfficeDecidesARecusalRequestAndAGrantTakesEffectAsARecusal(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Self.setUp(store)
            let request = try await store.requestRecusal(notice: s.notice.id, inspector: s.t.planned.auditor.id, reason: "其兄在本单位任副局长", origin: s.head)

            await #expect(throws: DomainError.forbidden, "the unit that asked cannot decide its own request") {
                try await store.decideRecusalRequest(request.id, decision: "grant", reason: "同意", origin: s.head)
            }
            for role in [Role.unitContact] {
                await #expect(throws: DomainError.forbidden, "\(role)") {
                    try await store.decideRecusalRequest(request.id, decision: "grant", reason: "同意", origin: s.f.origin(role))
                }
            }
            for role in [Role.leadingGroupMember, .groupLeader, .groupMember, .leadCustodian, .disciplineReceiver, .systemAdministrator] {
                await #expect(throws: DomainError.notFound, "\(role) does not see the request") {
                    try await store.decideRecusalRequest(request.id, decision: "grant", reason: "同意", origin: s.f.origin(role))
                }
            }
            await #expect(throws: DomainError.notFound) {
                try await store.decideRecusalRequest(request.id, decision: "grant", reason: "同意", origin: RequestOrigin(actor: s.f.countyAOffice))
            }
            #expect(try await AssignmentAccessTests.units(store, s.t.member).contains("市财政局"))

            let granted = try await store.decideRecusalRequest(request.id, decision: "grant", reason: "经核实，其兄确在该局任副局长，应予回避", origin: s.office)

            #expect(granted.status == .granted)
            #expect(granted.decisionReason == "经核实，其兄确在该局任副局长，应予回避")
            #expect(granted.decidedBy == s.f.actor(.officeStaff).displayName)
            #expect(try await AssignmentAccessTests.units(store, s.t.member) == ["市教育局"], "recused once the office granted it")
            let conflicts = try await store.declaredConflicts(of: s.t.planned.auditor.id, for: s.office.actor)
            #expect(conflicts.map(\.kind) == [.unitRequest], "on record exactly as a unit-requested recusal")
            let again = await #expect(throws: DomainError.self) {
                try await store.decideRecusalRequest(request.id, decision: "refuse", reason: "改变主意", origin: s.office)
            }
            #expect(again?.code == "recusal_request_decided")
            let recused = await #expect(throws: DomainError.self) {
                try await store.requestRecusal(notice: s.notice.id, inspector: s.t.planned.auditor.id, reason: "再次申请", origin: s.head)
            }
            #expect(recused?.code == "already_recused")
            #expect(try await store.recusalRequestsToDecide(for: s.office.actor) == 0)
            let audit = try await store.database.read { db in
                try await db.raw("SELECT detail FROM audit_entries WHERE action = 'recusal_request.decide'").all().map { try $0.decode(column: "detail", as: String.self) }
            }
            #expect(audit.count == 1 && audit[0].contains("经核实，其兄确在该局任副局长，应予回避"), "the decision and its reasons are audited")
        }
    }

    @Test(arguments: TestEngine.available)
    func aRefusedRecusalRequestLeavesTheMemberOnTheUnitAndTheUnitReadsWhy(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Self.setUp(store)
            let request = try await store.requestRecusal(notice: s.notice.id, inspector: s.t.planned.auditor.id, reason: "曾与局长同在一个科室", origin: s.head)

            let refused = try await store.decideRecusalRequest(request.id, decision: "refuse", reason: "同事关系已逾五年，不属于应回避情形", origin: s.office)

            #expect(refused.status == .refused)
            #expect(try await AssignmentAccessTests.units(store, s.t.member).contains("市财政局"))
            for role in [Role.unitHead, .unitContact] {
                let seen = try await store.recusalRequests(for: s.f.actor(role)).items
                #expect(seen.map(\.status) == [.refused], "\(role) sees the outcome")
                #expect(seen.first?.decisionReason == "同事关系已逾五年，不属于应回避情形", "\(role) reads the office's reasons")
                #expect(try await store.recusalRequest(request.id, for: s.f.actor(role)).status == .refused)
            }
            let renewed = try await store.requestRecusal(notice: s.notice.id, inspector: s.t.planned.auditor.id, reason: "补充材料：其配偶在本局任职", origin: s.head)
            #expect(renewed.status == .pending, "after a refusal the unit may ask again with new reasons")
        }
    }

    @Test(arguments: TestEngine.available)
    func aDecisionWithoutReasonsIsRefusedAndWritesNothing(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Self.setUp(store)
            let request = try await store.requestRecusal(notice: s.notice.id, inspector: s.t.planned.auditor.id, reason: "其兄在本单位任副局长", origin: s.head)
            let audits = try await Self.count(store, "audit_entries")

            for (decision, reason, code) in [("grant", nil, "required"), ("grant", "  ", "required"), (nil, "理由", "required"), ("approve", "理由", "unknown_decision")] {
                let error = await #expect(throws: DomainError.self) {
                    try await store.decideRecusalRequest(request.id, decision: decision, reason: reason, origin: s.office)
                }
                #expect(error?.code == code)
                #expect(error?.kind == .invalidInput)
            }

            #expect(try await store.recusalRequest(request.id, for: s.office.actor).status == .pending)
            #expect(try await Self.count(store, "conflict_declarations") == 0)
            #expect(try await Self.count(store, "audit_entries") == audits)
        }
    }

    @Test(arguments: TestEngine.available)
    func aUnitSeesOnlyItsOwnRecusalRequests(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Self.setUp(store)
            let education = try #require(s.t.first.assignments.first { $0.unitID == s.t.units[1].id })
            let educationNotice = try await store.sendNotice(for: education.id, number: nil, body: nil, origin: s.office)
            let educationHead = try await Scenario.unitHead(of: education.unitID, username: "edu.head", displayName: "教育局书记", store, s.f)
            let theirs = try await store.requestRecusal(notice: educationNotice.id, inspector: s.t.planned.leader.id, reason: "组长曾任本局副局长", origin: educationHead)
            let ours = try await store.requestRecusal(notice: s.notice.id, inspector: s.t.planned.auditor.id, reason: "其兄在本单位任副局长", origin: s.head)

            for role in [Role.unitHead, .unitContact] {
                #expect(try await store.recusalRequests(for: s.f.actor(role)).items.map(\.id) == [ours.id], "\(role) of 市财政局")
                await #expect(throws: DomainError.notFound) { _ = try await store.recusalRequest(theirs.id, for: s.f.actor(role)) }
                #expect(try await store.recusalRequests(RecusalRequestQuery(assignmentID: education.id), for: s.f.actor(role)).items.isEmpty)
            }
            #expect(try await store.recusalRequests(for: educationHead.actor).items.map(\.id) == [theirs.id])
            #expect(Set(try await store.recusalRequests(for: s.office.actor).items.map(\.id)) == [ours.id, theirs.id])
            #expect(try await store.recusalRequests(RecusalRequestQuery(status: .pending, assignmentID: education.id), for: s.office.actor).items.map(\.id) == [theirs.id])
            #expect(try await store.recusalRequests(for: s.f.countyAOffice).items.isEmpty, "another committee's office")
            for role in [Role.leadingGroupMember, .groupLeader, .groupMember, .leadCustodian, .disciplineReceiver, .taskOwner, .systemAdministrator] {
                await #expect(throws: DomainError.forbidden, "\(role)") { _ = try await store.recusalRequests(for: s.f.actor(role)) }
                await #expect(throws: DomainError.notFound, "\(role)") { _ = try await store.recusalRequest(ours.id, for: s.f.actor(role)) }
            }
        }
    }
}
