import Foundation
import SQLKit
import XunchaCore

/// The optimistic lock every edit takes: a row changes only while it is still at the version its
/// editor read, and each change moves it on by one; otherwise `stale_version` and nothing is written.
enum VersionedRow {
    /// Sets `sets` (an SQL fragment, empty for a bare bump) on row `id` of `table`, read at `version`.
    /// A row of an archived assignment's records is locked (`archived`).
    static func update(_ table: String, id: UUID, version: Int, set sets: SQLQueryString? = nil, at now: Date, on db: any SQLDatabase) async throws {
        try await ArchiveLock.refuse(table, id, on: db)
        var sql: SQLQueryString = "UPDATE \(unsafeRaw: table) SET "
        if let sets { sql += sets + ", " }
        sql += "updated_at = \(bind: now.epochMilliseconds), version = \(bind: version + 1) WHERE id = \(bind: id.text) AND version = \(bind: version) RETURNING id"
        let changed = try await db.raw(sql).all()
        guard changed.count == 1 else { throw DomainError.staleVersion }
    }
}
