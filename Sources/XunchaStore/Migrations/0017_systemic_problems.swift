// Adds the systemic-problem unit threshold, thematic reports to functional departments and the rules they led to.

extension Migrations {
    static let v0017 = Migration(
        version: 17, name: "systemic problems: the unit threshold setting, thematic reports to functional departments and the rules they led to",
        statements: [
            "ALTER TABLE jurisdiction_settings ADD COLUMN systemic_unit_threshold BIGINT NOT NULL DEFAULT 3",
            // Recurring items are counted per committee, item and unit from the tags.
            "CREATE INDEX findings_jurisdiction_status_unit ON findings (jurisdiction_id, status, unit_id)",
            """
            CREATE TABLE thematic_reports (
                jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                id TEXT PRIMARY KEY,
                title TEXT NOT NULL,
                body TEXT NOT NULL,
                department_unit_id TEXT NOT NULL REFERENCES units(id),
                round_id TEXT REFERENCES rounds(id),
                year BIGINT,
                status TEXT NOT NULL,
                created_by TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                sent_at BIGINT,
                closed_at BIGINT,
                updated_at BIGINT NOT NULL,
                version BIGINT NOT NULL
            )
            """,
            "CREATE INDEX thematic_reports_jurisdiction ON thematic_reports (jurisdiction_id, created_at, id)",
            "CREATE INDEX thematic_reports_department ON thematic_reports (jurisdiction_id, department_unit_id, status)",
            """
            CREATE TABLE thematic_report_items (
                jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                report_id TEXT NOT NULL REFERENCES thematic_reports(id),
                scheme_id TEXT NOT NULL REFERENCES classification_schemes(id),
                entry_code TEXT NOT NULL,
                PRIMARY KEY (report_id, scheme_id, entry_code)
            )
            """,
            """
            CREATE TABLE thematic_report_findings (
                jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                report_id TEXT NOT NULL REFERENCES thematic_reports(id),
                finding_id TEXT NOT NULL REFERENCES findings(id),
                unit_id TEXT NOT NULL REFERENCES units(id),
                PRIMARY KEY (report_id, finding_id)
            )
            """,
            "CREATE INDEX thematic_report_findings_finding ON thematic_report_findings (finding_id)",
            """
            CREATE TABLE thematic_report_rules (
                jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                report_id TEXT NOT NULL REFERENCES thematic_reports(id),
                rule_improvement_id TEXT NOT NULL REFERENCES rule_improvements(id),
                PRIMARY KEY (report_id, rule_improvement_id)
            )
            """,
            "CREATE INDEX thematic_report_rules_rule ON thematic_report_rules (rule_improvement_id)",
            """
            CREATE TABLE thematic_report_steps (
                jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                report_id TEXT NOT NULL REFERENCES thematic_reports(id),
                id TEXT PRIMARY KEY,
                step TEXT NOT NULL,
                from_status TEXT NOT NULL,
                to_status TEXT NOT NULL,
                note TEXT,
                actor_name TEXT NOT NULL,
                at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX thematic_report_steps_report ON thematic_report_steps (report_id, at, id)",
        ])
}
