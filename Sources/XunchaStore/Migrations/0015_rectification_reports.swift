// Adds rectification reports signed by the unit head, disclosures (整改公开) and their shared history.

extension Migrations {
    static let v0015 = Migration(
        version: 15, name: "rectification reports signed by the unit head, disclosures and their history",
        statements: [
            """
            CREATE TABLE rectification_reports (
                jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                id TEXT PRIMARY KEY,
                feedback_id TEXT NOT NULL REFERENCES feedbacks(id),
                unit_id TEXT NOT NULL REFERENCES units(id),
                kind TEXT NOT NULL,
                title TEXT NOT NULL,
                body TEXT NOT NULL,
                status TEXT NOT NULL,
                due TEXT NOT NULL,
                signer_id TEXT REFERENCES users(id),
                signer_name TEXT,
                signed_at BIGINT,
                signed_digest TEXT,
                submitted_at BIGINT,
                review_note TEXT,
                reviewed_at BIGINT,
                created_by TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                version BIGINT NOT NULL
            )
            """,
            "CREATE INDEX rectification_reports_jurisdiction ON rectification_reports (jurisdiction_id, created_at, id)",
            "CREATE INDEX rectification_reports_unit ON rectification_reports (jurisdiction_id, unit_id, created_at, id)",
            "CREATE INDEX rectification_reports_feedback ON rectification_reports (feedback_id, kind)",
            """
            CREATE TABLE disclosures (
                jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                id TEXT PRIMARY KEY,
                report_id TEXT NOT NULL REFERENCES rectification_reports(id),
                unit_id TEXT NOT NULL REFERENCES units(id),
                title TEXT NOT NULL,
                text TEXT NOT NULL,
                exemptions TEXT NOT NULL,
                channel TEXT NOT NULL,
                status TEXT NOT NULL,
                review_note TEXT,
                published_on TEXT,
                published_at BIGINT,
                circulation_number TEXT,
                circulation_scope TEXT,
                circulation_date TEXT,
                created_by TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                version BIGINT NOT NULL
            )
            """,
            "CREATE INDEX disclosures_jurisdiction ON disclosures (jurisdiction_id, created_at, id)",
            // The public page: one committee's published public texts, newest first.
            "CREATE INDEX disclosures_public ON disclosures (jurisdiction_id, status, channel, published_at, id)",
            """
            CREATE TABLE rectification_steps (
                jurisdiction_id TEXT NOT NULL,
                id TEXT PRIMARY KEY,
                subject_type TEXT NOT NULL,
                subject_id TEXT NOT NULL,
                step TEXT NOT NULL,
                from_status TEXT NOT NULL,
                to_status TEXT NOT NULL,
                note TEXT,
                actor_name TEXT NOT NULL,
                at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX rectification_steps_subject ON rectification_steps (subject_id, at)",
        ])
}
