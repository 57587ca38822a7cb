import Foundation
import Logging
import NIOCore
import SQLKit
import SQLiteKit
import SQLiteNIO

/// SQLKit's face of one SQLite connection, as SQLiteKit's own but for its rows: the store reads
/// text and integers by column name (`SQLRow.string`, `.int64`), and SQLiteKit answers each such
/// read through a generic decoder that first asks the runtime whether the type converts itself —
/// for a page of 25 papers, thousands of conformance look-ups and casts. `SQLiteColumns` converts
/// those two types directly, with SQLiteNIO's own conversions, and hands every other type to
/// SQLiteKit's decoder, so a value reads exactly as before.
struct SQLiteStatements: SQLDatabaseWrapper {
    let connection: SQLiteConnection
    /// SQLiteKit's database over the same connection (its version, dialect and logger).
    let base: any SQLDatabase
    private let encoder = SQLiteDataEncoder()

    init(_ connection: SQLiteConnection) {
        self.connection = connection
        self.base = connection.sql(queryLogLevel: nil)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        let (sql, binds) = serialize(query)
        do {
            let data = try binds.map { try encoder.encode($0) }
            return connection.query(sql, data) { onRow(SQLiteColumns(row: $0)) }
        } catch {
            return eventLoop.makeFailedFuture(error)
        }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        let (sql, binds) = serialize(query)
        try await connection.query(sql, try binds.map { try encoder.encode($0) }) { onRow(SQLiteColumns(row: $0)) }
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }
}

/// One row: `String` and `Int64` converted in place, anything else through SQLiteKit's decoder.
struct SQLiteColumns: SQLRow {
    let row: SQLiteRow
    private static let decoder = SQLiteDataDecoder()

    var allColumns: [String] { row.columns.map(\.name) }

    func contains(column: String) -> Bool { row.column(column) != nil }

    func decodeNil(column: String) throws -> Bool {
        guard let data = row.column(column) else { return true }
        return data == .null
    }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        try Self.decode(row.column(column), of: column, as: D.self)
    }

    /// Column `column`'s value (nil: the row has no such column) as `D`: text and integers
    /// converted in place, anything else decoded as SQLiteKit does.
    static func decode<D: Decodable>(_ data: SQLiteData?, of column: String, as type: D.Type) throws -> D {
        guard let data else {
            throw DecodingError.keyNotFound(
                SQLiteColumnName(stringValue: column), .init(codingPath: [], debugDescription: "no column \(column) in the row"))
        }
        if D.self == String.self, let text = String(sqliteData: data) { return exactly(text, as: D.self) }
        if D.self == Int64.self, let number = Int64(sqliteData: data) { return exactly(number, as: D.self) }
        return try decoder.decode(D.self, from: data)
    }

    /// `value` as `D`, which the caller just found to be its very type.
    private static func exactly<T, D>(_ value: T, as type: D.Type) -> D {
        withUnsafePointer(to: value) { $0.withMemoryRebound(to: D.self, capacity: 1) { $0.pointee } }
    }
}

private struct SQLiteColumnName: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
