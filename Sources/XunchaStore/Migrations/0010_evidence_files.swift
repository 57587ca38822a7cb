// Adds evidence files, kept once per content hash, and their attachments to records.

extension Migrations {
    static let v0010 = Migration(
        version: 10, name: "evidence files by content hash and their attachments",
        statements: [
            // One row per distinct file content; the bytes live in the evidence directory under their hash.
            """
            CREATE TABLE evidence_files (
                sha256 TEXT PRIMARY KEY,
                size BIGINT NOT NULL,
                content_type TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE attachments (
                jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                id TEXT PRIMARY KEY,
                owner_type TEXT NOT NULL,
                owner_id TEXT NOT NULL,
                sha256 TEXT NOT NULL REFERENCES evidence_files(sha256),
                filename TEXT NOT NULL,
                content_type TEXT NOT NULL,
                size BIGINT NOT NULL,
                created_by TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX attachments_owner ON attachments (owner_type, owner_id, created_at)",
        ])
}
