import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import SQLKit
import SQLiteKit

/// What a consistent copy of the database holds, read from the copy itself (SQLite) or within the
/// very snapshot the dump was taken from (PostgreSQL): the rows of each table, the audit chain's
/// head, and the evidence files the copy refers to.
struct SnapshotFacts: Sendable {
    var tables: [String: Int64]
    var migration: Int64
    var auditSequence: Int64
    var auditHash: String
    /// Each evidence file the copy refers to: its SHA-256 (also its name) and size.
    var evidence: [(sha256: String, size: Int64)]

    /// Reads the facts through `db`; `schema` is the prefix naming the copy's tables ("copy." for an
    /// attached SQLite file, "" for PostgreSQL's current schema).
    static func read(_ db: any SQLDatabase, tableNames: [String], schema: String) async throws -> SnapshotFacts {
        var tables: [String: Int64] = [:]
        for name in tableNames {
            tables[name] = try await db.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: schema)\(ident: name)").first()?.decode(column: "n", as: Int64.self) ?? 0
        }
        let migration = try await db.raw("SELECT MAX(version) AS v FROM \(unsafeRaw: schema)schema_migrations").first()?.decode(column: "v", as: Int64?.self) ?? 0
        guard let head = try await db.raw("SELECT seq, hash FROM \(unsafeRaw: schema)audit_head WHERE id = 1").first() else {
            throw DatabaseSetupError(message: "数据库缺少审计日志链头，不是 Xuncha 的数据库")
        }
        let evidence = try await db.raw("SELECT sha256, size FROM \(unsafeRaw: schema)evidence_files ORDER BY sha256").all().map {
            (sha256: try $0.decode(column: "sha256", as: String.self), size: try $0.decode(column: "size", as: Int64.self))
        }
        return SnapshotFacts(
            tables: tables, migration: migration, auditSequence: try head.decode(column: "seq", as: Int64.self),
            auditHash: try head.decode(column: "hash", as: String.self), evidence: evidence)
    }
}

extension SQLiteBackend {
    /// `VACUUM INTO` on a connection of its own: one read transaction, so the copy is the database
    /// as of one moment, with nothing of the WAL lost, while the writer goes on writing. The
    /// readers are `query_only`, which refuses VACUUM INTO, hence the extra connection.
    static func snapshot(of path: String, into file: URL, logger: Logger) async throws -> SnapshotFacts {
        let connection = try await SQLiteConnection.open(
            storage: .file(path: path), threadPool: .singleton, logger: logger, on: MultiThreadedEventLoopGroup.singleton.any()
        ).get()
        do {
            let db = connection.sql(queryLogLevel: nil)
            try await db.raw("PRAGMA busy_timeout = 10000").run()
            try await db.raw("VACUUM INTO \(bind: file.path)").run()
            try await db.raw("ATTACH DATABASE \(bind: file.path) AS copy").run()
            let names = try await db.raw("SELECT name FROM copy.sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite!_%' ESCAPE '!' ORDER BY name")
                .all().map { try $0.decode(column: "name", as: String.self) }
            let facts = try await SnapshotFacts.read(db, tableNames: names, schema: "copy.")
            try await db.raw("DETACH DATABASE copy").run()
            try await connection.close().get()
            return facts
        } catch {
            try? await connection.close().get()
            throw error
        }
    }
}

/// PostgreSQL's own tools, found on the PATH or where Debian installs them.
enum PostgresTools {
    static func path(_ tool: String) -> String? {
        if let override = ProcessInfo.processInfo.environment["XUNCHA_PG_BIN"] {
            return URL(fileURLWithPath: override).appendingPathComponent(tool).path
        }
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        var candidates = path.map { "\($0)/\(tool)" }
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        candidates += versions.sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }.map { "/usr/lib/postgresql/\($0)/bin/\(tool)" }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The URL as libpq reads it: PostgresNIO's `tlsmode` becomes libpq's `sslmode`. Worked on the
    /// text of the query, so that a URL of several hosts (which libpq reads, but `URLComponents`
    /// does not) keeps them.
    static func libpqURL(_ url: String) -> String {
        guard let question = url.firstIndex(of: "?") else { return url }
        let items = url[url.index(after: question)...].split(separator: "&").map { item in
            item.hasPrefix("tlsmode=") ? "sslmode=" + item.dropFirst("tlsmode=".count) : item
        }
        return String(url[..<question]) + (items.isEmpty ? "" : "?" + items.joined(separator: "&"))
    }

    /// Runs `tool` with `arguments` on the blocking-work pool; a failure says what the tool wrote
    /// to standard error.
    static func run(_ tool: String, _ arguments: [String]) async throws {
        guard let executable = path(tool) else {
            throw DatabaseSetupError(message: "找不到 PostgreSQL 的 \(tool)（请安装 postgresql-client，或以 XUNCHA_PG_BIN 指明其目录）")
        }
        try await NIOThreadPool.singleton.runIfActive { try runBlocking(executable: executable, tool: tool, arguments) }
    }

    private static func runBlocking(executable: String, tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let said = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw DatabaseSetupError(message: "\(tool) 失败（退出码\(process.terminationStatus)）：\(String(decoding: said, as: UTF8.self))")
        }
    }
}

extension PostgresBackend {
    /// `pg_dump` in the custom format from a snapshot exported by a REPEATABLE READ transaction that
    /// also reads the facts, so the counts and the dump are of the same moment.
    func snapshot(url: String, into file: URL) async throws -> SnapshotFacts {
        try await read { db in
            try await db.raw("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").run()
            do {
                guard let snapshot = try await db.raw("SELECT pg_export_snapshot() AS s").first()?.decode(column: "s", as: String.self) else {
                    throw DatabaseSetupError(message: "PostgreSQL 未能导出快照")
                }
                let names = try await db.raw("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename").all()
                    .map { try $0.decode(column: "tablename", as: String.self) }
                let facts = try await SnapshotFacts.read(db, tableNames: names, schema: "")
                try await PostgresTools.run(
                    "pg_dump",
                    ["--format=custom", "--no-owner", "--no-privileges", "--snapshot=\(snapshot)", "--file=\(file.path)", "--dbname=\(PostgresTools.libpqURL(url))"])
                try await db.raw("COMMIT").run()
                return facts
            } catch {
                try? await db.raw("ROLLBACK").run()
                throw error
            }
        }
    }
}
