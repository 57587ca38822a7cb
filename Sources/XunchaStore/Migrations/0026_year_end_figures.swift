// Covers the year-end report's further figures: leads by nature and cadre level, 立行立改 completed.

extension Migrations {
    /// The statistics index of leads carries the lead's nature (问题性质) and the cadre's level
    /// (干部管理权限); 立行立改 notices get a covering index of their own, so that each new
    /// figure stays an index-only range scan over one committee and period.
    static let v0026 = Migration(
        version: 26, name: "year-end figures: leads by nature and level, immediate rectifications completed",
        statements: [
            "DROP INDEX leads_statistics",
            """
            CREATE INDEX leads_statistics ON leads (jurisdiction_id, created_at, status, receiver, transferred_at, answered_at, form, feedback_due,
                subject, authority)
            """,
            """
            CREATE INDEX immediate_rectifications_statistics ON immediate_rectifications (jurisdiction_id, created_at, status, closed_at, unit_id,
                assignment_id, group_id)
            """,
        ])
}
