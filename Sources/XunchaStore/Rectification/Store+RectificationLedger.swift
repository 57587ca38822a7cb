import Foundation
import SQLKit
import XunchaCore

/// What narrows the task list (任务清单、责任清单). Every filter is SQL.
public struct TaskFilter: Sendable, Equatable {
    public var unitID: UUID?
    public var planID: UUID?
    public var status: TaskStatus?
    public var warning: Warning?
    /// Matches the responsible leader, department or cadre.
    public var owner: String?
    /// Only long-term tasks whose periodic report is due.
    public var reportDue: Bool
    /// 截至某日: the list as it stood at the end of this day (today when absent) — the tasks whose
    /// plan was approved by then, coloured and counted overdue as they were then.
    public var asOf: CalendarDay?
    /// Part of the task's target or measures (the site search).
    public var search: String?

    public init(
        unitID: UUID? = nil, planID: UUID? = nil, status: TaskStatus? = nil, warning: Warning? = nil, owner: String? = nil, reportDue: Bool = false,
        asOf: CalendarDay? = nil, search: String? = nil
    ) {
        self.search = search
        self.reportDue = reportDue
        self.asOf = asOf
        self.unitID = unitID
        self.planID = planID
        self.status = status
        self.warning = warning
        self.owner = owner
    }
}

/// 逾期统计的一行: a unit or a responsible person with their overdue tasks.
public struct OverdueCount: Sendable, Equatable {
    public var unitID: UUID
    public var name: String
    public var unitName: String
    public var overdue: Int
    public var oldestDeadline: CalendarDay
}

/// 合计 of a task list: how many tasks match its filter, how many are closed and overdue, and
/// their progress together — over every page, not the one shown.
public struct TaskTotals: Sendable, Equatable {
    public var tasks: Int
    public var closed: Int
    public var overdue: Int
    public var progressSum: Int

    /// 平均进度, whole percent (0 for no tasks).
    public var averageProgress: Int { tasks == 0 ? 0 : Int((Double(progressSum) / Double(tasks)).rounded()) }
}

/// 合计 of the problem list: its problems and their tasks, closed and overdue, over every page.
public struct ProblemTotals: Sendable, Equatable {
    public var problems: Int
    public var tasks: Int
    public var closed: Int
    public var overdue: Int
}

/// 问题清单的一行: a problem of an issued feedback with how far its tasks have come.
public struct ProblemLedgerRow: Sendable, Equatable {
    public var problemID: UUID
    public var feedbackID: UUID
    public var feedbackNumber: String
    public var unitName: String
    public var sequence: Int
    public var text: String
    public var tasks: Int
    public var closed: Int
    public var overdue: Int
}

/// What waits for the signed-in person (首页待办).
public struct RectificationWaiting: Sendable, Equatable {
    /// Issued feedback of the actor's unit without a plan yet.
    public var feedbackWithoutPlan = 0
    /// Plans of the actor's unit being written or returned.
    public var plansToFinish = 0
    /// Plans the actor's body should review.
    public var plansToReview = 0
    /// Open tasks the actor reports on, by colour.
    public var tasksYellow = 0
    public var tasksRed = 0
    public var tasksOpen = 0
    /// Long-term tasks whose periodic report is due.
    public var reportsDue = 0
    /// Closure requests the actor may decide.
    public var closuresToReview = 0

    public var isEmpty: Bool { self == RectificationWaiting() }
}

public struct SupervisionCheckInput: Sendable {
    public var checkedOn: String?
    public var method: String?
    public var result: String?
    public var note: String?

    public init(checkedOn: String?, method: String?, result: String?, note: String?) {
        self.checkedOn = checkedOn
        self.method = method
        self.result = result
        self.note = note
    }
}

/// 整改台账: the four lists are views over the same task rows; progress and closure are steps of
/// the task's lifecycle (`TaskLifecycle`, taken with `take`), supervision checks are appended.
extension Store {
    public func rectificationTask(_ id: UUID, for actor: Actor) async throws -> RectificationTask {
        try await database.read { db in try await self.visibleTask(id, actor: actor, on: db) }
    }

    /// 任务清单 / 责任清单: the tasks of approved plans the actor may see, nearest deadline first
    /// unless the page asks for another of `taskSorting`'s columns.
    public func rectificationTasks(_ filter: TaskFilter = .init(), page: PageRequest = .init(), today: CalendarDay? = nil, for actor: Actor) async throws -> Page<RectificationTask> {
        try policy.requireAnywhere(actor, .viewRectification)
        let sql = try await taskConditions(filter, today: filter.asOf ?? today ?? CalendarDay(clock.now()), actor: actor)
        return try await database.sorted(RectificationRows.selectTasks + " WHERE " + sql, page: page, sorting: Self.taskSorting) { sql, db in
            try await RectificationRows.tasks(sql, on: db)
        }
    }

    /// The columns the task lists sort by: 完成时限 first (the ledger's own order), then 单位, 编号
    /// (problem, then task), 进度, the three owners and the last change.
    static let taskSorting = ListSorting<RectificationTask>(
        [
            .text("deadline", "t.deadline") { $0.content.deadline.description },
            .text("unit", "u.name") { $0.unitName },
            .integer("label", "fp.sequence * 10000 + t.sequence", usual: .ascending) { Int64($0.problemSequence * 10_000 + $0.sequence) },
            .integer("progress", "t.progress") { Int64($0.progress) },
            .text("status", "t.status") { $0.status.rawValue },
            .text("leader", "t.responsible_leader") { $0.content.owners.leader },
            .text("department", "t.responsible_department") { $0.content.owners.department },
            .text("cadre", "t.responsible_cadre") { $0.content.owners.cadre },
            .time("updated", "t.updated_at", \.updatedAt),
        ], idColumn: "t.id", id: \.id)

    /// 合计 of the task list: every task matching the filter (all pages), counted in SQL.
    public func rectificationTaskTotals(_ filter: TaskFilter = .init(), today: CalendarDay? = nil, for actor: Actor) async throws -> TaskTotals {
        try policy.requireAnywhere(actor, .viewRectification)
        let day = filter.asOf ?? today ?? CalendarDay(clock.now())
        let conditions = try await taskConditions(filter, today: day, actor: actor)
        let state = TaskStateSQL(day: day, isToday: day >= CalendarDay(clock.now()))
        let sql: SQLQueryString = "SELECT COUNT(*) AS n, CAST(COALESCE(SUM(t.progress), 0) AS BIGINT) AS progress, COALESCE(SUM(CASE WHEN " + state.closed
            + " THEN 1 ELSE 0 END), 0) AS closed, COALESCE(SUM(CASE WHEN " + state.open + " AND t.deadline < \(bind: day.description) THEN 1 ELSE 0 END), 0) AS overdue"
            + " FROM rectification_tasks t WHERE " + conditions
        return try await database.read { db in
            guard let row = try await db.raw(sql).first() else { return TaskTotals(tasks: 0, closed: 0, overdue: 0, progressSum: 0) }
            return TaskTotals(tasks: try row.int("n"), closed: try row.int("closed"), overdue: try row.int("overdue"), progressSum: try row.int("progress"))
        }
    }

    /// 逾期清单: open tasks past their deadline, counted per unit or per responsible person.
    public func overdueCounts(byPerson: Bool, today: CalendarDay? = nil, for actor: Actor) async throws -> [OverdueCount] {
        try policy.requireAnywhere(actor, .viewRectification)
        let today = today ?? CalendarDay(clock.now())
        let conditions = try await taskConditions(TaskFilter(warning: .red, asOf: today), today: today, actor: actor)
        let group = byPerson ? "t.responsible_cadre, u.id, u.name" : "u.id, u.name"
        let name = byPerson ? "t.responsible_cadre" : "u.name"
        let sql: SQLQueryString = """
            SELECT \(unsafeRaw: name) AS who, u.id AS unit_id, u.name AS unit_name, COUNT(*) AS n, MIN(t.deadline) AS oldest
            FROM rectification_tasks t JOIN units u ON u.id = t.unit_id
            """ + " WHERE " + conditions + " GROUP BY \(unsafeRaw: group) ORDER BY COUNT(*) DESC, MIN(t.deadline), \(unsafeRaw: name) LIMIT 200"
        return try await database.read { db in
            try await db.raw(sql).all().map { row in
                OverdueCount(
                    unitID: try row.uuid("unit_id"), name: try row.string("who"), unitName: try row.string("unit_name"), overdue: try row.int("n"),
                    oldestDeadline: try CalendarDay(text: try row.string("oldest"), field: "deadline", label: "完成时限"))
            }
        }
    }

    /// 问题清单: the problems of issued feedback the actor may see, with their tasks' progress.
    public func problemLedger(unit: UUID? = nil, page: PageRequest = .init(), today: CalendarDay? = nil, for actor: Actor) async throws -> Page<ProblemLedgerRow> {
        try policy.requireAnywhere(actor, .viewRectification)
        let day = today ?? CalendarDay(clock.now())
        let state = TaskStateSQL(day: day, isToday: day >= CalendarDay(clock.now()))
        let scope = ScopeSQL.filter(policy.scope(actor, .viewRectification), jurisdictionColumn: "fb.jurisdiction_id", unitColumn: "fb.unit_id", assignmentColumn: "fb.assignment_id")
        var sql: SQLQueryString = """
            SELECT fp.id, fp.feedback_id, fp.sequence, fp.text, fb.number, fb.created_at AS fb_created, u.name AS unit_name,
                (SELECT COUNT(*) FROM rectification_tasks t WHERE t.problem_id = fp.id) AS tasks,
                (SELECT COUNT(*) FROM rectification_tasks t WHERE t.problem_id = fp.id AND
            """ + " " + state.closed + ") AS closed, (SELECT COUNT(*) FROM rectification_tasks t WHERE t.problem_id = fp.id AND " + state.open + """
                 AND t.deadline < \(bind: day.description)) AS overdue
            FROM feedback_problems fp JOIN feedbacks fb ON fb.id = fp.feedback_id JOIN units u ON u.id = fb.unit_id
            WHERE fb.status = 'issued'
            """ + " AND " + scope
        if let unit { sql += " AND fb.unit_id = \(bind: unit.text)" }
        if ListSorting<ProblemLedgerRow>.isAsked(page) {
            return try await database.sorted(sql, page: page, sorting: Self.problemSorting(state, day: day)) { sql, db in
                try await db.raw(sql).all().map { try Self.problemRow($0) }
            }
        }
        // Newest feedback first, its problems in order: the key is the feedback's time, then the
        // problem's number padded so the ids sort with it.
        let order = "problems"
        if let after = page.after {
            let parts = after.id.split(separator: "|")
            guard after.order == order, let time = Int64(after.key), parts.count == 2, let sequence = Int(parts[1]) else {
                throw DomainError.invalid("invalid_cursor", "分页参数无效，请从第一页重新浏览", english: "invalid cursor", field: "cursor")
            }
            let feedback = String(parts[0])
            sql += """
                 AND (fb.created_at < \(bind: time) OR (fb.created_at = \(bind: time) AND (fb.id < \(bind: feedback)
                    OR (fb.id = \(bind: feedback) AND fp.sequence > \(bind: sequence)))))
                """
        }
        sql += " ORDER BY fb.created_at DESC, fb.id DESC, fp.sequence LIMIT \(literal: page.limit + 1)"
        let final = sql
        let rows = try await database.read { db in
            try await db.raw(final).all().map { row in (try row.int64("fb_created"), try Self.problemRow(row)) }
        }
        let paged = KeysetSQL.page(rows, page) { Cursor(key: String($0.0), id: "\($0.1.feedbackID.text)|\($0.1.sequence)", order: order) }
        return paged.map(\.1)
    }

    private static func problemRow(_ row: any SQLRow) throws -> ProblemLedgerRow {
        ProblemLedgerRow(
            problemID: try row.uuid("id"), feedbackID: try row.uuid("feedback_id"), feedbackNumber: try row.string("number"),
            unitName: try row.string("unit_name"), sequence: try row.int("sequence"), text: try row.string("text"), tasks: try row.int("tasks"),
            closed: try row.int("closed"), overdue: try row.int("overdue"))
    }

    /// The columns the problem list sorts by when asked (its own order is newest feedback first):
    /// 单位, 反馈意见文号, and its three counts, each the same subquery the row shows.
    private static func problemSorting(_ state: TaskStateSQL, day: CalendarDay) -> ListSorting<ProblemLedgerRow> {
        ListSorting(
            [
                .text("unit", "u.name") { $0.unitName },
                .text("feedback", "fb.number") { $0.feedbackNumber },
                .integer("tasks", "SELECT COUNT(*) FROM rectification_tasks t WHERE t.problem_id = fp.id") { Int64($0.tasks) },
                .integer("closed", "SELECT COUNT(*) FROM rectification_tasks t WHERE t.problem_id = fp.id AND " + state.closed) { Int64($0.closed) },
                .integer("overdue", "SELECT COUNT(*) FROM rectification_tasks t WHERE t.problem_id = fp.id AND " + state.open + " AND t.deadline < \(bind: day.description)") {
                    Int64($0.overdue)
                },
            ], idColumn: "fp.id", id: \.problemID)
    }

    /// 合计 of the problem list: its problems, their tasks, closed and overdue, over every page.
    public func problemLedgerTotals(unit: UUID? = nil, today: CalendarDay? = nil, for actor: Actor) async throws -> ProblemTotals {
        try policy.requireAnywhere(actor, .viewRectification)
        let day = today ?? CalendarDay(clock.now())
        let state = TaskStateSQL(day: day, isToday: day >= CalendarDay(clock.now()))
        let scope = ScopeSQL.filter(policy.scope(actor, .viewRectification), jurisdictionColumn: "fb.jurisdiction_id", unitColumn: "fb.unit_id", assignmentColumn: "fb.assignment_id")
        var sql: SQLQueryString = """
            SELECT COUNT(DISTINCT fp.id) AS problems, COUNT(t.id) AS tasks,
                COALESCE(SUM(CASE WHEN t.id IS NOT NULL AND
            """ + " " + state.closed + " THEN 1 ELSE 0 END), 0) AS closed, COALESCE(SUM(CASE WHEN t.id IS NOT NULL AND " + state.open + """
                 AND t.deadline < \(bind: day.description) THEN 1 ELSE 0 END), 0) AS overdue
            FROM feedback_problems fp JOIN feedbacks fb ON fb.id = fp.feedback_id LEFT JOIN rectification_tasks t ON t.problem_id = fp.id
            WHERE fb.status = 'issued'
            """ + " AND " + scope
        if let unit { sql += " AND fb.unit_id = \(bind: unit.text)" }
        let final = sql
        return try await database.read { db in
            guard let row = try await db.raw(final).first() else { return ProblemTotals(problems: 0, tasks: 0, closed: 0, overdue: 0) }
            return ProblemTotals(problems: try row.int("problems"), tasks: try row.int("tasks"), closed: try row.int("closed"), overdue: try row.int("overdue"))
        }
    }

    /// 督查: a supervision check on one task by the office, 纪委 or 组织部.
    public func recordSupervisionCheck(on taskID: UUID, input: SupervisionCheckInput, origin: RequestOrigin) async throws -> SupervisionCheck {
        let now = clock.now()
        let today = CalendarDay(now)
        guard let dayText = input.checkedOn, !dayText.isEmpty else { throw DomainError.required("checked_on", label: "督查日期") }
        let day = try CalendarDay(text: dayText, field: "checked_on", label: "督查日期")
        guard day <= today else { throw DomainError.invalid("checked_on_future", "督查日期不能晚于今天", english: "check date in the future", field: "checked_on") }
        let method = try TextRules.requiredLine(input.method, field: "method", label: "督查方式", maxLength: 60)
        guard let resultText = input.result, let result = CheckResult(code: resultText) else {
            throw DomainError.invalid("invalid_result", "督查结果须为：按计划推进、进度滞后或整改不到位", english: "unknown check result", field: "result")
        }
        let note = try TextRules.requiredText(input.note, field: "note", label: "督查情况", maxLength: 4_000)
        let id = ids.next()
        try await database.transaction { db in
            let task = try await self.visibleTask(taskID, actor: origin.actor, on: db)
            _ = try await self.requireLocation(task.jurisdictionID, actor: origin.actor, permission: .superviseRectification, on: db)
            guard let body = ReviewBody.of(origin.actor.roles), let checker = origin.actor.userID else { throw DomainError.forbidden }
            guard task.status != .planned else {
                throw DomainError(.conflict, code: "task_not_started", message: "整改方案审核通过后才能督查该任务", english: "task not started")
            }
            try await ArchiveLock.refuse("rectification_tasks", taskID, on: db)
            try await db.raw(
                """
                INSERT INTO supervision_checks (jurisdiction_id, id, task_id, unit_id, assignment_id, checked_on, body, checker_id, checker_name, method, result,
                    note, created_at)
                VALUES (\(bind: task.jurisdictionID.text), \(bind: id.text), \(bind: taskID.text), \(bind: task.unitID.text), \(bind: task.assignmentID.text),
                    \(bind: day.description), \(bind: body.rawValue), \(bind: checker.text), \(bind: origin.actor.displayName), \(bind: method),
                    \(bind: result.rawValue), \(bind: note), \(bind: now.epochMilliseconds))
                """
            ).run()
            try await self.audit.append(
                AuditEvent(
                    action: .supervisionChecked, targetType: "rectification_task", targetID: taskID.text, jurisdictionID: task.jurisdictionID,
                    detail: "\(task.unitName)任务\(task.label)：\(result.title)"),
                origin: origin, at: now, on: db)
        }
        return try await database.read { db in
            guard let check = try await SupervisionRows.load(SupervisionRows.select + " WHERE c.id = \(bind: id.text)", on: db).first else { throw DomainError.notFound }
            return check
        }
    }

    /// 督查清单: the checks on tasks the actor may see, newest first; optionally one task's.
    public func supervisionChecks(task: UUID? = nil, unit: UUID? = nil, page: PageRequest = .init(), for actor: Actor) async throws -> Page<SupervisionCheck> {
        try policy.requireAnywhere(actor, .viewRectification)
        var sql = SupervisionRows.select + " WHERE "
            + ScopeSQL.filter(
                policy.scope(actor, .viewRectification), jurisdictionColumn: "c.jurisdiction_id", unitColumn: "c.unit_id", assignmentColumn: "c.assignment_id",
                ownerColumn: "t.owner_account_id")
        if let task { sql += " AND c.task_id = \(bind: task.text)" }
        if let unit { sql += " AND c.unit_id = \(bind: unit.text)" }
        return try await database.newestFirst(
            sql, page: page, alias: "c", time: \.createdAt, id: \.id,
            sortable: [
                .text("checked", "c.checked_on", usual: .descending) { $0.checkedOn.description }, .text("unit", "u.name") { $0.unitName },
                .text("result", "c.result") { $0.result.rawValue },
            ]) { sql, db in try await SupervisionRows.load(sql, on: db) }
    }

    /// 首页待办: counted in SQL within the actor's scopes.
    public func rectificationWaiting(for actor: Actor, today: CalendarDay? = nil) async throws -> RectificationWaiting {
        guard policy.allowsAnywhere(actor, .viewRectification) else { return RectificationWaiting() }
        let today = today ?? CalendarDay(clock.now())
        let thresholds = try await warningThresholds(for: actor)
        return try await database.read { db in
            var waiting = RectificationWaiting()
            func count(_ sql: SQLQueryString) async throws -> Int { try await db.raw(sql).first().map { try $0.int("n") } ?? 0 }
            let drafting = self.policy.scope(actor, .draftRectificationPlans)
            if !drafting.isNothing {
                let fb = ScopeSQL.filter(drafting, jurisdictionColumn: "fb.jurisdiction_id", unitColumn: "fb.unit_id")
                waiting.feedbackWithoutPlan = try await count(
                    "SELECT COUNT(*) AS n FROM feedbacks fb WHERE fb.status = 'issued' AND " + fb
                        + " AND NOT EXISTS (SELECT 1 FROM rectification_plans p WHERE p.feedback_id = fb.id)")
                waiting.plansToFinish = try await count(
                    "SELECT COUNT(*) AS n FROM rectification_plans p WHERE p.status IN ('drafting', 'returned') AND "
                        + ScopeSQL.filter(drafting, jurisdictionColumn: "p.jurisdiction_id", unitColumn: "p.unit_id"))
            }
            let reviewing = self.policy.scope(actor, .reviewRectificationPlans)
            if !reviewing.isNothing {
                waiting.plansToReview = try await count(
                    "SELECT COUNT(*) AS n FROM rectification_plans p WHERE p.status = 'endorsed' AND " + RectificationRows.planScope(reviewing))
            }
            let reporting = self.policy.scope(actor, .reportRectificationProgress)
            if !reporting.isNothing {
                let open: SQLQueryString = "SELECT COUNT(*) AS n FROM rectification_tasks t WHERE t.status = 'in_progress' AND " + RectificationRows.taskScope(reporting)
                waiting.tasksOpen = try await count(open)
                waiting.tasksRed = try await count(open + " AND t.deadline < \(bind: today.description)")
                waiting.reportsDue = try await count(open + " AND t.next_report_due <= \(bind: today.description)")
                let yellow = thresholds.deadlineRange(of: .yellow, today: today)
                waiting.tasksYellow = try await count(
                    open + " AND t.deadline >= \(bind: yellow.from!.description) AND t.deadline <= \(bind: yellow.through!.description)")
            }
            let closing = self.policy.scope(actor, .reviewTaskClosure)
            if !closing.isNothing {
                waiting.closuresToReview = try await count(
                    "SELECT COUNT(*) AS n FROM rectification_tasks t WHERE t.status = 'closure_requested' AND " + RectificationRows.taskScope(closing))
            }
            return waiting
        }
    }

    /// The warning thresholds of the actor's committee.
    public func warningThresholds(for actor: Actor) async throws -> WarningThresholds {
        guard let jurisdiction = actor.jurisdictionID else { return .standard }
        return try await database.read { db in try await SettingsRows.settings(of: jurisdiction, on: db).warnings }
    }

    // MARK: Helpers

    func visibleTask(_ id: UUID, actor: Actor, on db: any SQLDatabase) async throws -> RectificationTask {
        let sql = RectificationRows.selectTasks + " WHERE t.id = \(bind: id.text) AND " + RectificationRows.taskScope(policy.scope(actor, .viewRectification))
        guard let task = try await RectificationRows.tasks(sql, on: db).first else { throw DomainError.notFound }
        return task
    }

    func taskStanding(_ actor: Actor, task: RectificationTask, on db: any SQLDatabase) async throws -> TaskStanding {
        let location = RecordLocation(jurisdictionID: task.jurisdictionID, jurisdictionPath: "", unitID: task.unitID)
        let unitSide: Bool
        switch policy.scope(actor, .reportRectificationProgress) {
        case .unit: unitSide = policy.allows(actor, .reportRectificationProgress, at: location)
        case .ownTasks(let account, let jurisdiction): unitSide = jurisdiction == task.jurisdictionID && task.content.owners.cadreAccountID == account
        default: unitSide = false
        }
        var reviewer = false
        switch policy.scope(actor, .reviewTaskClosure) {
        case .jurisdiction(let id): reviewer = id == task.jurisdictionID
        case .ownAssignments: reviewer = try await standing(actor, in: task.assignmentID, on: db)?.isLeader == true
        default: reviewer = false
        }
        return TaskStanding(isUnitSide: unitSide, isReviewer: reviewer)
    }

    /// The WHERE conditions of the task lists: the policy's scope, approved plans only, the filters.
    private func taskConditions(_ filter: TaskFilter, today: CalendarDay, actor: Actor) async throws -> SQLQueryString {
        var sql = RectificationRows.taskScope(policy.scope(actor, .viewRectification)) + " AND t.status <> 'planned'"
        if let unit = filter.unitID { sql += " AND t.unit_id = \(bind: unit.text)" }
        if let plan = filter.planID { sql += " AND t.plan_id = \(bind: plan.text)" }
        if let status = filter.status { sql += " AND t.status = \(bind: status.rawValue)" }
        if let owner = filter.owner?.trimmingCharacters(in: .whitespaces), !owner.isEmpty {
            let like = ScopeSQL.likeContains(owner)
            sql += """
                 AND (t.responsible_cadre LIKE \(bind: like) ESCAPE '!' OR t.responsible_leader LIKE \(bind: like) ESCAPE '!'
                    OR t.responsible_department LIKE \(bind: like) ESCAPE '!')
                """
        }
        if let search = filter.search {
            let like = ScopeSQL.likeContains(search)
            sql += " AND (t.target LIKE \(bind: like) ESCAPE '!' OR t.measures LIKE \(bind: like) ESCAPE '!')"
        }
        let state = TaskStateSQL(day: today, isToday: today >= CalendarDay(clock.now()))
        if !state.isToday { sql += " AND " + state.planApproved }
        if filter.reportDue { sql += " AND t.status = 'in_progress' AND t.next_report_due <= \(bind: today.description)" }
        if let colour = filter.warning {
            let range = try await warningThresholds(for: actor).deadlineRange(of: colour, today: today)
            sql += " AND " + state.open
            if let from = range.from { sql += " AND t.deadline >= \(bind: from.description)" }
            if let through = range.through { sql += " AND t.deadline <= \(bind: through.description)" }
        }
        return sql
    }
}

/// The task's chain in the store: the unit side (or the task's cadre) reports, the group's leader
/// or the office decides on closure, and the plan's approval starts the task.
extension TaskLifecycle: CascadeTarget {
    public static let table = "rectification_tasks"
    public static let auditAction = AuditAction.taskStep
    public static let cascadeStanding = TaskStanding(isPlanApproval: true)

    public static func visible(_ id: UUID, for actor: Actor, in store: Store, on db: any SQLDatabase) async throws -> RectificationTask {
        try await store.visibleTask(id, actor: actor, on: db)
    }

    public static func find(_ id: UUID, in store: Store, on db: any SQLDatabase) async throws -> RectificationTask {
        guard let task = try await RectificationRows.tasks(RectificationRows.selectTasks + " WHERE t.id = \(bind: id.text)", on: db).first else {
            throw DomainError.notFound
        }
        return task
    }

    public static func standing(of actor: Actor, towards task: RectificationTask, in store: Store, on db: any SQLDatabase) async throws -> TaskStanding {
        try await store.taskStanding(actor, task: task, on: db)
    }

    public static func cascadeInput(note: String?) -> TaskStepInput { TaskStepInput(note: note) }

    /// The evidence attached to the task, which a closure request needs.
    public static func facts(
        for step: TaskStep, on task: RectificationTask, input: TaskStepInput, origin: RequestOrigin, context: StepContext, in store: Store, on db: any SQLDatabase
    ) async throws -> TaskFacts {
        guard step == .requestClosure else { return TaskFacts(evidenceCount: 0) }
        let count = try await db.raw("SELECT COUNT(*) AS n FROM attachments WHERE owner_type = 'task' AND owner_id = \(bind: task.id.text)").first()
        return TaskFacts(evidenceCount: try count.map { try $0.int("n") } ?? 0)
    }

    /// The next periodic report follows from the task's state and its latest report.
    public static func columns(of task: RectificationTask) -> [(name: String, value: StepColumn)] {
        [
            ("status", .text(task.status.rawValue)), ("progress", .integer(task.progress)), ("last_reported_on", .day(task.lastReportedOn)),
            ("next_report_due", .day(task.nextReportDue)), ("closed_at", .date(task.closedAt)),
        ]
    }

    public static func label(of task: RectificationTask) -> String { "\(task.unitName)任务\(task.label)" }
}

enum SupervisionRows {
    static let select: SQLQueryString = """
        SELECT c.*, u.name AS unit_name, fp.sequence AS problem_sequence, t.sequence AS task_sequence FROM supervision_checks c
        JOIN rectification_tasks t ON t.id = c.task_id JOIN feedback_problems fp ON fp.id = t.problem_id JOIN units u ON u.id = c.unit_id
        """

    static func load(_ sql: SQLQueryString, on db: any SQLDatabase) async throws -> [SupervisionCheck] {
        try await db.raw(sql).all().map { row in
            SupervisionCheck(
                id: try row.uuid("id"), taskID: try row.uuid("task_id"), taskLabel: "\(try row.int("problem_sequence"))-\(try row.int("task_sequence"))",
                unitID: try row.uuid("unit_id"), unitName: try row.string("unit_name"),
                checkedOn: try row.day("checked_on", label: "督查日期"),
                body: try row.code("body", or: .office), checkerName: try row.string("checker_name"), method: try row.string("method"),
                result: try row.code("result", or: .onTrack), note: try row.string("note"), createdAt: try row.date("created_at"))
        }
    }
}

/// A task's state at the end of a day, for the ledger's lists: today it is the task's status; on
/// a past day it is read from when the task was closed (销号) and its plan approved, with the
/// statistics' own definitions (`AsOfSQL`), so a list as of 31 December shows what was open then.
struct TaskStateSQL {
    let day: CalendarDay
    /// The day is today (or later): the status says it, and the status indexes serve the query.
    let isToday: Bool

    private var asOf: AsOfSQL { AsOfSQL(day) }

    /// Still to be done at the end of the day (a task of a plan not yet approved never is).
    var open: SQLQueryString {
        isToday ? "t.status IN ('in_progress', 'closure_requested')" : "(" + asOf.taskOpen + " AND t.status <> 'planned')"
    }

    /// Closed by the end of the day.
    var closed: SQLQueryString { isToday ? "t.status = 'closed'" : "(" + asOf.taskClosed + ")" }

    /// The task's plan approved by the end of the day (its rectification had begun): asked of the
    /// task's own plan through its key, not as `plan_id IN (SELECT …)`, which reads every approved
    /// plan of the country before the first task.
    var planApproved: SQLQueryString {
        "EXISTS (SELECT 1 FROM rectification_plans p WHERE p.id = t.plan_id AND p.status = 'approved' AND p.approved_at < \(bind: asOf.end))"
    }
}
