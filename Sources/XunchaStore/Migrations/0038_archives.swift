// 立卷归档: archives, the assignments each locks, corrections appended to them, and the committee's 保管期限表.

extension Migrations {
    /// An archive is written once (its package's digest set when the package is built, in the same
    /// request); an assignment is locked while any archive names it in `archive_assignments`.
    /// `audit_through` is the audit log's last entry when it was archived: the package's audit
    /// extract stops there, so a later export packs the same extract. Corrections are appended.
    static let v0038 = Migration(
        version: 38, name: "archives: packages, the assignments they lock, corrections, retention periods",
        statements: [
            """
            CREATE TABLE archives (
                jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                id TEXT PRIMARY KEY,
                round_id TEXT NOT NULL REFERENCES rounds(id),
                assignment_id TEXT REFERENCES assignments(id),
                archived_at BIGINT NOT NULL,
                archived_by_id TEXT,
                archived_by TEXT NOT NULL,
                audit_through BIGINT NOT NULL,
                package_sha256 TEXT NOT NULL,
                file_count BIGINT NOT NULL,
                payload_oxum TEXT NOT NULL
            )
            """,
            "CREATE INDEX archives_jurisdiction ON archives (jurisdiction_id, archived_at, id)",
            "CREATE INDEX archives_round ON archives (round_id)",
            """
            CREATE TABLE archive_assignments (
                archive_id TEXT NOT NULL REFERENCES archives(id),
                assignment_id TEXT NOT NULL REFERENCES assignments(id),
                PRIMARY KEY (archive_id, assignment_id)
            )
            """,
            "CREATE INDEX archive_assignments_assignment ON archive_assignments (assignment_id)",
            """
            CREATE TABLE archive_corrections (
                jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                id TEXT PRIMARY KEY,
                archive_id TEXT NOT NULL REFERENCES archives(id),
                text TEXT NOT NULL,
                by_id TEXT,
                by_name TEXT NOT NULL,
                at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX archive_corrections_archive ON archive_corrections (archive_id, at, id)",
            "ALTER TABLE jurisdiction_settings ADD COLUMN retention TEXT",
        ])
}
