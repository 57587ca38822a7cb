// Gives every step the day it happened (业务日期) beside the moment it was recorded.

extension Migrations {
    /// A step's business day and, for one entered after the fact (补录), why; the office's setting of
    /// how far back a step may be dated without a reason. Steps already recorded happened on the day
    /// they were recorded (in Asia/Shanghai, UTC+8 all year). A record's history reads in business
    /// order, so its index leads with the day.
    static let v0022 = Migration(
        version: 22, name: "business dates of steps",
        statements: [
            "ALTER TABLE record_steps ADD COLUMN occurred_on TEXT",
            "ALTER TABLE record_steps ADD COLUMN backfill_reason TEXT",
            "DROP INDEX record_steps_record",
            "CREATE INDEX record_steps_record ON record_steps (record_id, occurred_on, at, id)",
            "ALTER TABLE jurisdiction_settings ADD COLUMN backfill_days BIGINT NOT NULL DEFAULT 7",
        ],
        sqliteOnly: ["UPDATE record_steps SET occurred_on = date(at / 1000 + 28800, 'unixepoch')"],
        postgresOnly: ["UPDATE record_steps SET occurred_on = to_char(to_timestamp(at / 1000) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')"])
}
