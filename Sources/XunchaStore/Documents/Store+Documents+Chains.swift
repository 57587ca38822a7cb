import Foundation
import SQLKit
import XunchaCore

/// The 公文 of the report and rectification chains, each read exactly as its record is for the
/// reader (the inspected unit never reads a 巡察报告: it gets the report's own 404), each handed
/// out audit-logged. A record not yet in a state that is a document answers 409 `not_issued`.
extension Store {
    /// 巡察报告 or 专题报告 (一巡双报告), whichever the report is, once submitted for review: dated
    /// the day it was last submitted, or approved at the last stage.
    public func reportDocument(_ id: UUID, origin: RequestOrigin) async throws -> OfficialDocument {
        let report = try await report(id, for: origin.actor)
        guard let kind = report.kind.documentKind else {
            throw DomainError(.conflict, code: "not_issued", message: "问题线索报告不作为公文下载", english: "a lead report is not issued as a document")
        }
        guard let day = report.documentDay(history: try await history(ReportLifecycle.self, of: id, for: origin.actor)) else {
            throw DomainError(.conflict, code: "not_issued", message: "报告尚未提交审议，提交后才能下载公文", english: "the report is not submitted yet")
        }
        let template = try await documentTemplate(kind, jurisdictionID: report.jurisdictionID, record: id)
        let (committee, group) = try await (committeeName(report.jurisdictionID), groupName(report.groupID))
        let document =
            kind == .specialReport
            ? OfficialDocument.specialReport(report, groupName: group, committee: committee, dated: day, template: template)
            : OfficialDocument.inspectionReport(report, groupName: group, committee: committee, dated: day, template: template)
        try await recordIssued(document, type: "report", id: id, jurisdictionID: report.jurisdictionID, origin: origin)
        return document
    }

    /// 专题报告 to a functional department, as sent; a draft (which only the office reads) dated today.
    public func thematicReportDocument(_ id: UUID, origin: RequestOrigin) async throws -> OfficialDocument {
        let report = try await thematicReport(id, for: origin.actor)
        let template = try await documentTemplate(.thematicReport, jurisdictionID: report.jurisdictionID, record: id)
        let document = OfficialDocument.thematicReport(
            report, committee: try await committeeName(report.jurisdictionID), today: CalendarDay(clock.now()), template: template)
        try await recordIssued(document, type: Chain.thematicReport.rawValue, id: id, jurisdictionID: report.jurisdictionID, origin: origin)
        return document
    }

    /// 巡察公告 of a notice: whoever reads the notice may post it.
    public func announcementDocument(_ noticeID: UUID, origin: RequestOrigin) async throws -> OfficialDocument {
        let notice = try await notice(noticeID, for: origin.actor)
        let template = try await documentTemplate(.announcement, jurisdictionID: notice.jurisdictionID, record: noticeID)
        let document = OfficialDocument.announcement(notice, committee: try await committeeName(notice.jurisdictionID), template: template)
        try await recordIssued(document, type: "notice", id: noticeID, jurisdictionID: notice.jurisdictionID, origin: origin)
        return document
    }

    /// 整改方案 with its tasks, once the unit head has endorsed it.
    public func rectificationPlanDocument(_ id: UUID, origin: RequestOrigin) async throws -> OfficialDocument {
        let plan = try await rectificationPlan(id, for: origin.actor)
        let tasks = try await tasks(ofPlan: id, for: origin.actor)
        let template = try await documentTemplate(.rectificationPlan, jurisdictionID: plan.jurisdictionID, record: id)
        let party = try await unitParty(plan.unitID, name: plan.unitName)
        guard
            let document = OfficialDocument.rectificationPlan(
                plan, tasks: tasks, unitParty: party, committee: try await committeeName(plan.jurisdictionID), template: template)
        else {
            throw DomainError(.conflict, code: "not_issued", message: "整改方案尚未经主要负责人签字背书，背书后才能下载公文", english: "the plan is not endorsed")
        }
        try await recordIssued(document, type: "rectification_plan", id: id, jurisdictionID: plan.jurisdictionID, origin: origin)
        return document
    }

    /// 整改情况报告, 主要负责人组织落实整改情况报告 or 整改进展情况报告, whichever the record is,
    /// once the head has signed it.
    public func rectificationReportDocument(_ id: UUID, origin: RequestOrigin) async throws -> OfficialDocument {
        let report = try await rectificationReport(id, for: origin.actor)
        let template = try await documentTemplate(report.documentKind, jurisdictionID: report.jurisdictionID, record: id)
        let party = try await unitParty(report.unitID, name: report.unitName)
        let committee = try await committeeName(report.jurisdictionID)
        let built =
            report.documentKind == .principalReport
            ? OfficialDocument.principalReport(report, unitParty: party, committee: committee, template: template)
            : OfficialDocument.rectificationReport(report, unitParty: party, committee: committee, template: template)
        guard let document = built else {
            throw DomainError(
                .conflict, code: "not_issued", message: "\(report.kind.title)尚未经主要负责人签字，签字后才能下载公文", english: "the report is not signed")
        }
        try await recordIssued(document, type: "rectification_report", id: id, jurisdictionID: report.jurisdictionID, origin: origin)
        return document
    }

    /// 整改评估意见, once graded.
    public func evaluationDocument(_ id: UUID, origin: RequestOrigin) async throws -> OfficialDocument {
        let evaluation = try await evaluation(id, for: origin.actor)
        let template = try await documentTemplate(.evaluation, jurisdictionID: evaluation.jurisdictionID, record: id)
        let party = try await unitParty(evaluation.unitID, name: evaluation.unitName)
        guard
            let document = OfficialDocument.evaluation(
                evaluation, unitParty: party, committee: try await committeeName(evaluation.jurisdictionID), template: template)
        else {
            throw DomainError(.conflict, code: "not_issued", message: "尚未评定等次，评定后才能下载整改评估意见", english: "the evaluation is not graded")
        }
        try await recordIssued(document, type: "evaluation", id: id, jurisdictionID: evaluation.jurisdictionID, origin: origin)
        return document
    }

    /// The 巡察组's name, for its 红头 and 署名.
    func groupName(_ groupID: UUID) async throws -> String {
        try await database.read { db in
            try await db.raw("SELECT name FROM inspection_groups WHERE id = \(bind: groupID.text)").first()?.string("name") ?? "巡察组"
        }
    }

    /// A unit's Party organisation by name, as its documents are headed: "市财政局党组".
    func unitParty(_ unitID: UUID, name: String) async throws -> String {
        let kind = try await database.read { db in
            try await db.raw("SELECT party_organisation FROM units WHERE id = \(bind: unitID.text)").first()?.optionalString("party_organisation")
        }
        return name + (kind.flatMap(PartyOrganisationKind.init(rawValue:))?.title ?? "党组织")
    }
}
