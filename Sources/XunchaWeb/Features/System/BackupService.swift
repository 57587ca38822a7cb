import Foundation
import Logging
import ServiceLifecycle
import XunchaCore
import XunchaStore

/// 定时备份 inside the server: each day at the configured time a backup into a new folder of the
/// backup directory, the oldest beyond the number to keep removed. A failed run is logged as an
/// error and tried again the next day; it never stops the server.
struct BackupService: Service {
    let store: Store
    let directory: URL
    let schedule: BackupSchedule
    let logger: Logger

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
                let (folder, manifest, removed) = try await store.scheduledBackup(into: directory, schedule: schedule)
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
