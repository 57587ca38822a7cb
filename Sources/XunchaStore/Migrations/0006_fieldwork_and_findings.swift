// Adds on-site records with petitioners kept apart, versioned classification schemes (shipping version 1 of each), and findings with their history and numbering.

import XunchaCore

extension Migrations {
    static let v0006 = Migration(
        version: 6, name: "on-site records, petitioners kept apart, classification schemes, findings and their numbering",
        statements: [
            """
            CREATE TABLE onsite_records (
                jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                id TEXT PRIMARY KEY,
                assignment_id TEXT NOT NULL REFERENCES assignments(id),
                unit_id TEXT NOT NULL REFERENCES units(id),
                kind TEXT NOT NULL,
                subject TEXT NOT NULL,
                subject_post TEXT,
                occurred_on TEXT NOT NULL,
                place TEXT,
                body TEXT NOT NULL,
                interview_category TEXT,
                channel TEXT,
                reflected_person TEXT,
                in_scope BIGINT,
                created_by TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                version BIGINT NOT NULL
            )
            """,
            "CREATE INDEX onsite_records_assignment ON onsite_records (assignment_id, created_at, id)",
            "CREATE INDEX onsite_records_jurisdiction ON onsite_records (jurisdiction_id, created_at, id)",
            """
            CREATE TABLE record_inspectors (
                record_id TEXT NOT NULL REFERENCES onsite_records(id),
                inspector_id TEXT NOT NULL REFERENCES inspectors(id),
                part TEXT NOT NULL,
                PRIMARY KEY (record_id, inspector_id)
            )
            """,
            // Who petitioned, apart from what they reported: read only with viewReporterIdentity.
            """
            CREATE TABLE petition_reporters (
                record_id TEXT PRIMARY KEY REFERENCES onsite_records(id),
                anonymous BIGINT NOT NULL,
                name TEXT,
                contact TEXT
            )
            """,
            """
            CREATE TABLE classification_schemes (
                id TEXT PRIMARY KEY,
                jurisdiction_id TEXT REFERENCES jurisdictions(id),
                code TEXT NOT NULL,
                title TEXT NOT NULL,
                version BIGINT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX classification_schemes_code ON classification_schemes (code, version)",
            """
            CREATE TABLE classification_entries (
                scheme_id TEXT NOT NULL REFERENCES classification_schemes(id),
                code TEXT NOT NULL,
                title TEXT NOT NULL,
                parent_code TEXT,
                position BIGINT NOT NULL,
                PRIMARY KEY (scheme_id, code)
            )
            """,
            """
            CREATE TABLE findings (
                jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                id TEXT PRIMARY KEY,
                assignment_id TEXT NOT NULL REFERENCES assignments(id),
                round_id TEXT NOT NULL REFERENCES rounds(id),
                group_id TEXT NOT NULL REFERENCES inspection_groups(id),
                unit_id TEXT NOT NULL REFERENCES units(id),
                status TEXT NOT NULL,
                number TEXT,
                title TEXT NOT NULL,
                manifestation TEXT NOT NULL,
                basis TEXT NOT NULL,
                evidence TEXT,
                responsibility TEXT,
                is_common BIGINT NOT NULL,
                disposition TEXT,
                disposition_note TEXT,
                drafted_by TEXT NOT NULL,
                meeting_opinion TEXT,
                approved_by TEXT,
                approved_at BIGINT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                version BIGINT NOT NULL
            )
            """,
            "CREATE INDEX findings_assignment ON findings (assignment_id, created_at, id)",
            "CREATE INDEX findings_jurisdiction ON findings (jurisdiction_id, created_at, id)",
            "CREATE INDEX findings_jurisdiction_disposition ON findings (jurisdiction_id, disposition, status)",
            "CREATE UNIQUE INDEX findings_number ON findings (jurisdiction_id, number)",
            """
            CREATE TABLE finding_tags (
                finding_id TEXT NOT NULL REFERENCES findings(id),
                scheme_id TEXT NOT NULL REFERENCES classification_schemes(id),
                entry_code TEXT NOT NULL,
                PRIMARY KEY (finding_id, scheme_id, entry_code)
            )
            """,
            "CREATE INDEX finding_tags_entry ON finding_tags (scheme_id, entry_code, finding_id)",
            """
            CREATE TABLE finding_steps (
                jurisdiction_id TEXT NOT NULL,
                id TEXT PRIMARY KEY,
                finding_id TEXT NOT NULL REFERENCES findings(id),
                step TEXT NOT NULL,
                from_status TEXT NOT NULL,
                to_status TEXT NOT NULL,
                note TEXT,
                actor_name TEXT NOT NULL,
                at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX finding_steps_finding ON finding_steps (finding_id, at)",
            // Working-paper numbers are counted per committee, year and group and never reused.
            """
            CREATE TABLE finding_counters (
                jurisdiction_id TEXT NOT NULL,
                year BIGINT NOT NULL,
                group_id TEXT NOT NULL,
                last_number BIGINT NOT NULL,
                PRIMARY KEY (jurisdiction_id, year, group_id)
            )
            """,
        ] + ClassificationSeed.statements(ClassificationCatalog.shipped))
}
