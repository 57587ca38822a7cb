/// Counters of working papers and their classification tags that the database keeps itself, in
/// the transaction of every write, whatever path writes (the API, the ledger import, the
/// generators). One description per pair of counter tables: their key and the values a paper's
/// row gives it; from it the tables, the first count and the triggers of both engines. SQLite's
/// triggers run a statement list per row; PostgreSQL's call functions, its tag triggers once per
/// statement over the rows it changed (a row trigger there sees all of a statement's deletions at
/// once and would miscount 未分类). The released migrations' SQL is pinned, so a change here that
/// alters theirs fails `releasedMigrationsAreNeverEdited`.
struct PaperCounters: EngineStatements {
    /// The papers' counter table, and the tags' (with `scheme_id` and `entry_code`; the row with
    /// item '' counts the papers carrying any item of the scheme).
    let papers: String
    let tags: String
    /// The papers' counter key, and the tags' in its index's order.
    let key: String
    let tagKey: String
    /// The key's column definitions, each followed by a comma.
    let columns: String
    /// The key's values read from a paper's row `r`, given the engine's month of a moment.
    let values: @Sendable (_ r: String, _ month: (String) -> String) -> String
    /// A paper's columns whose change moves it (and its tags) from one counter to another.
    let keyColumns: [String]
    /// Whether these triggers also refuse an update of a tag row (once is enough).
    var refusesTagUpdates = false

    /// The month a moment (epoch milliseconds) falls in, in Asia/Shanghai, as yyyymm.
    static func sqliteMonth(_ millis: String) -> String {
        "CAST(strftime('%Y%m', (\(millis) + 28800000) / 1000, 'unixepoch') AS INTEGER)"
    }

    static func postgresMonth(_ millis: String) -> String {
        "CAST(to_char(to_timestamp((\(millis) + 28800000) / 1000) AT TIME ZONE 'UTC', 'YYYYMM') AS BIGINT)"
    }

    /// The two tables; on SQLite `WITHOUT ROWID`, so a count is read from its key's B-tree alone.
    func tables(_ options: String) -> [String] {
        [
            "CREATE TABLE \(papers) (\(columns) n BIGINT NOT NULL, PRIMARY KEY (\(key)))\(options)",
            "CREATE TABLE \(tags) (\(columns) scheme_id TEXT NOT NULL, entry_code TEXT NOT NULL, n BIGINT NOT NULL, PRIMARY KEY (\(tagKey)))\(options)",
        ]
    }

    var addPaper: String { " ON CONFLICT (\(key)) DO UPDATE SET n = \(papers).n + excluded.n" }
    var addTag: String { " ON CONFLICT (\(tagKey)) DO UPDATE SET n = \(tags).n + excluded.n" }
    /// The tag counter's columns as an INSERT names them.
    var tagColumns: String { "\(tags) (\(key), scheme_id, entry_code, n)" }

    /// The rows already there, counted once (both engines, with their month).
    func firstCount(month: (String) -> String) -> [String] {
        let f = values("f", month)
        return [
            "INSERT INTO \(papers) (\(key), n) SELECT \(f), COUNT(*) FROM findings f GROUP BY \(f)",
            "INSERT INTO \(tagColumns) SELECT \(f), t.scheme_id, t.entry_code, COUNT(*) FROM finding_tags t "
                + "JOIN findings f ON f.id = t.finding_id GROUP BY \(f), t.scheme_id, t.entry_code",
            "INSERT INTO \(tagColumns) SELECT \(f), t.scheme_id, '', COUNT(*) FROM "
                + "(SELECT DISTINCT finding_id, scheme_id FROM finding_tags) t JOIN findings f ON f.id = t.finding_id GROUP BY \(f), t.scheme_id",
        ]
    }

    /// The statement adding `sign` to the counter of the paper whose key is `values`.
    func countPaper(_ values: String, by sign: String) -> String {
        "INSERT INTO \(papers) (\(key), n) VALUES (\(values), \(sign))" + addPaper
    }

    /// The statements moving a paper's row `r` (old or new) and its tags by `sign` (`WHERE true`
    /// keeps SQLite from reading ON CONFLICT as a join's ON).
    func move(_ r: String, by sign: String, month: (String) -> String) -> String {
        let values = values(r, month)
        return countPaper(values, by: sign) + "; "
            + "INSERT INTO \(tagColumns) SELECT \(values), t.scheme_id, t.entry_code, \(sign) "
            + "FROM finding_tags t WHERE t.finding_id = \(r).id" + addTag + "; "
            + "INSERT INTO \(tagColumns) SELECT \(values), t.scheme_id, '', \(sign) "
            + "FROM (SELECT DISTINCT scheme_id FROM finding_tags WHERE finding_id = \(r).id) t WHERE true" + addTag + ";"
    }

    var sqlite: [String] {
        let month = Self.sqliteMonth
        func paper(_ r: String, _ sign: String) -> String { move(r, by: sign, month: month) }
        let f = values("f", month)
        let changed = keyColumns.map { "old.\($0) IS NOT new.\($0)" }.joined(separator: " OR ")
        let refusal = [
            "CREATE TRIGGER finding_tags_replaced_not_updated BEFORE UPDATE ON finding_tags BEGIN SELECT RAISE(ABORT, 'finding_tags rows are deleted and inserted, never updated'); END"
        ]
        return tables(" WITHOUT ROWID") + firstCount(month: month) + [
            // A new paper has no tags yet: its counter alone.
            "CREATE TRIGGER \(papers)_insert AFTER INSERT ON findings BEGIN \(countPaper(values("new", month), by: "1")); END",
            "CREATE TRIGGER \(papers)_delete AFTER DELETE ON findings BEGIN \(paper("old", "-1")) END",
            "CREATE TRIGGER \(papers)_update AFTER UPDATE OF \(keyColumns.joined(separator: ", ")) ON findings WHEN \(changed) BEGIN "
                + paper("old", "-1") + " " + paper("new", "1") + " END",
            // A tag: its item's counter, and the scheme's row when it is the paper's first (last) of the scheme.
            "CREATE TRIGGER \(tags)_insert AFTER INSERT ON finding_tags BEGIN "
                + "INSERT INTO \(tagColumns) SELECT \(f), new.scheme_id, new.entry_code, 1 FROM findings f WHERE f.id = new.finding_id"
                + addTag + "; "
                + "INSERT INTO \(tagColumns) SELECT \(f), new.scheme_id, '', 1 FROM findings f WHERE f.id = new.finding_id "
                + "AND NOT EXISTS (SELECT 1 FROM finding_tags t WHERE t.finding_id = new.finding_id AND t.scheme_id = new.scheme_id AND t.entry_code <> new.entry_code)"
                + addTag + "; END",
            "CREATE TRIGGER \(tags)_delete AFTER DELETE ON finding_tags BEGIN "
                + "INSERT INTO \(tagColumns) SELECT \(f), old.scheme_id, old.entry_code, -1 FROM findings f WHERE f.id = old.finding_id"
                + addTag + "; "
                + "INSERT INTO \(tagColumns) SELECT \(f), old.scheme_id, '', -1 FROM findings f WHERE f.id = old.finding_id "
                + "AND NOT EXISTS (SELECT 1 FROM finding_tags t WHERE t.finding_id = old.finding_id AND t.scheme_id = old.scheme_id)"
                + addTag + "; END",
        ] + (refusesTagUpdates ? refusal : [])
    }

    var postgres: [String] {
        let month = Self.postgresMonth
        func paper(_ r: String, _ sign: String) -> String { move(r, by: sign, month: month) }
        let f = values("f", month)
        let changed = keyColumns.map { "OLD.\($0) IS DISTINCT FROM NEW.\($0)" }.joined(separator: " OR ")
        let refusal = [
            """
            CREATE FUNCTION finding_tags_replaced_not_updated() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'finding_tags rows are deleted and inserted, never updated';
            END $$
            """,
            "CREATE TRIGGER finding_tags_replaced_not_updated BEFORE UPDATE ON finding_tags FOR EACH ROW EXECUTE FUNCTION finding_tags_replaced_not_updated()",
        ]
        return tables("") + firstCount(month: month) + [
            """
            CREATE FUNCTION \(papers)_follow() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    \(countPaper(values("NEW", month), by: "1"));
                    RETURN NULL;
                END IF;
                \(paper("OLD", "-1"))
                IF TG_OP <> 'DELETE' THEN \(paper("NEW", "1")) END IF;
                RETURN NULL;
            END $$
            """,
            "CREATE TRIGGER \(papers)_insert_delete AFTER INSERT OR DELETE ON findings FOR EACH ROW EXECUTE FUNCTION \(papers)_follow()",
            "CREATE TRIGGER \(papers)_update AFTER UPDATE ON findings FOR EACH ROW WHEN (\(changed)) EXECUTE FUNCTION \(papers)_follow()",
            // The statement's tags at once: `added`/`gone` are its transition tables; the scheme's row
            // moves for a paper that had none of the scheme before (has none after).
            """
            CREATE FUNCTION \(tags)_added() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO \(tagColumns) SELECT \(f), a.scheme_id, a.entry_code, COUNT(*)
                    FROM added a JOIN findings f ON f.id = a.finding_id GROUP BY \(f), a.scheme_id, a.entry_code\(addTag);
                INSERT INTO \(tagColumns) SELECT \(f), a.scheme_id, '', COUNT(*)
                    FROM (SELECT DISTINCT finding_id, scheme_id FROM added) a JOIN findings f ON f.id = a.finding_id
                    WHERE NOT EXISTS (SELECT 1 FROM finding_tags t WHERE t.finding_id = a.finding_id AND t.scheme_id = a.scheme_id
                        AND NOT EXISTS (SELECT 1 FROM added n WHERE n.finding_id = t.finding_id AND n.scheme_id = t.scheme_id AND n.entry_code = t.entry_code))
                    GROUP BY \(f), a.scheme_id\(addTag);
                RETURN NULL;
            END $$
            """,
            """
            CREATE FUNCTION \(tags)_gone() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO \(tagColumns) SELECT \(f), g.scheme_id, g.entry_code, -COUNT(*)
                    FROM gone g JOIN findings f ON f.id = g.finding_id GROUP BY \(f), g.scheme_id, g.entry_code\(addTag);
                INSERT INTO \(tagColumns) SELECT \(f), g.scheme_id, '', -COUNT(*)
                    FROM (SELECT DISTINCT finding_id, scheme_id FROM gone) g JOIN findings f ON f.id = g.finding_id
                    WHERE NOT EXISTS (SELECT 1 FROM finding_tags t WHERE t.finding_id = g.finding_id AND t.scheme_id = g.scheme_id)
                    GROUP BY \(f), g.scheme_id\(addTag);
                RETURN NULL;
            END $$
            """,
            "CREATE TRIGGER \(tags)_insert AFTER INSERT ON finding_tags REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION \(tags)_added()",
            "CREATE TRIGGER \(tags)_delete AFTER DELETE ON finding_tags REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION \(tags)_gone()",
        ] + (refusesTagUpdates ? refusal : [])
    }
}
