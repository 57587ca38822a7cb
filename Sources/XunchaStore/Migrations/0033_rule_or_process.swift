// Tells a rule (制度) from a process (流程) among rule improvements, which a year-end report counts apart.

extension Migrations {
    /// 制度 or 流程: what a rule improvement established or revised; those recorded before were rules.
    /// The statistics index carries it, so the year's count stays an index-only range scan.
    static let v0033 = Migration(
        version: 33, name: "rule improvements: rule or process",
        statements: [
            "ALTER TABLE rule_improvements ADD COLUMN scope TEXT NOT NULL DEFAULT 'rule'",
            "DROP INDEX rule_improvements_adopted",
            "CREATE INDEX rule_improvements_adopted ON rule_improvements (jurisdiction_id, adopted_on, kind, unit_id, scope)",
        ])
}
