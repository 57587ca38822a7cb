// Adds inspection plans per term and their target units, so a term's coverage (全覆盖) can be counted.

extension Migrations {
    static let v0004 = Migration(
        version: 4, name: "inspection plans per term and their target units",
        statements: [
            """
            CREATE TABLE inspection_plans (
                jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                id TEXT PRIMARY KEY,
                term TEXT{{C}} NOT NULL,
                term_start TEXT NOT NULL,
                term_end TEXT NOT NULL,
                title TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX inspection_plans_term ON inspection_plans (jurisdiction_id, term)",
            """
            CREATE TABLE plan_targets (
                jurisdiction_id TEXT NOT NULL,
                plan_id TEXT NOT NULL REFERENCES inspection_plans(id),
                unit_id TEXT NOT NULL REFERENCES units(id),
                reason TEXT,
                PRIMARY KEY (plan_id, unit_id)
            )
            """,
            "CREATE INDEX plan_targets_unit ON plan_targets (jurisdiction_id, unit_id)",
            "CREATE INDEX rounds_jurisdiction_term ON rounds (jurisdiction_id, term, status)",
        ])
}
