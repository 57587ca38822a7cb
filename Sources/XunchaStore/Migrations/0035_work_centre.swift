// The work centre: reminders (催办), each person's own steps (已办), whose stage a report awaits.

extension Migrations {
    /// A reminder names the record it concerns by chain and id, like the history does; it is kept
    /// (never edited) as the record's 催办 history. 已办 reads a person's own steps newest first. A
    /// report under review waits for the role of its pending stage, kept beside the chain it is
    /// read from so 待办 finds it by a column. A draft waits for the account that drafted it
    /// (papers drafted before have none and wait for the whole group).
    static let v0035 = Migration(
        version: 35, name: "work centre: reminders, a person's steps, the role a report awaits, a paper's drafter",
        statements: [
            """
            CREATE TABLE reminders (
                jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                id TEXT PRIMARY KEY,
                kind TEXT NOT NULL,
                record_id TEXT NOT NULL,
                note TEXT NOT NULL,
                by_id TEXT,
                by_name TEXT NOT NULL,
                at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX reminders_record ON reminders (record_id, at)",
            "CREATE INDEX record_steps_actor ON record_steps (actor_id, at)",
            "ALTER TABLE reports ADD COLUMN pending_role TEXT",
            "ALTER TABLE findings ADD COLUMN drafter_id TEXT",
        ],
        sqliteOnly: ["UPDATE reports SET pending_role = json_extract(chain, '$[' || stage_index || '].role') WHERE status = 'in_review'"],
        postgresOnly: ["UPDATE reports SET pending_role = (chain::jsonb -> CAST(stage_index AS INT)) ->> 'role' WHERE status = 'in_review'"])
}
