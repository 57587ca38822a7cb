import Foundation
import SQLKit
import XunchaCore

/// The reads every feature's rows make the same way: one record or 404, the child rows of a page
/// of records in one more statement, and stored days.
extension SQLDatabase {
    /// The one record `sql` selects; none reads as not found (a record outside the reader's scope
    /// is not confirmed to exist).
    func one<Item>(_ sql: SQLQueryString, _ decode: (any SQLRow) throws -> Item) async throws -> Item {
        guard let row = try await raw(sql).first() else { throw DomainError.notFound }
        return try decode(row)
    }

    /// The rows of `sql` decoded and grouped by the parent id in `column`, each group in the order
    /// read: the tags, members or problems of a page of records read in one statement.
    func grouped<Child>(_ sql: SQLQueryString, by column: String, _ decode: (any SQLRow) throws -> Child) async throws -> [UUID: [Child]] {
        var groups: [UUID: [Child]] = [:]
        for row in try await raw(sql).all() {
            groups[try row.uuid(column), default: []].append(try decode(row))
        }
        return groups
    }
}

extension SQLRow {
    /// A stored `yyyy-MM-dd` day; `label` names it should the stored text be damaged.
    package func day(_ column: String, label: String) throws -> CalendarDay {
        try CalendarDay(text: try string(column), field: column, label: label)
    }

    package func optionalDay(_ column: String, label: String) throws -> CalendarDay? {
        try optionalString(column).map { try CalendarDay(text: $0, field: column, label: label) }
    }
}
