import Foundation
import SQLKit
import XunchaCore

/// The numbering counters (working papers, leads, other documents): one row per key, created at
/// 0 when missing and raised with UPDATE … RETURNING in the caller's transaction, which both
/// engines serialise, so two numbers are never the same and none is reused.
enum CounterRows {
    /// The next number of the counter row in `table` whose key columns hold `keys`.
    static func next(in table: String, keys: [(column: String, value: any Encodable & Sendable)], on db: any SQLDatabase) async throws -> Int {
        let columns = keys.map(\.column).joined(separator: ", ")
        var insert: SQLQueryString = "INSERT INTO \(unsafeRaw: table) (\(unsafeRaw: columns), last_number) VALUES ("
        var match: SQLQueryString = ""
        for (index, key) in keys.enumerated() {
            insert += index == 0 ? "\(bind: key.value)" : ", \(bind: key.value)"
            match += index == 0 ? "" : " AND "
            match += "\(unsafeRaw: key.column) = \(bind: key.value)"
        }
        insert += ", 0) ON CONFLICT (\(unsafeRaw: columns)) DO NOTHING"
        try await db.raw(insert).run()
        guard let row = try await db.raw("UPDATE \(unsafeRaw: table) SET last_number = last_number + 1 WHERE " + match + " RETURNING last_number").first() else {
            throw DomainError(.internalFailure, code: "counter_missing", message: "编号计数失败", english: "counter row missing in \(table)")
        }
        return try row.int("last_number")
    }

    /// Other numbered documents, per committee, series and year.
    static func next(_ series: String, jurisdiction: UUID, year: Int, on db: any SQLDatabase) async throws -> Int {
        try await next(in: "document_counters", keys: [("jurisdiction_id", jurisdiction.text), ("series", series), ("year", year)], on: db)
    }
}
