// Adds recusal requests that wait for the office's decision, and the office's own wording of a thematic report's problems.

extension Migrations {
    /// A unit's recusal request waits for the office's decision; only a granted one becomes a
    /// conflict_declarations row (which is what closes the unit to the member). A thematic report
    /// carries the office's own wording of each problem, the only text its department reads, and
    /// whether it names the unit; reports sent before this have none, so they show no problem
    /// text to their department (fail closed) until the office writes a new report.
    static let v0020 = Migration(
        version: 20, name: "recusal requests decided by the office; the office's wording of a thematic report's problems",
        statements: [
            "ALTER TABLE thematic_report_findings ADD COLUMN wording TEXT",
            "ALTER TABLE thematic_report_findings ADD COLUMN names_unit BIGINT NOT NULL DEFAULT 0",
            """
            CREATE TABLE recusal_requests (
                jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                id TEXT PRIMARY KEY,
                notice_id TEXT NOT NULL REFERENCES notices(id),
                assignment_id TEXT NOT NULL REFERENCES assignments(id),
                unit_id TEXT NOT NULL REFERENCES units(id),
                inspector_id TEXT NOT NULL REFERENCES inspectors(id),
                reason TEXT NOT NULL,
                requested_by TEXT NOT NULL,
                requested_at BIGINT NOT NULL,
                status TEXT NOT NULL,
                decided_by TEXT,
                decided_at BIGINT,
                decision_reason TEXT
            )
            """,
            "CREATE INDEX recusal_requests_jurisdiction ON recusal_requests (jurisdiction_id, status, requested_at, id)",
            "CREATE INDEX recusal_requests_unit ON recusal_requests (jurisdiction_id, unit_id, requested_at, id)",
            "CREATE INDEX recusal_requests_assignment ON recusal_requests (assignment_id, inspector_id, status)",
        ])
}
