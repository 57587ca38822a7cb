// Adds Chinese full-text search over findings and on-site records: FTS5 trigram tables on SQLite, pg_trgm GIN indexes on PostgreSQL.

extension Migrations {
    static let v0009 = Migration(
        version: 9, name: "Chinese full-text search over findings and on-site records",
        statements: [],
        // SQLite: FTS5 with the trigram tokenizer, kept in step by triggers (substrings of three
        // or more characters; shorter searches fall back to LIKE).
        sqliteOnly: [
            "CREATE VIRTUAL TABLE findings_fts USING fts5(title, manifestation, content='findings', content_rowid='rowid', tokenize='trigram')",
            "CREATE TRIGGER findings_fts_insert AFTER INSERT ON findings BEGIN INSERT INTO findings_fts (rowid, title, manifestation) VALUES (new.rowid, new.title, new.manifestation); END",
            "CREATE TRIGGER findings_fts_delete AFTER DELETE ON findings BEGIN INSERT INTO findings_fts (findings_fts, rowid, title, manifestation) VALUES ('delete', old.rowid, old.title, old.manifestation); END",
            "CREATE TRIGGER findings_fts_update AFTER UPDATE OF title, manifestation ON findings BEGIN INSERT INTO findings_fts (findings_fts, rowid, title, manifestation) VALUES ('delete', old.rowid, old.title, old.manifestation); INSERT INTO findings_fts (rowid, title, manifestation) VALUES (new.rowid, new.title, new.manifestation); END",
            "INSERT INTO findings_fts (findings_fts) VALUES ('rebuild')",
            "CREATE VIRTUAL TABLE records_fts USING fts5(subject, body, content='onsite_records', content_rowid='rowid', tokenize='trigram')",
            "CREATE TRIGGER records_fts_insert AFTER INSERT ON onsite_records BEGIN INSERT INTO records_fts (rowid, subject, body) VALUES (new.rowid, new.subject, new.body); END",
            "CREATE TRIGGER records_fts_delete AFTER DELETE ON onsite_records BEGIN INSERT INTO records_fts (records_fts, rowid, subject, body) VALUES ('delete', old.rowid, old.subject, old.body); END",
            "CREATE TRIGGER records_fts_update AFTER UPDATE OF subject, body ON onsite_records BEGIN INSERT INTO records_fts (records_fts, rowid, subject, body) VALUES ('delete', old.rowid, old.subject, old.body); INSERT INTO records_fts (rowid, subject, body) VALUES (new.rowid, new.subject, new.body); END",
            "INSERT INTO records_fts (records_fts) VALUES ('rebuild')",
        ],
        // PostgreSQL: pg_trgm GIN indexes serve the same LIKE the store writes; CJK trigrams need a
        // UTF-8 ctype (scripts/pg-cluster uses C.UTF-8).
        postgresOnly: [
            "CREATE EXTENSION IF NOT EXISTS pg_trgm",
            "CREATE INDEX findings_trgm ON findings USING gin ((title || ' ' || manifestation) gin_trgm_ops)",
            "CREATE INDEX onsite_records_trgm ON onsite_records USING gin ((subject || ' ' || body) gin_trgm_ops)",
        ])
}
