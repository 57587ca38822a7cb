// Gives 第一巡察组 … an identity that persists across rounds, so a year's figures per group are one GROUP BY.

extension Migrations {
    /// 常设巡察组: the group as the office knows it from round to round. Each round's group
    /// (`inspection_groups`: its authorisation, members and units) belongs to one; groups already
    /// formed are joined to the standing group of their name, whose id is the first of them.
    static let v0027 = Migration(
        version: 27, name: "standing inspection groups",
        statements: [
            """
            CREATE TABLE standing_groups (
                jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                id TEXT PRIMARY KEY,
                name TEXT{{C}} NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX standing_groups_name ON standing_groups (jurisdiction_id, name)",
            """
            INSERT INTO standing_groups (jurisdiction_id, id, name, created_at)
            SELECT jurisdiction_id, MIN(id), name, MIN(created_at) FROM inspection_groups GROUP BY jurisdiction_id, name
            """,
            "ALTER TABLE inspection_groups ADD COLUMN standing_group_id TEXT REFERENCES standing_groups(id)",
            """
            UPDATE inspection_groups SET standing_group_id = (
                SELECT s.id FROM standing_groups s WHERE s.jurisdiction_id = inspection_groups.jurisdiction_id AND s.name = inspection_groups.name)
            """,
            "CREATE INDEX inspection_groups_standing ON inspection_groups (standing_group_id, round_id)",
        ])
}
