// Adds feedback to units (反馈意见) and its problem list, which a rectification plan answers.

extension Migrations {
    static let v0013 = Migration(
        version: 13, name: "feedback to units and their problem lists",
        statements: [
            """
            CREATE TABLE feedbacks (
                jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                id TEXT PRIMARY KEY,
                assignment_id TEXT NOT NULL REFERENCES assignments(id),
                unit_id TEXT NOT NULL REFERENCES units(id),
                number TEXT NOT NULL,
                title TEXT NOT NULL,
                main_recipient TEXT NOT NULL,
                copy_recipients TEXT NOT NULL,
                body TEXT NOT NULL,
                plan_due TEXT NOT NULL,
                report_due TEXT NOT NULL,
                status TEXT NOT NULL,
                issued_at BIGINT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                version BIGINT NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX feedbacks_assignment ON feedbacks (assignment_id)",
            "CREATE INDEX feedbacks_unit ON feedbacks (jurisdiction_id, unit_id, created_at, id)",
            "CREATE INDEX feedbacks_jurisdiction ON feedbacks (jurisdiction_id, created_at, id)",
            """
            CREATE TABLE feedback_problems (
                feedback_id TEXT NOT NULL REFERENCES feedbacks(id),
                id TEXT PRIMARY KEY,
                sequence BIGINT NOT NULL,
                text TEXT NOT NULL,
                finding_id TEXT NOT NULL REFERENCES findings(id)
            )
            """,
            "CREATE INDEX feedback_problems_feedback ON feedback_problems (feedback_id, sequence)",
        ])
}
