// Records when a lead was set aside and when a paper was triaged, so figures read as of a day.

extension Migrations {
    /// A lead dismissed (不作为线索) or withdrawn after the as-of day was still a lead being weighed
    /// on it (`set_aside_at`, that step's business moment); a paper triaged after the day still
    /// had the disposition before (`first_triaged_at`, `triaged_at` of its last triage and
    /// `prior_disposition`, the one that triage replaced). Rows from
    /// before have none and read as they stand on every day, as they were counted. The statistics
    /// indexes carry them, so each figure stays an index-only range scan over one committee and period.
    static let v0034 = Migration(
        version: 34, name: "statistics as of a day: leads set aside, papers triaged",
        statements: [
            "ALTER TABLE leads ADD COLUMN set_aside_at BIGINT",
            "DROP INDEX leads_statistics",
            """
            CREATE INDEX leads_statistics ON leads (jurisdiction_id, created_at, status, receiver, transferred_at, answered_at, form, feedback_due,
                subject, authority, received_at, closed_at, method, set_aside_at)
            """,
            "ALTER TABLE findings ADD COLUMN first_triaged_at BIGINT",
            "ALTER TABLE findings ADD COLUMN triaged_at BIGINT",
            "ALTER TABLE findings ADD COLUMN prior_disposition TEXT",
            "DROP INDEX findings_statistics",
            "CREATE INDEX findings_statistics ON findings (jurisdiction_id, status, approved_at, disposition, id, first_triaged_at, triaged_at, prior_disposition)",
        ])
}
