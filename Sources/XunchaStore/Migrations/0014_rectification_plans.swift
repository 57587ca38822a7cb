// Adds rectification plans with their 三个一 tasks, reviews, progress events and supervision checks, and the warning and report deadline settings.

extension Migrations {
    static let v0014 = Migration(
        version: 14, name: "rectification plans with their tasks (三个一), reviews, progress and supervision checks; warning settings",
        statements: [
            "ALTER TABLE jurisdiction_settings ADD COLUMN warning_green_days BIGINT NOT NULL DEFAULT 20",
            "ALTER TABLE jurisdiction_settings ADD COLUMN warning_yellow_days BIGINT NOT NULL DEFAULT 10",
            "ALTER TABLE jurisdiction_settings ADD COLUMN rectification_report_months BIGINT NOT NULL DEFAULT 2",
            """
            CREATE TABLE rectification_plans (
                jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                id TEXT PRIMARY KEY,
                feedback_id TEXT NOT NULL REFERENCES feedbacks(id),
                assignment_id TEXT NOT NULL REFERENCES assignments(id),
                unit_id TEXT NOT NULL REFERENCES units(id),
                title TEXT NOT NULL,
                meeting TEXT NOT NULL,
                body TEXT NOT NULL,
                status TEXT NOT NULL,
                revision BIGINT NOT NULL,
                endorsed_by TEXT,
                endorsed_by_name TEXT,
                endorsed_at BIGINT,
                endorsed_digest TEXT,
                endorsed_text TEXT,
                approved_at BIGINT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                version BIGINT NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX rectification_plans_feedback ON rectification_plans (feedback_id)",
            "CREATE INDEX rectification_plans_jurisdiction ON rectification_plans (jurisdiction_id, status, created_at, id)",
            "CREATE INDEX rectification_plans_unit ON rectification_plans (jurisdiction_id, unit_id, created_at, id)",
            """
            CREATE TABLE plan_reviews (
                plan_id TEXT NOT NULL REFERENCES rectification_plans(id),
                id TEXT PRIMARY KEY,
                body TEXT NOT NULL,
                decision TEXT NOT NULL,
                comment TEXT NOT NULL,
                reviewer_id TEXT NOT NULL,
                reviewer_name TEXT NOT NULL,
                revision BIGINT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX plan_reviews_plan ON plan_reviews (plan_id, created_at)",
            """
            CREATE TABLE rectification_tasks (
                jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                id TEXT PRIMARY KEY,
                plan_id TEXT NOT NULL REFERENCES rectification_plans(id),
                assignment_id TEXT NOT NULL REFERENCES assignments(id),
                unit_id TEXT NOT NULL REFERENCES units(id),
                problem_id TEXT NOT NULL REFERENCES feedback_problems(id),
                sequence BIGINT NOT NULL,
                target TEXT NOT NULL,
                measures TEXT NOT NULL,
                deadline TEXT NOT NULL,
                kind TEXT NOT NULL,
                report_every_days BIGINT,
                responsible_leader TEXT NOT NULL,
                responsible_department TEXT NOT NULL,
                responsible_cadre TEXT NOT NULL,
                owner_account_id TEXT REFERENCES users(id),
                status TEXT NOT NULL,
                progress BIGINT NOT NULL,
                last_reported_on TEXT,
                next_report_due TEXT,
                closed_at BIGINT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                version BIGINT NOT NULL
            )
            """,
            // The lists filter a committee's tasks by status and deadline (warnings, overdue) and
            // a unit's or a cadre's own; each index leads with the column the policy filters on.
            "CREATE INDEX rectification_tasks_deadline ON rectification_tasks (jurisdiction_id, deadline, id)",
            "CREATE INDEX rectification_tasks_status ON rectification_tasks (jurisdiction_id, status, deadline, id)",
            "CREATE INDEX rectification_tasks_unit ON rectification_tasks (jurisdiction_id, unit_id, deadline, id)",
            "CREATE INDEX rectification_tasks_owner ON rectification_tasks (owner_account_id, deadline, id)",
            "CREATE INDEX rectification_tasks_assignment ON rectification_tasks (assignment_id, deadline, id)",
            "CREATE INDEX rectification_tasks_plan ON rectification_tasks (plan_id, problem_id, sequence)",
            // Long-term tasks whose periodic report is due, per unit.
            "CREATE INDEX rectification_tasks_report_due ON rectification_tasks (unit_id, next_report_due)",
            // The problem list counts each problem's tasks, closed and overdue ones, from the index alone.
            "CREATE INDEX rectification_tasks_problem ON rectification_tasks (problem_id, status, deadline)",
            """
            CREATE TABLE task_events (
                task_id TEXT NOT NULL REFERENCES rectification_tasks(id),
                id TEXT PRIMARY KEY,
                step TEXT NOT NULL,
                note TEXT NOT NULL,
                progress BIGINT,
                actor_id TEXT NOT NULL,
                actor_name TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX task_events_task ON task_events (task_id, created_at)",
            """
            CREATE TABLE supervision_checks (
                jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                id TEXT PRIMARY KEY,
                task_id TEXT NOT NULL REFERENCES rectification_tasks(id),
                unit_id TEXT NOT NULL REFERENCES units(id),
                assignment_id TEXT NOT NULL REFERENCES assignments(id),
                checked_on TEXT NOT NULL,
                body TEXT NOT NULL,
                checker_id TEXT NOT NULL,
                checker_name TEXT NOT NULL,
                method TEXT NOT NULL,
                result TEXT NOT NULL,
                note TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            // The checks are listed newest first (keyset on created_at, id).
            "CREATE INDEX supervision_checks_jurisdiction ON supervision_checks (jurisdiction_id, created_at, id)",
            "CREATE INDEX supervision_checks_task ON supervision_checks (task_id, checked_on)",
        ])
}
