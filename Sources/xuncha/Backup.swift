import ArgumentParser
import Foundation
import Logging
import XunchaStore
import XunchaWeb

/// `xuncha backup --to DIR`: a consistent copy taken while the server runs (SQLite `VACUUM INTO`,
/// PostgreSQL `pg_dump` from one snapshot), the evidence files and `manifest.json`.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "在线备份：数据库的一致性副本、证据材料文件及其摘要清单（服务运行中亦可执行）")
    @OptionGroup var store: StoreOptions
    @Option(help: "备份目录（须为新目录或空目录）") var to: String

    func run() async throws {
        let manifest = try await withStore(store) { store, _ in try await store.backup(to: URL(fileURLWithPath: to), progress: progress) }
        say("备份已写入 \(to)：数据库 \(manifest.database.path)（SHA-256 \(manifest.database.sha256)），\(manifest.evidence.count)个证据材料文件，审计日志至第\(manifest.auditSequence)条。")
    }
}

/// `xuncha restore DIR --database TARGET`: fills an empty database from a backup, then verifies it.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore", abstract: "从备份恢复到空库，并核验各表行数、审计日志哈希链和证据材料摘要；目标已有数据时拒绝")
    @OptionGroup var store: StoreOptions
    @Argument(help: "备份目录（含 manifest.json）") var folder: String

    func run() async throws {
        let config = try loadConfig(store)
        var logger = Logger(label: "xuncha")
        logger.logLevel = config.logLevel
        let manifest = try await reportingFailures {
            try await Store.restore(
                from: URL(fileURLWithPath: folder), into: config.database,
                evidenceDirectory: config.evidenceDirectory.map { URL(fileURLWithPath: $0) }, logger: logger, progress: progress)
        }
        say("已恢复到 \(config.database.redacted) 并核验无误：\(manifest.tables.count)张表，审计日志至第\(manifest.auditSequence)条。")
    }
}

/// Progress on standard error, so standard output keeps the closing lines (backup, restore, archive).
@Sendable func progress(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
