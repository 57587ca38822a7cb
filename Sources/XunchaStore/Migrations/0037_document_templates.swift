// 公文模板: each committee's templates per kind of document, versioned, and the version each
// issued document was produced from.

extension Migrations {
    /// `document_templates`: one row per saved version (1, 2, … per committee and kind), never
    /// updated — a change, and 恢复惯例 too, is the next version; `wording` is a JSON object of
    /// slot name → text holding only the reworded slots. `document_issues`: the template version
    /// a record's document was issued under, written in the transaction that issues it, so the
    /// record is produced from that version ever after. Documents issued before templates existed
    /// were produced from the customary template: version 0.
    static let v0037 = Migration(
        version: 37, name: "document templates per committee, and the version each issued document keeps",
        statements: [
            """
            CREATE TABLE document_templates (
                jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                id TEXT PRIMARY KEY,
                kind TEXT NOT NULL,
                version BIGINT NOT NULL,
                issuer_mark TEXT,
                signature TEXT,
                printed_by TEXT,
                number_pattern TEXT,
                wording TEXT NOT NULL,
                note TEXT,
                created_by_id TEXT,
                created_by TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX document_templates_version ON document_templates (jurisdiction_id, kind, version)",
            """
            CREATE TABLE document_issues (
                jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                kind TEXT NOT NULL,
                record_id TEXT NOT NULL,
                template_version BIGINT NOT NULL,
                issued_at BIGINT NOT NULL,
                PRIMARY KEY (kind, record_id)
            )
            """,
            "CREATE INDEX document_issues_jurisdiction ON document_issues (jurisdiction_id, kind, issued_at)",
            "INSERT INTO document_issues (jurisdiction_id, kind, record_id, template_version, issued_at) SELECT jurisdiction_id, 'notice', id, 0, sent_at FROM notices",
            """
            INSERT INTO document_issues (jurisdiction_id, kind, record_id, template_version, issued_at)
            SELECT jurisdiction_id, 'immediate', id, 0, issued_at FROM immediate_rectifications WHERE issued_at IS NOT NULL
            """,
            """
            INSERT INTO document_issues (jurisdiction_id, kind, record_id, template_version, issued_at)
            SELECT jurisdiction_id, 'feedback', id, 0, issued_at FROM feedbacks WHERE issued_at IS NOT NULL
            """,
        ])
}
