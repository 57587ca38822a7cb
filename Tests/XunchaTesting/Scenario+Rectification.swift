import Foundation
import XunchaCore
import XunchaStore

/// 市财政局 with its feedback drafted after the approved report and issued (unless asked not to):
/// two approved papers, one 限期整改 (三重一大事项未经集体决策, the feedback's one problem) and one
/// 立行立改 (违规发放津补贴).
public struct FeedbackIssued: Sendable {
    public let onSite: RoundOnSite
    public let deadline: Finding
    public let immediate: Finding
    public let feedback: Feedback
    public var f: Fixture { onSite.f }
    public var head: RequestOrigin { f.origin(.unitHead) }
    public var contact: RequestOrigin { f.origin(.unitContact) }
    public var office: RequestOrigin { f.origin(.officeStaff) }
    public var leadingGroup: RequestOrigin { f.origin(.leadingGroupMember) }
    public var problem: FeedbackProblem { feedback.problems[0] }
    /// The test store's clock stands still: the feedback was issued "today".
    public var today: CalendarDay { CalendarDay(feedback.issuedAt!) }
}

extension Scenario {
    /// The committee's report chain cut to one stage, 常委会, taken by the office.
    public static func shortReportChain(_ store: Store, _ f: Fixture) async throws {
        _ = try await store.changeSettings(
            of: f.city.id, maxUnitsPerGroup: nil, recentWorkYears: nil, reportChain: [ReportStage(name: "常委会", role: .officeStaff)], version: 0, origin: office(f))
    }

    /// 江巡反〔2026〕1号 to 市财政局党组.
    public static func feedbackDocument(planDue: String = "2027-01-20", reportDue: String = "2027-02-28") throws -> FeedbackDocument {
        FeedbackDocument(
            number: "江巡反〔2026〕1号", title: "关于巡察市财政局党组的反馈意见", mainRecipient: "市财政局党组", copyRecipients: ["市纪委监委", "市委组织部", " "],
            body: "根据市委统一部署……", planDue: try CalendarDay(text: planDue, field: "d", label: "d"), reportDue: try CalendarDay(text: reportDue, field: "d", label: "d"))
    }

    /// The round on site, 市财政局's two papers, its report through the one-stage chain, its feedback.
    public static func feedbackIssued(_ store: Store, _ fixture: Fixture? = nil, issue: Bool = true) async throws -> FeedbackIssued {
        let s = try await onSite(store, fixture)
        let (deadline, immediate) = try await s.atFinance.papersForFeedback(store)
        try await shortReportChain(store, s.f)
        _ = try await s.atFinance.approvedReport(store, findings: [deadline.id, immediate.id])
        let feedback = try await s.atFinance.feedback(store, issue: issue)
        return FeedbackIssued(onSite: s, deadline: deadline, immediate: immediate, feedback: feedback)
    }
}

extension Inspecting {
    /// Two approved papers: 三重一大事项未经集体决策 as 限期整改, 违规发放津补贴 as 立行立改.
    public func papersForFeedback(_ store: Store) async throws -> (deadline: Finding, immediate: Finding) {
        let deadline = try await triagedPaper(store, as: .deadline, content: try Scenario.content("三重一大事项未经集体决策"))
        let immediate = try await triagedPaper(store, as: .immediate, content: try Scenario.content("违规发放津补贴"))
        return (deadline, immediate)
    }

    /// An inspection report on `findings`, drafted by `drafter`, submitted by the leader and approved
    /// at every stage of the committee's chain by that stage's role.
    public func approvedReport(
        _ store: Store, findings: [UUID], drafter: Role = .groupLeader, title: String = "巡察报告", body: String = "正文"
    ) async throws -> Report {
        var report = try await store.draftReport(in: assignmentID, kind: .inspection, title: title, body: body, findings: findings, origin: f.origin(drafter))
        report = try await store.take(ReportStep.submit, on: report.id, note: nil, version: report.version, origin: leader)
        while let stage = report.pendingStage {
            report = try await store.take(ReportStep.approve, on: report.id, note: nil, version: report.version, origin: f.origin(stage.role))
        }
        return report
    }

    /// Feedback drafted by the office after the approved report, and issued unless `issue` is false.
    public func feedback(_ store: Store, document: FeedbackDocument? = nil, issue: Bool = true) async throws -> Feedback {
        let feedback = try await store.draftFeedback(for: assignmentID, document: try document ?? Scenario.feedbackDocument(), origin: office)
        guard issue else { return feedback }
        return try await store.take(FeedbackStep.issue, on: feedback.id, note: nil, version: feedback.version, origin: office)
    }
}

extension FeedbackIssued {
    /// A 整改报告 drafted by the contact, signed by the head, submitted, accepted by the office.
    public func acceptedReport(_ store: Store) async throws -> RectificationReport {
        var report = try await store.draftRectificationReport(
            for: feedback.id, kind: .rectification, title: "关于巡察反馈意见整改情况的报告", body: "一、整改工作总体情况……\n二、涉密案件情况（不宜公开）", origin: contact)
        report = try await store.take(RectificationReportStep.sign, on: report.id, note: nil, version: report.version, origin: head)
        report = try await store.take(RectificationReportStep.submit, on: report.id, note: nil, version: report.version, origin: contact)
        return try await store.take(RectificationReportStep.accept, on: report.id, note: "整改情况属实", version: report.version, origin: office)
    }

    /// The 整改方案's text.
    public static let planContent = PlanContent(title: "市财政局党组关于巡察反馈意见的整改方案", meeting: "2026年12月党组会议专题研究", body: "一、总体要求……")

    /// A task under "三个一": a leader, a department and a cadre answer for it.
    public static func task(
        _ target: String = "健全“三重一大”决策制度", deadline: CalendarDay, owners: TaskOwners = TaskOwners(leader: "张局长", department: "办公室", cadre: "李科长"),
        kind: TaskKind = .deadline
    ) -> TaskContent {
        TaskContent(target: target, measures: "修订议事规则，逐项清理大额资金支出", deadline: deadline, kind: kind, reportEveryDays: kind == .longTerm ? 30 : nil, owners: owners)
    }

    /// A plan with one task on the problem per given deadline, endorsed by the head and approved.
    public func approvedPlan(_ store: Store, deadlines: [CalendarDay], owner: TaskOwners? = nil) async throws -> (RectificationPlan, [RectificationTask]) {
        var plan = try await store.draftRectificationPlan(for: feedback.id, content: Self.planContent, origin: contact)
        for (index, day) in deadlines.enumerated() {
            plan = try await store.addRectificationTask(
                to: plan.id, problem: problem.id,
                content: Self.task("任务\(index + 1)", deadline: day, owners: owner ?? TaskOwners(leader: "张局长", department: "办公室", cadre: "李科长\(index + 1)")),
                version: plan.version, origin: contact)
        }
        plan = try await store.take(PlanStep.endorse, on: plan.id, note: nil, version: plan.version, origin: head)
        plan = try await store.take(PlanStep.approve, on: plan.id, note: nil, version: plan.version, origin: office)
        return (plan, try await store.tasks(ofPlan: plan.id, for: office.actor))
    }
}
