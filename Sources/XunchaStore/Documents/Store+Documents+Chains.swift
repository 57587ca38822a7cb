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
        let day = report.documentDay(history: try await history(ReportLifecycle.self, of: id, for: origin.actor))
        let group = try await groupName(report.groupID)
        return try await issue(kind, of: id, type: "report", in: report.jurisdictionID, origin: origin, pending: "报告尚未提交审议，提交后才能下载公文") {
            template, committee in
            guard let day else { return nil }
            return kind == .specialReport
                ? .specialReport(report, groupName: group, committee: committee, dated: day, template: template)
                : .inspectionReport(report, groupName: group, committee: committee, dated: day, template: template)
        }
    }

    /// 专题报告 to a functional department, as sent; a draft (which only the office reads) dated today.
    public func thematicReportDocument(_ id: UUID, origin: RequestOrigin) async throws -> OfficialDocument {
        let report = try await thematicReport(id, for: origin.actor)
        let today = CalendarDay(clock.now())
        return try await issue(
            .thematicReport, of: id, type: Chain.thematicReport.rawValue, in: report.jurisdictionID, origin: origin, issued: report.status != .draft
        ) {
            .thematicReport(report, committee: $1, today: today, template: $0)
        }
    }

    /// 巡察公告 of a notice: whoever reads the notice may post it.
    public func announcementDocument(_ noticeID: UUID, origin: RequestOrigin) async throws -> OfficialDocument {
        let notice = try await notice(noticeID, for: origin.actor)
        return try await issue(.announcement, of: noticeID, type: "notice", in: notice.jurisdictionID, origin: origin) {
            .announcement(notice, committee: $1, template: $0)
        }
    }

    /// 整改方案 with its tasks, once the unit head has endorsed it.
    public func rectificationPlanDocument(_ id: UUID, origin: RequestOrigin) async throws -> OfficialDocument {
        let plan = try await rectificationPlan(id, for: origin.actor)
        let tasks = try await tasks(ofPlan: id, for: origin.actor)
        let party = try await unitParty(plan.unitID, name: plan.unitName)
        return try await issue(
            .rectificationPlan, of: id, type: "rectification_plan", in: plan.jurisdictionID, origin: origin,
            pending: "整改方案尚未经主要负责人签字背书，背书后才能下载公文"
        ) { .rectificationPlan(plan, tasks: tasks, unitParty: party, committee: $1, template: $0) }
    }

    /// 整改情况报告, 主要负责人组织落实整改情况报告 or 整改进展情况报告, whichever the record is,
    /// once the head has signed it.
    public func rectificationReportDocument(_ id: UUID, origin: RequestOrigin) async throws -> OfficialDocument {
        let report = try await rectificationReport(id, for: origin.actor)
        let party = try await unitParty(report.unitID, name: report.unitName)
        let kind = report.documentKind
        return try await issue(
            kind, of: id, type: "rectification_report", in: report.jurisdictionID, origin: origin,
            pending: "\(report.kind.title)尚未经主要负责人签字，签字后才能下载公文"
        ) { template, committee in
            kind == .principalReport
                ? .principalReport(report, unitParty: party, committee: committee, template: template)
                : .rectificationReport(report, unitParty: party, committee: committee, template: template)
        }
    }

    /// 整改评估意见, once graded.
    public func evaluationDocument(_ id: UUID, origin: RequestOrigin) async throws -> OfficialDocument {
        let evaluation = try await evaluation(id, for: origin.actor)
        let party = try await unitParty(evaluation.unitID, name: evaluation.unitName)
        return try await issue(
            .evaluation, of: id, type: "evaluation", in: evaluation.jurisdictionID, origin: origin, pending: "尚未评定等次，评定后才能下载整改评估意见"
        ) { .evaluation(evaluation, unitParty: party, committee: $1, template: $0) }
    }

    /// How a record the reader may see becomes the document handed out: the committee's template
    /// of the kind and its name given to `build`; no document yet (`build` gives nil) is 409
    /// `not_issued` saying what it waits for (`pending`); each one handed out is audit-logged.
    /// The record's template is the version pinned when it was issued; before (`issued` false, by
    /// default: while `build` makes no document of it), the committee's latest.
    func issue(
        _ kind: DocumentKind, of id: UUID, type: String, in jurisdictionID: UUID, origin: RequestOrigin, pending: String = "", issued: Bool? = nil,
        _ build: (DocumentTemplate, String) -> OfficialDocument?
    ) async throws -> OfficialDocument {
        let committee = try await committeeName(jurisdictionID)
        let issued = issued ?? (build(.customary(kind), committee) != nil)
        let template = try await documentTemplate(kind, jurisdictionID: jurisdictionID, record: id, issued: issued)
        guard let document = build(template, committee) else {
            throw DomainError(.conflict, code: "not_issued", message: pending, english: "\(kind.rawValue) is not a document yet")
        }
        try await recordIssued(document, type: type, id: id, jurisdictionID: jurisdictionID, origin: origin)
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
