// Anchors the audit chain outside the database: signed checkpoints of its head, and the digest of
// the business row each audited write left behind.

extension Migrations {
    /// `audit_checkpoints`: the chain's head (sequence, hash, entry count, time) signed with an
    /// Ed25519 key kept outside the database; `public_key` names the key that signed it, so a
    /// checkpoint signed by another key is told apart. `audit_entries.row_table`/`row_digest`:
    /// the SHA-256 of the row a write left behind, covered by the entry's hash.
    static let v0039 = Migration(
        version: 39, name: "audit anchoring: signed checkpoints, row digests",
        statements: [
            """
            CREATE TABLE audit_checkpoints (
                number BIGINT PRIMARY KEY,
                audit_seq BIGINT NOT NULL,
                audit_hash TEXT NOT NULL,
                entry_count BIGINT NOT NULL,
                at BIGINT NOT NULL,
                public_key TEXT NOT NULL,
                signature TEXT NOT NULL,
                made_by TEXT NOT NULL
            )
            """,
            "ALTER TABLE audit_entries ADD COLUMN row_table TEXT",
            "ALTER TABLE audit_entries ADD COLUMN row_digest TEXT",
        ])
}
