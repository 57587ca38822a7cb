import Foundation
import SQLKit
import XunchaCore

/// 公文: the documents the system issues, as `OfficialDocument` values for the .docx writer. Each
/// is read exactly as its record is (a reader who may not see the record gets not found), framed
/// by its committee's 巡察办 or group, and each one handed out is audit-logged.
extension Store {
    /// The document of a record of `kind`, read as the record is; a kind that is not one record's
    /// document (the 台账, the 综述) has its own reader.
    public func officialDocument(_ kind: DocumentKind, _ id: UUID, origin: RequestOrigin) async throws -> OfficialDocument {
        switch kind {
        case .notice: try await noticeDocument(id, origin: origin)
        case .immediate: try await immediateDocument(id, origin: origin)
        case .feedback: try await feedbackDocument(id, origin: origin)
        case .announcement: try await announcementDocument(id, origin: origin)
        case .inspectionReport, .specialReport: try await reportDocument(id, origin: origin)
        case .rectificationPlan: try await rectificationPlanDocument(id, origin: origin)
        case .rectificationReport, .principalReport: try await rectificationReportDocument(id, origin: origin)
        case .evaluation: try await evaluationDocument(id, origin: origin)
        case .thematicReport: try await thematicReportDocument(id, origin: origin)
        case .leadTransfer, .leadList: try await leadTransferDocument(kind, lead: id, origin: origin)
        default: throw DomainError.notFound
        }
    }

    /// The newest record of each kind that has an issued document, across every committee, for a
    /// reviewer to look at the documents (`xuncha documents render`): the console's, never a reader's.
    package func documentSamples() async throws -> [(kind: DocumentKind, id: UUID)] {
        try await database.read { db in
            var found: [(kind: DocumentKind, id: UUID)] = []
            for (kind, table, issued) in Self.archivedKinds {
                let row = try await db.raw("SELECT t.id FROM \(unsafeRaw: table) t WHERE \(unsafeRaw: issued) ORDER BY t.id DESC LIMIT 1").first()
                if let id = try row?.uuid("id") { found.append((kind, id)) }
            }
            let thematic = try await db.raw("SELECT id FROM thematic_reports WHERE status <> 'draft' ORDER BY id DESC LIMIT 1").first()
            if let id = try thematic?.uuid("id") { found.append((.thematicReport, id)) }
            let lead = try await db.raw("SELECT id FROM leads WHERE transferred_at IS NOT NULL ORDER BY id LIMIT 1").first()
            if let id = try lead?.uuid("id") { found += [(.leadTransfer, id), (.leadList, id)] }
            return found
        }
    }

    /// 巡察通知 as sent.
    public func noticeDocument(_ id: UUID, origin: RequestOrigin) async throws -> OfficialDocument {
        let notice = try await notice(id, for: origin.actor)
        let template = try await documentTemplate(.notice, jurisdictionID: notice.jurisdictionID, record: id, issued: true)
        let document = OfficialDocument.notice(notice, committee: try await committeeName(notice.jurisdictionID), template: template)
        try await recordIssued(document, type: "notice", id: id, jurisdictionID: notice.jurisdictionID, origin: origin)
        return document
    }

    /// 立行立改通知书, once the group's leader has issued it; before that there is no document.
    public func immediateDocument(_ id: UUID, origin: RequestOrigin) async throws -> OfficialDocument {
        let item = try await immediateRectification(id, for: origin.actor)
        let (committee, group) = try await database.read { db in
            (try await JurisdictionRows.find(item.jurisdictionID, on: db)?.name ?? "",
             try await db.raw("SELECT name FROM inspection_groups WHERE id = \(bind: item.groupID.text)").first()?.string("name") ?? "巡察组")
        }
        let template = try await documentTemplate(.immediate, jurisdictionID: item.jurisdictionID, record: id, issued: item.issuedAt != nil)
        guard let document = OfficialDocument.immediate(item, groupName: group, committee: committee, template: template) else {
            throw DomainError(.conflict, code: "not_issued", message: "立行立改通知书尚未签发", english: "the notice is not issued yet")
        }
        try await recordIssued(document, type: Chain.immediate.rawValue, id: id, jurisdictionID: item.jurisdictionID, origin: origin)
        return document
    }

    /// 反馈意见 with its 问题清单; a draft (which only the office sees) is dated today.
    public func feedbackDocument(_ id: UUID, origin: RequestOrigin) async throws -> OfficialDocument {
        let feedback = try await feedback(id, for: origin.actor)
        let template = try await documentTemplate(.feedback, jurisdictionID: feedback.jurisdictionID, record: id, issued: feedback.issuedAt != nil)
        let document = OfficialDocument.feedback(
            feedback, committee: try await committeeName(feedback.jurisdictionID), today: CalendarDay(clock.now()), template: template)
        try await recordIssued(document, type: Chain.feedback.rawValue, id: id, jurisdictionID: feedback.jurisdictionID, origin: origin)
        return document
    }

    func committeeName(_ jurisdictionID: UUID) async throws -> String {
        try await database.read { db in try await JurisdictionRows.find(jurisdictionID, on: db)?.name ?? "" }
    }

    func recordIssued(_ document: OfficialDocument, type: String, id: UUID, jurisdictionID: UUID, origin: RequestOrigin) async throws {
        try await record(
            AuditEvent(
                action: .documentDownloaded, targetType: type, targetID: id.text, jurisdictionID: jurisdictionID,
                detail: "下载公文《\(document.title)》\(document.number.map { "（\($0)）" } ?? "")"),
            origin: origin)
    }
}
