// Lets a rule improvement answer a 立行立改 notice as well as a feedback problem.

extension Migrations {
    /// The 立行立改 notices a rule improvement answers, one row per link with the notice's unit, so
    /// that a unit reads the rules answering its notices and statistics count them per unit.
    static let v0025 = Migration(
        version: 25, name: "rule improvements answering immediate rectifications",
        statements: [
            """
            CREATE TABLE rule_improvement_immediates (
                jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                rule_improvement_id TEXT NOT NULL REFERENCES rule_improvements(id),
                immediate_id TEXT NOT NULL REFERENCES immediate_rectifications(id),
                unit_id TEXT NOT NULL REFERENCES units(id),
                PRIMARY KEY (rule_improvement_id, immediate_id)
            )
            """,
            "CREATE INDEX rule_improvement_immediates_unit ON rule_improvement_immediates (jurisdiction_id, unit_id, rule_improvement_id)",
            "CREATE INDEX rule_improvement_immediates_immediate ON rule_improvement_immediates (immediate_id)",
        ])
}
