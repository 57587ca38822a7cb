import Foundation
import SQLKit
import XunchaCore

/// What `xuncha audit verify` found: the chain's own walk, the signed checkpoints it was held
/// against, and (deep) the business rows against their latest entries. Reading it wrote nothing.
public struct AuditChainReport: Sendable, Equatable {
    public var chain: AuditVerification
    /// Checkpoints whose signature held and whose head the chain still has.
    public var checkpointsHeld = 0
    /// The latest checkpoint that held: the chain is vouched for up to its sequence.
    public var latestCheckpoint: AuditCheckpoint?
    /// Business rows compared with their latest entry's digest (`deep`).
    public var rowsChecked = 0
    /// Business rows no entry's digest covers yet (written before row digests were kept).
    public var rowsWithoutDigest = 0
    /// Each thing that does not hold, in words: a bad signature, a truncated or rewritten chain,
    /// a row changed without its entry.
    public var problems: [String] = []

    public var isIntact: Bool {
        if case .intact = chain { return problems.isEmpty }
        return false
    }
}

extension Store {
    /// Signs the chain's head with `key` and keeps the checkpoint. A key other than the one that
    /// signed the latest checkpoint is refused (a wrong key file) unless `newKey` says the key
    /// was replaced on purpose; nothing is written then.
    @discardableResult
    public func writeAuditCheckpoint(key: AuditSigningKey, madeBy: String, newKey: Bool = false) async throws -> AuditCheckpoint {
        let now = clock.now()
        return try await database.transaction { db in
            // Servers sharing a PostgreSQL database (and the console) number checkpoints one at a time.
            try await SerialisedSQL.lock("audit_checkpoints", on: db)
            if !newKey, let latest = try await Self.latestCheckpointKey(on: db), latest != key.publicKey.base64 {
                throw DomainError.invalid(
                    "audit_key_changed",
                    "所给密钥（指纹 \(key.publicKey.fingerprint)）不是此前签署检查点的密钥；若确已更换密钥，请加 --new-key 并把新公钥交审计管理员保管",
                    english: "the key is not the one that signed the latest checkpoint")
            }
            // No lock: an entry at or below the head read here has committed, so its count is settled.
            guard let head = try await db.raw("SELECT seq, hash FROM audit_head WHERE id = 1").first() else {
                throw DomainError(.internalFailure, code: "audit_head_missing", message: "审计日志链头缺失", english: "audit head row missing")
            }
            let sequence = try head.int64("seq")
            let count = try await db.raw("SELECT COUNT(*) AS n FROM audit_entries WHERE seq <= \(bind: sequence)").first()?.int64("n") ?? 0
            let number = (try await db.raw("SELECT MAX(number) AS n FROM audit_checkpoints").first()?.decode(column: "n", as: Int64?.self) ?? 0) + 1
            var checkpoint = AuditCheckpoint(
                number: number, sequence: sequence, hash: try head.string("hash"), count: count, at: now, publicKey: key.publicKey.base64,
                signature: "", madeBy: madeBy)
            checkpoint.signature = try key.sign(checkpoint.signedText)
            try await db.raw(
                """
                INSERT INTO audit_checkpoints (number, audit_seq, audit_hash, entry_count, at, public_key, signature, made_by)
                VALUES (\(bind: number), \(bind: sequence), \(bind: checkpoint.hash), \(bind: count), \(bind: now.epochMilliseconds),
                    \(bind: checkpoint.publicKey), \(bind: checkpoint.signature), \(bind: madeBy))
                """
            ).run()
            return checkpoint
        }
    }

    /// Whether `key` may sign the next checkpoint: it signed the latest one, or there is none yet.
    public func auditKeyMatchesCheckpoints(_ key: AuditPublicKey) async throws -> Bool {
        try await database.read { db in try await Self.latestCheckpointKey(on: db).map { $0 == key.base64 } ?? true }
    }

    private static func latestCheckpointKey(on db: any SQLDatabase) async throws -> String? {
        try await db.raw("SELECT public_key FROM audit_checkpoints ORDER BY number DESC LIMIT 1").first()?.string("public_key")
    }

    /// Every checkpoint, oldest first, for the audit administrator (`GET /api/v1/audit/checkpoints`).
    public func auditCheckpoints(for actor: Actor) async throws -> [AuditCheckpoint] {
        try policy.requireAnywhere(actor, .viewAuditLog)
        return try await auditCheckpoints()
    }

    /// Every checkpoint, oldest first, for the console to print or export.
    public func auditCheckpoints() async throws -> [AuditCheckpoint] {
        try await database.read { db in
            try await db.raw("SELECT * FROM audit_checkpoints ORDER BY number").all().map { row in
                AuditCheckpoint(
                    number: try row.int64("number"), sequence: try row.int64("audit_seq"), hash: try row.string("audit_hash"),
                    count: try row.int64("entry_count"), at: try row.date("at"), publicKey: try row.string("public_key"),
                    signature: try row.string("signature"), madeBy: try row.string("made_by"))
            }
        }
    }

    /// Checks the chain and only reads: its walk; with `publicKey`, every checkpoint kept in the
    /// database and those in `kept` (the audit administrator's export) against it — a checkpoint
    /// another key signed, a head cut back below a checkpoint (truncation), a different entry at a
    /// checkpoint's sequence (an edit with the later hashes recomputed, a chain rebuilt after
    /// deletions); with `deep`, every covered business row against its latest entry's digest.
    public func checkAuditChain(publicKey: AuditPublicKey?, kept: [AuditCheckpoint] = [], deep: Bool = false, origin: RequestOrigin) async throws -> AuditChainReport {
        try policy.requireAnywhere(origin.actor, .viewAuditLog)
        var checkpoints: [AuditCheckpoint] = []
        var seen = Set<String>()
        for checkpoint in try await auditCheckpoints() + kept where seen.insert(checkpoint.signature).inserted {
            checkpoints.append(checkpoint)
        }
        let wanted = Set(checkpoints.map(\.sequence))
        var hashes: [Int64: String] = [:]
        // The latest digest each covered row's entries name: (entry, digest); nil digest: not covered yet.
        var latest: [RowKey: (sequence: Int64, digest: String?)] = [:]
        let (chain, head) = try await audit.walk(database: database) { entry in
            if wanted.contains(entry.sequence) { hashes[entry.sequence] = entry.hash }
            if deep, let type = entry.event.targetType, let table = AuditedRows.tables[type], let id = entry.event.targetID {
                latest[RowKey(table: table, id: id)] = (entry.sequence, entry.rowTable == table ? entry.rowDigest : nil)
            }
        }
        var report = AuditChainReport(chain: chain)
        let walked: Int64 = if case .broken(let sequence, _) = chain { sequence - 1 } else { head }
        if let publicKey {
            let problems = Self.hold(checkpoints, against: publicKey, head: head, walked: walked, hashes: hashes, report: &report)
            report.problems += problems
        }
        if deep, case .intact = chain {
            let problems = try await deepCheck(latest, walkedTo: head, report: &report)
            report.problems += problems
        }
        return report
    }

    private struct RowKey: Hashable {
        let table: String
        let id: String
    }

    /// The problems checkpoints find; counts those that held into `report`.
    private static func hold(
        _ checkpoints: [AuditCheckpoint], against key: AuditPublicKey, head: Int64, walked: Int64, hashes: [Int64: String], report: inout AuditChainReport
    ) -> [String] {
        var problems: [String] = []
        var signed: [Int64: AuditCheckpoint] = [:]
        for checkpoint in checkpoints.sorted(by: { ($0.number, $0.sequence) < ($1.number, $1.sequence) }) {
            // The same number signed twice: the kept ones were deleted from the database and the
            // numbers signed afresh over what was left.
            if checkpoint.isSigned(by: key), let twin = signed.updateValue(checkpoint, forKey: checkpoint.number) {
                problems.append(
                    "检查点第\(checkpoint.number)号有两个不同的版本（\(DateText.table(twin.at))至第\(twin.sequence)条，\(DateText.table(checkpoint.at))至第\(checkpoint.sequence)条）：库中的检查点曾被删除")
            }
            guard checkpoint.isSigned(by: key) else {
                let signer = checkpoint.publicKey == key.base64 ? "签名与内容不符（检查点被改动）" : "由另一密钥签署（公钥 \(checkpoint.publicKey)）"
                problems.append("检查点第\(checkpoint.number)号无法用所给公钥（指纹 \(key.fingerprint)）核验：\(signer)")
                continue
            }
            if checkpoint.sequence > head {
                problems.append(
                    "检查点第\(checkpoint.number)号（\(DateText.table(checkpoint.at))）记载审计日志已至第\(checkpoint.sequence)条，现链头仅至第\(head)条：末尾记录被删除、链头被回退")
            } else if checkpoint.sequence <= walked, let hash = hashes[checkpoint.sequence] ?? (checkpoint.sequence == 0 ? AuditEntry.genesisHash : nil) {
                if hash != checkpoint.hash {
                    problems.append(
                        "第\(checkpoint.sequence)条的哈希与检查点第\(checkpoint.number)号（\(DateText.table(checkpoint.at))）记载的不符：该条或其以前的记录被改写后重算了哈希链（或删除记录后重新成链）")
                } else if checkpoint.count != checkpoint.sequence {
                    problems.append("检查点第\(checkpoint.number)号记载共\(checkpoint.count)条，与其序号第\(checkpoint.sequence)条不符：签署时链中已有记录缺失")
                } else {
                    report.checkpointsHeld += 1
                    if (report.latestCheckpoint?.sequence ?? -1) <= checkpoint.sequence { report.latestCheckpoint = checkpoint }
                }
            }
        }
        return problems
    }

    /// Every covered row against the digest its latest entry names. A row whose entry came after
    /// the walk began (a live server) is compared with that entry instead.
    private func deepCheck(_ latest: [RowKey: (sequence: Int64, digest: String?)], walkedTo head: Int64, report: inout AuditChainReport) async throws -> [String] {
        var problems: [String] = []
        for table in Set(AuditedRows.tables.values).sorted() {
            var after = ""
            while true {
                let from = after
                let rows = try await database.readAtLength { db in
                    try await db.raw("SELECT * FROM \(ident: table) WHERE id > \(bind: from) ORDER BY id LIMIT 1000").all()
                        .map { (id: try $0.string("id"), digest: try AuditedRows.digest(of: $0)) }
                }
                guard let last = rows.last else { break }
                after = last.id
                for row in rows {
                    guard var known = latest[RowKey(table: table, id: row.id)], known.digest != nil else {
                        report.rowsWithoutDigest += 1
                        continue
                    }
                    if known.digest != row.digest, let newer = try await newerEntry(table: table, id: row.id, after: head) {
                        known = newer
                    }
                    report.rowsChecked += 1
                    if known.digest != row.digest {
                        problems.append("表 \(table) 中编号 \(row.id) 的记录与审计日志第\(known.sequence)条记载的摘要不符：该行在没有审计记录的情况下被改动")
                    }
                }
            }
        }
        return problems
    }

    private func newerEntry(table: String, id: String, after head: Int64) async throws -> (sequence: Int64, digest: String?)? {
        try await database.read { db in
            try await db.raw(
                "SELECT seq, row_digest FROM audit_entries WHERE target_id = \(bind: id) AND row_table = \(bind: table) AND seq > \(bind: head) ORDER BY seq DESC LIMIT 1"
            ).first().map { (try $0.int64("seq"), try $0.optionalString("row_digest")) }
        }
    }
}
