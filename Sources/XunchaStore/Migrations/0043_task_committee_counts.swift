// The statistics' rectification tasks counted in advance per committee, as they stand today, so
// that a roll-up over a city or the whole country reads a few rows per committee and month
// instead of every task and its plan.

extension Migrations {
    /// `task_committee_counts`: tasks by committee, the month their plan was approved in (yyyymm,
    /// Asia/Shanghai; 0 while it is not approved), whether closed (销号), closed on time or late
    /// ('' while open), and the deadline while open ('' once closed), with the milliseconds from
    /// the plan's approval to the closures summed. Triggers follow the tasks and their plans'
    /// approval.
    static let v0043 = Migration(
        version: 43, name: "task counts per committee by month their plan was approved",
        statements: [],
        sqliteOnly: TaskCountsSQL.sqlite,
        postgresOnly: TaskCountsSQL.postgres)
}

/// The counters of rectification tasks the database keeps: a task's key needs its plan's status
/// and approval, so a plan's approval (or its withdrawal) moves every task of the plan.
enum TaskCountsSQL {
    static let table = "task_committee_counts"
    static let key = "jurisdiction_id, month, closed, timing, due"

    /// A task `t`'s key and its closing time, with its plan's status and approval moment given
    /// as expressions (`p`'s columns, or the trigger's old or new plan row).
    static func values(_ t: String, status: String, approvedAt: String, month: (String) -> String) -> String {
        // The closure's business day and the deadline's, as `AsOfSQL` compares them.
        let closureDay = DaySQL.businessDay("\(t).closed_at")
        let deadlineDay = DaySQL.epochDay("\(t).deadline")
        return "\(t).jurisdiction_id, CASE WHEN \(status) = 'approved' AND \(approvedAt) IS NOT NULL THEN \(month(approvedAt)) ELSE 0 END, "
            + "CASE WHEN \(t).closed_at IS NULL THEN 0 ELSE 1 END, "
            + "CASE WHEN \(t).closed_at IS NULL THEN '' WHEN \(closureDay) <= \(deadlineDay) THEN 'on_time' ELSE 'late' END, "
            + "CASE WHEN \(t).closed_at IS NULL THEN \(t).deadline ELSE '' END"
    }

    /// The milliseconds from the plan's approval to the task's closure, 0 while either is missing.
    static func closing(_ t: String, approvedAt: String) -> String {
        "COALESCE(\(t).closed_at - \(approvedAt), 0)"
    }

    static let add = " ON CONFLICT (\(key)) DO UPDATE SET n = \(table).n + excluded.n, closing_ms = \(table).closing_ms + excluded.closing_ms"

    /// Adds `sign` times the tasks of `tasks` (a FROM … WHERE over `t`), their plan's columns given
    /// (`WHERE` inside keeps SQLite from reading ON CONFLICT as a join's ON). Grouped, since
    /// PostgreSQL's upsert may not meet one key twice in a statement, and by position, since in a
    /// trigger's function PostgreSQL would not take the key's expressions over the old or new row
    /// for the same in the SELECT and in the GROUP BY.
    static func count(_ tasks: String, status: String, approvedAt: String, by sign: String, month: (String) -> String) -> String {
        let key = values("t", status: status, approvedAt: approvedAt, month: month)
        return "INSERT INTO \(table) (\(Self.key), n, closing_ms) SELECT \(key), \(sign) * COUNT(*), \(sign) * SUM(\(closing("t", approvedAt: approvedAt))) "
            + tasks + " GROUP BY 1, 2, 3, 4, 5" + add + ";"
    }

    static func tables(_ options: String) -> [String] {
        [
            """
            CREATE TABLE \(table) (jurisdiction_id TEXT NOT NULL, month BIGINT NOT NULL, closed BIGINT NOT NULL, timing TEXT NOT NULL, due TEXT NOT NULL,
            n BIGINT NOT NULL, closing_ms BIGINT NOT NULL, PRIMARY KEY (\(key)))\(options)
            """
        ]
    }

    static func firstCount(month: (String) -> String) -> String {
        count("FROM rectification_tasks t JOIN rectification_plans p ON p.id = t.plan_id WHERE true", status: "p.status", approvedAt: "p.approved_at", by: "1", month: month)
    }

    static let taskColumns = ["jurisdiction_id", "plan_id", "closed_at", "deadline"]
    static let planColumns = ["status", "approved_at"]

    /// A task row `r` (the trigger's old or new), its plan read by a join on the row's values.
    static func task(_ r: String, by sign: String, month: (String) -> String) -> String {
        count(
            "FROM (SELECT \(r).jurisdiction_id AS jurisdiction_id, \(r).closed_at AS closed_at, \(r).deadline AS deadline) t JOIN rectification_plans p ON p.id = \(r).plan_id WHERE true",
            status: "p.status", approvedAt: "p.approved_at", by: sign, month: month)
    }

    /// Every task of a plan row `r` (the trigger's old or new), with that row's status and approval.
    static func plan(_ r: String, by sign: String, month: (String) -> String) -> String {
        count("FROM rectification_tasks t WHERE t.plan_id = \(r).id", status: "\(r).status", approvedAt: "\(r).approved_at", by: sign, month: month)
    }

    static var sqlite: [String] {
        let month = PaperCounters.sqliteMonth
        func task(_ r: String, _ sign: String) -> String { Self.task(r, by: sign, month: month) }
        func plan(_ r: String, _ sign: String) -> String { Self.plan(r, by: sign, month: month) }
        func changed(_ columns: [String]) -> String { columns.map { "old.\($0) IS NOT new.\($0)" }.joined(separator: " OR ") }
        return tables(" WITHOUT ROWID") + [firstCount(month: month)] + [
            "CREATE TRIGGER \(table)_insert AFTER INSERT ON rectification_tasks BEGIN \(task("new", "1")) END",
            "CREATE TRIGGER \(table)_delete AFTER DELETE ON rectification_tasks BEGIN \(task("old", "-1")) END",
            "CREATE TRIGGER \(table)_update AFTER UPDATE OF \(taskColumns.joined(separator: ", ")) ON rectification_tasks WHEN \(changed(taskColumns)) BEGIN "
                + task("old", "-1") + " " + task("new", "1") + " END",
            "CREATE TRIGGER \(table)_plan AFTER UPDATE OF \(planColumns.joined(separator: ", ")) ON rectification_plans WHEN \(changed(planColumns)) BEGIN "
                + plan("old", "-1") + " " + plan("new", "1") + " END",
        ]
    }

    static var postgres: [String] {
        let month = PaperCounters.postgresMonth
        func task(_ r: String, _ sign: String) -> String { Self.task(r, by: sign, month: month) }
        func plan(_ r: String, _ sign: String) -> String { Self.plan(r, by: sign, month: month) }
        func changed(_ columns: [String]) -> String { columns.map { "OLD.\($0) IS DISTINCT FROM NEW.\($0)" }.joined(separator: " OR ") }
        return tables("") + [firstCount(month: month)] + [
            """
            CREATE FUNCTION \(table)_follow() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP <> 'INSERT' THEN \(task("OLD", "-1")) END IF;
                IF TG_OP <> 'DELETE' THEN \(task("NEW", "1")) END IF;
                RETURN NULL;
            END $$
            """,
            "CREATE TRIGGER \(table)_insert_delete AFTER INSERT OR DELETE ON rectification_tasks FOR EACH ROW EXECUTE FUNCTION \(table)_follow()",
            "CREATE TRIGGER \(table)_update AFTER UPDATE ON rectification_tasks FOR EACH ROW WHEN (\(changed(taskColumns))) EXECUTE FUNCTION \(table)_follow()",
            """
            CREATE FUNCTION \(table)_plan() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                \(plan("OLD", "-1"))
                \(plan("NEW", "1"))
                RETURN NULL;
            END $$
            """,
            "CREATE TRIGGER \(table)_plan AFTER UPDATE ON rectification_plans FOR EACH ROW WHEN (\(changed(planColumns))) EXECUTE FUNCTION \(table)_plan()",
        ]
    }
}
