import Foundation
import SQLKit
import XunchaCore

/// 整改报告: once the feedback is issued, the unit drafts its reports, the head signs each by the
/// head's own account over exactly the text sent, the unit submits it, and the office accepts it
/// or returns it with comments. Only the unit's own accounts write; the office, the leading group
/// and the committee's 纪委/组织部 receivers read.
extension Store {
    public func draftRectificationReport(
        for feedbackID: UUID, kind: RectificationReportKind, title: String?, body: String?, origin: RequestOrigin
    ) async throws -> RectificationReport {
        let (title, body) = try RectificationReportLifecycle.validate(title: title, body: body)
        let now = clock.now()
        let id = ids.next()
        try await database.transaction { db in
            let feedback = try await self.requireUnitWriter(ofFeedback: feedbackID, actor: origin.actor, on: db)
            if kind.oncePerFeedback,
                try await db.raw("SELECT 1 AS one FROM rectification_reports WHERE feedback_id = \(bind: feedbackID.text) AND kind = \(bind: kind.rawValue)").first()
                    != nil
            {
                throw DomainError(.conflict, code: "report_exists", message: "本次反馈的\(kind.title)已起草，请在原报告上修改", english: "report of this kind exists")
            }
            try await ArchiveLock.refuse("feedbacks", feedbackID, on: db)
            try await db.raw(
                """
                INSERT INTO rectification_reports (jurisdiction_id, id, feedback_id, unit_id, kind, title, body, status, due, created_by, created_at, updated_at, version)
                VALUES (\(bind: feedback.jurisdictionID.text), \(bind: id.text), \(bind: feedbackID.text), \(bind: feedback.unitID.text), \(bind: kind.rawValue),
                    \(bind: title), \(bind: body), \(bind: RectificationReportStatus.draft.rawValue), \(bind: feedback.document.reportDue.description),
                    \(bind: origin.actor.displayName), \(bind: now.epochMilliseconds), \(bind: now.epochMilliseconds), 1)
                """
            ).run()
            try await self.audit.append(
                AuditEvent(
                    action: .rectificationReportDrafted, targetType: "rectification_report", targetID: id.text, jurisdictionID: feedback.jurisdictionID,
                    detail: "\(feedback.unitName)\(kind.title)"),
                origin: origin, at: now, on: db)
        }
        return try await rectificationReport(id, for: origin.actor)
    }

    /// Changes the text while the unit holds the report. A change after signing voids the
    /// signature (the head signs again); a returned report goes back to draft.
    public func editRectificationReport(_ id: UUID, title: String?, body: String?, version: Int, origin: RequestOrigin) async throws -> RectificationReport {
        let (title, body) = try RectificationReportLifecycle.validate(title: title, body: body)
        let now = clock.now()
        try await database.transaction { db in
            let before = try await self.visibleRectificationReport(id, actor: origin.actor, on: db)
            guard self.standing(origin.actor, towards: before).contains(.unit) else { throw DomainError.forbidden }
            guard before.status.isEditable else {
                throw DomainError(
                    .conflict, code: "report_not_editable", message: "整改报告处于“\(before.status.title)”状态，不能修改", english: "report not editable")
            }
            guard before.version == version else { throw DomainError.staleVersion }
            try await VersionedRow.update(
                "rectification_reports", id: id, version: version,
                set: """
                    title = \(bind: title), body = \(bind: body), status = \(bind: RectificationReportStatus.draft.rawValue),
                    signer_id = NULL, signer_name = NULL, signed_at = NULL, signed_digest = NULL
                    """, at: now, on: db)
            try await self.audit.append(
                AuditEvent(
                    action: .rectificationReportEdited, targetType: "rectification_report", targetID: id.text, jurisdictionID: before.jurisdictionID,
                    detail: "\(before.unitName)\(before.kind.title)"),
                origin: origin, at: now, on: db)
        }
        return try await rectificationReport(id, for: origin.actor)
    }

    public func rectificationReport(_ id: UUID, for actor: Actor) async throws -> RectificationReport {
        try await database.read { db in try await self.visibleRectificationReport(id, actor: actor, on: db) }
    }

    /// The reports the actor may see, newest first; optionally one feedback's or one status.
    public func rectificationReports(
        feedback: UUID? = nil, status: RectificationReportStatus? = nil, page: PageRequest = .init(), for actor: Actor
    ) async throws -> Page<RectificationReport> {
        try policy.requireAnywhere(actor, .viewRectificationReports)
        var sql = RectificationReportRows.select + " WHERE " + RectificationReportRows.scope(policy.scope(actor, .viewRectificationReports))
        if let feedback { sql += " AND r.feedback_id = \(bind: feedback.text)" }
        if let status { sql += " AND r.status = \(bind: status.rawValue)" }
        return try await database.newestFirst(sql, page: page, alias: "r", time: \.createdAt, id: \.id, decode: RectificationReportRows.decode)
    }

    /// Who the actor is towards one report.
    public func rectificationStanding(_ actor: Actor, towards report: RectificationReport) -> RectificationStanding {
        standing(actor, towards: report)
    }

    // MARK: Helpers

    func visibleRectificationReport(_ id: UUID, actor: Actor, on db: any SQLDatabase) async throws -> RectificationReport {
        let sql = RectificationReportRows.select + " WHERE r.id = \(bind: id.text) AND "
            + RectificationReportRows.scope(policy.scope(actor, .viewRectificationReports))
        return try await db.one(sql, RectificationReportRows.decode)
    }

    func standing(_ actor: Actor, towards report: RectificationReport) -> RectificationStanding {
        let location = RecordLocation(jurisdictionID: report.jurisdictionID, jurisdictionPath: actor.jurisdictionPath, unitID: report.unitID)
        let unitUser = policy.allows(actor, .writeRectificationReports, at: location)
        var standing: RectificationStanding = unitUser ? [.unit] : []
        if unitUser, actor.roles.contains(.unitHead), actor.userID != nil { standing.insert(.unitHead) }
        if policy.allows(actor, .reviewRectificationReports, at: location) { standing.insert(.office) }
        return standing
    }

    /// The unit's own account, towards issued feedback to its unit. Another unit, or feedback not
    /// yet issued, reads as missing; an account that may read but not write is refused.
    private func requireUnitWriter(ofFeedback feedbackID: UUID, actor: Actor, on db: any SQLDatabase) async throws -> Feedback {
        guard let feedback = try await FeedbackRows.load(FeedbackRows.select + " WHERE fb.id = \(bind: feedbackID.text)", on: db).first,
            policy.allows(actor, .viewRectificationReports, at: RecordLocation(jurisdictionID: feedback.jurisdictionID, jurisdictionPath: actor.jurisdictionPath, unitID: feedback.unitID))
        else { throw DomainError.notFound }
        guard policy.allows(actor, .writeRectificationReports, at: RecordLocation(jurisdictionID: feedback.jurisdictionID, jurisdictionPath: actor.jurisdictionPath, unitID: feedback.unitID))
        else { throw DomainError.forbidden }
        guard feedback.status == .issued else {
            throw DomainError(.conflict, code: "feedback_not_issued", message: "反馈意见印发后才能报送整改报告", english: "feedback not issued yet")
        }
        return feedback
    }
}

/// Signing, submitting and the office's verdict go through the one step writer.
extension RectificationReportLifecycle: StoredLifecycle {
    public static let table = "rectification_reports"
    public static let auditAction = AuditAction.rectificationReportStep

    /// The head's 签字背书 makes the report a document.
    public static func issuedDocuments(by step: RectificationReportStep, of report: RectificationReport) -> [DocumentKind] {
        step == .sign ? [report.documentKind] : []
    }

    public static func visible(_ id: UUID, for actor: Actor, in store: Store, on db: any SQLDatabase) async throws -> RectificationReport {
        try await store.visibleRectificationReport(id, actor: actor, on: db)
    }

    public static func standing(of actor: Actor, towards report: RectificationReport, in store: Store, on db: any SQLDatabase) async throws
        -> RectificationStanding
    {
        store.standing(actor, towards: report)
    }

    /// The head signs by the head's own account, over exactly the text now stored.
    public static func facts(
        for step: RectificationReportStep, on report: RectificationReport, input: StepNote, origin: RequestOrigin, context: StepContext, in store: Store, on db: any SQLDatabase
    ) async throws -> SigningFacts {
        SigningFacts(signerID: origin.actor.userID, digest: AuditLog.digest(report.signedText))
    }

    public static func columns(of report: RectificationReport) -> [(name: String, value: StepColumn)] {
        [
            ("status", .text(report.status.rawValue)), ("signer_id", .text(report.signature?.signerID.text)),
            ("signer_name", .text(report.signature?.signerName)), ("signed_at", .date(report.signature?.signedAt)),
            ("signed_digest", .text(report.signature?.digest)), ("submitted_at", .date(report.submittedAt)), ("review_note", .text(report.reviewNote)),
            ("reviewed_at", .date(report.reviewedAt)),
        ]
    }

    public static func label(of report: RectificationReport) -> String { "\(report.unitName)\(report.kind.title)" }
}

enum RectificationReportRows {
    static let select: SQLQueryString = """
        SELECT r.*, u.name AS unit_name, fb.number AS feedback_number FROM rectification_reports r
        JOIN units u ON u.id = r.unit_id JOIN feedbacks fb ON fb.id = r.feedback_id
        """

    static func scope(_ scope: Scope) -> SQLQueryString {
        ScopeSQL.filter(scope, jurisdictionColumn: "r.jurisdiction_id", unitColumn: "r.unit_id")
    }

    static func decode(_ row: any SQLRow) throws -> RectificationReport {
        var signature: HeadSignature?
        if let signer = try row.optionalUUID("signer_id") {
            signature = HeadSignature(
                signerID: signer, signerName: try row.string("signer_name"), signedAt: try row.date("signed_at"), digest: try row.string("signed_digest"))
        }
        return RectificationReport(
            id: try row.uuid("id"), jurisdictionID: try row.uuid("jurisdiction_id"), feedbackID: try row.uuid("feedback_id"),
            feedbackNumber: try row.string("feedback_number"), unitID: try row.uuid("unit_id"), unitName: try row.string("unit_name"),
            kind: try row.code("kind", or: .rectification), title: try row.string("title"), body: try row.string("body"),
            status: try row.code("status", or: .draft),
            due: try row.day("due", label: "报送时限"), signature: signature, submittedAt: try row.optionalDate("submitted_at"),
            reviewNote: try row.optionalString("review_note"), reviewedAt: try row.optionalDate("reviewed_at"), createdBy: try row.string("created_by"),
            createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"), version: try row.int("version"))
    }
}
