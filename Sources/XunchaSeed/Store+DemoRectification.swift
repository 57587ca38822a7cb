import Foundation
import XunchaCore
import XunchaStore

/// The rectification part of the demo: the group's inspection report of 市财政局 climbs the
/// committee's chain, the office issues the feedback with its problem, 许婷 (`lianluo`) writes the
/// plan with three tasks under "三个一" (one of them owned by 周强, `zeren`), 李建国 (`danwei`)
/// signs it, 纪委 comments and the office approves it, so the ledger shows tasks in green,
/// yellow and no warning, and a progress report already made.
extension Store {
    func seedDemoRectification(units: [String: UUID], actors: [String: Actor]) async throws {
        let office = RequestOrigin(actor: actors["office"]!)
        let leader = RequestOrigin(actor: actors["zuzhang"]!)
        let leadingGroup = RequestOrigin(actor: actors["leader"]!)
        let contact = RequestOrigin(actor: actors["lianluo"]!)
        guard let finance = try await assignments(for: office.actor).items.first(where: { $0.unitID == units["市财政局"] }) else { return }
        let papers = try await findings(FindingQuery(assignmentID: finance.id), for: leader.actor).items.filter { $0.status == .approved }
        try await approvedDemoReport(at: finance.id, of: "市财政局", findings: papers.map(\.id), leader: leader, office: office, leadingGroup: leadingGroup)
        let today = CalendarDay(clock.now())
        var feedback = try await draftFeedback(
            for: finance.id,
            document: FeedbackDocument(
                number: "江巡反〔2026〕1号", title: "市委第一巡察组关于巡察市财政局党组的反馈意见", mainRecipient: "市财政局党组",
                copyRecipients: ["市纪委监委", "市委组织部"], body: "根据市委统一部署，市委第一巡察组对市财政局党组进行了常规巡察。现将巡察情况反馈如下……",
                planDue: today.adding(days: 15), reportDue: today.adding(months: 2)),
            origin: office)
        if let problem = feedback.problems.first {
            feedback = try await wordProblem(
                problem.id, of: feedback.id, as: "党组落实“三重一大”集体决策制度不到位，2026年两项超过50万元的采购事项未经党组会议研究", version: feedback.version,
                origin: office)
        }
        feedback = try await take(FeedbackStep.issue, on: feedback.id, note: nil, version: feedback.version, origin: office)
        guard let problem = feedback.problems.first else { return }
        var plan = try await draftRectificationPlan(
            for: feedback.id,
            content: PlanContent(
                title: "市财政局党组关于落实市委第一巡察组反馈意见的整改方案", meeting: "局党组会议专题研究，同意本方案",
                body: "一、总体要求\n二、整改任务（见任务清单）\n三、组织保障：成立整改工作领导小组，党组书记任组长"),
            origin: contact)
        let zeren = actors["zeren"]?.userID
        let planned: [(String, String, Int, TaskOwners)] = [
            ("修订党组议事规则，明确“三重一大”事项范围和决策程序", "对照上级规定修订议事规则，报党组会议审定后印发", 5,
             TaskOwners(leader: "李建国", department: "办公室", cadre: "周强", cadreAccountID: zeren)),
            ("对2026年以来的大额采购事项逐项复查", "由财务科牵头逐项复查，未经集体决策的补办程序并说明情况", 15, TaskOwners(leader: "王副局长", department: "财务科", cadre: "陈芳")),
            ("建立“三重一大”事项决策台账，长期坚持", "按季度登记决策事项，纳入年度述责述廉", 60, TaskOwners(leader: "李建国", department: "办公室", cadre: "许婷")),
        ]
        for (target, measures, days, owners) in planned {
            plan = try await addRectificationTask(
                to: plan.id, problem: problem.id,
                content: TaskContent(
                    target: target, measures: measures, deadline: today.adding(days: days), kind: days == 60 ? .longTerm : .deadline,
                    reportEveryDays: days == 60 ? 90 : nil, owners: owners),
                version: plan.version, origin: contact)
        }
        plan = try await take(PlanStep.endorse, on: plan.id, note: nil, version: plan.version, origin: RequestOrigin(actor: actors["danwei"]!))
        plan = try await take(
            PlanStep.comment, on: plan.id, note: "建议将复查结果报市纪委监委驻市财政局纪检监察组", version: plan.version, origin: RequestOrigin(actor: actors["jiwei"]!))
        plan = try await take(PlanStep.approve, on: plan.id, note: "同意该整改方案，请按期推进", version: plan.version, origin: office)
        if let first = try await tasks(ofPlan: plan.id, for: office.actor).first, let zeren = actors["zeren"] {
            _ = try await take(
                TaskStep.progress, on: first.id, input: TaskStepInput(note: "议事规则修订稿已起草，拟提交党组会议审定", progress: 60), version: first.version,
                origin: RequestOrigin(actor: zeren))
        }
    }

    /// The group's 巡察报告 of `unit`, submitted by its leader and approved at every stage of the
    /// committee's chain (the leading group's stage by its member, the others by the office).
    func approvedDemoReport(
        at assignment: UUID, of unit: String, findings: [UUID], leader: RequestOrigin, office: RequestOrigin, leadingGroup: RequestOrigin
    ) async throws {
        var report = try await draftReport(
            in: assignment, kind: .inspection, title: "关于巡察\(unit)党组的情况报告", body: "一、基本情况\n二、发现的主要问题\n三、意见建议",
            findings: findings, origin: leader)
        report = try await take(ReportStep.submit, on: report.id, note: nil, version: report.version, origin: leader)
        for stage in report.chain {
            let by = stage.role == .leadingGroupMember ? leadingGroup : office
            report = try await take(ReportStep.approve, on: report.id, note: "\(stage.name)同意", version: report.version, origin: by)
        }
    }
}
