// Covers the year-end report's cross tables: leads by handling state and by form × method, units with a rule improvement.

extension Migrations {
    /// The statistics index of leads carries the moments a lead was received and closed and the
    /// receiving body's disposition method (线索办理情况, 四种形态 × 处置方式); that of rule
    /// improvements carries the adopting unit (the units that improved a rule). Each new figure
    /// stays an index-only range scan over one committee and period.
    static let v0030 = Migration(
        version: 30, name: "year-end figures: leads by handling and by form and method, units with a rule improvement",
        statements: [
            "DROP INDEX leads_statistics",
            """
            CREATE INDEX leads_statistics ON leads (jurisdiction_id, created_at, status, receiver, transferred_at, answered_at, form, feedback_due,
                subject, authority, received_at, closed_at, method)
            """,
            "DROP INDEX rule_improvements_adopted",
            "CREATE INDEX rule_improvements_adopted ON rule_improvements (jurisdiction_id, adopted_on, kind, unit_id)",
        ])
}
