import Foundation
import Logging
import ServiceLifecycle
import XunchaCore
import XunchaStore

/// 定时备份 inside the server: each day at the configured time a backup into a new folder of the
/// backup directory, the oldest beyond the number to keep removed. A failed run is logged as an
/// error and tried again the next day; it never stops the server. With several servers on one
/// PostgreSQL database, the one that takes the job's lease runs it (`Database.withJobLease`).
struct BackupService: Service {
    let store: Store
    let directory: URL
    let schedule: BackupSchedule
    let logger: Logger
    /// How far behind another server's clock may run and still find this run's lease taken.
    static let clockAllowance: Duration = .seconds(300)

    func run() async throws {
        while true {
            let next = schedule.nextRun(after: store.clock.now())
            let wait = max(0, next.timeIntervalSince(store.clock.now()))
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(wait)) }
            } catch {
                return  // shutting down
            }
            do {
                // Several servers on one database keep the same schedule; one of them takes the backup.
                let taken = try await cancelWhenGracefulShutdown {
                    try await store.database.withJobLease("scheduled_backup", holding: Self.clockAllowance) {
                        try await store.scheduledBackup(into: directory, schedule: schedule)
                    }
                }
                guard let taken else {
                    logger.info("定时备份由同一数据库的另一台服务器执行，本机跳过", metadata: ["directory": "\(directory.path)"])
                    continue
                }
                let (folder, manifest, removed) = taken
                logger.info(
                    "定时备份完成",
                    metadata: [
                        "folder": "\(folder.path)", "audit_sequence": "\(manifest.auditSequence)", "evidence": "\(manifest.evidence.count)",
                        "removed": "\(removed.joined(separator: ","))",
                    ])
            } catch {
                logger.error("定时备份失败", metadata: ["directory": "\(directory.path)", "error": "\(error)"])
            }
        }
    }
}
