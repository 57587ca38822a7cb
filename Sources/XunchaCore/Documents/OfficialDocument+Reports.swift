import Foundation

/// The documents of the report chain: the group's 巡察报告 and 专题报告 (一巡双报告) to the
/// committee's 巡察工作领导小组, the office's 专题报告 to a functional department, and the
/// group's 巡察公告 posted in the unit when it arrives.
extension OfficialDocument {
    /// 巡察报告 as the group reports it to the 巡察工作领导小组, dated `day` (`Report.documentDay`).
    public static func inspectionReport(
        _ report: Report, groupName: String, committee: String, dated day: CalendarDay, template: DocumentTemplate = .customary(.inspectionReport)
    ) -> OfficialDocument {
        groupReport(report, groupName: groupName, committee: committee, dated: day, template: template)
    }

    /// 专题报告 of 一巡双报告, reported with the 巡察报告 and laid out as it is.
    public static func specialReport(
        _ report: Report, groupName: String, committee: String, dated day: CalendarDay, template: DocumentTemplate = .customary(.specialReport)
    ) -> OfficialDocument {
        groupReport(report, groupName: groupName, committee: committee, dated: day, template: template)
    }

    /// A report of the group in its own name, under the record's title, closing "特此报告。" unless
    /// the group wrote it already. No record carries a 密级, so none is printed.
    static func groupReport(_ report: Report, groupName: String, committee: String, dated day: CalendarDay, template: DocumentTemplate) -> OfficialDocument {
        OfficialDocument(
            frame: template.frame(over: .group(groupName, committee: committee)), number: nil, title: report.title,
            addressee: template.text("addressee", ["党委": DocumentFrame.partyName(committee)]),
            body: closed(DocumentBlock.parse(report.body), with: template.text("closing")), date: day)
    }

    /// 专题报告 to a functional department in the office's name: the analysis, then each problem
    /// as the office worded it for the department (the unit named only where the office chose to),
    /// and what the department is asked to do. Dated the day it was sent; a draft (which only the
    /// office reads) the day it is read.
    public static func thematicReport(
        _ report: ThematicReport, committee: String, today: CalendarDay, template: DocumentTemplate = .customary(.thematicReport)
    ) -> OfficialDocument {
        var body = DocumentBlock.parse(report.body)
        let worded = report.problems.compactMap { problem in
            problem.wording.map { wording in (problem.namesUnit ? problem.unitName.map { "\($0)：" } ?? "" : "") + wording }
        }
        if !worded.isEmpty {
            let numeral = DocumentBlock.chineseNumeral(body.filter(\.isFirstLevel).count + 1)
            body.append(.heading(level: 1, text: "\(numeral)、\(template.text("problemsHeading"))"))
            body += worded.enumerated().map { .paragraph("\($0.offset + 1). \($0.element)") }
        }
        body.append(.paragraph(template.text("closing", ["巡察办": DocumentFrame.standard(committee: committee).signature])))
        return OfficialDocument(
            frame: template.frame(over: .standard(committee: committee)), number: nil, title: report.title, addressee: report.departmentName,
            body: body, date: report.sentAt.map { CalendarDay($0) } ?? today)
    }

    /// 巡察公告: posted in the unit when the group arrives, in the group's name, dated with the
    /// notice. The system keeps no 举报电话 or 信箱 of a group, so the wording says where they are
    /// published; an office that wants its number printed words its template so.
    public static func announcement(
        _ notice: InspectionNotice, committee: String, template: DocumentTemplate = .customary(.announcement)
    ) -> OfficialDocument {
        let group = "\(DocumentFrame.partyName(committee))\(notice.groupName)"
        let values = [
            "党委": DocumentFrame.partyName(committee), "巡察组": group, "被巡察单位": notice.unitName,
            "进驻日期": notice.entryDate.chineseText, "结束日期": notice.exitDate.chineseText,
        ]
        let body = ["opening", "scope", "contact", "closing"].map { DocumentBlock.paragraph(template.text($0, values)) }
        return OfficialDocument(
            frame: template.frame(over: .group(notice.groupName, committee: committee)), number: nil, title: template.text("title", values),
            addressee: nil, body: body, date: CalendarDay(notice.sentAt))
    }

    /// The body with its closing formula ("特此报告。") after it, unless its author ended with it.
    static func closed(_ body: [DocumentBlock], with closing: String) -> [DocumentBlock] {
        let closing = closing.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !closing.isEmpty else { return body }
        if case .paragraph(let last) = body.last, last.trimmingCharacters(in: .whitespaces) == closing { return body }
        return body + [.paragraph(closing)]
    }
}

extension ReportKind {
    /// The 公文 a report of this kind is issued as; a 问题线索报告 goes to the leading group by its
    /// own confidential channel and is not one of them.
    public var documentKind: DocumentKind? {
        switch self {
        case .inspection: .inspectionReport
        case .thematic: .specialReport
        case .lead: nil
        }
    }
}

extension Report {
    /// The 成文日期 of the report's document from its history: an approved report the day its last
    /// stage approved it, a report in review the day it was last submitted. Nil for a draft or a
    /// returned report, which is not a document yet.
    public func documentDay(history: [StepRecord<ReportStep, ReportStatus>]) -> CalendarDay? {
        switch status {
        case .approved: history.last { $0.step == .approve }?.occurredOn
        case .inReview: history.last { $0.step == .submit }?.occurredOn
        case .draft, .returned: nil
        }
    }
}

extension DocumentKind {
    static let inspectionReportSlots = reportSlots
    static let specialReportSlots = reportSlots
    /// A group's report goes to the committee's leading group and closes as a report does.
    static let reportSlots = [
        DocumentSlot("addressee", label: "主送机关", text: "{党委}巡察工作领导小组", placeholders: ["党委"]),
        DocumentSlot("closing", label: "结束语", text: "特此报告。"),
    ]
    static let thematicReportSlots = [
        DocumentSlot("problemsHeading", label: "问题部分标题", text: "需要关注的具体问题"),
        DocumentSlot(
            "closing", label: "工作要求", text: "请你单位结合职责，研究建立完善相关制度，并将制度建立完善情况书面反馈{巡察办}。", placeholders: ["巡察办"]),
    ]
    static let announcementSlots: [DocumentSlot] = {
        let all = ["党委", "巡察组", "被巡察单位", "进驻日期", "结束日期"]
        return [
            DocumentSlot("title", label: "标题", text: "{巡察组}关于巡察{被巡察单位}的公告", placeholders: all),
            DocumentSlot(
                "opening", label: "开头语", text: "根据{党委}巡察工作统一部署，{巡察组}于{进驻日期}至{结束日期}对{被巡察单位}党组织开展巡察。", placeholders: all),
            DocumentSlot(
                "scope", label: "受理范围",
                text: """
                    巡察期间，巡察组主要受理反映{被巡察单位}领导班子及其成员、下一级党组织领导班子主要负责人和重要岗位领导干部问题的来信来访，\
                    重点是关于违反政治纪律、组织纪律、廉洁纪律、群众纪律、工作纪律、生活纪律等方面的举报和反映。\
                    其他不属于巡察受理范围的信访问题，将按规定交由被巡察单位和有关部门处理。
                    """,
                placeholders: all),
            DocumentSlot(
                "contact", label: "联系方式",
                text: "巡察组设置举报电话、邮政信箱和意见箱，在{被巡察单位}办公场所公布，受理来信来访至{结束日期}。", placeholders: all),
            DocumentSlot("closing", label: "结束语", text: "特此公告。", placeholders: all),
        ]
    }()
}
