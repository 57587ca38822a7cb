import Crypto
import Foundation
import SQLKit
import XunchaCore

/// 整改方案: the unit answers its issued feedback with a plan whose tasks carry "三个一"
/// ownership; the head endorses it with their own account; the office decides on it with the
/// written opinions of 纪委 and 组织部; approval sets the tasks running. Endorsing and reviewing
/// are steps of the plan's lifecycle (`PlanLifecycle`, taken with `take`).
extension Store {
    public func draftRectificationPlan(for feedbackID: UUID, content: PlanContent, origin: RequestOrigin) async throws -> RectificationPlan {
        let content = try content.validated()
        let now = clock.now()
        let id = ids.next()
        try await database.transaction { db in
            let feedback = try await self.visibleFeedback(feedbackID, actor: origin.actor, on: db)
            try self.requireUnitWriter(origin.actor, jurisdiction: feedback.jurisdictionID, unit: feedback.unitID, permission: .draftRectificationPlans)
            guard feedback.status == .issued else { throw DomainError.notFound }
            if try await db.raw("SELECT 1 AS one FROM rectification_plans WHERE feedback_id = \(bind: feedbackID.text)").first() != nil {
                throw DomainError(.conflict, code: "plan_exists", message: "该反馈意见的整改方案已拟定，请在原方案上修改", english: "plan already exists")
            }
            try await RectificationRows.insertPlan(id, answering: feedback, content: content, status: .drafting, at: now, on: db)
            try await self.audit.append(
                AuditEvent(
                    action: .rectificationPlanDrafted, targetType: "rectification_plan", targetID: id.text, jurisdictionID: feedback.jurisdictionID,
                    detail: "\(feedback.unitName)：\(content.title)"),
                origin: origin, at: now, on: db)
        }
        return try await rectificationPlan(id, for: origin.actor)
    }

    public func editRectificationPlan(_ id: UUID, content: PlanContent, version: Int, origin: RequestOrigin) async throws -> RectificationPlan {
        let content = try content.validated()
        try await changeDraftPlan(id, version: version, origin: origin, detail: "修改方案") { plan, db in
            try await db.raw(
                """
                UPDATE rectification_plans SET title = \(bind: content.title), meeting = \(bind: content.meeting), body = \(bind: content.body)
                WHERE id = \(bind: plan.id.text)
                """
            ).run()
        }
        return try await rectificationPlan(id, for: origin.actor)
    }

    /// Adds a task answering one problem of the plan's feedback.
    public func addRectificationTask(to planID: UUID, problem problemID: UUID, content: TaskContent, version: Int, origin: RequestOrigin) async throws -> RectificationPlan {
        try await changeDraftPlan(planID, version: version, origin: origin, detail: "增加整改任务") { plan, db in
            let (issuedOn, problems) = try await self.planFeedback(plan, on: db)
            guard problems.contains(where: { $0.id == problemID }) else {
                throw DomainError.invalid("unknown_problem", "所选问题不在本反馈意见的问题清单中", english: "problem not in this feedback", field: "problem_id")
            }
            let content = try await self.checkedTask(content, plan: plan, issuedOn: issuedOn, on: db)
            let sequence = try await db.raw(
                "SELECT COUNT(*) AS n FROM rectification_tasks WHERE plan_id = \(bind: plan.id.text) AND problem_id = \(bind: problemID.text)"
            ).first().map { try $0.int("n") } ?? 0
            try await RectificationRows.insertTask(
                self.ids.next(), of: plan, problem: problemID, sequence: sequence + 1, content: content, at: self.clock.now(), on: db)
        }
        return try await rectificationPlan(planID, for: origin.actor)
    }

    public func changeRectificationTask(_ taskID: UUID, content: TaskContent, planVersion: Int, origin: RequestOrigin) async throws -> RectificationPlan {
        let planID = try await planOfTask(taskID, actor: origin.actor)
        try await changeDraftPlan(planID, version: planVersion, origin: origin, detail: "修改整改任务") { plan, db in
            let (issuedOn, _) = try await self.planFeedback(plan, on: db)
            let content = try await self.checkedTask(content, plan: plan, issuedOn: issuedOn, on: db)
            try await db.raw(
                """
                UPDATE rectification_tasks SET target = \(bind: content.target), measures = \(bind: content.measures), deadline = \(bind: content.deadline.description),
                    kind = \(bind: content.kind.rawValue), report_every_days = \(bind: content.reportEveryDays), responsible_leader = \(bind: content.owners.leader),
                    responsible_department = \(bind: content.owners.department), responsible_cadre = \(bind: content.owners.cadre),
                    owner_account_id = \(bind: content.owners.cadreAccountID?.text), next_report_due = \(bind: content.nextReportDue(lastReportedOn: nil)?.description),
                    updated_at = \(bind: self.clock.now().epochMilliseconds)
                WHERE id = \(bind: taskID.text) AND plan_id = \(bind: plan.id.text)
                """
            ).run()
        }
        return try await rectificationPlan(planID, for: origin.actor)
    }

    public func removeRectificationTask(_ taskID: UUID, planVersion: Int, origin: RequestOrigin) async throws -> RectificationPlan {
        let planID = try await planOfTask(taskID, actor: origin.actor)
        try await changeDraftPlan(planID, version: planVersion, origin: origin, detail: "删除整改任务") { plan, db in
            guard let task = try await db.raw("SELECT problem_id, sequence FROM rectification_tasks WHERE id = \(bind: taskID.text)").first() else {
                throw DomainError.notFound
            }
            try await db.raw("DELETE FROM rectification_tasks WHERE id = \(bind: taskID.text)").run()
            // Keep the numbers under the problem without gaps.
            try await db.raw(
                """
                UPDATE rectification_tasks SET sequence = sequence - 1
                WHERE plan_id = \(bind: plan.id.text) AND problem_id = \(bind: try task.string("problem_id")) AND sequence > \(bind: try task.int("sequence"))
                """
            ).run()
        }
        return try await rectificationPlan(planID, for: origin.actor)
    }

    public func rectificationPlan(_ id: UUID, for actor: Actor) async throws -> RectificationPlan {
        try await database.read { db in try await self.visiblePlan(id, actor: actor, on: db) }
    }

    /// The plan answering a feedback, if the unit has begun one and the actor may see it.
    public func rectificationPlan(forFeedback feedbackID: UUID, for actor: Actor) async throws -> RectificationPlan? {
        try await database.read { db in
            let sql = RectificationRows.selectPlans + " WHERE p.feedback_id = \(bind: feedbackID.text) AND " + RectificationRows.planScope(self.policy.scope(actor, .viewRectification))
            return try await RectificationRows.plans(sql, on: db).first
        }
    }

    /// The tasks of a plan, by problem and number.
    public func tasks(ofPlan planID: UUID, for actor: Actor) async throws -> [RectificationTask] {
        try await database.read { db in
            _ = try await self.visiblePlan(planID, actor: actor, on: db)
            return try await RectificationRows.tasks(
                RectificationRows.selectTasks + " WHERE t.plan_id = \(bind: planID.text) ORDER BY fp.sequence, t.sequence", on: db)
        }
    }

    /// Plans the actor may see, newest first.
    public func rectificationPlans(status: PlanStatus? = nil, page: PageRequest = .init(), for actor: Actor) async throws -> Page<RectificationPlan> {
        try policy.requireAnywhere(actor, .viewRectification)
        var sql = RectificationRows.selectPlans + " WHERE " + RectificationRows.planScope(policy.scope(actor, .viewRectification))
        if let status { sql += " AND p.status = \(bind: status.rawValue)" }
        return try await database.newestFirst(sql, page: page, alias: "p", time: \.createdAt, id: \.id) { sql, db in try await RectificationRows.plans(sql, on: db) }
    }

    /// The problems a plan answers, in order, as the unit reads them.
    public func problems(ofPlan planID: UUID, for actor: Actor) async throws -> [FeedbackProblem] {
        try await database.read { db in
            let plan = try await self.visiblePlan(planID, actor: actor, on: db)
            return try await self.planFeedback(plan, on: db).1
        }
    }

    /// Issued feedback of the actor's unit that has no plan yet (the unit's to-do).
    public func feedbackAwaitingPlan(for actor: Actor) async throws -> [Feedback] {
        let scope = policy.scope(actor, .draftRectificationPlans)
        guard case .unit = scope else { return [] }
        let sql = FeedbackRows.select + " WHERE fb.status = 'issued' AND "
            + ScopeSQL.filter(scope, jurisdictionColumn: "fb.jurisdiction_id", unitColumn: "fb.unit_id")
            + " AND NOT EXISTS (SELECT 1 FROM rectification_plans p WHERE p.feedback_id = fb.id) ORDER BY fb.issued_at DESC, fb.id LIMIT 50"
        return try await database.read { db in try await FeedbackRows.load(sql, on: db) }
    }

    /// The unit's accounts a task may name as its responsible cadre (整改责任人).
    public func taskOwnerAccounts(ofUnit unitID: UUID, for actor: Actor) async throws -> [(id: UUID, name: String)] {
        guard actor.unitID == unitID, policy.allowsAnywhere(actor, .draftRectificationPlans), let jurisdiction = actor.jurisdictionID else { throw DomainError.forbidden }
        return try await database.read { db in
            try await db.raw(
                """
                SELECT u.id, \(unsafeRaw: PersonNames.shown("u")) AS shown_name FROM users u
                WHERE u.jurisdiction_id = \(bind: jurisdiction.text) AND u.unit_id = \(bind: unitID.text) AND u.disabled = 0 ORDER BY u.display_name, u.id
                """
            ).all().map { row in (try row.uuid("id"), try row.string("shown_name")) }
        }
    }

    // MARK: Helpers

    func visiblePlan(_ id: UUID, actor: Actor, on db: any SQLDatabase) async throws -> RectificationPlan {
        let sql = RectificationRows.selectPlans + " WHERE p.id = \(bind: id.text) AND " + RectificationRows.planScope(policy.scope(actor, .viewRectification))
        guard let plan = try await RectificationRows.plans(sql, on: db).first else { throw DomainError.notFound }
        return plan
    }

    /// Unit-side writes: the actor acts for exactly this unit and holds the permission there.
    func requireUnitWriter(_ actor: Actor, jurisdiction: UUID, unit: UUID, permission: Permission) throws {
        guard case .unit(let scopeJurisdiction, let scopeUnit) = policy.scope(actor, permission), scopeJurisdiction == jurisdiction, scopeUnit == unit else {
            throw DomainError.forbidden
        }
    }

    private func planOfTask(_ taskID: UUID, actor: Actor) async throws -> UUID {
        try await database.read { db in
            let sql = RectificationRows.selectTasks + " WHERE t.id = \(bind: taskID.text) AND " + RectificationRows.taskScope(self.policy.scope(actor, .viewRectification))
            guard let task = try await RectificationRows.tasks(sql, on: db).first else { throw DomainError.notFound }
            return task.planID
        }
    }

    /// Runs a change on a plan the unit may still edit, bumping its version and auditing it.
    private func changeDraftPlan(
        _ id: UUID, version: Int, origin: RequestOrigin, detail: String, change: @Sendable @escaping (RectificationPlan, any SQLDatabase) async throws -> Void
    ) async throws {
        let now = clock.now()
        try await database.transaction { db in
            let plan = try await self.visiblePlan(id, actor: origin.actor, on: db)
            try self.requireUnitWriter(origin.actor, jurisdiction: plan.jurisdictionID, unit: plan.unitID, permission: .draftRectificationPlans)
            guard plan.status.isEditable else {
                throw DomainError(
                    .conflict, code: "plan_not_editable", message: "整改方案当前为“\(plan.status.title)”，不能修改", english: "plan is not editable")
            }
            guard plan.version == version else { throw DomainError.staleVersion }
            try await change(plan, db)
            try await VersionedRow.update("rectification_plans", id: id, version: version, at: now, on: db)
            try await self.audit.append(
                AuditEvent(
                    action: .rectificationPlanEdited, targetType: "rectification_plan", targetID: id.text, jurisdictionID: plan.jurisdictionID,
                    detail: "\(plan.unitName)：\(detail)"),
                origin: origin, at: now, on: db)
        }
    }

    /// The day the plan's feedback was issued and its problem list.
    func planFeedback(_ plan: RectificationPlan, on db: any SQLDatabase) async throws -> (CalendarDay, [FeedbackProblem]) {
        let feedback = try await FeedbackRows.load(FeedbackRows.select + " WHERE fb.id = \(bind: plan.feedbackID.text)", on: db)
        guard let feedback = feedback.first, let issuedAt = feedback.issuedAt else { throw DomainError.notFound }
        return (CalendarDay(issuedAt), feedback.problems)
    }

    /// Validates a task and its cadre's account: an active account of the same unit.
    private func checkedTask(_ content: TaskContent, plan: RectificationPlan, issuedOn: CalendarDay, on db: any SQLDatabase) async throws -> TaskContent {
        let content = try content.validated(feedbackIssuedOn: issuedOn)
        if let account = content.owners.cadreAccountID {
            guard try await db.raw(
                """
                SELECT 1 AS one FROM users WHERE id = \(bind: account.text) AND unit_id = \(bind: plan.unitID.text)
                AND jurisdiction_id = \(bind: plan.jurisdictionID.text) AND disabled = 0
                """
            ).first() != nil else {
                throw DomainError.invalid("unknown_cadre_account", "责任人账号须为本单位在用账号", english: "the cadre's account must belong to the unit", field: "cadre_account_id")
            }
        }
        return content
    }

}

/// The plan's chain in the store: the head of its unit endorses it; the committee's reviewers
/// (巡察办、纪委监委、组织部) review it; each opinion is kept in plan_reviews.
extension PlanLifecycle: StoredLifecycle {
    public static let table = "rectification_plans"
    public static let auditAction = AuditAction.rectificationPlanStep

    /// The head's 签字背书 makes the plan a document (again, after a return).
    public static func issuedDocuments(by step: PlanStep, of plan: RectificationPlan) -> [DocumentKind] { step == .endorse ? [.rectificationPlan] : [] }

    public static func visible(_ id: UUID, for actor: Actor, in store: Store, on db: any SQLDatabase) async throws -> RectificationPlan {
        try await store.visiblePlan(id, actor: actor, on: db)
    }

    public static func standing(of actor: Actor, towards plan: RectificationPlan, in store: Store, on db: any SQLDatabase) async throws -> PlanStanding {
        guard actor.userID != nil else { return PlanStanding() }
        var body: ReviewBody?
        if let location = try await store.location(ofJurisdiction: plan.jurisdictionID, on: db), store.policy.allows(actor, .reviewRectificationPlans, at: location) {
            body = ReviewBody.of(actor.roles)
        }
        return PlanStanding(
            isUnitHead: actor.roles.contains(.unitHead) && actor.jurisdictionID == plan.jurisdictionID && actor.unitID == plan.unitID, reviewBody: body)
    }

    /// The head signs the problems' tasks; approval starts them.
    public static func facts(
        for step: PlanStep, on plan: RectificationPlan, input: StepNote, origin: RequestOrigin, context: StepContext, in store: Store, on db: any SQLDatabase
    ) async throws -> PlanFacts {
        var facts = PlanFacts(
            signer: origin.actor.userID.map { (id: $0, name: origin.actor.displayName) }, reviewBody: ReviewBody.of(origin.actor.roles),
            digest: { text in SHA256.hash(data: Data(text.utf8)).hexadecimal })
        if step == .endorse { facts.problems = try await store.planFeedback(plan, on: db).1 }
        if step == .endorse || step == .approve {
            facts.tasks = try await RectificationRows.tasks(RectificationRows.selectTasks + " WHERE t.plan_id = \(bind: plan.id.text) ORDER BY t.id", on: db)
        }
        return facts
    }

    public static func columns(of plan: RectificationPlan) -> [(name: String, value: StepColumn)] {
        [
            ("status", .text(plan.status.rawValue)), ("revision", .integer(plan.revision)), ("approved_at", .date(plan.approvedAt)),
            ("endorsed_by", .text(plan.endorsement?.accountID.text)), ("endorsed_by_name", .text(plan.endorsement?.name)),
            ("endorsed_at", .date(plan.endorsement?.at)), ("endorsed_digest", .text(plan.endorsement?.digest)),
            ("endorsed_text", .text(plan.endorsement?.signedText)),
        ]
    }

    public static func label(of plan: RectificationPlan) -> String { "\(plan.unitName)第\(plan.revision)稿" }

    /// A review keeps its opinion, with the body and the revision it was written on.
    public static func written(
        _ step: PlanStep, from plan: RectificationPlan, to outcome: StepOutcome<RectificationPlan>, input: StepNote, facts: PlanFacts,
        origin: RequestOrigin, time: StepTime, in store: Store, on db: any SQLDatabase
    ) async throws {
        guard let decision = step.decision else { return }
        guard let body = facts.reviewBody, let reviewer = origin.actor.userID else { throw DomainError.forbidden }
        try await db.raw(
            """
            INSERT INTO plan_reviews (plan_id, id, body, decision, comment, reviewer_id, reviewer_name, revision, created_at)
            VALUES (\(bind: plan.id.text), \(bind: store.ids.next().text), \(bind: body.rawValue), \(bind: decision.rawValue), \(bind: outcome.note ?? ""),
                \(bind: reviewer.text), \(bind: origin.actor.displayName), \(bind: plan.revision), \(bind: time.at.epochMilliseconds))
            """
        ).run()
    }
}

package enum RectificationRows {
    /// A plan answering an issued feedback, created at `now`.
    static func insertPlan(_ id: UUID, answering feedback: Feedback, content: PlanContent, status: PlanStatus, at now: Date, on db: any SQLDatabase) async throws {
        try await ArchiveLock.refuse("feedbacks", feedback.id, on: db)
        try await db.raw(
            """
            INSERT INTO rectification_plans (jurisdiction_id, id, feedback_id, assignment_id, unit_id, title, meeting, body, status, revision,
                created_at, updated_at, version)
            VALUES (\(bind: feedback.jurisdictionID.text), \(bind: id.text), \(bind: feedback.id.text), \(bind: feedback.assignmentID.text),
                \(bind: feedback.unitID.text), \(bind: content.title), \(bind: content.meeting), \(bind: content.body), \(bind: status.rawValue), 1,
                \(bind: now.epochMilliseconds), \(bind: now.epochMilliseconds), 1)
            """
        ).run()
    }

    /// A task of a plan answering one problem, not yet started (the plan's approval starts it).
    static func insertTask(
        _ id: UUID, of plan: RectificationPlan, problem problemID: UUID, sequence: Int, content: TaskContent, at now: Date, on db: any SQLDatabase
    ) async throws {
        try await ArchiveLock.refuse("rectification_plans", plan.id, on: db)
        try await db.raw(
            """
            INSERT INTO rectification_tasks (jurisdiction_id, id, plan_id, assignment_id, unit_id, problem_id, sequence, target, measures, deadline, kind,
                report_every_days, responsible_leader, responsible_department, responsible_cadre, owner_account_id, status, progress, next_report_due,
                created_at, updated_at, version)
            VALUES (\(bind: plan.jurisdictionID.text), \(bind: id.text), \(bind: plan.id.text), \(bind: plan.assignmentID.text),
                \(bind: plan.unitID.text), \(bind: problemID.text), \(bind: sequence), \(bind: content.target), \(bind: content.measures),
                \(bind: content.deadline.description), \(bind: content.kind.rawValue), \(bind: content.reportEveryDays), \(bind: content.owners.leader),
                \(bind: content.owners.department), \(bind: content.owners.cadre), \(bind: content.owners.cadreAccountID?.text),
                \(bind: TaskStatus.planned.rawValue), 0, \(bind: content.nextReportDue(lastReportedOn: nil)?.description),
                \(bind: now.epochMilliseconds), \(bind: now.epochMilliseconds), 1)
            """
        ).run()
    }

    static let selectPlans: SQLQueryString = """
        SELECT p.*, u.name AS unit_name, fb.number AS feedback_number FROM rectification_plans p
        JOIN units u ON u.id = p.unit_id JOIN feedbacks fb ON fb.id = p.feedback_id
        """

    package static let selectTasks: SQLQueryString = """
        SELECT t.*, u.name AS unit_name, fp.sequence AS problem_sequence, fp.text AS problem_text FROM rectification_tasks t
        JOIN units u ON u.id = t.unit_id JOIN feedback_problems fp ON fp.id = t.problem_id
        """

    static func planScope(_ scope: Scope) -> SQLQueryString {
        ScopeSQL.filter(scope, jurisdictionColumn: "p.jurisdiction_id", unitColumn: "p.unit_id", assignmentColumn: "p.assignment_id")
    }

    static func taskScope(_ scope: Scope) -> SQLQueryString {
        ScopeSQL.filter(scope, jurisdictionColumn: "t.jurisdiction_id", unitColumn: "t.unit_id", assignmentColumn: "t.assignment_id", ownerColumn: "t.owner_account_id")
    }

    static func plans(_ sql: SQLQueryString, on db: any SQLDatabase) async throws -> [RectificationPlan] {
        let rows = try await db.raw(sql).all()
        guard !rows.isEmpty else { return [] }
        let reviews = try await db.grouped(
            "SELECT * FROM plan_reviews WHERE plan_id IN (\(binds: try rows.map { try $0.string("id") })) ORDER BY created_at, id", by: "plan_id"
        ) { row in
            PlanReview(
                id: try row.uuid("id"), body: try row.code("body", or: .office),
                decision: try row.code("decision", or: .comment), comment: try row.string("comment"),
                reviewerName: try row.string("reviewer_name"), revision: try row.int("revision"), at: try row.date("created_at"))
        }
        return try rows.map { row in
            let id = try row.uuid("id")
            var endorsement: PlanEndorsement?
            if let account = try row.optionalString("endorsed_by").flatMap(UUID.init(uuidString:)), let at = try row.optionalDate("endorsed_at") {
                endorsement = PlanEndorsement(
                    accountID: account, name: try row.optionalString("endorsed_by_name") ?? "", at: at, digest: try row.optionalString("endorsed_digest") ?? "",
                    signedText: try row.optionalString("endorsed_text") ?? "")
            }
            return RectificationPlan(
                id: id, jurisdictionID: try row.uuid("jurisdiction_id"), feedbackID: try row.uuid("feedback_id"), assignmentID: try row.uuid("assignment_id"),
                unitID: try row.uuid("unit_id"), unitName: try row.string("unit_name"), feedbackNumber: try row.string("feedback_number"),
                content: PlanContent(title: try row.string("title"), meeting: try row.string("meeting"), body: try row.string("body")),
                status: try row.code("status", or: .drafting), revision: try row.int("revision"), endorsement: endorsement,
                reviews: reviews[id] ?? [], approvedAt: try row.optionalDate("approved_at"), createdAt: try row.date("created_at"),
                updatedAt: try row.date("updated_at"), version: try row.int("version"))
        }
    }

    static func tasks(_ sql: SQLQueryString, on db: any SQLDatabase) async throws -> [RectificationTask] {
        try await db.raw(sql).all().map(decodeTask)
    }

    static func decodeTask(_ row: any SQLRow) throws -> RectificationTask {
        RectificationTask(
            id: try row.uuid("id"), jurisdictionID: try row.uuid("jurisdiction_id"), planID: try row.uuid("plan_id"), assignmentID: try row.uuid("assignment_id"),
            unitID: try row.uuid("unit_id"), unitName: try row.string("unit_name"), problemID: try row.uuid("problem_id"),
            problemSequence: try row.int("problem_sequence"), problemText: try row.string("problem_text"), sequence: try row.int("sequence"),
            content: TaskContent(
                target: try row.string("target"), measures: try row.string("measures"),
                deadline: try row.day("deadline", label: "完成时限"),
                kind: try row.code("kind", or: .deadline), reportEveryDays: try row.optionalInt("report_every_days"),
                owners: TaskOwners(
                    leader: try row.string("responsible_leader"), department: try row.string("responsible_department"),
                    cadre: try row.string("responsible_cadre"), cadreAccountID: try row.optionalString("owner_account_id").flatMap(UUID.init(uuidString:)))),
            status: try row.code("status", or: .planned), progress: try row.int("progress"),
            lastReportedOn: try row.optionalDay("last_reported_on", label: "最近报告"),
            closedAt: try row.optionalDate("closed_at"), updatedAt: try row.date("updated_at"), version: try row.int("version"))
    }
}
