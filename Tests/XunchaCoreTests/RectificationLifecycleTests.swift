import Foundation
import Testing
import XunchaCore

/// 整改方案与整改任务的流转, without the store: who takes which step, what it carries, and what it
/// does as values (the signed text and its digest, the tasks an approval starts, closure's 100%).
@Suite("整改流转 Rectification lifecycles")
struct RectificationLifecycleTests {
    static let today = CalendarDay(year: 2026, month: 12, day: 1)
    static let context = StepContext(actorName: "someone", at: Date(timeIntervalSince1970: 1_796_000_000))
    static let problem = FeedbackProblem(id: UUID(), sequence: 1, text: "三重一大事项未经集体决策", findingID: UUID())

    static func task(_ status: TaskStatus, kind: TaskKind = .longTerm) -> RectificationTask {
        RectificationTask(
            id: UUID(), jurisdictionID: UUID(), planID: UUID(), assignmentID: UUID(), unitID: UUID(), unitName: "市财政局", problemID: problem.id,
            problemSequence: 1, problemText: problem.text, sequence: 1,
            content: TaskContent(
                target: "健全决策制度", measures: "修订议事规则", deadline: today.adding(days: 60), kind: kind, reportEveryDays: kind == .longTerm ? 30 : nil,
                owners: TaskOwners(leader: "张局长", department: "办公室", cadre: "李科长")),
            status: status, progress: 0, lastReportedOn: nil, closedAt: nil, updatedAt: Date(), version: 1)
    }

    static func plan(_ status: PlanStatus) -> RectificationPlan {
        RectificationPlan(
            id: UUID(), jurisdictionID: UUID(), feedbackID: UUID(), assignmentID: UUID(), unitID: UUID(), unitName: "市财政局", feedbackNumber: "市巡反〔2026〕1号",
            content: PlanContent(title: "整改方案", meeting: "党组会议研究", body: ""), status: status, revision: 1, endorsement: nil, reviews: [],
            approvedAt: nil, createdAt: Date(), updatedAt: Date(), version: 1)
    }

    static func facts(tasks: [RectificationTask], body: ReviewBody? = .office) -> PlanFacts {
        PlanFacts(problems: [problem], tasks: tasks, signer: (id: UUID(), name: "王局长"), reviewBody: body, digest: { "digest of \($0.count)" })
    }

    @Test func theHeadSignsExactlyThePlanAndTheOfficeApprovalStartsEveryTask() throws {
        let tasks = [Self.task(.planned), Self.task(.planned)]
        let head = PlanStanding(isUnitHead: true)
        let bare = #expect(throws: DomainError.self) {
            try PlanLifecycle.decide(.endorse, on: Self.plan(.drafting), standing: head, input: StepNote(), facts: Self.facts(tasks: []), context: Self.context)
        }
        #expect(bare?.code == "problem_without_task")
        let endorsed = try PlanLifecycle.decide(.endorse, on: Self.plan(.drafting), standing: head, input: StepNote(), facts: Self.facts(tasks: tasks), context: Self.context)
        let signed = try #require(endorsed.record.endorsement)
        #expect(endorsed.record.status == .endorsed && signed.name == "王局长" && signed.at == Self.context.at)
        #expect(signed.digest == "digest of \(signed.signedText.count)" && signed.signedText.contains("方案第1稿"))
        #expect(PlanLifecycle.refusal(of: .endorse, standing: PlanStanding(reviewBody: .office))?.code == "not_unit_head")

        let office = PlanStanding(reviewBody: .office)
        let approved = try PlanLifecycle.decide(.approve, on: endorsed.record, standing: office, input: StepNote(), facts: Self.facts(tasks: tasks), context: Self.context)
        #expect(approved.record.status == .approved && approved.record.approvedAt == Self.context.at && approved.note == "同意该整改方案。")
        #expect(approved.effects == tasks.map { ChainEffect(chain: .task, recordID: $0.id, step: "start", note: nil) })
        let returned = try PlanLifecycle.decide(
            .returnForRevision, on: endorsed.record, standing: office, input: StepNote("措施不具体"), facts: Self.facts(tasks: []), context: Self.context)
        #expect(returned.record.status == .returned && returned.record.revision == 2 && returned.effects.isEmpty)

        let discipline = PlanStanding(reviewBody: .discipline)
        #expect(PlanLifecycle.available(on: endorsed.record, standing: discipline) == [.comment])
        #expect(PlanLifecycle.available(on: endorsed.record, standing: office) == [.approve, .returnForRevision, .comment])
        let opinion = try PlanLifecycle.decide(
            .comment, on: endorsed.record, standing: discipline, input: StepNote("建议细化时限"), facts: Self.facts(tasks: [], body: .discipline), context: Self.context)
        #expect(opinion.record.status == .endorsed && opinion.detail == "（纪委监委）")
    }

    @Test func onlyThePlansApprovalStartsATaskAndClosureNeedsEvidence() throws {
        let planned = Self.task(.planned)
        #expect(TaskLifecycle.available(on: planned, standing: TaskStanding(isUnitSide: true, isReviewer: true)).isEmpty)
        let started = try TaskLifecycle.decide(
            .start, on: planned, standing: TaskStanding(isPlanApproval: true), input: TaskStepInput(), facts: TaskFacts(evidenceCount: 0), context: Self.context)
        #expect(started.record.status == .inProgress && started.record.nextReportDue == planned.content.deadline)

        let unit = TaskStanding(isUnitSide: true)
        let reported = try TaskLifecycle.decide(
            .progress, on: started.record, standing: unit, input: TaskStepInput(note: "已起草", progress: 40), facts: TaskFacts(evidenceCount: 0), context: Self.context)
        #expect(reported.record.progress == 40 && reported.progress == 40 && reported.record.lastReportedOn == Self.context.today)
        #expect(reported.record.nextReportDue == Self.context.today.adding(days: 30))
        let bare = #expect(throws: DomainError.self) {
            try TaskLifecycle.decide(
                .requestClosure, on: reported.record, standing: unit, input: TaskStepInput(note: "已完成"), facts: TaskFacts(evidenceCount: 0), context: Self.context)
        }
        #expect(bare?.code == "evidence_required")
        let asked = try TaskLifecycle.decide(
            .requestClosure, on: reported.record, standing: unit, input: TaskStepInput(note: "已完成"), facts: TaskFacts(evidenceCount: 1), context: Self.context)
        #expect(asked.record.status == .closureRequested && asked.progress == 100)
        #expect(TaskLifecycle.refusal(of: .close, standing: unit)?.code == "step_not_allowed")
        let closed = try TaskLifecycle.decide(
            .close, on: asked.record, standing: TaskStanding(isReviewer: true), input: TaskStepInput(), facts: TaskFacts(evidenceCount: 1), context: Self.context)
        #expect(closed.record.progress == 100 && closed.record.closedAt == Self.context.at && closed.record.nextReportDue == nil)
        #expect(closed.note == "经审核，整改到位，同意销号。")
    }
}
