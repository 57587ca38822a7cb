// Adds reports with their approval chain, history and filings (一巡双报告).

extension Migrations {
    static let v0012 = Migration(
        version: 12, name: "reports, their approval chain, history and filings",
        statements: [
            "ALTER TABLE jurisdiction_settings ADD COLUMN report_chain TEXT",
            """
            CREATE TABLE reports (
                jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                id TEXT PRIMARY KEY,
                round_id TEXT NOT NULL REFERENCES rounds(id),
                assignment_id TEXT NOT NULL REFERENCES assignments(id),
                group_id TEXT NOT NULL REFERENCES inspection_groups(id),
                kind TEXT NOT NULL,
                title TEXT NOT NULL,
                body TEXT NOT NULL,
                status TEXT NOT NULL,
                chain TEXT NOT NULL,
                stage_index BIGINT NOT NULL,
                created_by TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                version BIGINT NOT NULL
            )
            """,
            "CREATE INDEX reports_jurisdiction ON reports (jurisdiction_id, created_at, id)",
            "CREATE INDEX reports_assignment ON reports (assignment_id, kind, status)",
            """
            CREATE TABLE report_findings (
                report_id TEXT NOT NULL REFERENCES reports(id),
                finding_id TEXT NOT NULL REFERENCES findings(id),
                PRIMARY KEY (report_id, finding_id)
            )
            """,
            """
            CREATE TABLE report_steps (
                jurisdiction_id TEXT NOT NULL,
                id TEXT PRIMARY KEY,
                report_id TEXT NOT NULL REFERENCES reports(id),
                step TEXT NOT NULL,
                stage_name TEXT,
                from_status TEXT NOT NULL,
                to_status TEXT NOT NULL,
                note TEXT,
                actor_name TEXT NOT NULL,
                at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX report_steps_report ON report_steps (report_id, at)",
            """
            CREATE TABLE report_filings (
                jurisdiction_id TEXT NOT NULL,
                report_id TEXT NOT NULL REFERENCES reports(id),
                recipient TEXT NOT NULL,
                filed_by TEXT NOT NULL,
                filed_at BIGINT NOT NULL,
                PRIMARY KEY (report_id, recipient)
            )
            """,
        ])
}
