// Adds covering indexes so that each statistic is an index-only range scan over one committee and period.

extension Migrations {
    /// The statistics count whole committees (or a subtree, one committee id after another) within a
    /// period: each index leads with the committee and the period's column and carries every
    /// column the aggregate reads, so a count is an index-only range scan (docs/performance.md).
    static let v0018 = Migration(
        version: 18, name: "covering indexes for the statistics",
        statements: [
            "CREATE INDEX findings_statistics ON findings (jurisdiction_id, status, approved_at, disposition, id)",
            "CREATE INDEX leads_statistics ON leads (jurisdiction_id, created_at, status, receiver, answered_at, form, feedback_due)",
            "CREATE INDEX rectification_tasks_statistics ON rectification_tasks (jurisdiction_id, created_at, status, deadline, closed_at, plan_id)",
            "CREATE INDEX rectification_plans_status ON rectification_plans (id, status)",
            "CREATE INDEX assignments_statistics ON assignments (jurisdiction_id, batch_id, unit_id, round_id, group_id, id)",
            "CREATE INDEX rule_improvements_adopted ON rule_improvements (jurisdiction_id, adopted_on, kind)",
        ])
}
