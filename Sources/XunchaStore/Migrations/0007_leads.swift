// Adds problem leads with their history and yearly numbering, and the lead feedback period setting (3 months by default).

extension Migrations {
    static let v0007 = Migration(
        version: 7, name: "problem leads, their history and numbering, the feedback period setting",
        statements: [
            "ALTER TABLE jurisdiction_settings ADD COLUMN lead_feedback_months BIGINT NOT NULL DEFAULT 3",
            """
            CREATE TABLE leads (
                jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                id TEXT PRIMARY KEY,
                assignment_id TEXT NOT NULL REFERENCES assignments(id),
                group_id TEXT NOT NULL REFERENCES inspection_groups(id),
                unit_id TEXT NOT NULL REFERENCES units(id),
                finding_id TEXT REFERENCES findings(id),
                number TEXT NOT NULL,
                source TEXT NOT NULL,
                person_name TEXT NOT NULL,
                person_post TEXT,
                authority TEXT NOT NULL,
                subject TEXT NOT NULL,
                content TEXT NOT NULL,
                evidence TEXT,
                status TEXT NOT NULL,
                receiver TEXT,
                proposal TEXT,
                transfer_sheet TEXT,
                transferred_at BIGINT,
                feedback_due TEXT,
                received_at BIGINT,
                method TEXT,
                form BIGINT,
                people_count BIGINT,
                sanctions TEXT,
                judicial_transfer BIGINT,
                result TEXT,
                answered_at BIGINT,
                closed_at BIGINT,
                created_by TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                version BIGINT NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX leads_number ON leads (jurisdiction_id, number)",
            "CREATE INDEX leads_assignment ON leads (assignment_id, created_at, id)",
            "CREATE INDEX leads_jurisdiction ON leads (jurisdiction_id, created_at, id)",
            "CREATE INDEX leads_inbox ON leads (jurisdiction_id, receiver, status, created_at, id)",
            "CREATE INDEX leads_finding ON leads (finding_id)",
            """
            CREATE TABLE lead_steps (
                jurisdiction_id TEXT NOT NULL,
                id TEXT PRIMARY KEY,
                lead_id TEXT NOT NULL REFERENCES leads(id),
                step TEXT NOT NULL,
                from_status TEXT NOT NULL,
                to_status TEXT NOT NULL,
                note TEXT,
                actor_name TEXT NOT NULL,
                at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX lead_steps_lead ON lead_steps (lead_id, at)",
            """
            CREATE TABLE lead_counters (
                jurisdiction_id TEXT NOT NULL,
                year BIGINT NOT NULL,
                last_number BIGINT NOT NULL,
                PRIMARY KEY (jurisdiction_id, year)
            )
            """,
        ])
}
