// Lets an office import its ledgers again and again: which record each imported row became, and
// how the committee's sheets map to a kind's columns.

extension Migrations {
    /// `imported_records`: one row per record an import wrote (its 补录 mark: the file it came
    /// from and who imported it), with the sheet's 台账编号 so that importing the ledger again
    /// updates that record; keys are unique per committee and kind (rows without one are always
    /// added). `import_mappings`: the committee's last mapping of file headers to a kind's columns.
    static let v0028 = Migration(
        version: 28, name: "ledger imports: imported records by key, remembered column mappings",
        statements: [
            """
            CREATE TABLE imported_records (
                jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                kind TEXT NOT NULL,
                record_id TEXT NOT NULL,
                ledger_key TEXT,
                backfill_reason TEXT NOT NULL,
                file_name TEXT NOT NULL,
                importer_id TEXT,
                importer_name TEXT NOT NULL,
                imported_at BIGINT NOT NULL,
                PRIMARY KEY (kind, record_id)
            )
            """,
            "CREATE UNIQUE INDEX imported_records_key ON imported_records (jurisdiction_id, kind, ledger_key)",
            """
            CREATE TABLE import_mappings (
                jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                kind TEXT NOT NULL,
                header TEXT NOT NULL,
                column_key TEXT NOT NULL,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (jurisdiction_id, kind, header)
            )
            """,
        ])
}
