import Foundation
import SQLKit
import XunchaCore

/// 整改评估 and 回头看: the office schedules an evaluation of an issued feedback, the office or the
/// leading group grades it, 一般 and 差 send the unit into a second rectification that the unit
/// reports on and the office accepts or returns; the office schedules follow-up inspections.
extension Store {
    // MARK: 整改评估

    public func scheduleEvaluation(of feedbackID: UUID, plannedOn: CalendarDay, note: String?, origin: RequestOrigin) async throws -> Evaluation {
        try policy.requireAnywhere(origin.actor, .manageEvaluations)
        let note = try TextRules.optionalText(note, field: "note", label: "评估安排说明", maxLength: 4_000)
        let now = clock.now()
        let id = ids.next()
        try await database.transaction { db in
            let feedback = try await self.visibleFeedback(feedbackID, actor: origin.actor, on: db)
            _ = try await self.requireLocation(feedback.jurisdictionID, actor: origin.actor, permission: .manageEvaluations, on: db)
            guard feedback.status == .issued, let issuedAt = feedback.issuedAt else {
                throw DomainError(.conflict, code: "feedback_not_issued", message: "反馈意见印发后才能安排整改评估", english: "feedback not issued yet")
            }
            guard plannedOn >= CalendarDay(issuedAt) else {
                throw DomainError.invalid("planned_before_feedback", "计划评估日期不能早于反馈之日", english: "evaluation planned before feedback", field: "planned_on")
            }
            if try await db.raw(
                "SELECT 1 AS one FROM evaluations WHERE feedback_id = \(bind: feedbackID.text) AND status <> \(bind: EvaluationStatus.closed.rawValue)"
            ).first() != nil {
                throw DomainError(.conflict, code: "evaluation_open", message: "\(feedback.unitName)已有未完成的整改评估", english: "an evaluation is still open")
            }
            try await ArchiveLock.refuse("feedbacks", feedbackID, on: db)
            try await db.raw(
                """
                INSERT INTO evaluations (jurisdiction_id, id, feedback_id, unit_id, status, planned_on, schedule_note, methods, created_by, created_at, updated_at, version)
                VALUES (\(bind: feedback.jurisdictionID.text), \(bind: id.text), \(bind: feedbackID.text), \(bind: feedback.unitID.text),
                    \(bind: EvaluationStatus.scheduled.rawValue), \(bind: plannedOn.description), \(bind: note), '[]', \(bind: origin.actor.displayName),
                    \(bind: now.epochMilliseconds), \(bind: now.epochMilliseconds), 1)
                """
            ).run()
            try await self.audit.append(
                AuditEvent(
                    action: .evaluationScheduled, targetType: "evaluation", targetID: id.text, jurisdictionID: feedback.jurisdictionID,
                    detail: "\(feedback.unitName)（\(feedback.document.number)），计划\(plannedOn.chineseText)"),
                origin: origin, at: now, on: db)
        }
        return try await evaluation(id, for: origin.actor)
    }

    public func evaluation(_ id: UUID, for actor: Actor) async throws -> Evaluation {
        try await database.read { db in try await self.visibleEvaluation(id, actor: actor, on: db) }
    }

    /// The evaluations the actor may see, newest first; a unit sees its own once graded.
    public func evaluations(_ query: EvaluationQuery = .init(), page: PageRequest = .init(), for actor: Actor) async throws -> Page<Evaluation> {
        try policy.requireAnywhere(actor, .viewEvaluations)
        var sql = EvaluationRows.select + " WHERE " + EvaluationRows.scope(policy.scope(actor, .viewEvaluations))
        if let unit = query.unitID { sql += " AND e.unit_id = \(bind: unit.text)" }
        if let feedback = query.feedbackID { sql += " AND e.feedback_id = \(bind: feedback.text)" }
        if let status = query.status { sql += " AND e.status = \(bind: status.rawValue)" }
        if let grade = query.grade { sql += " AND e.grade = \(bind: grade.rawValue)" }
        return try await database.newestFirst(sql, page: page, alias: "e", time: \.createdAt, id: \.id, decode: EvaluationRows.decode)
    }

    /// The issued feedback the actor may schedule an evaluation of now: in its reach, with no
    /// evaluation still open; by unit name.
    public func evaluableFeedbacks(limit: Int = 200, for actor: Actor) async throws -> [Feedback] {
        try policy.requireAnywhere(actor, .manageEvaluations)
        var sql = FeedbackRows.select + " WHERE fb.status = 'issued' AND "
        sql += ScopeSQL.filter(policy.scope(actor, .manageEvaluations), jurisdictionColumn: "fb.jurisdiction_id", unitColumn: "fb.unit_id")
        sql += " AND NOT EXISTS (SELECT 1 FROM evaluations e WHERE e.feedback_id = fb.id AND e.status <> \(bind: EvaluationStatus.closed.rawValue))"
        sql += " ORDER BY u.name, fb.issued_at LIMIT \(bind: limit)"
        let final = sql
        return try await database.read { db in try await FeedbackRows.load(final, on: db) }
    }

    // MARK: 回头看

    public func scheduleFollowUp(
        of unitID: UUID, year: Int?, quarter: Int?, day: CalendarDay?, reason: String?, evaluationID: UUID? = nil, origin: RequestOrigin
    ) async throws -> FollowUp {
        try policy.requireAnywhere(origin.actor, .manageEvaluations)
        let now = clock.now()
        let plan = try FollowUpPlan.validate(year: year, quarter: quarter, day: day, today: CalendarDay(now))
        let reason = try TextRules.requiredText(reason, field: "reason", label: "回头看事由", maxLength: 4_000)
        let id = ids.next()
        try await database.transaction { db in
            guard let unit = try await UnitRows.find(unitID, on: db), var location = try await self.location(ofJurisdiction: unit.jurisdictionID, on: db) else {
                throw DomainError.notFound
            }
            location.unitID = unit.id
            guard self.policy.allows(origin.actor, .manageEvaluations, at: location) else { throw DomainError.notFound }
            if let evaluationID {
                let linked = try await db.raw("SELECT unit_id, grade FROM evaluations WHERE id = \(bind: evaluationID.text)").first()
                guard let linked, try linked.uuid("unit_id") == unit.id, try linked.optionalString("grade") == EvaluationGrade.poor.rawValue else {
                    throw DomainError.invalid(
                        "follow_up_evaluation", "关联的整改评估须为该单位评为“差”的评估", english: "linked evaluation must grade this unit poor", field: "evaluation_id")
                }
            }
            try await db.raw(
                """
                INSERT INTO follow_ups (jurisdiction_id, id, unit_id, evaluation_id, planned_year, planned_quarter, planned_on, reason, status, scheduled_by,
                    created_at, updated_at, version)
                VALUES (\(bind: unit.jurisdictionID.text), \(bind: id.text), \(bind: unit.id.text), \(bind: evaluationID?.text), \(bind: plan.year),
                    \(bind: plan.quarter), \(bind: plan.day?.description), \(bind: reason), \(bind: FollowUpStatus.scheduled.rawValue), \(bind: origin.actor.displayName),
                    \(bind: now.epochMilliseconds), \(bind: now.epochMilliseconds), 1)
                """
            ).run()
            try await self.audit.append(
                AuditEvent(
                    action: .followUpScheduled, targetType: "follow_up", targetID: id.text, jurisdictionID: unit.jurisdictionID,
                    detail: "\(unit.name)，\(plan.text)"),
                origin: origin, at: now, on: db)
        }
        return try await followUp(id, for: origin.actor)
    }

    /// Records that the follow-up was done, or cancels it; a note either way.
    public func settleFollowUp(_ id: UUID, as status: FollowUpStatus, note: String?, version: Int, origin: RequestOrigin) async throws -> FollowUp {
        let now = clock.now()
        guard status != .scheduled else {
            throw DomainError.invalid("unknown_status", "回头看只能办结为“已开展”或“已取消”", english: "settle as done or cancelled", field: "status")
        }
        let label = status == .done ? "回头看情况" : "取消原因"
        let note = try TextRules.requiredText(note, field: "note", label: label, maxLength: 10_000)
        try await database.transaction { db in
            let before = try await self.visibleFollowUp(id, actor: origin.actor, on: db)
            _ = try await self.requireLocation(before.jurisdictionID, actor: origin.actor, permission: .manageEvaluations, on: db)
            guard before.status == .scheduled else {
                throw DomainError(.conflict, code: "invalid_transition", message: "回头看已\(before.status.title)，不能再办结", english: "follow-up already settled")
            }
            try await VersionedRow.update(
                "follow_ups", id: id, version: version,
                set: "status = \(bind: status.rawValue), outcome = \(bind: note), settled_at = \(bind: now.epochMilliseconds)", at: now, on: db)
            try await self.audit.append(
                AuditEvent(
                    action: .followUpSettled, targetType: "follow_up", targetID: id.text, jurisdictionID: before.jurisdictionID,
                    detail: "\(before.unitName)：\(status.title)"),
                origin: origin, at: now, on: db)
        }
        return try await followUp(id, for: origin.actor)
    }

    public func followUp(_ id: UUID, for actor: Actor) async throws -> FollowUp {
        try await database.read { db in try await self.visibleFollowUp(id, actor: actor, on: db) }
    }

    /// The follow-ups of the actor's committee, newest first, filtered by unit, status and year.
    public func followUps(_ query: FollowUpQuery = .init(), page: PageRequest = .init(), for actor: Actor) async throws -> Page<FollowUp> {
        try policy.requireAnywhere(actor, .viewFollowUps)
        var sql = FollowUpRows.select + " WHERE " + FollowUpRows.scope(policy.scope(actor, .viewFollowUps))
        if let unit = query.unitID { sql += " AND fu.unit_id = \(bind: unit.text)" }
        if let status = query.status { sql += " AND fu.status = \(bind: status.rawValue)" }
        if let year = query.year { sql += " AND fu.planned_year = \(bind: year)" }
        return try await database.newestFirst(sql, page: page, alias: "fu", time: \.createdAt, id: \.id, decode: FollowUpRows.decode)
    }

    // MARK: Helpers

    func visibleEvaluation(_ id: UUID, actor: Actor, on db: any SQLDatabase) async throws -> Evaluation {
        let sql = EvaluationRows.select + " WHERE e.id = \(bind: id.text) AND " + EvaluationRows.scope(policy.scope(actor, .viewEvaluations))
        return try await db.one(sql, EvaluationRows.decode)
    }

    func visibleFollowUp(_ id: UUID, actor: Actor, on db: any SQLDatabase) async throws -> FollowUp {
        let sql = FollowUpRows.select + " WHERE fu.id = \(bind: id.text) AND "
            + FollowUpRows.scope(policy.scope(actor, .viewFollowUps))
        return try await db.one(sql, FollowUpRows.decode)
    }
}

/// Grading, the unit's report and the office's verdict go through the one step writer.
extension EvaluationLifecycle: StoredLifecycle {
    public static let table = "evaluations"
    public static let auditAction = AuditAction.evaluationStep

    /// 评定等次 issues the 整改评估意见 (again, when graded anew after a return).
    public static func issuedDocuments(by step: EvaluationStep, of evaluation: Evaluation) -> [DocumentKind] { step == .grade ? [.evaluation] : [] }

    public static func visible(_ id: UUID, for actor: Actor, in store: Store, on db: any SQLDatabase) async throws -> Evaluation {
        try await store.visibleEvaluation(id, actor: actor, on: db)
    }

    public static func standing(of actor: Actor, towards evaluation: Evaluation, in store: Store, on db: any SQLDatabase) async throws -> RectificationStanding {
        guard var location = try await store.location(ofJurisdiction: evaluation.jurisdictionID, on: db) else { return [] }
        location.unitID = evaluation.unitID
        let permissions: [RectificationTaker: Permission] = [.officeOrLeadingGroup: .gradeEvaluations, .unit: .reportSecondRectification, .office: .manageEvaluations]
        return Set(permissions.filter { store.policy.allows(actor, $0.value, at: location) }.keys)
    }

    public static func columns(of e: Evaluation) -> [(name: String, value: StepColumn)] {
        [
            ("status", .text(e.status.rawValue)), ("methods", .text(InspectorRows.json(e.methods.map(\.rawValue)))), ("findings", .text(e.findings)),
            ("grade", .text(e.grade?.rawValue)), ("evaluated_on", .day(e.evaluatedOn)), ("graded_by", .text(e.gradedBy)),
            ("second_deadline", .day(e.secondDeadline)), ("second_report", .text(e.secondReport)), ("second_reported_by", .text(e.secondReportedBy)),
            ("second_reported_at", .date(e.secondReportedAt)), ("review_note", .text(e.reviewNote)), ("closed_at", .date(e.closedAt)),
        ]
    }

    public static func label(of evaluation: Evaluation) -> String { evaluation.unitName }
}

enum EvaluationRows {
    static let select: SQLQueryString =
        "SELECT e.*, u.name AS unit_name, fb.number AS feedback_number FROM evaluations e JOIN units u ON u.id = e.unit_id JOIN feedbacks fb ON fb.id = e.feedback_id"

    /// The policy's scope; a unit sees its evaluations once graded.
    static func scope(_ scope: Scope) -> SQLQueryString {
        var sql = ScopeSQL.filter(scope, jurisdictionColumn: "e.jurisdiction_id", unitColumn: "e.unit_id")
        if case .unit = scope { sql += " AND e.status IN (\(binds: EvaluationStatus.visibleToUnit.map(\.rawValue)))" }
        return sql
    }

    static func decode(_ row: any SQLRow) throws -> Evaluation {
        Evaluation(
            id: try row.uuid("id"), jurisdictionID: try row.uuid("jurisdiction_id"), feedbackID: try row.uuid("feedback_id"),
            feedbackNumber: try row.string("feedback_number"), unitID: try row.uuid("unit_id"), unitName: try row.string("unit_name"),
            status: try row.code("status", or: .scheduled),
            plannedOn: try row.day("planned_on", label: "计划评估日期"), scheduleNote: try row.optionalString("schedule_note"),
            methods: InspectorRows.list(try row.string("methods"), as: [String].self).compactMap(EvaluationMethod.init(rawValue:)),
            findings: try row.optionalString("findings"), grade: try row.optionalCode("grade"),
            evaluatedOn: try row.optionalDay("evaluated_on", label: "评估日期"), gradedBy: try row.optionalString("graded_by"), secondDeadline: try row.optionalDay("second_deadline", label: "二次整改时限"),
            secondReport: try row.optionalString("second_report"), secondReportedBy: try row.optionalString("second_reported_by"),
            secondReportedAt: try row.optionalDate("second_reported_at"), reviewNote: try row.optionalString("review_note"), closedAt: try row.optionalDate("closed_at"),
            createdBy: try row.string("created_by"), createdAt: try row.date("created_at"), version: try row.int("version"))
    }
}

enum FollowUpRows {
    static let select: SQLQueryString = "SELECT fu.*, u.name AS unit_name FROM follow_ups fu JOIN units u ON u.id = fu.unit_id"

    static func scope(_ scope: Scope) -> SQLQueryString {
        ScopeSQL.filter(scope, jurisdictionColumn: "fu.jurisdiction_id", unitColumn: "fu.unit_id")
    }

    static func decode(_ row: any SQLRow) throws -> FollowUp {
        FollowUp(
            id: try row.uuid("id"), jurisdictionID: try row.uuid("jurisdiction_id"), unitID: try row.uuid("unit_id"), unitName: try row.string("unit_name"),
            evaluationID: try row.optionalUUID("evaluation_id"),
            plan: FollowUpPlan(
                year: try row.int("planned_year"), quarter: try row.int("planned_quarter"),
                day: try row.optionalDay("planned_on", label: "计划日期")),
            reason: try row.string("reason"), status: try row.code("status", or: .scheduled), outcome: try row.optionalString("outcome"),
            scheduledBy: try row.string("scheduled_by"), createdAt: try row.date("created_at"), settledAt: try row.optionalDate("settled_at"),
            version: try row.int("version"))
    }
}
