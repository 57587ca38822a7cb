// Adds per-committee settings, links cadres to their own accounts, and adds 保密承诺 pledges and 巡察通知 notices to units.

extension Migrations {
    static let v0005 = Migration(
        version: 5, name: "jurisdiction settings, cadres' own accounts, pledges, notices to units",
        statements: [
            """
            CREATE TABLE jurisdiction_settings (
                jurisdiction_id TEXT PRIMARY KEY REFERENCES jurisdictions(id),
                max_units_per_group BIGINT NOT NULL,
                recent_work_years BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                version BIGINT NOT NULL
            )
            """,
            "ALTER TABLE inspectors ADD COLUMN account_id TEXT REFERENCES users(id)",
            "CREATE UNIQUE INDEX inspectors_account ON inspectors (account_id) WHERE account_id IS NOT NULL",
            // One signature per cadre per round, with the wording's version: never rewritten.
            """
            CREATE TABLE pledges (
                jurisdiction_id TEXT NOT NULL,
                round_id TEXT NOT NULL REFERENCES rounds(id),
                inspector_id TEXT NOT NULL REFERENCES inspectors(id),
                pledge_version TEXT NOT NULL,
                signed_at BIGINT NOT NULL,
                PRIMARY KEY (round_id, inspector_id)
            )
            """,
            "CREATE INDEX conflict_declarations_inspector ON conflict_declarations (inspector_id, unit_id)",
            """
            CREATE TABLE notices (
                jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                id TEXT PRIMARY KEY,
                assignment_id TEXT NOT NULL REFERENCES assignments(id),
                unit_id TEXT NOT NULL REFERENCES units(id),
                number TEXT,
                body TEXT NOT NULL,
                sent_by TEXT NOT NULL,
                sent_at BIGINT NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX notices_assignment ON notices (assignment_id)",
            "CREATE INDEX notices_unit ON notices (jurisdiction_id, unit_id, sent_at, id)",
            "CREATE INDEX notices_jurisdiction_sent ON notices (jurisdiction_id, sent_at, id)",
        ])
}
