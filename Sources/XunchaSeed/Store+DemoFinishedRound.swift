import Foundation
import XunchaCore
import XunchaStore

/// The finished part of the demo: 十四届市委第九轮巡察 (autumn 2025), one group led by 钱永明
/// (`qianyongming`) over 市交通运输局 and 市市场监督管理局 (一托二), taken through every step —
/// notice, papers, report up the committee's chain, feedback, the units' plans under "三个一",
/// every task closed with its evidence, both rectification reports accepted, both evaluations
/// graded — so the round is ready for 立卷归档 and a newcomer sees what the end of a tour looks
/// like. Seeded before the current round, so the current round's records stay first in every
/// newest-first list.
extension Store {
    struct FinishedUnit {
        var name: String
        var feedbackNumber: String
        var papers: [(title: String, text: String)]
        var head: String
        var contact: String
    }

    func seedDemoFinishedRound(city: Jurisdiction, units: [String: UUID], pool: [String: UUID], actors: [String: Actor]) async throws {
        let office = RequestOrigin(actor: actors["office"]!)
        let leadingGroup = RequestOrigin(actor: actors["leader"]!)
        let leader = RequestOrigin(actor: actors["qianyongming"]!)
        let day = { (text: String) in try CalendarDay(text: text, field: "date", label: "日期") }
        var round = try await createRound(
            RoundDraft(
                term: "十四届", sequence: 9, kind: .routine, theme: "聚焦群众身边的“关键小事”和行业监管责任落实",
                plannedStart: try day("2025-09-01"), plannedEnd: try day("2025-12-31"), maxUnitsPerGroup: 2),
            in: city.id, origin: office)
        let batch = try await addBatch(to: round.id, entry: "2025-09-15", exit: "2025-11-14", origin: office)
        round = try await take(RoundStep.submitForReview, on: round.id, note: nil, version: round.version, origin: office)
        round = try await take(RoundStep.approveByLeadingGroup, on: round.id, note: "同意", version: round.version, origin: leadingGroup)
        round = try await take(RoundStep.recordCommitteeApproval, on: round.id, note: "江委〔2025〕41号", version: round.version, origin: office)
        let inspected: [FinishedUnit] = [
            FinishedUnit(
                name: "市交通运输局", feedbackNumber: "江巡反〔2025〕17号",
                papers: [
                    ("农村公路养护资金拨付滞后", "2024年下达的农村公路养护资金386万元，至2025年9月仍有142万元未拨付到乡镇。"),
                    ("出租车经营权管理不规范", "部分出租车经营权到期后未按规定收回重新配置，群众反映强烈。"),
                ],
                head: "jiaotong", contact: "jiaotong.lianluo"),
            FinishedUnit(
                name: "市市场监督管理局", feedbackNumber: "江巡反〔2025〕18号",
                papers: [("食品安全抽检不落实", "2025年上半年校园周边食品经营户抽检覆盖率仅为计划的61%。")],
                head: "shijian", contact: "shijian.lianluo"),
        ]
        func member(_ name: String, _ role: GroupRole) -> PlannedMember { PlannedMember(inspectorID: pool[name]!, role: role) }
        let groups = try await acceptProposal(
            roundID: round.id, batchID: batch.id,
            groups: [
                GroupPlan(
                    name: "第一巡察组", authorisation: "江巡领〔2025〕9号", members: [member("钱永明", .leader), member("吴晓东", .member), member("陈工", .member)],
                    unitIDs: inspected.map { units[$0.name]! })
            ],
            origin: office)
        guard let group = groups.first else { return }
        for (number, unit) in inspected.enumerated() {
            if let assignment = group.assignments.first(where: { $0.unitID == units[unit.name] }) {
                _ = try await sendNotice(for: assignment.id, number: "江巡办〔2025〕\(21 + number)号", body: nil, origin: office)
            }
        }
        for step in [RoundStep.startPreparing, .mobilise, .enter] {
            round = try await take(step, on: round.id, note: step == .mobilise ? "召开巡察动员部署会" : nil, version: round.version, origin: office)
        }
        _ = try await signPledge(round: round.id, origin: leader)
        for unit in inspected {
            guard let assignment = group.assignments.first(where: { $0.unitID == units[unit.name] }) else { continue }
            try await finish(
                unit, at: assignment.id, leader: leader, office: office, leadingGroup: leadingGroup, head: RequestOrigin(actor: actors[unit.head]!),
                contact: RequestOrigin(actor: actors[unit.contact]!), discipline: RequestOrigin(actor: actors["jiwei"]!))
        }
    }

    /// One unit from its first paper to its graded evaluation.
    private func finish(
        _ unit: FinishedUnit, at assignment: UUID, leader: RequestOrigin, office: RequestOrigin, leadingGroup: RequestOrigin, head: RequestOrigin,
        contact: RequestOrigin, discipline: RequestOrigin
    ) async throws {
        let duty = [ClassificationTag(scheme: "six_disciplines", version: 1, entry: "mass")]
        var papers: [UUID] = []
        for (title, text) in unit.papers {
            let paper = try await draftFinding(
                in: assignment,
                content: FindingContent(title: title, manifestation: text, basis: "违反行业监管职责有关规定", evidence: nil, responsibility: nil, isCommon: false),
                tags: duty, origin: leader)
            let submitted = try await take(FindingStep.submit, on: paper.id, note: nil, version: paper.version, origin: leader)
            let approved = try await take(FindingStep.approve, on: paper.id, note: "经组务会研究，同意", version: submitted.version, origin: leader)
            _ = try await triage(approved.id, as: .deadline, note: nil, lead: nil, version: approved.version, origin: leader)
            papers.append(paper.id)
        }
        try await approvedDemoReport(at: assignment, of: unit.name, findings: papers, leader: leader, office: office, leadingGroup: leadingGroup)
        let today = CalendarDay(clock.now())
        var feedback = try await draftFeedback(
            for: assignment,
            document: FeedbackDocument(
                number: unit.feedbackNumber, title: "市委第一巡察组关于巡察\(unit.name)党组的反馈意见", mainRecipient: "\(unit.name)党组",
                copyRecipients: ["市纪委监委", "市委组织部"], body: "根据市委统一部署，市委第一巡察组对\(unit.name)党组进行了常规巡察。现将巡察情况反馈如下……",
                planDue: today.adding(days: 15), reportDue: today.adding(months: 2)),
            origin: office)
        feedback = try await take(FeedbackStep.issue, on: feedback.id, note: nil, version: feedback.version, origin: office)
        var plan = try await draftRectificationPlan(
            for: feedback.id,
            content: PlanContent(
                title: "\(unit.name)党组关于落实市委第一巡察组反馈意见的整改方案", meeting: "局党组会议专题研究，同意本方案",
                body: "一、总体要求\n二、整改任务（见任务清单）\n三、组织保障：党组书记任整改工作领导小组组长"),
            origin: contact)
        for problem in feedback.problems {
            plan = try await addRectificationTask(
                to: plan.id, problem: problem.id,
                content: TaskContent(
                    target: "\(problem.text)：全面整改到位", measures: "逐项查明原因，限期整改，建立长效机制", deadline: today.adding(days: 10), kind: .deadline, reportEveryDays: nil,
                    owners: TaskOwners(leader: head.actor.displayName, department: "办公室", cadre: contact.actor.displayName)),
                version: plan.version, origin: contact)
        }
        plan = try await take(PlanStep.endorse, on: plan.id, note: nil, version: plan.version, origin: head)
        plan = try await take(PlanStep.comment, on: plan.id, note: "同意，请纳入驻局纪检监察组日常监督", version: plan.version, origin: discipline)
        plan = try await take(PlanStep.approve, on: plan.id, note: "同意该整改方案", version: plan.version, origin: office)
        for task in try await tasks(ofPlan: plan.id, for: office.actor) {
            _ = try await attach(
                Data("\(task.content.target)\n整改佐证材料：相关制度文件、资金拨付凭证和整改前后对照表（演示数据）。\n".utf8), filename: "整改佐证材料.txt", to: .task(task.id),
                origin: contact)
            let requested = try await take(
                TaskStep.requestClosure, on: task.id, input: TaskStepInput(note: "已整改到位，申请销号"), version: task.version, origin: contact)
            _ = try await take(TaskStep.close, on: task.id, input: TaskStepInput(note: "经核查，同意销号"), version: requested.version, origin: leader)
        }
        for (kind, title) in [(RectificationReportKind.rectification, "关于巡察整改情况的报告"), (.headOrganising, "关于组织落实巡察整改情况的报告")] {
            var written = try await draftRectificationReport(
                for: feedback.id, kind: kind, title: title, body: "一、整改工作开展情况\n党组专题研究部署，逐项整改销号。\n二、下一步打算\n巩固整改成果，建立长效机制。",
                origin: contact)
            written = try await take(RectificationReportStep.sign, on: written.id, note: nil, version: written.version, origin: head)
            written = try await take(RectificationReportStep.submit, on: written.id, note: nil, version: written.version, origin: contact)
            _ = try await take(RectificationReportStep.accept, on: written.id, note: "整改情况属实", version: written.version, origin: office)
        }
        let evaluation = try await scheduleEvaluation(of: feedback.id, plannedOn: today, note: nil, origin: office)
        _ = try await take(
            EvaluationStep.grade, on: evaluation.id,
            input: .grading(EvaluationGrading(methods: [.documentReview, .fieldCheck], findings: "问题整改到位，长效机制已建立。", grade: .good, evaluatedOn: today)),
            version: evaluation.version, origin: office)
    }
}
