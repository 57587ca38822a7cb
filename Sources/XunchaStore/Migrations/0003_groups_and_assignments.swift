// Adds inspection groups, their members and assignments (一托N), with conflict declarations and the office's written overrides, so staffing respects 回避.

extension Migrations {
    static let v0003 = Migration(
        version: 3, name: "inspection groups, members, assignments, conflict declarations and overrides",
        statements: [
            """
            CREATE TABLE inspection_groups (
                jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                id TEXT PRIMARY KEY,
                round_id TEXT NOT NULL REFERENCES rounds(id),
                name TEXT{{C}} NOT NULL,
                authorisation TEXT,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX inspection_groups_round_name ON inspection_groups (round_id, name)",
            """
            CREATE TABLE group_members (
                jurisdiction_id TEXT NOT NULL,
                group_id TEXT NOT NULL REFERENCES inspection_groups(id),
                inspector_id TEXT NOT NULL REFERENCES inspectors(id),
                role TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (group_id, inspector_id)
            )
            """,
            "CREATE INDEX group_members_inspector ON group_members (inspector_id)",
            """
            CREATE TABLE assignments (
                jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                id TEXT PRIMARY KEY,
                round_id TEXT NOT NULL REFERENCES rounds(id),
                batch_id TEXT NOT NULL REFERENCES batches(id),
                group_id TEXT NOT NULL REFERENCES inspection_groups(id),
                unit_id TEXT NOT NULL REFERENCES units(id),
                status TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX assignments_batch_unit ON assignments (batch_id, unit_id)",
            "CREATE INDEX assignments_group_batch ON assignments (group_id, batch_id)",
            "CREATE INDEX assignments_round_unit ON assignments (round_id, unit_id)",
            """
            CREATE TABLE conflict_declarations (
                jurisdiction_id TEXT NOT NULL,
                id TEXT PRIMARY KEY,
                inspector_id TEXT NOT NULL REFERENCES inspectors(id),
                unit_id TEXT NOT NULL REFERENCES units(id),
                kind TEXT NOT NULL,
                reason TEXT NOT NULL,
                declared_by TEXT NOT NULL,
                at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX conflict_declarations_unit ON conflict_declarations (unit_id, inspector_id)",
            // A conflict the office accepted anyway, with the written reason: kept, never edited.
            """
            CREATE TABLE conflict_overrides (
                jurisdiction_id TEXT NOT NULL,
                id TEXT PRIMARY KEY,
                inspector_id TEXT NOT NULL REFERENCES inspectors(id),
                unit_id TEXT NOT NULL REFERENCES units(id),
                round_id TEXT NOT NULL REFERENCES rounds(id),
                kinds TEXT NOT NULL,
                reason TEXT NOT NULL,
                decided_by TEXT NOT NULL,
                at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX conflict_overrides_round ON conflict_overrides (round_id, unit_id, inspector_id)",
        ])
}
