// Adds rule improvements (制度完善), rectification evaluations with their history, and 回头看 follow-ups.

extension Migrations {
    static let v0016 = Migration(
        version: 16, name: "rule improvements, rectification evaluations, 回头看",
        statements: [
            """
            CREATE TABLE rule_improvements (
                jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                id TEXT PRIMARY KEY,
                unit_id TEXT REFERENCES units(id),
                adopting_body TEXT,
                title TEXT NOT NULL,
                kind TEXT NOT NULL,
                document_number TEXT,
                adopted_on TEXT NOT NULL,
                adopted_year BIGINT NOT NULL,
                description TEXT NOT NULL,
                recorded_by TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                version BIGINT NOT NULL
            )
            """,
            "CREATE INDEX rule_improvements_jurisdiction ON rule_improvements (jurisdiction_id, created_at, id)",
            "CREATE INDEX rule_improvements_year ON rule_improvements (jurisdiction_id, adopted_year, kind)",
            """
            CREATE TABLE rule_improvement_problems (
                jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                rule_improvement_id TEXT NOT NULL REFERENCES rule_improvements(id),
                problem_id TEXT NOT NULL REFERENCES feedback_problems(id),
                unit_id TEXT NOT NULL REFERENCES units(id),
                PRIMARY KEY (rule_improvement_id, problem_id)
            )
            """,
            "CREATE INDEX rule_improvement_problems_unit ON rule_improvement_problems (jurisdiction_id, unit_id, rule_improvement_id)",
            "CREATE INDEX rule_improvement_problems_problem ON rule_improvement_problems (problem_id)",
            """
            CREATE TABLE evaluations (
                jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                id TEXT PRIMARY KEY,
                feedback_id TEXT NOT NULL REFERENCES feedbacks(id),
                unit_id TEXT NOT NULL REFERENCES units(id),
                status TEXT NOT NULL,
                planned_on TEXT NOT NULL,
                schedule_note TEXT,
                methods TEXT NOT NULL,
                findings TEXT,
                grade TEXT,
                evaluated_on TEXT,
                graded_by TEXT,
                second_deadline TEXT,
                second_report TEXT,
                second_reported_by TEXT,
                second_reported_at BIGINT,
                review_note TEXT,
                closed_at BIGINT,
                created_by TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                version BIGINT NOT NULL
            )
            """,
            "CREATE INDEX evaluations_jurisdiction ON evaluations (jurisdiction_id, created_at, id)",
            "CREATE INDEX evaluations_unit ON evaluations (jurisdiction_id, unit_id, created_at, id)",
            "CREATE INDEX evaluations_grade ON evaluations (jurisdiction_id, grade, status)",
            "CREATE INDEX evaluations_feedback ON evaluations (feedback_id)",
            """
            CREATE TABLE evaluation_steps (
                jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                evaluation_id TEXT NOT NULL REFERENCES evaluations(id),
                id TEXT PRIMARY KEY,
                step TEXT NOT NULL,
                from_status TEXT NOT NULL,
                to_status TEXT NOT NULL,
                note TEXT,
                actor_name TEXT NOT NULL,
                at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX evaluation_steps_evaluation ON evaluation_steps (evaluation_id, at, id)",
            """
            CREATE TABLE follow_ups (
                jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                id TEXT PRIMARY KEY,
                unit_id TEXT NOT NULL REFERENCES units(id),
                evaluation_id TEXT REFERENCES evaluations(id),
                planned_year BIGINT NOT NULL,
                planned_quarter BIGINT NOT NULL,
                planned_on TEXT,
                reason TEXT NOT NULL,
                status TEXT NOT NULL,
                outcome TEXT,
                scheduled_by TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                settled_at BIGINT,
                updated_at BIGINT NOT NULL,
                version BIGINT NOT NULL
            )
            """,
            "CREATE INDEX follow_ups_jurisdiction ON follow_ups (jurisdiction_id, created_at, id)",
            "CREATE INDEX follow_ups_plan ON follow_ups (jurisdiction_id, status, planned_year, planned_quarter)",
        ])
}
