import Foundation
import Logging
import ServiceLifecycle
import XunchaCore
import XunchaStore

/// 审计检查点 inside the server: at start and then at each interval, the audit chain's head signed
/// with the key file `XUNCHA_AUDIT_KEY` names. A key that cannot be read, or that is not the key
/// of the checkpoints already kept, stops the start; a failed run is logged and tried again at the
/// next interval, never stopping the server. With several servers on one database, the one that
/// takes the job's lease signs.
struct AuditCheckpointService: Service {
    let store: Store
    let key: AuditSigningKey
    let interval: Duration
    let logger: Logger

    static func make(store: Store, keyPath: String, interval: Duration, logger: Logger) async throws -> AuditCheckpointService {
        let key = try AuditSigningKey.load(from: keyPath)
        guard try await store.auditKeyMatchesCheckpoints(key.publicKey) else {
            throw DomainError.invalid(
                "audit_key_changed",
                "XUNCHA_AUDIT_KEY=\(keyPath) 的密钥（指纹 \(key.publicKey.fingerprint)）不是此前签署检查点的密钥，服务未启动；若确已更换密钥，请先执行 xuncha audit checkpoint --key \(keyPath) --new-key",
                english: "the audit key is not the one that signed the latest checkpoint")
        }
        return AuditCheckpointService(store: store, key: key, interval: interval, logger: logger)
    }

    func run() async throws {
        while true {
            do {
                // Several servers on one database keep the same interval; one of them signs.
                let signed = try await store.database.withJobLease("audit_checkpoint") {
                    try await store.writeAuditCheckpoint(key: key, madeBy: "server")
                }
                if let checkpoint = signed {
                    logger.info("审计检查点已签署", metadata: ["number": "\(checkpoint.number)", "audit_sequence": "\(checkpoint.sequence)"])
                }
            } catch {
                logger.error("审计检查点签署失败", metadata: ["error": "\(error)"])
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return  // shutting down
            }
        }
    }
}
