import Foundation
import SQLKit
import XunchaCore

/// A column a list may be sorted by: the SQL expression it sorts on (never NULL — coalesce what
/// may be missing) and the same value read back from an item, for the next page's cursor.
package struct SortColumn<Item>: Sendable {
    let key: String
    let expression: SQLQueryString
    let isInteger: Bool
    let usual: XunchaCore.SortOrder
    let value: @Sendable (Item) -> String

    /// A text column (compared as text: names, codes, ISO days).
    package static func text(_ key: String, _ expression: SQLQueryString, usual: XunchaCore.SortOrder = .ascending, _ value: @escaping @Sendable (Item) -> String) -> SortColumn {
        SortColumn(key: key, expression: expression, isInteger: false, usual: usual, value: value)
    }

    /// An integer column (counts, percentages, millisecond times).
    package static func integer(_ key: String, _ expression: SQLQueryString, usual: XunchaCore.SortOrder = .descending, _ value: @escaping @Sendable (Item) -> Int64) -> SortColumn {
        SortColumn(key: key, expression: expression, isInteger: true, usual: usual) { String(value($0)) }
    }

    /// The creation (or another millisecond) time, newest first unless asked otherwise.
    package static func time(_ key: String = "created", _ expression: SQLQueryString, _ time: KeyPath<Item, Date>) -> SortColumn where Item: Sendable {
        nonisolated(unsafe) let path = time
        return integer(key, expression) { $0[keyPath: path].epochMilliseconds }
    }
}

/// How a list sorts: the columns it may be sorted by (a whitelist; anything else is refused),
/// the first being its own order, and the id that breaks ties so every row has one place and
/// keyset pages neither skip nor repeat rows. Sorting is always SQL, never in memory.
package struct ListSorting<Item: Sendable>: Sendable {
    let columns: [SortColumn<Item>]
    let idColumn: String
    let id: @Sendable (Item) -> UUID

    package init(_ columns: [SortColumn<Item>], idColumn: String, id: KeyPath<Item, UUID>) {
        precondition(!columns.isEmpty)
        self.columns = columns
        self.idColumn = idColumn
        nonisolated(unsafe) let path = id
        self.id = { $0[keyPath: path] }
    }

    /// Whether the page asks for an order of its own (otherwise a list may keep a bespoke default).
    static func isAsked(_ page: PageRequest) -> Bool { page.sort != nil || page.order != nil }

    /// The column and direction the page asks for, the list's own when it asks none.
    func resolve(_ page: PageRequest) throws -> (column: SortColumn<Item>, order: XunchaCore.SortOrder) {
        let column: SortColumn<Item>
        if let key = page.sort {
            guard let found = columns.first(where: { $0.key == key }) else {
                throw DomainError.invalid(
                    "unknown_sort", "不能按“\(key)”排序，可选：\(columns.map(\.key).joined(separator: "、"))", english: "unknown sort column", field: "sort")
            }
            column = found
        } else {
            column = columns[0]
        }
        return (column, page.order ?? column.usual)
    }

    /// The cursor's ordering name: a cursor replayed under another order is refused.
    static func cursorOrder(_ column: SortColumn<Item>, _ order: XunchaCore.SortOrder) -> String { "\(column.key)-\(order.rawValue)" }

    /// ` AND` the position after the cursor, then ORDER BY the column and the id, and the limit.
    func tail(_ page: PageRequest) throws -> SQLQueryString {
        let (column, order) = try resolve(page)
        let comparison = order == .ascending ? ">" : "<"
        var sql: SQLQueryString = ""
        if let after = page.after {
            guard after.order == Self.cursorOrder(column, order) else {
                throw DomainError.invalid("invalid_cursor", "分页参数与排序方式不符，请从第一页重新浏览", english: "cursor belongs to another ordering", field: "cursor")
            }
            let key: SQLQueryString
            if column.isInteger {
                guard let number = Int64(after.key) else {
                    throw DomainError.invalid("invalid_cursor", "分页参数无效，请从第一页重新浏览", english: "invalid cursor", field: "cursor")
                }
                key = "\(bind: number)"
            } else {
                key = "\(bind: after.key)"
            }
            // A row value, so both engines seek the index to the cursor rather than filter up to it.
            sql += " AND ((" + column.expression + "), \(unsafeRaw: idColumn)) \(unsafeRaw: comparison) (" + key + ", \(bind: after.id))"
        }
        let direction = order == .ascending ? "ASC" : "DESC"
        sql += " ORDER BY (" + column.expression + ") \(unsafeRaw: direction), \(unsafeRaw: idColumn) \(unsafeRaw: direction) LIMIT \(literal: page.limit + 1)"
        return sql
    }

    /// The page of the rows read with `tail`, its cursor at the last row shown.
    func page(_ rows: [Item], _ page: PageRequest) throws -> Page<Item> {
        let (column, order) = try resolve(page)
        return KeysetSQL.page(rows, page) { Cursor(key: column.value($0), id: id($0).text, order: Self.cursorOrder(column, order)) }
    }
}

extension Database {
    /// One page of `filtered` (a `SELECT … WHERE …`) in the order the page asks for among
    /// `sorting`'s columns, loaded by `load`; `refine` as for `newestFirst`.
    func sorted<Item: Sendable>(
        _ filtered: SQLQueryString, page: PageRequest, sorting: ListSorting<Item>,
        load: @escaping @Sendable (SQLQueryString, any SQLDatabase) async throws -> [Item],
        refine: (@Sendable (any SQLDatabase) async throws -> SQLQueryString)? = nil
    ) async throws -> Page<Item> {
        let tail = try sorting.tail(page)
        let rows = try await read { db in
            let refined = try await refine?(db) ?? ""
            return try await load(filtered + refined + tail, db)
        }
        return try sorting.page(rows, page)
    }
}
