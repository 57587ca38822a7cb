import Crypto
import Foundation
import Logging
import XunchaCore

/// 备份清单: what a backup folder holds and how to know it is whole — the database copy and every
/// evidence file with their SHA-256 digests and sizes, the rows of each table and the audit chain's
/// head as of the moment the copy was taken. `manifest.json` beside them.
public struct BackupManifest: Codable, Sendable, Equatable {
    public struct File: Codable, Sendable, Equatable {
        /// The path inside the backup folder.
        public var path: String
        public var sha256: String
        public var bytes: Int64
    }

    public static let fileName = "manifest.json"
    public static let currentFormat = 1

    public var format: Int
    public var createdAt: Date
    public var engine: DatabaseEngine
    /// The last migration the database had; a restore into an older binary is refused by the migrator.
    public var migration: Int64
    public var database: File
    public var tables: [String: Int64]
    public var auditSequence: Int64
    public var auditHash: String
    public var evidence: [File]

    enum CodingKeys: String, CodingKey {
        case format, engine, migration, database, tables, evidence
        case createdAt = "created_at"
        case auditSequence = "audit_sequence"
        case auditHash = "audit_hash"
    }

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    public static func read(from folder: URL) throws -> BackupManifest {
        let url = folder.appendingPathComponent(fileName)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw BackupError("备份目录中没有 \(fileName)：\(folder.path)")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            let manifest = try decoder.decode(BackupManifest.self, from: data)
            guard manifest.format == currentFormat else { throw BackupError("备份清单格式 \(manifest.format) 不受支持（本程序为 \(currentFormat)）") }
            return manifest
        } catch let error as BackupError {
            throw error
        } catch {
            throw BackupError("备份清单无法读取：\(error)")
        }
    }

    /// Every file of the backup, the database first.
    public var files: [File] { [database] + evidence }

    /// Checks every file against its digest and size; the first that is missing or altered is named.
    public func verifyFiles(in folder: URL) throws {
        for file in files {
            let url = folder.appendingPathComponent(file.path)
            guard FileManager.default.fileExists(atPath: url.path) else { throw BackupError("备份缺少文件：\(file.path)") }
            let (digest, bytes) = try FileDigest.of(url)
            guard digest == file.sha256, bytes == file.bytes else { throw BackupError("备份文件已被改动或损坏：\(file.path)") }
        }
    }
}

/// A backup or restore that cannot go on, said plainly for the console; nothing was written.
public struct BackupError: Error, CustomStringConvertible, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

enum FileDigest {
    /// SHA-256 and size of a file, read in 1 MiB pieces.
    static func of(_ url: URL) throws -> (String, Int64) {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hash = SHA256()
        var bytes: Int64 = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hash.update(data: chunk)
            bytes += Int64(chunk.count)
        }
        return (hash.finalize().hexadecimal, bytes)
    }
}

extension Store {
    /// 备份: a consistent copy of the database taken while the server goes on writing, the evidence
    /// files it refers to, and the manifest, into `folder` (which must be new or empty). `progress`
    /// hears each step. Returns the manifest written.
    public func backup(to folder: URL, progress: @Sendable (String) -> Void = { _ in }) async throws -> BackupManifest {
        let files = FileManager.default
        if files.fileExists(atPath: folder.path), !((try? files.contentsOfDirectory(atPath: folder.path)) ?? []).isEmpty {
            throw BackupError("备份目录不为空，不会覆盖已有文件：\(folder.path)")
        }
        try files.createDirectory(at: folder, withIntermediateDirectories: true)
        do {
            return try await writeBackup(to: folder, progress: progress)
        } catch {
            // The folder was empty: what is in it now is this backup's, unfinished.
            for name in (try? files.contentsOfDirectory(atPath: folder.path)) ?? [] { try? files.removeItem(at: folder.appendingPathComponent(name)) }
            throw error
        }
    }

    private func writeBackup(to folder: URL, progress: @Sendable (String) -> Void) async throws -> BackupManifest {
        let files = FileManager.default
        let databaseName = database.engine == .sqlite ? "database.sqlite" : "database.pgdump"
        let databaseURL = folder.appendingPathComponent(databaseName)
        progress("正在复制数据库（\(database.engine == .sqlite ? "SQLite VACUUM INTO" : "pg_dump")）…")
        let facts = try await database.snapshot(into: databaseURL)
        let (databaseDigest, databaseBytes) = try FileDigest.of(databaseURL)

        progress("正在复制证据材料文件（\(facts.evidence.count)个）…")
        var evidence: [BackupManifest.File] = []
        for (index, file) in facts.evidence.enumerated() {
            let source = evidencePath(file.sha256)
            let path = "evidence/" + Self.evidenceFile(file.sha256)
            let target = folder.appendingPathComponent(path)
            try files.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            guard files.fileExists(atPath: source.path) else {
                throw BackupError("证据材料文件缺失：\(source.path)（数据库登记了它，磁盘上却没有）")
            }
            try files.copyItem(at: source, to: target)
            let (digest, bytes) = try FileDigest.of(target)
            guard digest == file.sha256 else { throw BackupError("证据材料文件与其摘要不符：\(source.path)") }
            evidence.append(.init(path: path, sha256: digest, bytes: bytes))
            if (index + 1) % 500 == 0 { progress("已复制 \(index + 1)/\(facts.evidence.count) 个证据材料文件") }
        }
        let manifest = BackupManifest(
            format: BackupManifest.currentFormat, createdAt: clock.now(), engine: database.engine, migration: facts.migration,
            database: .init(path: databaseName, sha256: databaseDigest, bytes: databaseBytes), tables: facts.tables,
            auditSequence: facts.auditSequence, auditHash: facts.auditHash, evidence: evidence)
        // The manifest last: a folder without one is a backup that did not finish.
        try BackupManifest.encoder().encode(manifest).write(to: folder.appendingPathComponent(BackupManifest.fileName), options: .atomic)
        progress("备份完成：\(facts.tables.values.reduce(0, +))行数据，\(evidence.count)个证据材料文件，审计日志至第\(facts.auditSequence)条。")
        return manifest
    }

    /// 定时备份: a backup into a new folder of `root` named for this moment, then the oldest
    /// finished ones beyond the schedule's `keep` removed. A backup that fails leaves no folder.
    public func scheduledBackup(into root: URL, schedule: BackupSchedule) async throws -> (folder: URL, manifest: BackupManifest, removed: [String]) {
        let files = FileManager.default
        let folder = root.appendingPathComponent(BackupSchedule.folderName(at: clock.now()))
        guard !files.fileExists(atPath: folder.path) else { throw BackupError("备份目录已存在：\(folder.path)") }
        let manifest: BackupManifest
        do {
            manifest = try await backup(to: folder)
        } catch {
            try? files.removeItem(at: folder)
            throw error
        }
        let finished = try files.contentsOfDirectory(atPath: root.path).filter {
            files.fileExists(atPath: root.appendingPathComponent($0).appendingPathComponent(BackupManifest.fileName).path)
        }
        let removed = schedule.toRemove(finished: finished)
        for name in removed { try files.removeItem(at: root.appendingPathComponent(name)) }
        return (folder, manifest, removed)
    }

    /// 恢复: fills an empty database at `location` (and `evidenceDirectory`) from the backup in
    /// `folder`, then checks what it restored: every table's rows, the audit chain whole up to the
    /// head the backup recorded, every evidence file's digest. Every file of the backup is checked
    /// before anything is written; a target that holds data is refused.
    public static func restore(
        from folder: URL, into location: DatabaseLocation, evidenceDirectory: URL? = nil, clock: any Clock = SystemClock(), logger: Logger,
        progress: @Sendable (String) -> Void = { _ in }
    ) async throws -> BackupManifest {
        let manifest = try BackupManifest.read(from: folder)
        progress("正在核对备份文件的摘要（\(manifest.files.count)个）…")
        try manifest.verifyFiles(in: folder)
        let files = FileManager.default
        let source = folder.appendingPathComponent(manifest.database.path)
        switch (manifest.engine, location) {
        case (.sqlite, .sqliteFile(let path)):
            if files.fileExists(atPath: path), (try files.attributesOfItem(atPath: path)[.size] as? Int64 ?? 0) > 0 {
                throw BackupError("目标数据库文件已存在，不会覆盖：\(path)")
            }
            try files.createDirectory(at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
            progress("正在写入数据库文件 \(path) …")
            let partial = URL(fileURLWithPath: path + ".restoring")
            try? files.removeItem(at: partial)
            try files.copyItem(at: source, to: partial)
            try files.moveItem(at: partial, to: URL(fileURLWithPath: path))
        case (.postgres, .postgres(let url)):
            let target = try await Database.open(location, readers: 1, logger: logger)
            let tables = try await target.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM pg_tables WHERE schemaname = current_schema()").first()?.decode(column: "n", as: Int64.self) ?? 0
            }
            await target.close()
            guard tables == 0 else { throw BackupError("目标数据库不是空库（已有\(tables)张表），不会覆盖：\(location.redacted)") }
            progress("正在以 pg_restore 写入 \(location.redacted) …")
            try await PostgresTools.run(
                "pg_restore", ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", "--dbname=\(PostgresTools.libpqURL(url))", source.path])
        default:
            throw BackupError("这份备份来自 \(manifest.engine == .sqlite ? "SQLite" : "PostgreSQL")，只能恢复到同类数据库")
        }

        let evidence = evidenceDirectory ?? defaultEvidenceDirectory(for: location)
        progress("正在写入证据材料文件（\(manifest.evidence.count)个）到 \(evidence.path) …")
        for file in manifest.evidence {
            let target = evidence.appendingPathComponent(Self.evidenceFile(file.sha256))
            try files.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            if !files.fileExists(atPath: target.path) { try files.copyItem(at: folder.appendingPathComponent(file.path), to: target) }
        }

        progress("正在核验恢复结果…")
        do {
            let store = try await Store.open(location, clock: clock, evidenceDirectory: evidence, logger: logger)
            do {
                try await store.verifyRestored(manifest)
            } catch {
                await store.close()
                throw error
            }
            await store.close()
        } catch {
            // A restore that does not verify is not left behind as if it were one.
            if case .sqliteFile(let path) = location {
                for suffix in ["", "-wal", "-shm"] { try? files.removeItem(atPath: path + suffix) }
                throw BackupError("\(error)；已删除未通过核验的 \(path)")
            }
            throw BackupError("\(error)；目标库 \(location.redacted) 中已写入的数据未通过核验，请清空后重试")
        }
        progress("恢复完成并已核验：各表行数一致，审计日志至第\(manifest.auditSequence)条完整，\(manifest.evidence.count)个证据材料文件摘要一致。")
        return manifest
    }

    /// Evidence files live beside a SQLite file, or in `./data/evidence`.
    static func defaultEvidenceDirectory(for location: DatabaseLocation) -> URL {
        if case .sqliteFile(let path) = location { return URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("evidence") }
        return URL(fileURLWithPath: "./data/evidence")
    }

    /// The restored database holds what the manifest says: the same rows in every table, an audit
    /// chain that verifies and ends where the backup's did, and every evidence file whole.
    func verifyRestored(_ manifest: BackupManifest) async throws {
        for (table, expected) in manifest.tables.sorted(by: { $0.key < $1.key }) {
            let found = try await database.readAtLength { db in
                try await db.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()?.decode(column: "n", as: Int64.self) ?? -1
            }
            guard found == expected else { throw BackupError("恢复后表 \(table) 有\(found)行，备份时为\(expected)行") }
        }
        switch try await audit.verify(database: database) {
        case .intact:
            break
        case .broken(let sequence, let reason):
            throw BackupError("恢复后的审计日志在第\(sequence)条处断裂：\(reason)")
        }
        let head = try await database.read { db in try await db.raw("SELECT seq, hash FROM audit_head WHERE id = 1").first() }
        guard let head, try head.decode(column: "seq", as: Int64.self) == manifest.auditSequence,
            try head.decode(column: "hash", as: String.self) == manifest.auditHash
        else { throw BackupError("恢复后的审计日志链头与备份清单不符") }
        for file in manifest.evidence {
            let url = evidencePath(file.sha256)
            guard FileManager.default.fileExists(atPath: url.path), try FileDigest.of(url).0 == file.sha256 else {
                throw BackupError("恢复后的证据材料文件缺失或与摘要不符：\(file.sha256)")
            }
        }
    }
}
