import Foundation

/// The documents of the rectification chain: what the unit's Party organisation reports to the
/// committee's 巡察办 (整改方案, 整改情况报告, 主要负责人组织落实整改情况报告) and the office's
/// 整改评估意见 to the unit.
extension OfficialDocument {
    /// 整改方案 as the unit head endorsed it, dated the day of the endorsement: the meeting that
    /// studied it, its text, then each problem of the feedback with its tasks — target, measures,
    /// the "三个一" owners and the deadline — one paragraph a task. Nil before it is endorsed or
    /// while a returned plan is being revised: there is no signed text to issue.
    public static func rectificationPlan(
        _ plan: RectificationPlan, tasks: [RectificationTask], unitParty: String, committee: String,
        template: DocumentTemplate = .customary(.rectificationPlan)
    ) -> OfficialDocument? {
        guard plan.isIssuable, let endorsement = plan.endorsement else { return nil }
        var body: [DocumentBlock] = [.paragraph(template.text("opening", ["反馈文号": bracketedNumber(plan.feedbackNumber), "党组织": unitParty]))]
        body += DocumentBlock.parse(plan.content.meeting).map(Self.plain)
        body += DocumentBlock.parse(plan.content.body)
        let ordered = tasks.sorted { ($0.problemSequence, $0.sequence) < ($1.problemSequence, $1.sequence) }
        if !ordered.isEmpty {
            let numeral = DocumentBlock.chineseNumeral(body.filter(\.isFirstLevel).count + 1)
            body.append(.heading(level: 1, text: "\(numeral)、\(template.text("tasksHeading"))"))
            var problem: Int?
            for task in ordered {
                if task.problemSequence != problem {
                    problem = task.problemSequence
                    body.append(.heading(level: 2, text: "（\(DocumentBlock.chineseNumeral(task.problemSequence))）\(task.problemText)"))
                }
                body.append(.paragraph("\(task.sequence). " + template.text("task", taskValues(task))))
            }
        }
        return OfficialDocument(
            frame: template.frame(over: .unit(party: unitParty, unitName: plan.unitName)), number: nil, title: plan.content.title,
            addressee: template.text("addressee", ["党委": DocumentFrame.partyName(committee)]), body: body, date: CalendarDay(endorsement.at))
    }

    /// 整改情况报告 (and an 整改进展情况报告, laid out the same) in the name of the unit's Party
    /// organisation. Nil until the head has signed it.
    public static func rectificationReport(
        _ report: RectificationReport, unitParty: String, committee: String, template: DocumentTemplate = .customary(.rectificationReport)
    ) -> OfficialDocument? {
        unitReport(report, frame: .unit(party: unitParty, unitName: report.unitName), committee: committee, template: template)
    }

    /// 主要负责人组织落实整改情况报告: the head's own report, kept as its own record of the
    /// rectification-report chain (`RectificationReportKind.headOrganising`); signed by the head in
    /// person (落款 "市财政局党组书记　李建国") under the unit's 红头. Nil until signed.
    public static func principalReport(
        _ report: RectificationReport, unitParty: String, committee: String, template: DocumentTemplate = .customary(.principalReport)
    ) -> OfficialDocument? {
        guard let signature = report.signature else { return nil }
        var frame = DocumentFrame.unit(party: unitParty, unitName: report.unitName)
        frame.signature = template.text("signer", ["党组织": unitParty, "姓名": signature.signerName])
        return unitReport(report, frame: frame, committee: committee, template: template)
    }

    /// A signed report of the unit to the 巡察办, dated the day it was submitted (or signed, before that).
    static func unitReport(_ report: RectificationReport, frame: DocumentFrame, committee: String, template: DocumentTemplate) -> OfficialDocument? {
        guard let day = report.documentDate else { return nil }
        return OfficialDocument(
            frame: template.frame(over: frame), number: nil, title: report.title,
            addressee: template.text("addressee", ["党委": DocumentFrame.partyName(committee)]),
            body: closed(DocumentBlock.parse(report.body), with: template.text("closing")), date: CalendarDay(day))
    }

    /// 整改评估意见 in the office's name to the unit, copied to 纪委监委 and 组织部: how it was
    /// evaluated, what was found, the grade and, for 一般 or 差, the second rectification asked
    /// for. Nil before it is graded.
    public static func evaluation(
        _ evaluation: Evaluation, unitParty: String, committee: String, template: DocumentTemplate = .customary(.evaluation)
    ) -> OfficialDocument? {
        guard let grade = evaluation.grade, let day = evaluation.evaluatedOn else { return nil }
        let values = [
            "党委": DocumentFrame.partyName(committee), "地方": DocumentFrame.locality(committee), "被巡察单位": evaluation.unitName,
            "反馈文号": bracketedNumber(evaluation.feedbackNumber), "等次": grade.title,
            "二次整改时限": evaluation.secondDeadline?.chineseText ?? "",
        ]
        var body: [DocumentBlock] = [.paragraph(template.text("opening", values))]
        body.append(.heading(level: 1, text: "一、\(template.text("methodsHeading"))"))
        body.append(.paragraph(evaluation.methods.map(\.title).joined(separator: "、") + "。"))
        body.append(.heading(level: 1, text: "二、\(template.text("findingsHeading"))"))
        body += DocumentBlock.parse(evaluation.findings ?? "").map(Self.plain)
        body.append(.heading(level: 1, text: "三、\(template.text("gradeHeading"))"))
        body.append(.paragraph(template.text("grade", values)))
        if evaluation.secondDeadline != nil { body.append(.paragraph(template.text("second", values))) }
        let copies = template.text("copies", values).split(whereSeparator: { "、，,".contains($0) }).map { $0.trimmingCharacters(in: .whitespaces) }
        return OfficialDocument(
            frame: template.frame(over: .standard(committee: committee)), number: nil, title: template.text("title", values),
            addressee: unitParty, body: body, date: day, copiesTo: copies.filter { !$0.isEmpty })
    }

    /// A task's fields for its paragraph, without the full stop a cadre may have typed after them.
    static func taskValues(_ task: RectificationTask) -> [String: String] {
        func bare(_ text: String) -> String {
            var text = text.trimmingCharacters(in: .whitespacesAndNewlines)
            while let last = text.last, "。；;，,".contains(last) { text.removeLast() }
            return text.replacingOccurrences(of: "\n", with: "；")
        }
        return [
            "整改目标": bare(task.content.target), "整改措施": bare(task.content.measures), "责任领导": bare(task.content.owners.leader),
            "责任部门": bare(task.content.owners.department), "责任人": bare(task.content.owners.cadre),
            "完成时限": task.content.deadline.chineseText, "任务类别": task.content.kind.title,
        ]
    }
}

extension RectificationReport {
    /// The 成文日期 of its document: the day it went to the office, or, signed but not yet sent,
    /// the day the head signed it. Nil for a draft or a returned report (no text signed as it stands).
    public var documentDate: Date? {
        switch status {
        case .submitted, .accepted: submittedAt ?? signature?.signedAt
        case .signed: signature?.signedAt
        case .draft, .returned: nil
        }
    }

    /// The 公文 this report is issued as: the head's own report, or the unit's.
    public var documentKind: DocumentKind { kind == .headOrganising ? .principalReport : .rectificationReport }
}

extension RectificationPlan {
    /// Whether the plan is a document now: signed (endorsed) as it stands.
    public var isIssuable: Bool { (status == .endorsed || status == .approved) && endorsement != nil }
}

extension DocumentFrame {
    /// The frame of an inspected unit's Party organisation reporting upward: its own 红头 and 署名
    /// ("中共市财政局党组"), printed by the unit's 办公室.
    public static func unit(party: String, unitName: String) -> DocumentFrame {
        let name = partyName(party)
        return DocumentFrame(issuerMark: name, signature: name, printedBy: "\(unitName)办公室")
    }

    /// The place a committee governs, for the names of its 纪委监委: "江城市委" is "江城市".
    static func locality(_ committee: String) -> String {
        var place = committee.hasPrefix("中共") ? String(committee.dropFirst(2)) : committee
        if place.hasSuffix("委") { place.removeLast() }
        return place
    }
}

extension DocumentKind {
    /// A unit's reports go to the committee's 巡察办.
    static let toOffice = DocumentSlot("addressee", label: "主送机关", text: "{党委}巡察工作领导小组办公室", placeholders: ["党委"])
    static let reportClosing = DocumentSlot("closing", label: "结束语", text: "特此报告。")

    static let rectificationPlanSlots = [
        toOffice,
        DocumentSlot(
            "opening", label: "开头语", text: "为认真落实巡察反馈意见（{反馈文号}），经{党组织}会议研究，制定本整改方案。", placeholders: ["反馈文号", "党组织"]),
        DocumentSlot("tasksHeading", label: "整改任务部分标题", text: "整改任务"),
        DocumentSlot(
            "task", label: "整改任务",
            text: "整改目标：{整改目标}。整改措施：{整改措施}。责任领导：{责任领导}；责任部门：{责任部门}；责任人：{责任人}。完成时限：{完成时限}。",
            placeholders: ["整改目标", "整改措施", "责任领导", "责任部门", "责任人", "完成时限", "任务类别"]),
    ]
    static let rectificationReportSlots = [toOffice, reportClosing]
    static let principalReportSlots = [
        toOffice, reportClosing,
        DocumentSlot("signer", label: "署名", text: "{党组织}书记　{姓名}", placeholders: ["党组织", "姓名"]),
    ]
    static let evaluationSlots: [DocumentSlot] = {
        let all = ["党委", "地方", "被巡察单位", "反馈文号", "等次", "二次整改时限"]
        return [
            DocumentSlot("title", label: "标题", text: "关于{被巡察单位}巡察整改情况的评估意见", placeholders: all),
            DocumentSlot(
                "opening", label: "开头语", text: "根据{党委}巡察工作安排，我办对你单位落实巡察反馈意见（{反馈文号}）的整改情况进行了评估。现将评估意见通知如下：",
                placeholders: all),
            DocumentSlot("methodsHeading", label: "评估方式标题", text: "评估方式"),
            DocumentSlot("findingsHeading", label: "评估情况标题", text: "评估情况"),
            DocumentSlot("gradeHeading", label: "评估结论标题", text: "评估结论"),
            DocumentSlot("grade", label: "评估等次", text: "经综合评定，你单位巡察整改评估等次为“{等次}”。", placeholders: all),
            DocumentSlot(
                "second", label: "二次整改要求", text: "请你单位针对评估发现的问题开展二次整改，于{二次整改时限}前将二次整改情况书面报告我办。", placeholders: all),
            DocumentSlot("copies", label: "抄送机关", text: "{地方}纪委监委、{党委}组织部", placeholders: all),
        ]
    }()
}
