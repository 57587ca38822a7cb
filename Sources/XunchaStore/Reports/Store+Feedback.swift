import Foundation
import SQLKit
import XunchaCore

/// 反馈意见: drafted by the office once the committee has approved the inspection report, with the
/// problem list taken from the assignment's 限期整改 papers; the office words each problem for the
/// unit, then issues it, and only then does the unit see it.
extension Store {
    public func draftFeedback(for assignmentID: UUID, document: FeedbackDocument, origin: RequestOrigin) async throws -> Feedback {
        let now = clock.now()
        let document = try document.validated()
        let id = ids.next()
        try await database.transaction { db in
            let assignment = try await AssignmentRows.find(assignmentID, on: db)
            _ = try await self.requireLocation(assignment.jurisdictionID, actor: origin.actor, permission: .manageRounds, on: db)
            guard try await db.raw(
                "SELECT 1 AS one FROM reports WHERE assignment_id = \(bind: assignmentID.text) AND kind = 'inspection' AND status = 'approved'"
            ).first() != nil else {
                throw DomainError(.conflict, code: "report_not_approved", message: "巡察报告经党委审定后才能反馈", english: "feedback follows the approved report")
            }
            if try await db.raw("SELECT 1 AS one FROM feedbacks WHERE assignment_id = \(bind: assignmentID.text)").first() != nil {
                throw DomainError(.conflict, code: "feedback_exists", message: "\(assignment.unitName)的反馈意见已拟制", english: "feedback already drafted")
            }
            try await FeedbackRows.insert(id, for: assignment, document: document, at: now, on: db)
            // The problem list: the assignment's approved papers triaged 限期整改, worded by title until
            // the office rewrites them for the unit.
            let papers = try await db.raw(
                """
                SELECT id, title FROM findings WHERE assignment_id = \(bind: assignmentID.text) AND status = 'approved' AND disposition = 'deadline'
                ORDER BY approved_at, id
                """
            ).all()
            for (index, paper) in papers.enumerated() {
                try await FeedbackRows.insertProblem(
                    self.ids.next(), of: id, sequence: index + 1, text: try paper.string("title"), finding: try paper.uuid("id"), on: db)
            }
            try await self.audit.append(
                AuditEvent(
                    action: .feedbackDrafted, targetType: "feedback", targetID: id.text, jurisdictionID: assignment.jurisdictionID,
                    detail: "\(assignment.unitName)：\(document.number)，问题\(papers.count)个"),
                origin: origin, at: now, on: db)
        }
        return try await feedback(id, for: origin.actor)
    }

    /// Rewords one problem for the unit while the feedback is a draft.
    public func wordProblem(_ problemID: UUID, of feedbackID: UUID, as text: String?, version: Int, origin: RequestOrigin) async throws -> Feedback {
        let text = try TextRules.requiredText(text, field: "text", label: "问题表述", maxLength: 4_000)
        let now = clock.now()
        try await database.transaction { db in
            let before = try await self.requireDraftFeedback(feedbackID, origin: origin, version: version, on: db)
            guard before.problems.contains(where: { $0.id == problemID }) else { throw DomainError.notFound }
            try await db.raw("UPDATE feedback_problems SET text = \(bind: text) WHERE id = \(bind: problemID.text)").run()
            try await VersionedRow.update("feedbacks", id: feedbackID, version: version, at: now, on: db)
            try await self.audit.append(
                AuditEvent(action: .feedbackEdited, targetType: "feedback", targetID: feedbackID.text, jurisdictionID: before.jurisdictionID, detail: before.document.number),
                origin: origin, at: now, on: db)
        }
        return try await feedback(feedbackID, for: origin.actor)
    }

    public func feedback(_ id: UUID, for actor: Actor) async throws -> Feedback {
        try await database.read { db in try await self.visibleFeedback(id, actor: actor, on: db) }
    }

    /// The feedback the actor may see, newest first; a unit sees only its own, once issued.
    public func feedbacks(page: PageRequest = .init(), for actor: Actor) async throws -> Page<Feedback> {
        try policy.requireAnywhere(actor, .viewFeedback)
        let sql = FeedbackRows.select + " WHERE " + FeedbackRows.scope(policy.scope(actor, .viewFeedback))
        return try await database.newestFirst(sql, page: page, alias: "fb", time: \.createdAt, id: \.id) { sql, db in try await FeedbackRows.load(sql, on: db) }
    }

    // MARK: Helpers

    func visibleFeedback(_ id: UUID, actor: Actor, on db: any SQLDatabase) async throws -> Feedback {
        let sql = FeedbackRows.select + " WHERE fb.id = \(bind: id.text) AND " + FeedbackRows.scope(policy.scope(actor, .viewFeedback))
        guard let found = try await FeedbackRows.load(sql, on: db).first else { throw DomainError.notFound }
        return found
    }

    private func requireDraftFeedback(_ id: UUID, origin: RequestOrigin, version: Int, on db: any SQLDatabase) async throws -> Feedback {
        let feedback = try await visibleFeedback(id, actor: origin.actor, on: db)
        _ = try await requireLocation(feedback.jurisdictionID, actor: origin.actor, permission: .manageRounds, on: db)
        guard feedback.status == .draft else {
            throw DomainError(.conflict, code: "feedback_issued", message: "反馈意见已印发，不能再修改", english: "feedback already issued")
        }
        guard feedback.version == version else { throw DomainError.staleVersion }
        return feedback
    }

}

/// 印发 in the store: the office of the feedback's committee issues it (`Store.take(FeedbackStep.issue, …)`);
/// from then on the unit reads the feedback and its problem list.
extension FeedbackLifecycle: StoredLifecycle {
    public static let table = "feedbacks"
    public static let auditAction = AuditAction.feedbackIssued

    public static func visible(_ id: UUID, for actor: Actor, in store: Store, on db: any SQLDatabase) async throws -> Feedback {
        try await store.visibleFeedback(id, actor: actor, on: db)
    }

    public static func standing(of actor: Actor, towards feedback: Feedback, in store: Store, on db: any SQLDatabase) async throws -> Bool {
        guard let location = try await store.location(ofJurisdiction: feedback.jurisdictionID, on: db), store.policy.allows(actor, .viewJurisdictions, at: location)
        else { throw DomainError.notFound }
        return store.policy.allows(actor, .manageRounds, at: location)
    }

    public static func columns(of feedback: Feedback) -> [(name: String, value: StepColumn)] {
        [("status", .text(feedback.status.rawValue)), ("issued_at", .date(feedback.issuedAt))]
    }

    public static func label(of feedback: Feedback) -> String { feedback.document.number }

    /// 印发 issues the 反馈意见.
    public static func issuedDocuments(by step: FeedbackStep, of feedback: Feedback) -> [DocumentKind] { [.feedback] }
}

enum FeedbackRows {
    static let select: SQLQueryString = "SELECT fb.*, u.name AS unit_name FROM feedbacks fb JOIN units u ON u.id = fb.unit_id"

    /// A draft feedback to an assignment's unit, created at `now`.
    static func insert(_ id: UUID, for assignment: AssignmentDetail, document: FeedbackDocument, at now: Date, on db: any SQLDatabase) async throws {
        try await ArchiveLock.refuse(assignment: assignment.id, on: db)
        try await db.raw(
            """
            INSERT INTO feedbacks (jurisdiction_id, id, assignment_id, unit_id, number, title, main_recipient, copy_recipients, body, plan_due, report_due,
                status, issued_at, created_at, updated_at, version)
            VALUES (\(bind: assignment.jurisdictionID.text), \(bind: id.text), \(bind: assignment.id.text), \(bind: assignment.unitID.text),
                \(bind: document.number), \(bind: document.title), \(bind: document.mainRecipient), \(bind: InspectorRows.json(document.copyRecipients)),
                \(bind: document.body), \(bind: document.planDue.description), \(bind: document.reportDue.description), \(bind: FeedbackStatus.draft.rawValue),
                NULL, \(bind: now.epochMilliseconds), \(bind: now.epochMilliseconds), 1)
            """
        ).run()
    }

    /// One problem of a feedback's list, answering one paper.
    static func insertProblem(_ id: UUID, of feedback: UUID, sequence: Int, text: String, finding: UUID, on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO feedback_problems (feedback_id, id, sequence, text, finding_id)
            VALUES (\(bind: feedback.text), \(bind: id.text), \(bind: sequence), \(bind: text), \(bind: finding.text))
            """
        ).run()
    }

    /// The policy's scope; a unit sees its feedback only once issued.
    static func scope(_ scope: Scope) -> SQLQueryString {
        var sql = ScopeSQL.filter(scope, jurisdictionColumn: "fb.jurisdiction_id", unitColumn: "fb.unit_id", assignmentColumn: "fb.assignment_id")
        if case .unit = scope { sql += " AND fb.status = 'issued'" }
        return sql
    }

    static func load(_ sql: SQLQueryString, on db: any SQLDatabase) async throws -> [Feedback] {
        let rows = try await db.raw(sql).all()
        guard !rows.isEmpty else { return [] }
        let problems = try await db.grouped(
            "SELECT * FROM feedback_problems WHERE feedback_id IN (\(binds: try rows.map { try $0.string("id") })) ORDER BY sequence", by: "feedback_id"
        ) { row in FeedbackProblem(id: try row.uuid("id"), sequence: try row.int("sequence"), text: try row.string("text"), findingID: try row.uuid("finding_id")) }
        return try rows.map { row in
            let id = try row.uuid("id")
            return Feedback(
                id: id, jurisdictionID: try row.uuid("jurisdiction_id"), assignmentID: try row.uuid("assignment_id"), unitID: try row.uuid("unit_id"),
                unitName: try row.string("unit_name"),
                document: FeedbackDocument(
                    number: try row.string("number"), title: try row.string("title"), mainRecipient: try row.string("main_recipient"),
                    copyRecipients: InspectorRows.list(try row.string("copy_recipients"), as: [String].self), body: try row.string("body"),
                    planDue: try row.day("plan_due", label: "整改方案时限"),
                    reportDue: try row.day("report_due", label: "整改报告时限")),
                status: try row.code("status", or: .draft), problems: problems[id] ?? [], issuedAt: try row.optionalDate("issued_at"),
                createdAt: try row.date("created_at"), version: try row.int("version"))
        }
    }
}
