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
            try await db.raw(
                """
                INSERT INTO rectification_reports (jurisdiction_id, id, feedback_id, unit_id, kind, title, body, status, due, created_by, created_at, updated_at, version)
                VALUES (\(bind: feedback.jurisdictionID.text), \(bind: id.text), \(bind: feedbackID.text), \(bind: feedback.unitID.text), \(bind: kind.rawValue),
                    \(bind: title), \(bind: body), \(bind: RectificationReportStatus.draft.rawValue), \(bind: feedback.document.reportDue.description),
                    \(bind: origin.actor.name), \(bind: now.epochMilliseconds), \(bind: now.epochMilliseconds), 1)
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
            guard self.standing(origin.actor, towards: before).isUnitUser else { throw DomainError.forbidden }
            guard before.status.isEditable else {
                throw DomainError(
                    .conflict, code: "report_not_editable", message: "整改报告处于“\(before.status.title)”状态，不能修改", english: "report not editable")
            }
            guard before.version == version else { throw DomainError.staleVersion }
            let changed = try await db.raw(
                """
                UPDATE rectification_reports SET title = \(bind: title), body = \(bind: body), status = \(bind: RectificationReportStatus.draft.rawValue),
                    signer_id = NULL, signer_name = NULL, signed_at = NULL, signed_digest = NULL,
                    updated_at = \(bind: now.epochMilliseconds), version = \(bind: version + 1)
                WHERE id = \(bind: id.text) AND version = \(bind: version) RETURNING id
                """
            ).all()
            guard changed.count == 1 else { throw DomainError.staleVersion }
            try await self.audit.append(
                AuditEvent(
                    action: .rectificationReportEdited, targetType: "rectification_report", targetID: id.text, jurisdictionID: before.jurisdictionID,
                    detail: "\(before.unitName)\(before.kind.title)"),
                origin: origin, at: now, on: db)
        }
        return try await rectificationReport(id, for: origin.actor)
    }

    /// Signs (the head's own act), submits, accepts or returns with comments.
    public func takeRectificationReportStep(
        _ step: RectificationReportStep, on id: UUID, note: String?, version: Int, origin: RequestOrigin
    ) async throws -> RectificationReport {
        let now = clock.now()
        try await database.transaction { db in
            let before = try await self.visibleRectificationReport(id, actor: origin.actor, on: db)
            let to = try RectificationReportLifecycle.apply(step, to: before.status, standing: self.standing(origin.actor, towards: before))
            guard before.version == version else { throw DomainError.staleVersion }
            var sets: SQLQueryString = "status = \(bind: to.rawValue)"
            var recorded = try TextRules.optionalText(note, field: "note", label: "意见", maxLength: 4_000)
            switch step {
            case .sign:
                guard let signer = origin.actor.userID else { throw DomainError.forbidden }
                let digest = AuditLog.digest(before.signedText)
                sets += """
                    , signer_id = \(bind: signer.text), signer_name = \(bind: origin.actor.name), signed_at = \(bind: now.epochMilliseconds),
                    signed_digest = \(bind: digest)
                    """
                recorded = "SHA-256 \(digest)"
            case .submit:
                sets += ", submitted_at = \(bind: now.epochMilliseconds)"
            case .accept:
                sets += ", review_note = \(bind: recorded), reviewed_at = \(bind: now.epochMilliseconds)"
            case .return:
                guard let comments = recorded else { throw DomainError.required("note", label: "退回意见") }
                sets += ", review_note = \(bind: comments), reviewed_at = \(bind: now.epochMilliseconds)"
            }
            let changed = try await db.raw(
                "UPDATE rectification_reports SET " + sets
                    + ", updated_at = \(bind: now.epochMilliseconds), version = \(bind: version + 1) WHERE id = \(bind: id.text) AND version = \(bind: version) RETURNING id"
            ).all()
            guard changed.count == 1 else { throw DomainError.staleVersion }
            try await RectificationStepRows.append(
                subject: ("rectification_report", id), jurisdiction: before.jurisdictionID, step: step.rawValue, from: before.status.rawValue, to: to.rawValue,
                note: recorded, actor: origin.actor.name, at: now, ids: self.ids, on: db)
            try await self.audit.append(
                AuditEvent(
                    action: .rectificationReportStep, targetType: "rectification_report", targetID: id.text, jurisdictionID: before.jurisdictionID,
                    detail: "\(before.unitName)\(before.kind.title)：\(step.title)"),
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
        sql += try KeysetSQL.newestFirst(page, column: "r.created_at", idColumn: "r.id")
        let final = sql
        let rows = try await database.read { db in try await db.raw(final).all().map(RectificationReportRows.decode) }
        return KeysetSQL.page(rows, page) { Cursor(key: String($0.createdAt.epochMilliseconds), id: $0.id.text, order: KeysetSQL.newestFirstOrder) }
    }

    /// The report's history, oldest first.
    public func rectificationReportSteps(_ id: UUID, for actor: Actor) async throws -> [RectificationStepRecord] {
        try await database.read { db in
            _ = try await self.visibleRectificationReport(id, actor: actor, on: db)
            return try await RectificationStepRows.load(id, on: db)
        }
    }

    /// Who the actor is towards one report.
    public func rectificationStanding(_ actor: Actor, towards report: RectificationReport) -> RectificationStanding {
        standing(actor, towards: report)
    }

    // MARK: Helpers

    func visibleRectificationReport(_ id: UUID, actor: Actor, on db: any SQLDatabase) async throws -> RectificationReport {
        let sql = RectificationReportRows.select + " WHERE r.id = \(bind: id.text) AND "
            + RectificationReportRows.scope(policy.scope(actor, .viewRectificationReports))
        guard let found = try await db.raw(sql).first().map(RectificationReportRows.decode) else { throw DomainError.notFound }
        return found
    }

    func standing(_ actor: Actor, towards report: RectificationReport) -> RectificationStanding {
        let location = RecordLocation(jurisdictionID: report.jurisdictionID, jurisdictionPath: actor.jurisdictionPath, unitID: report.unitID)
        let unitUser = policy.allows(actor, .writeRectificationReports, at: location)
        return RectificationStanding(
            isUnitHead: unitUser && actor.roles.contains(.unitHead) && actor.userID != nil, isUnitUser: unitUser,
            isOffice: policy.allows(actor, .reviewRectificationReports, at: location))
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
            kind: RectificationReportKind(rawValue: try row.string("kind")) ?? .rectification, title: try row.string("title"), body: try row.string("body"),
            status: RectificationReportStatus(rawValue: try row.string("status")) ?? .draft,
            due: try CalendarDay(text: try row.string("due"), field: "due", label: "报送时限"), signature: signature, submittedAt: try row.optionalDate("submitted_at"),
            reviewNote: try row.optionalString("review_note"), reviewedAt: try row.optionalDate("reviewed_at"), createdBy: try row.string("created_by"),
            createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"), version: try row.int("version"))
    }
}

/// The shared history of rectification reports and disclosures: each step with its comments.
enum RectificationStepRows {
    static func append(
        subject: (type: String, id: UUID), jurisdiction: UUID, step: String, from: String, to: String, note: String?, actor: String, at: Date,
        ids: any IDGenerator, on db: any SQLDatabase
    ) async throws {
        try await db.raw(
            """
            INSERT INTO rectification_steps (jurisdiction_id, id, subject_type, subject_id, step, from_status, to_status, note, actor_name, at)
            VALUES (\(bind: jurisdiction.text), \(bind: ids.next().text), \(bind: subject.type), \(bind: subject.id.text), \(bind: step), \(bind: from),
                \(bind: to), \(bind: note), \(bind: actor), \(bind: at.epochMilliseconds))
            """
        ).run()
    }

    static func load(_ subject: UUID, on db: any SQLDatabase) async throws -> [RectificationStepRecord] {
        try await db.raw("SELECT * FROM rectification_steps WHERE subject_id = \(bind: subject.text) ORDER BY at, id").all().map {
            RectificationStepRecord(
                step: try $0.string("step"), from: try $0.string("from_status"), to: try $0.string("to_status"), note: try $0.optionalString("note"),
                actorName: try $0.string("actor_name"), at: try $0.date("at"))
        }
    }
}
