import Foundation
import SQLKit
import XunchaCore

/// 统计: every figure of a year-end report counted in SQL (COUNT, GROUP BY) under the reader's
/// scope and the filter, one aggregate query per section and never a row loaded to be counted.
extension Store {
    /// The figures the actor may see for the filter. An office or leading-group reader names any
    /// committee of its subtree and may roll it up; other readers stay in their own committee.
    /// The figures stand as at the end of `today` (as of; the clock's day when not given).
    public func statistics(_ filter: StatisticsFilter = .init(), today: CalendarDay? = nil, for actor: Actor) async throws -> StatisticsFigures {
        try await statistics(filter, today: today, for: actor, fromCounters: true)
    }

    /// The figures, from the committees' counters (migrations 41–44: papers and their
    /// classification, leads, tasks, 立行立改) where they can answer them; `fromCounters: false`
    /// always reads the records (the tests' recount).
    func statistics(_ filter: StatisticsFilter, today: CalendarDay?, for actor: Actor, fromCounters: Bool) async throws -> StatisticsFigures {
        try await readStatistics(filter, today: today, for: actor, fromCounters: fromCounters) { db, where_ in
            var figures = StatisticsFigures()
            if where_.mayCountWork {
                let work = try await db.raw(
                    """
                    SELECT COUNT(DISTINCT a.unit_id) AS units, COUNT(DISTINCT a.round_id) AS rounds, COUNT(DISTINCT a.batch_id) AS batches,
                    COUNT(DISTINCT a.group_id) AS group_rounds
                    FROM assignments a JOIN batches b ON b.id = a.batch_id WHERE
                    """ + " " + where_.on(StatisticsSQL.Columns.assignments)
                ).first()
                figures.unitsInspected = try work?.int("units") ?? 0
                figures.rounds = try work?.int("rounds") ?? 0
                figures.batches = try work?.int("batches") ?? 0
                figures.groupRounds = try work?.int("group_rounds") ?? 0
                figures.groupsByLoad = try await Self.groupLoads(where_, on: db)
                figures.unitsRegistered = try await where_.unitsRegistered(on: db)
                figures.findings = try await Self.findingFigures(where_, on: db)
                figures.leads = try await Self.leadFigures(where_, on: db)
            }
            figures.rectification = try await Self.rectificationFigures(where_, on: db)
            if let rules = try await Self.ruleImprovementFigures(where_, on: db) {
                (figures.ruleImprovements, figures.unitsImprovingRules) = (rules.figures, rules.units)
            }
            if where_.mayCountPools {
                figures.pools = try await Self.poolFigures(where_, on: db)
                figures.staffing = try await Self.staffingFigures(where_, on: db)
            }
            figures.lowerCommittees = try await Self.lowerCommitteeFigures(where_, on: db)
            return figures
        }
    }

    /// Reads under the actor's statistics scope and the validated filter: `body` gets the
    /// connection and the WHERE every figure counts with, as of the end of `today`.
    /// With `fromCounters`, the WHERE also says whether the committees' counters may answer.
    func readStatistics<R: Sendable>(
        _ filter: StatisticsFilter, today: CalendarDay?, for actor: Actor, fromCounters: Bool = false,
        _ body: @escaping @Sendable (any SQLDatabase, StatisticsSQL) async throws -> R
    ) async throws -> R {
        try policy.requireAnywhere(actor, .viewStatistics)
        let filter = try filter.validated()
        let asOf = asOf(filter, today: today)
        let scope = policy.scope(actor, .viewStatistics)
        let clockDay = CalendarDay(clock.now())
        return try await database.readAtLength { db in
            var where_ = try await StatisticsSQL.make(scope: scope, filter: filter, asOf: asOf, actor: actor, on: db)
            if fromCounters { where_.committeeCounters = CommitteeCountersSQL(where_, today: clockDay) }
            return try await body(db, where_)
        }
    }

    /// The year-end summary (年度综述) of the figures the actor may see.
    public func statisticsSummary(_ filter: StatisticsFilter = .init(), today: CalendarDay? = nil, for actor: Actor) async throws -> String {
        Statistics.summary(try await statistics(filter, today: today, for: actor))
    }

    static func findingFigures(_ where_: StatisticsSQL, on db: any SQLDatabase) async throws -> FindingFigures {
        let condition = where_.on(.init(jurisdiction: "f.jurisdiction_id", unit: "f.unit_id", assignment: "f.assignment_id", round: "f.round_id", group: "f.group_id", millis: "f.approved_at"))
        let disposition = where_.asOf.findingDisposition
        let row = try await db.raw(
            where_.committeeCounters?.findings
                ?? "SELECT COUNT(CASE WHEN " + where_.asOf.findingProblem + " THEN 1 END) AS total, "
                + "COUNT(CASE WHEN " + disposition + " = 'immediate' THEN 1 END) AS immediate, COUNT(CASE WHEN " + disposition + " = 'deadline' THEN 1 END) AS deadline, "
                + "COUNT(CASE WHEN " + disposition + " = 'lead' THEN 1 END) AS lead_count, COUNT(CASE WHEN " + disposition + " = 'dropped' THEN 1 END) AS dropped, "
                + "COUNT(CASE WHEN " + disposition + " IS NULL THEN 1 END) AS untriaged FROM findings f WHERE f.status = 'approved' AND " + condition
        ).first()
        var figures = FindingFigures(
            total: try row?.int("total") ?? 0, immediate: try row?.int("immediate") ?? 0, deadline: try row?.int("deadline") ?? 0, lead: try row?.int("lead_count") ?? 0,
            notRecognised: try row?.int("dropped") ?? 0, untriaged: try row?.int("untriaged") ?? 0,
            byClassification: try await classificationFigures(condition, asOf: where_.asOf, counters: where_.committeeCounters, on: db))
        // 立行立改 completed: notices closed (verified) by the as-of day, counted in the period they were opened.
        figures.immediateCompleted =
            try await db.raw(
                where_.committeeCounters?.immediateClosed
                    ?? "SELECT COUNT(*) AS n FROM immediate_rectifications i WHERE " + where_.asOf.immediateClosed + " AND "
                    + where_.on(.init(jurisdiction: "i.jurisdiction_id", unit: "i.unit_id", assignment: "i.assignment_id", group: "i.group_id", millis: "i.created_at"))
            ).first()?.int("n") ?? 0
        return figures
    }

    static func leadFigures(_ where_: StatisticsSQL, on db: any SQLDatabase) async throws -> LeadFigures {
        let tallies = if let counters = where_.committeeCounters { try await counters.leadTallies(on: db) } else { try await LeadTallies.read(where_, on: db) }
        var figures = LeadFigures(
            registered: tallies.registered, transferred: tallies.transferred, byReceiver: LabelledCount.every(ReceivingBody.self, in: tallies.receivers),
            feedbackOverdue: tallies.overdue, answered: tallies.answered, byForm: (1...4).map { tallies.forms[$0]?.total ?? 0 })
        // The registered leads by nature and by the cadre's level, every value listed, zeros too.
        figures.bySubject = LabelledCount.every(LeadSubject.self, in: tallies.subjects)
        figures.byAuthority = LabelledCount.every(CadreAuthority.self, in: tallies.authorities)
        figures.byHandling = LabelledCount.every(LeadHandling.self, in: tallies.handling)
        // 四种形态 × 处置方式 of the leads answered by the as-of day (see `LeadFigures.byFormAndMethod`).
        let forms = (1...4).map { (String($0), LeadDisposition.formTitle($0), $0) } + [("none", "未运用“四种形态”", 0)]
        figures.byFormAndMethod = forms.map { code, title, form in
            CrossCount(
                row: LabelledCount(code: code, title: title, count: tallies.forms[form]?.total ?? 0),
                columns: LabelledCount.every(DispositionMethod.self, in: tallies.forms[form]?.methods ?? [:]))
        }
        return figures
    }

    static func rectificationFigures(_ where_: StatisticsSQL, on db: any SQLDatabase) async throws -> RectificationFigures {
        let asOf = where_.asOf
        // The durations are summed as BIGINT on both engines (PostgreSQL's SUM of BIGINT is NUMERIC).
        let row = try await db.raw(
            where_.committeeCounters?.tasks
                ?? "SELECT COUNT(*) AS tasks, COUNT(CASE WHEN " + asOf.taskOpen + " THEN 1 END) AS open_count, COUNT(CASE WHEN " + asOf.taskClosed + " THEN 1 END) AS closed, "
                + "COUNT(CASE WHEN " + asOf.taskOverdue + " THEN 1 END) AS overdue, "
                + "CAST(SUM(CASE WHEN " + asOf.taskClosed + " THEN t.closed_at - p.approved_at ELSE 0 END) AS BIGINT) AS closing_ms, "
                + "COUNT(CASE WHEN " + asOf.taskClosed + " THEN 1 END) AS timed, "
                + "COUNT(CASE WHEN " + asOf.taskClosedOnTime + " THEN 1 END) AS on_time, COUNT(CASE WHEN " + asOf.taskClosedLate + " THEN 1 END) AS late "
                + "FROM " + AsOfSQL.taskJoin + " WHERE " + where_.on(StatisticsSQL.Columns.tasks)
        ).first()
        let timed = try row?.int("timed") ?? 0
        let closingMilliseconds = try row?.optionalInt("closing_ms") ?? 0
        var figures = RectificationFigures(
            tasks: try row?.int("tasks") ?? 0, open: try row?.int("open_count") ?? 0, closed: try row?.int("closed") ?? 0, overdue: try row?.int("overdue") ?? 0,
            averageDaysToClose: timed > 0 ? Double(closingMilliseconds) / Double(timed) / 86_400_000 : nil)
        (figures.closedOnTime, figures.closedLate) = (try row?.int("on_time") ?? 0, try row?.int("late") ?? 0)
        return figures
    }

    /// The rule improvements, and the distinct units that adopted one.
    static func ruleImprovementFigures(_ where_: StatisticsSQL, on db: any SQLDatabase) async throws -> (figures: RuleImprovementFigures, units: Int)? {
        guard let condition = where_.ruleImprovements() else { return nil }
        let row = try await db.raw(
            """
            SELECT COUNT(*) AS total, COUNT(CASE WHEN r.kind = 'established' THEN 1 END) AS established, COUNT(CASE WHEN r.kind = 'revised' THEN 1 END) AS revised,
            COUNT(CASE WHEN r.scope = 'process' THEN 1 END) AS processes, COUNT(DISTINCT r.unit_id) AS units
            FROM rule_improvements r WHERE
            """ + " " + condition
        ).first()
        var figures = RuleImprovementFigures(total: try row?.int("total") ?? 0, established: try row?.int("established") ?? 0, revised: try row?.int("revised") ?? 0)
        let processes = try row?.int("processes") ?? 0
        figures.byScope = RuleImprovementFigures.byScope(processes: processes, of: figures.total)
        return (figures, try row?.int("units") ?? 0)
    }

    static func poolFigures(_ where_: StatisticsSQL, on db: any SQLDatabase) async throws -> PoolFigures {
        let pools = try await db.raw(
            """
            SELECT COUNT(CASE WHEN i.in_leader_pool <> 0 THEN 1 END) AS leaders, COUNT(CASE WHEN i.in_talent_pool <> 0 THEN 1 END) AS talent
            FROM inspectors i WHERE
            """ + " " + where_.jurisdictions("i.jurisdiction_id")
        ).first()
        let rounds = try await db.raw(
            "SELECT r.id, r.term, r.sequence, COUNT(DISTINCT gm.inspector_id) AS n " + drawnFrom(where_)
                + " GROUP BY r.id, r.term, r.sequence, r.planned_start ORDER BY r.planned_start, r.id"
        ).all().map { row in
            RoundDraw(roundID: try row.uuid("id"), title: "\(try row.string("term"))第\(try row.int("sequence"))轮", inspectors: try row.int("n"))
        }
        return PoolFigures(leaderPool: try pools?.int("leaders") ?? 0, talentPool: try pools?.int("talent") ?? 0, drawnByRound: rounds)
    }

    /// The group members of the rounds whose draw the figures count: the counted committees'
    /// rounds planned to start in the period (or the filter's round).
    static func drawnFrom(_ where_: StatisticsSQL) -> SQLQueryString {
        var sql: SQLQueryString =
            "FROM rounds r JOIN inspection_groups g ON g.round_id = r.id JOIN group_members gm ON gm.group_id = g.id WHERE " + where_.jurisdictions("r.jurisdiction_id")
        if let round = where_.filter.roundID { sql += " AND r.id = \(bind: round.text)" }
        if let from = where_.filter.from { sql += " AND r.planned_start >= \(bind: from.description)" }
        if let to = where_.filter.to { sql += " AND r.planned_start <= \(bind: to.description)" }
        return sql
    }
}

/// The reader's scope and the filter as WHERE fragments, built once per request and applied to
/// every table with the columns it has.
struct StatisticsSQL {
    /// The committees counted: one, or a subtree by its path prefix.
    enum Committees {
        case one(UUID)
        case subtree(path: String)
    }

    struct Columns {
        /// Assignments, counted in the period of their batch's entry day (`b`, joined on `a.batch_id`).
        static let assignments = Columns(jurisdiction: "a.jurisdiction_id", unit: "a.unit_id", assignment: "a.id", round: "a.round_id", group: "a.group_id", day: "b.entry_date")
        /// Rectification tasks, counted in the period their plan was approved (`p` of `AsOfSQL.taskJoin`).
        static let tasks = Columns(jurisdiction: "t.jurisdiction_id", unit: "t.unit_id", assignment: "t.assignment_id", millis: "p.approved_at")

        var jurisdiction: String
        var unit: String
        var assignment: String
        /// Columns the row carries itself; otherwise they are reached through its assignment.
        var round: String? = nil
        var group: String? = nil
        /// The period's column: a `YYYY-MM-DD` day or epoch milliseconds.
        var day: String? = nil
        var millis: String? = nil
    }

    let scope: Scope
    var filter: StatisticsFilter
    let committees: Committees
    /// The day the figures stand at; nothing recorded as happening after it counts.
    let asOf: AsOfSQL
    /// The committees' counters, when they may answer the papers' figures.
    var committeeCounters: CommitteeCountersSQL? = nil

    /// Units and groups count their own work; a unit never sees a finding or lead count.
    var mayCountWork: Bool {
        if case .unit = scope { return false }
        return true
    }

    /// Pool sizes are the office's and the leading group's business, and only for a whole committee.
    var mayCountPools: Bool {
        switch scope {
        case .subtree, .jurisdiction, .everything: filter.unitID == nil && filter.groupID == nil && filter.standingGroupID == nil
        default: false
        }
    }

    /// Resolves the committees: an office or leading-group reader may name any committee of its
    /// subtree (another committee answers 404, like a missing one) and roll it up.
    static func make(scope: Scope, filter: StatisticsFilter, asOf: AsOfSQL, actor: Actor, on db: any SQLDatabase) async throws -> StatisticsSQL {
        switch scope {
        case .subtree, .everything:
            let target = filter.jurisdictionID ?? actor.jurisdictionID
            guard let target, let row = try await db.raw("SELECT path FROM jurisdictions WHERE id = \(bind: target.text)").first() else { throw DomainError.notFound }
            let path = try row.string("path")
            if case .subtree(let reach) = scope, !path.hasPrefix(reach) { throw DomainError.notFound }
            return StatisticsSQL(scope: scope, filter: filter, committees: filter.rollUp ? .subtree(path: path) : .one(target), asOf: asOf)
        case .jurisdiction(let own), .unit(let own, _), .ownAssignments(_, let own), .ownTasks(_, let own), .inbox(_, let own):
            if let named = filter.jurisdictionID, named != own { throw DomainError.notFound }
            return StatisticsSQL(scope: scope, filter: filter, committees: .one(own), asOf: asOf)
        case .nothing:
            throw DomainError.forbidden
        }
    }

    /// A committee column within the committees below the one counted, when rolled up (nil otherwise).
    func lowerJurisdictions(_ column: String) -> SQLQueryString? {
        guard case .subtree(let path) = committees else { return nil }
        return "\(unsafeRaw: column) IN (SELECT id FROM jurisdictions WHERE " + ScopeSQL.within(path) + " AND path <> \(bind: path))"
    }

    /// A committee column within the counted committees.
    func jurisdictions(_ column: String) -> SQLQueryString {
        switch committees {
        case .one(let id): "\(unsafeRaw: column) = \(bind: id.text)"
        case .subtree(let path): ScopeSQL.filter(.subtree(path: path), jurisdictionColumn: column)
        }
    }

    /// The scope and the filter on a table with the given columns.
    func on(_ c: Columns) -> SQLQueryString {
        var sql = jurisdictions(c.jurisdiction)
        switch scope {
        case .unit(_, let unit): sql += " AND \(unsafeRaw: c.unit) = \(bind: unit.text)"
        case .ownAssignments(let account, _): sql += " AND \(unsafeRaw: c.assignment) IN (" + ScopeSQL.ownAssignments(account) + ")"
        case .subtree, .jurisdiction, .everything: break
        case .nothing, .ownTasks, .inbox: sql += " AND 1 = 0"
        }
        if let unit = filter.unitID { sql += " AND \(unsafeRaw: c.unit) = \(bind: unit.text)" }
        if let round = filter.roundID {
            if let column = c.round {
                sql += " AND \(unsafeRaw: column) = \(bind: round.text)"
            } else {
                sql += " AND \(unsafeRaw: c.assignment) IN (SELECT id FROM assignments WHERE round_id = \(bind: round.text))"
            }
        }
        if let group = filter.groupID {
            if let column = c.group {
                sql += " AND \(unsafeRaw: column) = \(bind: group.text)"
            } else {
                sql += " AND \(unsafeRaw: c.assignment) IN (SELECT id FROM assignments WHERE group_id = \(bind: group.text))"
            }
        }
        if let standing = filter.standingGroupID {
            let terms = Self.terms(of: standing)
            if let column = c.group {
                sql += " AND \(unsafeRaw: column) IN (" + terms + ")"
            } else {
                sql += " AND \(unsafeRaw: c.assignment) IN (SELECT id FROM assignments WHERE group_id IN (" + terms + "))"
            }
        }
        sql += period(day: c.day, millis: c.millis)
        return sql
    }

    /// The round groups a standing group has been, one per round.
    static func terms(of standingGroup: UUID) -> SQLQueryString {
        "SELECT id FROM inspection_groups WHERE standing_group_id = \(bind: standingGroup.text)"
    }

    /// The period's bounds on its column, and the as-of day as a bound too: what happened after it
    /// is not yet counted.
    func period(day: String?, millis: String?) -> SQLQueryString {
        var sql: SQLQueryString = ""
        if let day {
            if let from = filter.from { sql += " AND \(unsafeRaw: day) >= \(bind: from.description)" }
            let to = min(filter.to?.description ?? asOf.day, asOf.day)
            sql += " AND \(unsafeRaw: day) <= \(bind: to)"
        } else if let millis {
            let range = filter.millisecondRange
            if let start = range.start { sql += " AND \(unsafeRaw: millis) >= \(bind: start)" }
            sql += " AND \(unsafeRaw: millis) < \(bind: min(range.end ?? asOf.end, asOf.end))"
        }
        return sql
    }

    /// Rule improvements: a unit's own (adopted by it or answering one of its problems); a round
    /// or group filter keeps those answering a problem of that round's or group's feedback. A
    /// group reader gets none (they hang on feedback, not on the group's assignments).
    func ruleImprovements() -> SQLQueryString? {
        var sql = jurisdictions("r.jurisdiction_id")
        switch scope {
        case .unit(_, let unit): sql += " AND " + RuleImprovementRows.concerns(unit)
        case .subtree, .jurisdiction, .everything: break
        default: return nil
        }
        if let unit = filter.unitID { sql += " AND " + RuleImprovementRows.concerns(unit) }
        if filter.roundID != nil || filter.groupID != nil || filter.standingGroupID != nil {
            var feedback: SQLQueryString =
                "SELECT 1 FROM rule_improvement_problems l JOIN feedback_problems fp ON fp.id = l.problem_id JOIN feedbacks fb ON fb.id = fp.feedback_id JOIN assignments a ON a.id = fb.assignment_id WHERE l.rule_improvement_id = r.id"
            var immediate: SQLQueryString =
                "SELECT 1 FROM rule_improvement_immediates m JOIN immediate_rectifications i ON i.id = m.immediate_id JOIN assignments a ON a.id = i.assignment_id WHERE m.rule_improvement_id = r.id"
            if let round = filter.roundID {
                feedback += " AND a.round_id = \(bind: round.text)"
                immediate += " AND a.round_id = \(bind: round.text)"
            }
            if let group = filter.groupID {
                feedback += " AND a.group_id = \(bind: group.text)"
                immediate += " AND a.group_id = \(bind: group.text)"
            }
            if let standing = filter.standingGroupID {
                feedback += " AND a.group_id IN (" + Self.terms(of: standing) + ")"
                immediate += " AND a.group_id IN (" + Self.terms(of: standing) + ")"
            }
            sql += " AND (EXISTS (" + feedback + ") OR EXISTS (" + immediate + "))"
        }
        sql += period(day: "r.adopted_on", millis: nil)
        return sql
    }

    /// Units registered in the counted committees (the coverage's denominator), or 1 for a unit
    /// filter; nil for a group's reader or a group filter, where a coverage means nothing.
    func unitsRegistered(on db: any SQLDatabase) async throws -> Int? {
        if case .ownAssignments = scope { return nil }
        guard filter.groupID == nil, filter.standingGroupID == nil else { return nil }
        var sql: SQLQueryString = "SELECT COUNT(*) AS n FROM units u WHERE " + jurisdictions("u.jurisdiction_id")
        if let unit = filter.unitID { sql += " AND u.id = \(bind: unit.text)" }
        return try await db.raw(sql).first()?.int("n") ?? 0
    }
}
