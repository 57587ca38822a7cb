// Records when a lead was set aside, so the statistics tell one set aside after the as-of day.

extension Migrations {
    /// The moment a lead was dismissed (不作为线索) or withdrawn, on that step's business day: one set
    /// aside after the as-of day was still a lead being weighed on it. Leads set aside before have
    /// none and stay set aside on every day, as they were counted. The statistics index of leads
    /// carries it, so each figure stays an index-only range scan over one committee and period.
    static let v0034 = Migration(
        version: 34, name: "leads: when set aside",
        statements: [
            "ALTER TABLE leads ADD COLUMN set_aside_at BIGINT",
            "DROP INDEX leads_statistics",
            """
            CREATE INDEX leads_statistics ON leads (jurisdiction_id, created_at, status, receiver, transferred_at, answered_at, form, feedback_due,
                subject, authority, received_at, closed_at, method, set_aside_at)
            """,
        ])
}
