// Gathers the history of every approval chain into one table of one shape.

extension Migrations {
    /// Every chain's steps in one table, written by the one step writer: the chain, the record,
    /// the step, from and to which state, the note, the progress reported (tasks) or the body that
    /// met (reports), who and when. The eight per-chain tables are copied in and dropped; a task's
    /// older entries did not keep their states, which follow from the step (a reopening starts
    /// from 已销号 when the entry before it closed the task, otherwise from 申请销号).
    static let v0021 = Migration(
        version: 21, name: "one history table for every approval chain",
        statements: [
            """
            CREATE TABLE record_steps (
                jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                id TEXT PRIMARY KEY,
                chain TEXT NOT NULL,
                record_id TEXT NOT NULL,
                step TEXT NOT NULL,
                from_status TEXT NOT NULL,
                to_status TEXT NOT NULL,
                note TEXT,
                progress BIGINT,
                stage_name TEXT,
                actor_id TEXT,
                actor_name TEXT NOT NULL,
                at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX record_steps_record ON record_steps (record_id, at, id)",
            """
            INSERT INTO record_steps (jurisdiction_id, id, chain, record_id, step, from_status, to_status, note, actor_id, actor_name, at)
            SELECT jurisdiction_id, id, 'round', round_id, step, from_status, to_status, note, actor_id, actor_name, at FROM round_steps
            """,
            """
            INSERT INTO record_steps (jurisdiction_id, id, chain, record_id, step, from_status, to_status, note, actor_name, at)
            SELECT jurisdiction_id, id, 'finding', finding_id, step, from_status, to_status, note, actor_name, at FROM finding_steps
            """,
            """
            INSERT INTO record_steps (jurisdiction_id, id, chain, record_id, step, from_status, to_status, note, actor_name, at)
            SELECT jurisdiction_id, id, 'lead', lead_id, step, from_status, to_status, note, actor_name, at FROM lead_steps
            """,
            """
            INSERT INTO record_steps (jurisdiction_id, id, chain, record_id, step, from_status, to_status, note, stage_name, actor_name, at)
            SELECT jurisdiction_id, id, 'report', report_id, step, from_status, to_status, note, stage_name, actor_name, at FROM report_steps
            """,
            """
            INSERT INTO record_steps (jurisdiction_id, id, chain, record_id, step, from_status, to_status, note, actor_name, at)
            SELECT jurisdiction_id, id, subject_type, subject_id, step, from_status, to_status, note, actor_name, at FROM rectification_steps
            """,
            """
            INSERT INTO record_steps (jurisdiction_id, id, chain, record_id, step, from_status, to_status, note, actor_name, at)
            SELECT jurisdiction_id, id, 'evaluation', evaluation_id, step, from_status, to_status, note, actor_name, at FROM evaluation_steps
            """,
            """
            INSERT INTO record_steps (jurisdiction_id, id, chain, record_id, step, from_status, to_status, note, actor_name, at)
            SELECT jurisdiction_id, id, 'thematic_report', report_id, step, from_status, to_status, note, actor_name, at FROM thematic_report_steps
            """,
            """
            INSERT INTO record_steps (jurisdiction_id, id, chain, record_id, step, from_status, to_status, note, progress, actor_id, actor_name, at)
            SELECT t.jurisdiction_id, e.id, 'rectification_task', e.task_id, e.step,
                CASE e.step
                    WHEN 'close' THEN 'closure_requested'
                    WHEN 'reopen' THEN CASE (
                        SELECT p.step FROM task_events p
                        WHERE p.task_id = e.task_id AND (p.created_at < e.created_at OR (p.created_at = e.created_at AND p.id < e.id))
                        ORDER BY p.created_at DESC, p.id DESC LIMIT 1) WHEN 'close' THEN 'closed' ELSE 'closure_requested' END
                    ELSE 'in_progress' END,
                CASE e.step WHEN 'request_closure' THEN 'closure_requested' WHEN 'close' THEN 'closed' ELSE 'in_progress' END,
                e.note, e.progress, e.actor_id, e.actor_name, e.created_at
            FROM task_events e JOIN rectification_tasks t ON t.id = e.task_id
            """,
            "DROP TABLE round_steps",
            "DROP TABLE finding_steps",
            "DROP TABLE lead_steps",
            "DROP TABLE report_steps",
            "DROP TABLE rectification_steps",
            "DROP TABLE evaluation_steps",
            "DROP TABLE thematic_report_steps",
            "DROP TABLE task_events",
        ])
}
