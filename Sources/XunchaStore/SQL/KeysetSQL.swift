import Foundation
import SQLKit
import XunchaCore

/// Keyset paging newest first (by a millisecond column, then id), shared by the lists of
/// assignments, notices and fieldwork.
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
}
