// Counts of working papers kept by the database itself, in the same transaction as every write,
// so a cross table (交叉统计) reads a few hundred counter rows instead of every paper and its tags.

extension Migrations {
    /// `finding_counts`: papers by committee, assignment (with its unit, round and group), the month
    /// they were drafted in (yyyymm, Asia/Shanghai), status and disposition ('' before triage).
    /// `finding_tag_counts`: the same by classification scheme and item; the row with item '' counts
    /// the papers carrying any item of the scheme, so that 未分类 is the rest. Triggers follow every
    /// insert, update and delete of `findings` and `finding_tags` (a tag row is replaced, never
    /// updated: an update is refused); the migration counts what is already there.
    static let v0040 = Migration(
        version: 40, name: "finding counts kept by triggers",
        statements: [],
        sqliteOnly: FindingCountsSQL.sqlite,
        postgresOnly: FindingCountsSQL.postgres)
}

/// The triggers and the first count of migration 40, per engine: SQLite's triggers run a statement
/// list per row; PostgreSQL's call functions, its tag triggers once per statement over the rows it
/// changed (a row trigger there would see all of a statement's deletions at once and miscount 未分类).
enum FindingCountsSQL {
    static let key = "jurisdiction_id, assignment_id, unit_id, round_id, group_id, month, status, disposition"
    /// A tag counter's key in its index's order: a family's items of a committee, each item's rows
    /// (and the scheme's '' row) together.
    static let tagKey = "scheme_id, jurisdiction_id, entry_code, assignment_id, unit_id, round_id, group_id, month, status, disposition"

    /// The two tables; on SQLite `WITHOUT ROWID`, so a count is read from its key's B-tree alone.
    static func tables(_ options: String) -> [String] {
        let columns = """
            jurisdiction_id TEXT NOT NULL, assignment_id TEXT NOT NULL, unit_id TEXT NOT NULL, round_id TEXT NOT NULL, group_id TEXT NOT NULL,
            month BIGINT NOT NULL, status TEXT NOT NULL, disposition TEXT NOT NULL,
            """
        return [
            "CREATE TABLE finding_counts (\(columns) n BIGINT NOT NULL, PRIMARY KEY (\(key)))\(options)",
            "CREATE TABLE finding_tag_counts (\(columns) scheme_id TEXT NOT NULL, entry_code TEXT NOT NULL, n BIGINT NOT NULL, PRIMARY KEY (\(tagKey)))\(options)",
        ]
    }

    /// A paper's counter key read from the row `r`, with the month of its drafting per engine.
    static func keyValues(_ r: String, month: (String) -> String) -> String {
        "\(r).jurisdiction_id, \(r).assignment_id, \(r).unit_id, \(r).round_id, \(r).group_id, \(month(r + ".created_at")), \(r).status, COALESCE(\(r).disposition, '')"
    }

    static func sqliteMonth(_ millis: String) -> String {
        "CAST(strftime('%Y%m', (\(millis) + 28800000) / 1000, 'unixepoch') AS INTEGER)"
    }

    static func postgresMonth(_ millis: String) -> String {
        "CAST(to_char(to_timestamp((\(millis) + 28800000) / 1000) AT TIME ZONE 'UTC', 'YYYYMM') AS BIGINT)"
    }

    static let addPaper = " ON CONFLICT (\(key)) DO UPDATE SET n = finding_counts.n + excluded.n"
    static let addTag = " ON CONFLICT (\(tagKey)) DO UPDATE SET n = finding_tag_counts.n + excluded.n"

    /// The rows already there, counted once (both engines, with their month).
    static func firstCount(month: (String) -> String) -> [String] {
        let f = keyValues("f", month: month)
        return [
            "INSERT INTO finding_counts (\(key), n) SELECT \(f), COUNT(*) FROM findings f GROUP BY \(f)",
            "INSERT INTO finding_tag_counts (\(key), scheme_id, entry_code, n) SELECT \(f), t.scheme_id, t.entry_code, COUNT(*) FROM finding_tags t "
                + "JOIN findings f ON f.id = t.finding_id GROUP BY \(f), t.scheme_id, t.entry_code",
            "INSERT INTO finding_tag_counts (\(key), scheme_id, entry_code, n) SELECT \(f), t.scheme_id, '', COUNT(*) FROM "
                + "(SELECT DISTINCT finding_id, scheme_id FROM finding_tags) t JOIN findings f ON f.id = t.finding_id GROUP BY \(f), t.scheme_id",
        ]
    }

    /// A paper's key columns, whose change moves it (and its tags) from one counter to another.
    static let keyColumns = ["jurisdiction_id", "assignment_id", "unit_id", "round_id", "group_id", "created_at", "status", "disposition"]

    /// The statement adding `sign` to the counter of the paper whose key is `values`.
    static func countPaper(_ values: String, by sign: String) -> String {
        "INSERT INTO finding_counts (\(key), n) VALUES (\(values), \(sign))" + addPaper
    }

    /// The statements moving a paper's row `r` (old or new) and its tags by `sign` (`WHERE true`
    /// keeps SQLite from reading ON CONFLICT as a join's ON).
    static func move(_ r: String, by sign: String, month: (String) -> String) -> String {
        let values = keyValues(r, month: month)
        return countPaper(values, by: sign) + "; "
            + "INSERT INTO finding_tag_counts (\(key), scheme_id, entry_code, n) SELECT \(values), t.scheme_id, t.entry_code, \(sign) "
            + "FROM finding_tags t WHERE t.finding_id = \(r).id" + addTag + "; "
            + "INSERT INTO finding_tag_counts (\(key), scheme_id, entry_code, n) SELECT \(values), t.scheme_id, '', \(sign) "
            + "FROM (SELECT DISTINCT scheme_id FROM finding_tags WHERE finding_id = \(r).id) t WHERE true" + addTag + ";"
    }

    static var sqlite: [String] {
        let month = sqliteMonth
        func paper(_ r: String, _ sign: String) -> String { move(r, by: sign, month: month) }
        let f = keyValues("f", month: month)
        let changed = keyColumns.map { "old.\($0) IS NOT new.\($0)" }.joined(separator: " OR ")
        return tables(" WITHOUT ROWID") + firstCount(month: month) + [
            // A new paper has no tags yet: its counter alone.
            "CREATE TRIGGER finding_counts_insert AFTER INSERT ON findings BEGIN \(countPaper(keyValues("new", month: month), by: "1")); END",
            "CREATE TRIGGER finding_counts_delete AFTER DELETE ON findings BEGIN \(paper("old", "-1")) END",
            "CREATE TRIGGER finding_counts_update AFTER UPDATE OF \(keyColumns.joined(separator: ", ")) ON findings WHEN \(changed) BEGIN "
                + paper("old", "-1") + " " + paper("new", "1") + " END",
            // A tag: its item's counter, and the scheme's row when it is the paper's first (last) of the scheme.
            "CREATE TRIGGER finding_tag_counts_insert AFTER INSERT ON finding_tags BEGIN "
                + "INSERT INTO finding_tag_counts (\(key), scheme_id, entry_code, n) SELECT \(f), new.scheme_id, new.entry_code, 1 FROM findings f WHERE f.id = new.finding_id"
                + addTag + "; "
                + "INSERT INTO finding_tag_counts (\(key), scheme_id, entry_code, n) SELECT \(f), new.scheme_id, '', 1 FROM findings f WHERE f.id = new.finding_id "
                + "AND NOT EXISTS (SELECT 1 FROM finding_tags t WHERE t.finding_id = new.finding_id AND t.scheme_id = new.scheme_id AND t.entry_code <> new.entry_code)"
                + addTag + "; END",
            "CREATE TRIGGER finding_tag_counts_delete AFTER DELETE ON finding_tags BEGIN "
                + "INSERT INTO finding_tag_counts (\(key), scheme_id, entry_code, n) SELECT \(f), old.scheme_id, old.entry_code, -1 FROM findings f WHERE f.id = old.finding_id"
                + addTag + "; "
                + "INSERT INTO finding_tag_counts (\(key), scheme_id, entry_code, n) SELECT \(f), old.scheme_id, '', -1 FROM findings f WHERE f.id = old.finding_id "
                + "AND NOT EXISTS (SELECT 1 FROM finding_tags t WHERE t.finding_id = old.finding_id AND t.scheme_id = old.scheme_id)"
                + addTag + "; END",
            "CREATE TRIGGER finding_tags_replaced_not_updated BEFORE UPDATE ON finding_tags BEGIN SELECT RAISE(ABORT, 'finding_tags rows are deleted and inserted, never updated'); END",
        ]
    }

    static var postgres: [String] {
        let month = postgresMonth
        func paper(_ r: String, _ sign: String) -> String { move(r, by: sign, month: month) }
        let f = keyValues("f", month: month)
        let changed = keyColumns.map { "OLD.\($0) IS DISTINCT FROM NEW.\($0)" }.joined(separator: " OR ")
        return tables("") + firstCount(month: month) + [
            """
            CREATE FUNCTION finding_counts_follow() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    \(countPaper(keyValues("NEW", month: month), by: "1"));
                    RETURN NULL;
                END IF;
                \(paper("OLD", "-1"))
                IF TG_OP <> 'DELETE' THEN \(paper("NEW", "1")) END IF;
                RETURN NULL;
            END $$
            """,
            "CREATE TRIGGER finding_counts_insert_delete AFTER INSERT OR DELETE ON findings FOR EACH ROW EXECUTE FUNCTION finding_counts_follow()",
            "CREATE TRIGGER finding_counts_update AFTER UPDATE ON findings FOR EACH ROW WHEN (\(changed)) EXECUTE FUNCTION finding_counts_follow()",
            // The statement's tags at once: `added`/`gone` are its transition tables; the scheme's row
            // moves for a paper that had none of the scheme before (has none after).
            """
            CREATE FUNCTION finding_tag_counts_added() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO finding_tag_counts (\(key), scheme_id, entry_code, n) SELECT \(f), a.scheme_id, a.entry_code, COUNT(*)
                    FROM added a JOIN findings f ON f.id = a.finding_id GROUP BY \(f), a.scheme_id, a.entry_code\(addTag);
                INSERT INTO finding_tag_counts (\(key), scheme_id, entry_code, n) SELECT \(f), a.scheme_id, '', COUNT(*)
                    FROM (SELECT DISTINCT finding_id, scheme_id FROM added) a JOIN findings f ON f.id = a.finding_id
                    WHERE NOT EXISTS (SELECT 1 FROM finding_tags t WHERE t.finding_id = a.finding_id AND t.scheme_id = a.scheme_id
                        AND NOT EXISTS (SELECT 1 FROM added n WHERE n.finding_id = t.finding_id AND n.scheme_id = t.scheme_id AND n.entry_code = t.entry_code))
                    GROUP BY \(f), a.scheme_id\(addTag);
                RETURN NULL;
            END $$
            """,
            """
            CREATE FUNCTION finding_tag_counts_gone() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO finding_tag_counts (\(key), scheme_id, entry_code, n) SELECT \(f), g.scheme_id, g.entry_code, -COUNT(*)
                    FROM gone g JOIN findings f ON f.id = g.finding_id GROUP BY \(f), g.scheme_id, g.entry_code\(addTag);
                INSERT INTO finding_tag_counts (\(key), scheme_id, entry_code, n) SELECT \(f), g.scheme_id, '', -COUNT(*)
                    FROM (SELECT DISTINCT finding_id, scheme_id FROM gone) g JOIN findings f ON f.id = g.finding_id
                    WHERE NOT EXISTS (SELECT 1 FROM finding_tags t WHERE t.finding_id = g.finding_id AND t.scheme_id = g.scheme_id)
                    GROUP BY \(f), g.scheme_id\(addTag);
                RETURN NULL;
            END $$
            """,
            "CREATE TRIGGER finding_tag_counts_insert AFTER INSERT ON finding_tags REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION finding_tag_counts_added()",
            "CREATE TRIGGER finding_tag_counts_delete AFTER DELETE ON finding_tags REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION finding_tag_counts_gone()",
            """
            CREATE FUNCTION finding_tags_replaced_not_updated() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'finding_tags rows are deleted and inserted, never updated';
            END $$
            """,
            "CREATE TRIGGER finding_tags_replaced_not_updated BEFORE UPDATE ON finding_tags FOR EACH ROW EXECUTE FUNCTION finding_tags_replaced_not_updated()",
        ]
    }
}
