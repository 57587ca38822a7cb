import Crypto
import Foundation
import SQLKit
import XunchaCore

/// 证据材料: files attached to records, working papers and immediate-rectification reports. Who
/// may attach is who may work on the owner; who may read is who may read the owner; each read of
/// a file is logged.
extension Store {
    public func attach(_ data: Data, filename: String?, to owner: AttachmentOwner, origin: RequestOrigin) async throws -> Attachment {
        let (name, contentType) = try EvidenceRules.check(data, filename: filename)
        let sha = SHA256.hash(data: data).hexadecimal
        let now = clock.now()
        let id = ids.next()
        // Checked before the bytes are written, so a refused upload leaves nothing behind.
        _ = try await database.read { db in
            _ = try await self.requireAttachable(owner, actor: origin.actor, on: db)
            try await ArchiveLock.refuse(attachmentTo: owner, on: db)
        }
        try writeEvidence(data, sha256: sha)
        return try await database.transaction { db in
            let jurisdiction = try await self.requireAttachable(owner, actor: origin.actor, on: db)
            try await ArchiveLock.refuse(attachmentTo: owner, on: db)
            try await db.raw(
                """
                INSERT INTO evidence_files (sha256, size, content_type, created_at)
                VALUES (\(bind: sha), \(bind: data.count), \(bind: contentType), \(bind: now.epochMilliseconds))
                ON CONFLICT (sha256) DO NOTHING
                """
            ).run()
            try await db.raw(
                """
                INSERT INTO attachments (jurisdiction_id, id, owner_type, owner_id, sha256, filename, content_type, size, created_by, created_at)
                VALUES (\(bind: jurisdiction.text), \(bind: id.text), \(bind: owner.type), \(bind: owner.id.text), \(bind: sha), \(bind: name),
                    \(bind: contentType), \(bind: data.count), \(bind: origin.actor.displayName), \(bind: now.epochMilliseconds))
                """
            ).run()
            try await self.audit.append(
                AuditEvent(
                    action: .attachmentAdded, targetType: owner.type, targetID: owner.id.text, jurisdictionID: jurisdiction, detail: "\(name)（\(data.count)字节）"),
                origin: origin, at: now, on: db)
            return Attachment(
                id: id, jurisdictionID: jurisdiction, owner: owner, sha256: sha, filename: name, contentType: contentType, size: data.count,
                createdBy: origin.actor.displayName, createdAt: now)
        }
    }

    /// The files attached to something the actor may read, oldest first.
    public func attachments(of owner: AttachmentOwner, for actor: Actor) async throws -> [Attachment] {
        try await database.read { db in
            _ = try await self.requireReadable(owner, actor: actor, on: db)
            return try await db.raw(
                "SELECT * FROM attachments WHERE owner_type = \(bind: owner.type) AND owner_id = \(bind: owner.id.text) ORDER BY created_at, id"
            ).all().map(AttachmentRows.decode)
        }
    }

    /// A file and its bytes, for someone who may read its owner; the read is logged.
    public func attachmentContent(_ id: UUID, origin: RequestOrigin) async throws -> (Attachment, Data) {
        let attachment: Attachment = try await database.read { db in
            guard let row = try await db.raw("SELECT * FROM attachments WHERE id = \(bind: id.text)").first() else { throw DomainError.notFound }
            let attachment = try AttachmentRows.decode(row)
            _ = try await self.requireReadable(attachment.owner, actor: origin.actor, on: db)
            return attachment
        }
        guard let data = FileManager.default.contents(atPath: evidencePath(attachment.sha256).path),
            SHA256.hash(data: data).hexadecimal == attachment.sha256
        else {
            throw DomainError(.internalFailure, code: "evidence_missing", message: "证据文件缺失或已损坏，请联系系统管理员", english: "evidence file missing or altered")
        }
        try await record(
            AuditEvent(
                action: .attachmentViewed, targetType: attachment.owner.type, targetID: attachment.owner.id.text, jurisdictionID: attachment.jurisdictionID,
                detail: attachment.filename),
            origin: origin)
        return (attachment, data)
    }

    // MARK: Helpers

    /// The owner's committee, if the actor may attach to it now.
    private func requireAttachable(_ owner: AttachmentOwner, actor: Actor, on db: any SQLDatabase) async throws -> UUID {
        switch owner {
        case .record(let id):
            guard let record = try await FieldworkRows.load(
                FieldworkRows.select + " WHERE r.id = \(bind: id.text) AND "
                    + FieldworkRows.scope(policy.scope(actor, .viewFieldwork)),
                on: db
            ).first else { throw DomainError.notFound }
            _ = try await requireRecorder(actor, in: record.assignmentID, on: db)
            return record.jurisdictionID
        case .finding(let id):
            let finding = try await visibleFinding(id, actor: actor, on: db)
            _ = try await requireRecorder(actor, in: finding.assignmentID, on: db)
            guard finding.status.isEditable else {
                throw DomainError(.conflict, code: "finding_not_editable", message: "底稿已提交或审定，不能再添加材料", english: "finding is not editable")
            }
            return finding.jurisdictionID
        case .immediate(let id):
            let item = try await visibleImmediate(id, actor: actor, on: db)
            let ofUnit = actor.jurisdictionID == item.jurisdictionID && actor.unitID == item.unitID
            guard ofUnit, item.status == .signed else {
                throw DomainError(.forbidden, code: "not_allowed", message: "整改佐证材料由被巡察单位在报告整改情况前上传", english: "the unit attaches before reporting")
            }
            return item.jurisdictionID
        case .task(let id):
            let task = try await visibleTask(id, actor: actor, on: db)
            guard try await taskStanding(actor, task: task, on: db).isUnitSide, task.status == .inProgress else {
                throw DomainError(.forbidden, code: "not_allowed", message: "整改佐证材料由本单位在申请销号前上传", english: "the unit attaches before asking for closure")
            }
            return task.jurisdictionID
        }
    }

    private func requireReadable(_ owner: AttachmentOwner, actor: Actor, on db: any SQLDatabase) async throws -> UUID {
        switch owner {
        case .record(let id):
            let sql = FieldworkRows.select + " WHERE r.id = \(bind: id.text) AND "
                + FieldworkRows.scope(policy.scope(actor, .viewFieldwork))
            guard let record = try await FieldworkRows.load(sql, on: db).first else { throw DomainError.notFound }
            return record.jurisdictionID
        case .finding(let id):
            let finding = try await visibleFinding(id, actor: actor, on: db)
            // A sealed paper's evidence is the lead's substance (线索封存).
            guard !finding.isSealed else { throw DomainError.notFound }
            return finding.jurisdictionID
        case .immediate(let id):
            return try await visibleImmediate(id, actor: actor, on: db).jurisdictionID
        case .task(let id):
            return try await visibleTask(id, actor: actor, on: db).jurisdictionID
        }
    }

    func evidencePath(_ sha256: String) -> URL { evidenceDirectory.appendingPathComponent(Self.evidenceFile(sha256)) }

    /// Where a file of evidence lives below an evidence folder (the store's, or a backup's):
    /// under the first two characters of its SHA-256, named by it.
    static func evidenceFile(_ sha256: String) -> String { "\(sha256.prefix(2))/\(sha256)" }

    /// Writes the bytes once per content: to a temporary name, then renamed into place.
    private func writeEvidence(_ data: Data, sha256: String) throws {
        let target = evidencePath(sha256)
        if FileManager.default.fileExists(atPath: target.path) { return }
        let folder = target.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let temporary = folder.appendingPathComponent(".\(sha256).\(UUID().uuidString)")
        try data.write(to: temporary)
        do {
            try FileManager.default.moveItem(at: temporary, to: target)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            // Another upload of the same content won the race: the file is there either way.
            guard FileManager.default.fileExists(atPath: target.path) else { throw error }
        }
    }
}

enum AttachmentRows {
    static func decode(_ row: any SQLRow) throws -> Attachment {
        let ownerID = try row.uuid("owner_id")
        guard let owner = AttachmentOwner(type: try row.string("owner_type"), id: ownerID) else { throw DomainError.notFound }
        return Attachment(
            id: try row.uuid("id"), jurisdictionID: try row.uuid("jurisdiction_id"), owner: owner, sha256: try row.string("sha256"),
            filename: try row.string("filename"), contentType: try row.string("content_type"), size: try row.int("size"), createdBy: try row.string("created_by"),
            createdAt: try row.date("created_at"))
    }
}
