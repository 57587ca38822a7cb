import Foundation
import Logging
import SQLKit
import XunchaCore

/// Applies pending migrations, each in its own transaction, recording them in `schema_migrations`.
public struct Migrator: Sendable {
    let database: Database
    let migrations: [Migration]
    let logger: Logger

    public init(database: Database, migrations: [Migration] = Migrations.all, logger: Logger) {
        self.database = database
        self.migrations = migrations
        self.logger = logger
    }

    /// Versions already applied.
    public func appliedVersions() async throws -> [Int] {
        try await ensureLedger()
        return try await database.read { db in
            try await db.raw("SELECT version FROM schema_migrations ORDER BY version").all().map {
                try $0.decode(column: "version", as: Int.self)
            }
        }
    }

    /// Applies every pending migration in order. A failing migration is rolled back whole and
    /// stops the run with a message naming it; earlier ones stay applied.
    @discardableResult
    public func migrate(now: Date = Date()) async throws -> [Migration] {
        try await ensureLedger()
        let applied = Set(try await appliedVersions())
        // A database migrated by a newer release has tables this binary does not know; writing
        // to it could corrupt them.
        if let newest = applied.max(), let known = migrations.map(\.version).max(), newest > known {
            throw MigrationError(version: newest, name: "未知迁移", underlying: "数据库已由更新版本的 Xuncha 迁移（第\(newest)号），请使用相同或更新的版本")
        }
        var done: [Migration] = []
        let engine = database.engine
        for migration in migrations.sorted(by: { $0.version < $1.version }) where !applied.contains(migration.version) {
            do {
                let applied = try await database.transaction { db -> Bool in
                    if engine == .postgres {
                        // Two servers starting at once must not both migrate: the second waits
                        // here, then finds the migration applied by the first and skips it.
                        try await Self.lock(on: db)
                        let already = try await db.raw("SELECT 1 AS one FROM schema_migrations WHERE version = \(bind: migration.version)").first()
                        if already != nil { return false }
                    }
                    for statement in migration.sql(for: engine) {
                        try await db.raw(SQLQueryString(statement)).run()
                    }
                    try await db.raw(
                        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (\(bind: migration.version), \(bind: migration.name), \(bind: now.epochMilliseconds))"
                    ).run()
                    return true
                }
                guard applied else { continue }
            } catch {
                throw MigrationError(version: migration.version, name: migration.name, underlying: String(describing: error))
            }
            logger.info("applied migration \(migration.version): \(migration.name)")
            done.append(migration)
        }
        return done
    }

    private func ensureLedger() async throws {
        let engine = database.engine
        try await database.transaction { db in
            // PostgreSQL's IF NOT EXISTS does not hold against a concurrent CREATE (the second
            // fails on the catalogue's unique index), so two servers starting at once take turns.
            if engine == .postgres { try await Self.lock(on: db) }
            try await db.raw(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)"
            ).run()
        }
    }
}

extension Migrator {
    /// The migrations' own advisory lock, held to the end of the transaction.
    static func lock(on db: any SQLDatabase) async throws {
        try await db.raw("SELECT pg_advisory_xact_lock(7264001)").run()
    }
}

/// A migration that failed; nothing of it was applied.
public struct MigrationError: Error, CustomStringConvertible {
    public var version: Int
    public var name: String
    public var underlying: String

    public var description: String {
        "数据库迁移 \(version)（\(name)）失败，已整体回滚，服务未启动：\(underlying)"
    }
}
