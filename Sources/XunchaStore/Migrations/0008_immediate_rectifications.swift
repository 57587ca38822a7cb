// Adds 立行立改 items, and one counter per committee, series and year for the other numbered documents.

extension Migrations {
    static let v0008 = Migration(
        version: 8, name: "immediate rectification items and numbered document series",
        statements: [
            """
            CREATE TABLE immediate_rectifications (
                jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                id TEXT PRIMARY KEY,
                assignment_id TEXT NOT NULL REFERENCES assignments(id),
                group_id TEXT NOT NULL REFERENCES inspection_groups(id),
                unit_id TEXT NOT NULL REFERENCES units(id),
                finding_id TEXT NOT NULL REFERENCES findings(id),
                number TEXT,
                status TEXT NOT NULL,
                problem TEXT,
                requirement TEXT,
                deadline TEXT,
                issued_at BIGINT,
                signed_by TEXT,
                signed_at BIGINT,
                measures TEXT,
                reported_at BIGINT,
                verification TEXT,
                closed_at BIGINT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                version BIGINT NOT NULL
            )
            """,
            "CREATE INDEX immediate_rectifications_unit ON immediate_rectifications (jurisdiction_id, unit_id, created_at, id)",
            "CREATE INDEX immediate_rectifications_jurisdiction ON immediate_rectifications (jurisdiction_id, created_at, id)",
            "CREATE INDEX immediate_rectifications_finding ON immediate_rectifications (finding_id)",
            "CREATE UNIQUE INDEX immediate_rectifications_number ON immediate_rectifications (jurisdiction_id, number)",
            // Numbered documents beyond papers and leads: one counter per committee, series and year.
            """
            CREATE TABLE document_counters (
                jurisdiction_id TEXT NOT NULL,
                series TEXT NOT NULL,
                year BIGINT NOT NULL,
                last_number BIGINT NOT NULL,
                PRIMARY KEY (jurisdiction_id, series, year)
            )
            """,
        ])
}
