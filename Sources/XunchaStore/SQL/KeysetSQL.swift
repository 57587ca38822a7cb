import Foundation
import SQLKit
import XunchaCore

/// Keyset paging newest first (by a millisecond column, then id), shared by the record lists.
enum KeysetSQL {
    static let newestFirstOrder = "created-desc"

    static func newestFirst(_ page: PageRequest, column: String, idColumn: String) throws -> SQLQueryString {
        var sql: SQLQueryString = ""
        if let after = page.after {
            guard after.order == newestFirstOrder, let key = Int64(after.key) else {
                throw DomainError.invalid("invalid_cursor", "分页参数无效，请从第一页重新浏览", english: "invalid cursor", field: "cursor")
            }
            sql += " AND (\(unsafeRaw: column) < \(bind: key) OR (\(unsafeRaw: column) = \(bind: key) AND \(unsafeRaw: idColumn) < \(bind: after.id)))"
        }
        sql += " ORDER BY \(unsafeRaw: column) DESC, \(unsafeRaw: idColumn) DESC LIMIT \(literal: page.limit + 1)"
        return sql
    }

    static func page<Item>(_ rows: [Item], _ page: PageRequest, cursor: (Item) -> Cursor) -> Page<Item> {
        let items = Array(rows.prefix(page.limit))
        return Page(items: items, nextCursor: rows.count > page.limit ? items.last.map { cursor($0).token } : nil)
    }

    /// The cursor of an item listed newest first: its time and id.
    static func newestFirstCursor(at time: Date, id: UUID) -> Cursor {
        Cursor(key: String(time.epochMilliseconds), id: id.text, order: newestFirstOrder)
    }
}

extension Database {
    /// One page of `filtered` (a `SELECT … WHERE …`) newest first by `alias.column`, then by
    /// `alias.id`, loaded by `load`; `time` reads the same column back from an item for its cursor.
    /// The page may ask for another order: oldest first, or one of `sortable`'s columns.
    /// `refine` adds conditions that need the connection (a search that first sizes the scope).
    func newestFirst<Item: Sendable>(
        _ filtered: SQLQueryString, page: PageRequest, alias: String, column: String = "created_at", time: KeyPath<Item, Date>, id: KeyPath<Item, UUID>,
        sortable: [SortColumn<Item>] = [],
        load: @escaping @Sendable (SQLQueryString, any SQLDatabase) async throws -> [Item],
        refine: (@Sendable (any SQLDatabase) async throws -> SQLQueryString)? = nil
    ) async throws -> Page<Item> {
        let sorting = ListSorting([.time("created", SQLQueryString("\(alias).\(column)"), time)] + sortable, idColumn: "\(alias).id", id: id)
        return try await sorted(filtered, page: page, sorting: sorting, load: load, refine: refine)
    }

    /// The same, each row decoded on its own.
    func newestFirst<Item: Sendable>(
        _ filtered: SQLQueryString, page: PageRequest, alias: String, column: String = "created_at", time: KeyPath<Item, Date>, id: KeyPath<Item, UUID>,
        sortable: [SortColumn<Item>] = [], decode: @escaping @Sendable (any SQLRow) throws -> Item
    ) async throws -> Page<Item> {
        try await newestFirst(filtered, page: page, alias: alias, column: column, time: time, id: id, sortable: sortable) { sql, db in
            try await db.raw(sql).all().map(decode)
        }
    }
}
