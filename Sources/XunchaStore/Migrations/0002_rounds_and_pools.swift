// Adds rounds with their appended step history, batches and the inspector pools (组长库/人才库), so the office can plan a round and staff it.

extension Migrations {
    static let v0002 = Migration(
        version: 2, name: "rounds, batches, round history, inspector pools",
        statements: [
            """
            CREATE TABLE rounds (
                jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                id TEXT PRIMARY KEY,
                term TEXT{{C}} NOT NULL,
                sequence BIGINT NOT NULL,
                kind TEXT NOT NULL,
                theme TEXT,
                planned_start TEXT NOT NULL,
                planned_end TEXT NOT NULL,
                status TEXT NOT NULL,
                max_units_per_group BIGINT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                version BIGINT NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX rounds_term_sequence ON rounds (jurisdiction_id, term, sequence)",
            "CREATE INDEX rounds_jurisdiction_start ON rounds (jurisdiction_id, planned_start, id)",
            // Every step a round takes, appended, never rewritten: who, when, which step, with what note.
            """
            CREATE TABLE round_steps (
                jurisdiction_id TEXT NOT NULL,
                id TEXT PRIMARY KEY,
                round_id TEXT NOT NULL REFERENCES rounds(id),
                step TEXT NOT NULL,
                from_status TEXT NOT NULL,
                to_status TEXT NOT NULL,
                note TEXT,
                actor_id TEXT,
                actor_name TEXT NOT NULL,
                at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX round_steps_round ON round_steps (round_id, at)",
            """
            CREATE TABLE batches (
                jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                id TEXT PRIMARY KEY,
                round_id TEXT NOT NULL REFERENCES rounds(id),
                sequence BIGINT NOT NULL,
                entry_date TEXT NOT NULL,
                exit_date TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX batches_round_sequence ON batches (round_id, sequence)",
            """
            CREATE TABLE inspectors (
                jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                id TEXT PRIMARY KEY,
                name TEXT{{C}} NOT NULL,
                home_unit_id TEXT REFERENCES units(id),
                home_unit_name TEXT NOT NULL,
                post TEXT,
                category TEXT NOT NULL,
                rank TEXT,
                in_leader_pool BIGINT NOT NULL,
                in_talent_pool BIGINT NOT NULL,
                available BIGINT NOT NULL,
                skills TEXT NOT NULL,
                work_history TEXT NOT NULL,
                relations TEXT NOT NULL,
                training TEXT,
                evaluation TEXT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                version BIGINT NOT NULL
            )
            """,
            "CREATE INDEX inspectors_jurisdiction_name ON inspectors (jurisdiction_id, name, id)",
            "CREATE INDEX inspectors_jurisdiction_category ON inspectors (jurisdiction_id, category, name, id)",
        ])
}
