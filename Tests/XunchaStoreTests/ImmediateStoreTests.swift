import Foundation
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

/// 立行立改: from triage to the unit head's signature, the unit's report and the group's closure.
@Suite("立行立改 store")
struct ImmediateStoreTests {
    /// An approved paper about 市财政局, triaged as 立行立改.
    static func proposed(_ store: Store) async throws -> (RoundOnSite, Finding, ImmediateRectification) {
        let s = try await Scenario.onSite(store)
        let paper = try await s.atFinance.triagedPaper(store, as: .immediate, triageNote: "群众反映强烈，可立即纠正")
        let item = try #require(try await store.immediateRectifications(for: s.office.actor).items.first)
        return (s, paper, item)
    }

    @Test(arguments: TestEngine.available)
    func theUnitHeadSignsTheUnitReportsAndTheGroupVerifies(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            var (s, paper, item) = try await Self.proposed(store)
            #expect(item.status == .proposed)
            #expect(item.findingID == paper.id)
            let head = s.f.origin(.unitHead)
            #expect(try await store.immediateRectifications(for: head.actor).items.isEmpty, "nothing reaches the unit before the notice")
            await #expect(throws: DomainError.notFound) { _ = try await store.immediateRectification(item.id, for: head.actor) }
            let byLeader = await #expect(throws: DomainError.self) {
                _ = try await store.take(ImmediateStep.approve, on: item.id, input: ImmediateStepInput(), version: item.version, origin: s.leader)
            }
            #expect(byLeader?.code == "step_not_allowed")
            item = try await store.take(ImmediateStep.approve, on: item.id, input: ImmediateStepInput(), version: item.version, origin: s.f.origin(.leadingGroupMember))
            let bare = await #expect(throws: DomainError.self) {
                _ = try await store.take(ImmediateStep.issue, on: item.id, input: ImmediateStepInput(problem: "违规发放津补贴"), version: item.version, origin: s.leader)
            }
            #expect(bare?.code == "required")
            item = try await store.take(ImmediateStep.issue, on: item.id, input: ImmediateStepInput(problem: "以加班费名义违规发放补贴", requirement: "立即停止发放并清退", deadline: "2027-01-15"),
                version: item.version, origin: s.leader)
            #expect(item.number == "江城市委巡察立改〔2026〕1号")
            #expect(try await store.immediateRectifications(for: head.actor).items.map(\.problem) == ["以加班费名义违规发放补贴"])
            await #expect(throws: DomainError.notFound, "the unit never reads the paper behind it") { _ = try await store.finding(paper.id, for: head.actor) }

            let byContact = await #expect(throws: DomainError.self) {
                _ = try await store.take(ImmediateStep.sign, on: item.id, input: ImmediateStepInput(), version: item.version, origin: s.f.origin(.unitContact))
            }
            #expect(byContact?.code == "step_not_allowed", "the head signs personally (签字背书)")
            item = try await store.take(ImmediateStep.sign, on: item.id, input: ImmediateStepInput(), version: item.version, origin: head)
            #expect(item.signedBy == s.f.users[.unitHead]!.displayName)
            let empty = await #expect(throws: DomainError.self) {
                _ = try await store.take(ImmediateStep.report, on: item.id, input: ImmediateStepInput(), version: item.version, origin: s.f.origin(.unitContact))
            }
            #expect(empty?.code == "required")
            item = try await store.take(ImmediateStep.report, on: item.id, input: ImmediateStepInput(measures: "已停止发放，清退8.2万元"), version: item.version, origin: s.f.origin(.unitContact))
            item = try await store.take(ImmediateStep.reject, on: item.id, input: ImmediateStepInput(note: "尚有4.4万元未清退"), version: item.version, origin: s.leader)
            #expect(item.status == .signed)
            item = try await store.take(ImmediateStep.report, on: item.id, input: ImmediateStepInput(measures: "已全部清退12.6万元"), version: item.version, origin: head)
            item = try await store.take(ImmediateStep.verify, on: item.id, input: ImmediateStepInput(note: "核实无误"), version: item.version, origin: s.leader)
            #expect(item.status == .closed)
            #expect(item.closedAt != nil)

            let otherHead = try await Scenario.unitHead(of: s.planned.units[1].id, username: "t.other.head", displayName: "教育局书记", store, s.f).actor
            #expect(try await store.immediateRectifications(for: otherHead).items.isEmpty, "another unit sees nothing of it")
            for role in [Role.disciplineReceiver, .organisationReceiver, .leadCustodian, .systemAdministrator] {
                await #expect(throws: DomainError.forbidden, "\(role)") { _ = try await store.immediateRectifications(for: s.f.actor(role)) }
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func anUnapprovedItemFollowsTheTriageAndAnApprovedOneHoldsIt(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            var (s, paper, item) = try await Self.proposed(store)
            paper = try await store.triage(paper.id, as: .deadline, note: nil, version: paper.version, origin: s.office)
            #expect(try await store.immediateRectification(item.id, for: s.office.actor).status == .withdrawn)
            paper = try await store.triage(paper.id, as: .immediate, note: nil, version: paper.version, origin: s.office)
            item = try #require(try await store.immediateRectifications(status: .proposed, for: s.office.actor).items.first)
            item = try await store.take(ImmediateStep.approve, on: item.id, input: ImmediateStepInput(), version: item.version, origin: s.f.origin(.leadingGroupMember))
            let locked = await #expect(throws: DomainError.self) { _ = try await store.triage(paper.id, as: .deadline, note: nil, version: paper.version, origin: s.office) }
            #expect(locked?.code == "disposition_locked")
            let past = await #expect(throws: DomainError.self) {
                _ = try await store.take(ImmediateStep.issue, on: item.id, input: ImmediateStepInput(problem: "x", requirement: "y", deadline: "2020-01-01"), version: item.version, origin: s.leader)
            }
            #expect(past?.code == "deadline_past")
        }
    }
}
