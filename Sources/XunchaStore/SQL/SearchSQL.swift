import SQLKit
import XunchaCore

/// Chinese substring search over the text of findings and records (migration 9). The reader's
/// scope is always in the same WHERE; what differs is how the text is matched:
/// - within one committee or one group (a few thousand rows), LIKE over the scoped rows read
///   newest first stops at the page's end, which beats a full-text lookup that would first
///   collect every match in the country for a frequent word;
/// - over a wide scope, FTS5 with the trigram tokenizer on SQLite (three characters or more), and
///   on PostgreSQL the same LIKE served by the pg_trgm GIN index.
public enum SearchSQL {
    /// Above this many rows in the scope, the full-text index is used.
    public static let indexThreshold = 20_000

    static func matches(
        _ text: String, engine: DatabaseEngine, table: String, index: String, columns: [String], scopeIsLarge: Bool
    ) -> SQLQueryString {
        let pattern = ScopeSQL.likeContains(text)
        switch engine {
        case .sqlite where scopeIsLarge && text.count >= 3:
            let phrase = "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            return "\(unsafeRaw: table).rowid IN (SELECT rowid FROM \(unsafeRaw: index) WHERE \(unsafeRaw: index) MATCH \(bind: phrase))"
        case .sqlite:
            var sql: SQLQueryString = "(1 = 0"
            for column in columns { sql += " OR \(unsafeRaw: table).\(unsafeRaw: column) LIKE \(bind: pattern) ESCAPE '!'" }
            return sql + ")"
        case .postgres:
            let joined = columns.map { "\(table).\($0)" }.joined(separator: " || ' ' || ")
            return "(\(unsafeRaw: joined)) LIKE \(bind: pattern) ESCAPE '!'"
        }
    }

    /// ` AND` the match of `text` over `columns` of `table` (`alias` in the query) for a reader with
    /// `scope`: LIKE or the full-text `index`, as the scope's size decides.
    static func condition(
        _ text: String, scope: Scope, table: String, alias: String, index: String, columns: [String], engine: DatabaseEngine, threshold: Int,
        on db: any SQLDatabase
    ) async throws -> SQLQueryString {
        let large = try await scopeIsLarge(scope, table: table, threshold: threshold, on: db)
        return " AND " + matches(text, engine: engine, table: alias, index: index, columns: columns, scopeIsLarge: large)
    }

    /// Whether a scope holds more than `threshold` rows of `table`, counted through the
    /// committee index and stopping at the threshold.
    static func scopeIsLarge(_ scope: Scope, table: String, threshold: Int, on db: any SQLDatabase) async throws -> Bool {
        switch scope {
        case .everything, .subtree:
            return true
        case .jurisdiction(let id):
            let row = try await db.raw(
                "SELECT COUNT(*) AS n FROM (SELECT 1 FROM \(unsafeRaw: table) WHERE jurisdiction_id = \(bind: id.text) LIMIT \(literal: threshold + 1)) AS scoped"
            ).first()
            return try (row?.int("n") ?? 0) > threshold
        case .nothing, .unit, .ownAssignments, .inbox, .ownTasks:
            return false
        }
    }
}
