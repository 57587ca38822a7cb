/// Counts of one table's rows by a key computed from each row, kept by the database's own
/// triggers in the transaction of every insert, update and delete (whatever path writes), with
/// the rows already there counted by the migration. A row whose key columns change moves from
/// one counter to the other; a counter may stand at zero.
struct RowCounters: EngineStatements {
    /// The counter table, and the table counted (aliased as the trigger's row).
    let table: String
    let source: String
    /// The key's columns, and their definitions each followed by a comma.
    let key: String
    let columns: String
    /// The key's values read from a row `r`, given the engine's month of a moment.
    let values: @Sendable (_ r: String, _ month: (String) -> String) -> String
    /// The counted table's columns whose change moves a row.
    let keyColumns: [String]

    var add: String { " ON CONFLICT (\(key)) DO UPDATE SET n = \(table).n + excluded.n" }

    func count(_ r: String, by sign: String, month: (String) -> String) -> String {
        "INSERT INTO \(table) (\(key), n) VALUES (\(values(r, month)), \(sign))" + add + ";"
    }

    func firstCount(month: (String) -> String) -> String {
        let r = values("r", month)
        return "INSERT INTO \(table) (\(key), n) SELECT \(r), COUNT(*) FROM \(source) r GROUP BY \(r)"
    }

    var sqlite: [String] {
        let month = PaperCounters.sqliteMonth
        let changed = keyColumns.map { "old.\($0) IS NOT new.\($0)" }.joined(separator: " OR ")
        return [
            "CREATE TABLE \(table) (\(columns) n BIGINT NOT NULL, PRIMARY KEY (\(key))) WITHOUT ROWID",
            firstCount(month: month),
            "CREATE TRIGGER \(table)_insert AFTER INSERT ON \(source) BEGIN \(count("new", by: "1", month: month)) END",
            "CREATE TRIGGER \(table)_delete AFTER DELETE ON \(source) BEGIN \(count("old", by: "-1", month: month)) END",
            "CREATE TRIGGER \(table)_update AFTER UPDATE OF \(keyColumns.joined(separator: ", ")) ON \(source) WHEN \(changed) BEGIN "
                + count("old", by: "-1", month: month) + " " + count("new", by: "1", month: month) + " END",
        ]
    }

    var postgres: [String] {
        let month = PaperCounters.postgresMonth
        let changed = keyColumns.map { "OLD.\($0) IS DISTINCT FROM NEW.\($0)" }.joined(separator: " OR ")
        return [
            "CREATE TABLE \(table) (\(columns) n BIGINT NOT NULL, PRIMARY KEY (\(key)))",
            firstCount(month: month),
            """
            CREATE FUNCTION \(table)_follow() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP <> 'INSERT' THEN \(count("OLD", by: "-1", month: month)) END IF;
                IF TG_OP <> 'DELETE' THEN \(count("NEW", by: "1", month: month)) END IF;
                RETURN NULL;
            END $$
            """,
            "CREATE TRIGGER \(table)_insert_delete AFTER INSERT OR DELETE ON \(source) FOR EACH ROW EXECUTE FUNCTION \(table)_follow()",
            "CREATE TRIGGER \(table)_update AFTER UPDATE ON \(source) FOR EACH ROW WHEN (\(changed)) EXECUTE FUNCTION \(table)_follow()",
        ]
    }
}
