import Foundation
import Testing
@testable import XunchaCore

/// The 公文 of the report and rectification chains: who issues them, to whom, dated when, and the
/// record's own text inside the template's fixed wording.
@Suite struct OfficialDocumentChainsTests {
    static let day = CalendarDay(year: 2026, month: 12, day: 20)
    static let at = Date(timeIntervalSince1970: 1_797_000_000)

    static func report(_ kind: ReportKind = .inspection, status: ReportStatus = .approved, body: String = "一、基本情况\n情况正文。") -> Report {
        Report(
            id: UUID(), jurisdictionID: UUID(), roundID: UUID(), assignmentID: UUID(), groupID: UUID(), unitName: "市财政局", kind: kind,
            title: "关于巡察市财政局党组的情况报告", body: body, findingIDs: [UUID()], status: status, chain: ReportChain.standard, stageIndex: 0,
            filings: [], createdBy: "张组长", createdAt: at, updatedAt: at, version: 1)
    }

    static func step(_ step: ReportStep, on day: CalendarDay) -> StepRecord<ReportStep, ReportStatus> {
        StepRecord(step: step, from: .inReview, to: .inReview, note: nil, actorName: "王", at: at, occurredOn: day)
    }

    @Test func theInspectionReportGoesToTheLeadingGroupInTheGroupsNameAndClosesOnce() {
        let report = Self.report(body: "一、基本情况\n情况正文。\n特此报告。")
        let document = OfficialDocument.inspectionReport(report, groupName: "第一巡察组", committee: "江城市委", dated: Self.day)
        #expect(document.frame.issuerMark == "中共江城市委第一巡察组")
        #expect(document.frame.printedBy == "中共江城市委巡察工作领导小组办公室")
        #expect(document.addressee == "中共江城市委巡察工作领导小组")
        #expect(document.title == report.title)
        #expect(document.number == nil)
        #expect(document.secrecy == nil, "no record carries a 密级")
        #expect(document.body == [.heading(level: 1, text: "一、基本情况"), .paragraph("情况正文。"), .paragraph("特此报告。")])
        #expect(document.date == Self.day)

        let special = OfficialDocument.specialReport(
            Self.report(.thematic, body: "选人用人情况。"), groupName: "第一巡察组", committee: "江城市委", dated: Self.day,
            template: DocumentTemplate(kind: .specialReport, wording: ["closing": "以上报告，请审议。"]))
        #expect(special.body.last == .paragraph("以上报告，请审议。"), "the closing is the template's")
    }

    @Test func aReportIsDatedWhenLastSubmittedOrFinallyApprovedAndIsNoDocumentBefore() {
        let submitted = CalendarDay(year: 2026, month: 12, day: 1), again = CalendarDay(year: 2026, month: 12, day: 5)
        let approved = CalendarDay(year: 2026, month: 12, day: 9)
        let history = [Self.step(.submit, on: submitted), Self.step(.returnForRevision, on: submitted), Self.step(.submit, on: again)]
        #expect(Self.report(status: .inReview).documentDay(history: history) == again)
        #expect(Self.report(status: .approved).documentDay(history: history + [Self.step(.approve, on: approved)]) == approved)
        #expect(Self.report(status: .returned).documentDay(history: history) == nil)
        #expect(Self.report(status: .draft).documentDay(history: []) == nil)
        #expect(ReportKind.lead.documentKind == nil && ReportKind.thematic.documentKind == .specialReport)
    }

    @Test func theThematicReportNamesOnlyWhatTheOfficeWordedForTheDepartment() {
        var report = ThematicReport(
            id: UUID(), jurisdictionID: UUID(), title: "关于政府采购领域普遍性问题的专题报告", body: "一、问题概况\n概况。", departmentUnitID: UUID(),
            departmentName: "市财政局", roundID: nil, year: 2026, status: .draft, items: [],
            problems: [
                ThematicProblem(findingID: UUID(), unitName: "市卫健委", title: "底稿标题", manifestation: "底稿表现", wording: "采购未经集体研究", namesUnit: true),
                ThematicProblem(findingID: UUID(), unitName: "市教育局", title: "底稿标题二", manifestation: "底稿表现二", wording: "化整为零规避招标"),
                ThematicProblem(findingID: UUID(), unitName: "市水利局", title: "未改写", manifestation: "表现"),
            ],
            units: [], ruleChanges: [], createdBy: "巡察办", createdAt: Self.at, sentAt: nil, closedAt: nil, version: 1)
        let draft = OfficialDocument.thematicReport(report, committee: "江城市委", today: Self.day)
        #expect(draft.addressee == "市财政局")
        #expect(draft.frame.signature == "中共江城市委巡察工作领导小组办公室")
        #expect(draft.date == Self.day, "a draft is dated the day it is read")
        #expect(draft.body.contains(.heading(level: 1, text: "二、需要关注的具体问题")))
        #expect(draft.body.contains(.paragraph("1. 市卫健委：采购未经集体研究")))
        #expect(draft.body.contains(.paragraph("2. 化整为零规避招标")), "the unit only where the office chose to name it")
        let text = draft.body.map { "\($0)" }.joined()
        #expect(!text.contains("底稿") && !text.contains("市水利局") && !text.contains("市教育局"), "never the paper behind a problem")
        report.sentAt = Self.at
        #expect(OfficialDocument.thematicReport(report, committee: "江城市委", today: Self.day).date == CalendarDay(Self.at))
    }

    @Test func theAnnouncementStatesThePeriodAndTheDutyOfReceptionInTheGroupsName() {
        let notice = InspectionNotice(
            id: UUID(), jurisdictionID: UUID(), assignmentID: UUID(), unitID: UUID(), unitName: "市财政局", groupName: "第一巡察组", number: "江巡办〔2027〕5号",
            body: "市财政局党组织：\n正文", entryDate: CalendarDay(year: 2027, month: 3, day: 1), exitDate: CalendarDay(year: 2027, month: 4, day: 30),
            sentAt: Self.at, members: [])
        let document = OfficialDocument.announcement(notice, committee: "江城市委")
        #expect(document.title == "中共江城市委第一巡察组关于巡察市财政局的公告")
        #expect(document.number == nil && document.addressee == nil, "a 公告 has no 文号 and no 主送")
        #expect(document.frame.signature == "中共江城市委第一巡察组")
        #expect(document.date == CalendarDay(Self.at))
        #expect(document.body.first == .paragraph("根据中共江城市委巡察工作统一部署，中共江城市委第一巡察组于2027年3月1日至2027年4月30日对市财政局党组织开展巡察。"))
        #expect(document.body.last == .paragraph("特此公告。"))
        let reworded = OfficialDocument.announcement(
            notice, committee: "江城市委", template: DocumentTemplate(kind: .announcement, wording: ["contact": "举报电话：0791-1234567（受理至{结束日期}）"]))
        #expect(reworded.body.contains(.paragraph("举报电话：0791-1234567（受理至2027年4月30日）")))
    }

    static func plan(_ status: PlanStatus) -> RectificationPlan {
        RectificationPlan(
            id: UUID(), jurisdictionID: UUID(), feedbackID: UUID(), assignmentID: UUID(), unitID: UUID(), unitName: "市财政局", feedbackNumber: "江巡反[2026]1号",
            content: PlanContent(title: "市财政局党组关于巡察反馈意见的整改方案", meeting: "2026年12月10日党组会议专题研究。", body: "一、总体要求\n坚持问题导向。"),
            status: status, revision: 1,
            endorsement: status == .drafting ? nil : PlanEndorsement(accountID: UUID(), name: "李建国", at: Self.at, digest: "ab", signedText: ""),
            reviews: [], approvedAt: nil, createdAt: Self.at, updatedAt: Self.at, version: 1)
    }

    static func task(problem: Int, _ sequence: Int, plan: RectificationPlan) -> RectificationTask {
        RectificationTask(
            id: UUID(), jurisdictionID: plan.jurisdictionID, planID: plan.id, assignmentID: plan.assignmentID, unitID: plan.unitID, unitName: plan.unitName,
            problemID: UUID(), problemSequence: problem, problemText: "问题\(problem)的表述", sequence: sequence,
            content: TaskContent(
                target: "目标\(problem)-\(sequence)。", measures: "措施\(problem)-\(sequence)", deadline: CalendarDay(year: 2027, month: 2, day: 28), kind: .deadline,
                owners: TaskOwners(leader: "李建国", department: "办公室", cadre: "周强")),
            status: .planned, progress: 0, lastReportedOn: nil, closedAt: nil, updatedAt: Self.at, version: 1)
    }

    @Test func theEndorsedPlanCarriesEachProblemsTasksUnderTheUnitsOwnHead() throws {
        #expect(OfficialDocument.rectificationPlan(Self.plan(.drafting), tasks: [], unitParty: "市财政局党组", committee: "江城市委") == nil)
        let plan = Self.plan(.approved)
        let tasks = [Self.task(problem: 2, 1, plan: plan), Self.task(problem: 1, 2, plan: plan), Self.task(problem: 1, 1, plan: plan)]
        let document = try #require(OfficialDocument.rectificationPlan(plan, tasks: tasks, unitParty: "市财政局党组", committee: "江城市委"))
        #expect(document.frame == DocumentFrame(issuerMark: "中共市财政局党组", signature: "中共市财政局党组", printedBy: "市财政局办公室"))
        #expect(document.addressee == "中共江城市委巡察工作领导小组办公室")
        #expect(document.title == plan.content.title)
        #expect(document.date == CalendarDay(Self.at), "dated the day the head endorsed it")
        #expect(document.body.first == .paragraph("为认真落实巡察反馈意见（江巡反〔2026〕1号），经市财政局党组会议研究，制定本整改方案。"))
        let tail = Array(document.body.drop { $0 != .heading(level: 1, text: "二、整改任务") })
        #expect(tail == [
            .heading(level: 1, text: "二、整改任务"), .heading(level: 2, text: "（一）问题1的表述"),
            .paragraph("1. 整改目标：目标1-1。整改措施：措施1-1。责任领导：李建国；责任部门：办公室；责任人：周强。完成时限：2027年2月28日。"),
            .paragraph("2. 整改目标：目标1-2。整改措施：措施1-2。责任领导：李建国；责任部门：办公室；责任人：周强。完成时限：2027年2月28日。"),
            .heading(level: 2, text: "（二）问题2的表述"),
            .paragraph("1. 整改目标：目标2-1。整改措施：措施2-1。责任领导：李建国；责任部门：办公室；责任人：周强。完成时限：2027年2月28日。"),
        ])
        #expect(OfficialDocument.rectificationPlan(Self.plan(.returned), tasks: tasks, unitParty: "市财政局党组", committee: "江城市委") == nil)
    }

    static func rectificationReport(_ kind: RectificationReportKind, _ status: RectificationReportStatus) -> RectificationReport {
        let signedAt = Date(timeIntervalSince1970: 1_796_000_000)
        return RectificationReport(
            id: UUID(), jurisdictionID: UUID(), feedbackID: UUID(), feedbackNumber: "江巡反〔2026〕1号", unitID: UUID(), unitName: "市财政局", kind: kind,
            title: "关于巡察整改情况的报告", body: "一、整改工作开展情况\n正文。", status: status, due: Self.day,
            signature: status == .draft ? nil : HeadSignature(signerID: UUID(), signerName: "李建国", signedAt: signedAt, digest: "ab"),
            submittedAt: status == .submitted || status == .accepted ? Self.at : nil, reviewNote: nil, reviewedAt: nil, createdBy: "联络员",
            createdAt: signedAt, updatedAt: signedAt, version: 1)
    }

    @Test func theUnitsReportsAreTheirsOnceSignedAndTheHeadSignsHisOwnInPerson() throws {
        #expect(OfficialDocument.rectificationReport(Self.rectificationReport(.rectification, .draft), unitParty: "市财政局党组", committee: "江城市委") == nil)
        #expect(OfficialDocument.rectificationReport(Self.rectificationReport(.rectification, .returned), unitParty: "市财政局党组", committee: "江城市委") == nil)
        let signed = try #require(
            OfficialDocument.rectificationReport(Self.rectificationReport(.rectification, .signed), unitParty: "市财政局党组", committee: "江城市委"))
        #expect(signed.date == CalendarDay(Date(timeIntervalSince1970: 1_796_000_000)), "signed, not yet sent: the day it was signed")
        let report = try #require(
            OfficialDocument.rectificationReport(Self.rectificationReport(.rectification, .submitted), unitParty: "市财政局党组", committee: "江城市委"))
        #expect(report.date == CalendarDay(Self.at))
        #expect(report.addressee == "中共江城市委巡察工作领导小组办公室")
        #expect(report.frame.signature == "中共市财政局党组")
        #expect(report.body.last == .paragraph("特此报告。"))
        let principal = try #require(
            OfficialDocument.principalReport(Self.rectificationReport(.headOrganising, .accepted), unitParty: "市财政局党组", committee: "江城市委"))
        #expect(principal.frame.issuerMark == "中共市财政局党组")
        #expect(principal.frame.signature == "市财政局党组书记　李建国")
        #expect(Self.rectificationReport(.headOrganising, .draft).documentKind == .principalReport)
        #expect(Self.rectificationReport(.progress, .draft).documentKind == .rectificationReport)
    }

    static func evaluation(grade: EvaluationGrade?) -> Evaluation {
        Evaluation(
            id: UUID(), jurisdictionID: UUID(), feedbackID: UUID(), feedbackNumber: "江巡反[2026]1号", unitID: UUID(), unitName: "市财政局",
            status: grade == nil ? .scheduled : (grade!.requiresSecondRectification ? .secondRectification : .closed), plannedOn: Self.day,
            scheduleNote: nil, methods: grade == nil ? [] : [.documentReview, .fieldCheck], findings: grade == nil ? nil : "一、总体\n整改基本到位。",
            grade: grade, evaluatedOn: grade == nil ? nil : Self.day, gradedBy: "巡察办",
            secondDeadline: grade?.requiresSecondRectification == true ? CalendarDay(year: 2027, month: 1, day: 31) : nil, secondReport: nil,
            secondReportedBy: nil, secondReportedAt: nil, reviewNote: nil, closedAt: nil, createdBy: "巡察办", createdAt: Self.at, version: 1)
    }

    @Test func theEvaluationGoesFromTheOfficeToTheUnitWithItsGradeAndCopies() throws {
        #expect(OfficialDocument.evaluation(Self.evaluation(grade: nil), unitParty: "市财政局党组", committee: "江城市委") == nil, "not graded yet")
        let good = try #require(OfficialDocument.evaluation(Self.evaluation(grade: .good), unitParty: "市财政局党组", committee: "江城市委"))
        #expect(good.title == "关于市财政局巡察整改情况的评估意见")
        #expect(good.addressee == "市财政局党组")
        #expect(good.frame.issuerMark == "中共江城市委巡察工作领导小组办公室")
        #expect(good.copiesTo == ["江城市纪委监委", "中共江城市委组织部"])
        #expect(good.date == Self.day)
        #expect(good.body.contains(.paragraph("书面审核、实地抽查。")))
        #expect(good.body.contains(.paragraph("一、总体")), "the record's own lines stay paragraphs under the document's headings")
        #expect(good.body.contains(.paragraph("经综合评定，你单位巡察整改评估等次为“好”。")))
        #expect(!good.body.contains { "\($0)".contains("二次整改") })
        let poor = try #require(OfficialDocument.evaluation(Self.evaluation(grade: .poor), unitParty: "市财政局党组", committee: "江城市委"))
        #expect(poor.body.last == .paragraph("请你单位针对评估发现的问题开展二次整改，于2027年1月31日前将二次整改情况书面报告我办。"))
    }

    @Test func theChainsSlotsAreDeclaredAndAnUnknownPlaceholderIsRefused() throws {
        for kind in [DocumentKind.inspectionReport, .specialReport, .thematicReport, .announcement, .rectificationPlan, .rectificationReport, .principalReport, .evaluation] {
            #expect(kind.slots.count > 1, "\(kind) has wording of its own beyond a title")
            for slot in kind.slots { #expect(throws: Never.self) { try DocumentTemplate(kind: kind, wording: [slot.name: slot.text]).validate() } }
        }
        #expect(throws: DomainError.self) { try DocumentTemplate(kind: .evaluation, wording: ["grade": "等次为{等级}"]).validate() }
    }
}
