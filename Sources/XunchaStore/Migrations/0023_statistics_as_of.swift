// Widens two covering indexes of the statistics for figures read as of a day.

extension Migrations {
    /// Figures as of a day read when a lead was transferred and when a plan was approved (tasks count
    /// from their plan's approval): the covering indexes carry those columns too, so every figure
    /// stays an index-only range scan.
    static let v0023 = Migration(
        version: 23, name: "statistics as of a day",
        statements: [
            "DROP INDEX leads_statistics",
            "CREATE INDEX leads_statistics ON leads (jurisdiction_id, created_at, status, receiver, transferred_at, answered_at, form, feedback_due)",
            "DROP INDEX rectification_plans_status",
            "CREATE INDEX rectification_plans_status ON rectification_plans (id, status, approved_at)",
        ])
}
