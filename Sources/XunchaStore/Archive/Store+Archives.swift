import Crypto
import Foundation
import SQLKit
import XunchaCore

/// What an archive's package holds, read once its assignments are locked: every issued document
/// with its record's data, the evidence files, the audit extract of the records up to the moment
/// of archiving, and the corrections appended since. The web layer turns it into a bag.
public struct ArchiveContents: Sendable {
    public struct Document: Sendable {
        public var kind: DocumentKind
        public var recordID: UUID
        public var assignment: AssignmentDetail
        public var document: OfficialDocument
        /// The record's row and its lifecycle history, as JSON.
        public var data: Data
    }

    public struct Evidence: Sendable {
        public var attachment: Attachment
        public var assignment: AssignmentDetail
        public var data: Data
    }

    public var archive: ArchiveRecord
    public var committee: String
    public var assignments: [AssignmentDetail]
    public var documents: [Document]
    public var evidence: [Evidence]
    public var audit: [AuditEntry]
    public var retention: RetentionSchedule
}

/// What the built package comes to: the digest of its payload manifest, its files, its Payload-Oxum.
public struct PackageSummary: Sendable, Equatable {
    public var manifestSHA256: String
    public var fileCount: Int
    public var payloadOxum: String

    public init(manifestSHA256: String, fileCount: Int, payloadOxum: String) {
        self.manifestSHA256 = manifestSHA256
        self.fileCount = fileCount
        self.payloadOxum = payloadOxum
    }
}

/// Builds the package of an archive's contents (the web layer's, which reaches the .docx and .xlsx writers).
public typealias ArchivePackager = @Sendable (ArchiveContents) async throws -> PackageSummary

/// 立卷归档: the office archives a finished assignment, or a round whose assignments are all
/// finished; from then on the records are locked (`ArchiveLock`) and corrections are appended.
extension Store {
    /// SHA-256 in lowercase hex: the digest of the bags and their manifests.
    public static let sha256: BagIt.Digest = { data in SHA256.hash(data: data).hexadecimal }

    /// The kinds of document an archive packs, by the table of their records and which of those
    /// are issued (a condition on the row `t`). A kind that is one record's document is one line here.
    static let archivedKinds: [(kind: DocumentKind, table: String, issued: String)] = [
        (.notice, "notices", "1 = 1"),
        (.immediate, "immediate_rectifications", "t.issued_at IS NOT NULL"),
        (.feedback, "feedbacks", "t.status = 'issued'"),
        (.announcement, "notices", "1 = 1"),
        (.inspectionReport, "reports", "t.kind = 'inspection' AND t.status IN ('in_review', 'approved')"),
        (.specialReport, "reports", "t.kind = 'thematic' AND t.status IN ('in_review', 'approved')"),
        (.rectificationPlan, "rectification_plans", "t.status IN ('endorsed', 'approved')"),
        (.principalReport, "rectification_reports", "t.kind = 'head_organising' AND t.status IN ('signed', 'submitted', 'accepted')"),
        (.rectificationReport, "rectification_reports", "t.kind <> 'head_organising' AND t.status IN ('signed', 'submitted', 'accepted')"),
        (.evaluation, "evaluations", "t.status <> 'scheduled'"),
    ]

    // MARK: Reading

    /// The assignment's records that have an issued document, kind by kind in `archivedKinds`'s
    /// order, oldest first within a kind.
    public func issuedDocuments(of assignmentID: UUID, for actor: Actor) async throws -> [(kind: DocumentKind, id: UUID)] {
        _ = try await assignment(assignmentID, for: actor)
        return try await database.read { db in try await Self.issuedDocuments(of: assignmentID, on: db) }
    }

    static func issuedDocuments(of assignmentID: UUID, on db: any SQLDatabase) async throws -> [(kind: DocumentKind, id: UUID)] {
        var found: [(kind: DocumentKind, id: UUID)] = []
        for (kind, table, issued) in archivedKinds {
            guard let reach = ArchiveLock.reach(table) else { continue }
            let rows = try await db.raw(
                """
                SELECT t.id FROM \(unsafeRaw: table) t \(unsafeRaw: reach.joins)
                WHERE \(unsafeRaw: reach.assignment) = \(bind: assignmentID.text) AND \(unsafeRaw: issued) ORDER BY t.id
                """
            ).all()
            found += try rows.map { (kind, try $0.uuid("id")) }
        }
        return found
    }

    /// Finished (办结): the assignment's feedback was issued and its rectification evaluated —
    /// an evaluation is closed (评估完成) and none is open (a second rectification is not over).
    static func isFinished(_ assignmentID: UUID, on db: any SQLDatabase) async throws -> Bool {
        let row = try await db.raw(
            """
            SELECT SUM(CASE WHEN e.status = \(bind: EvaluationStatus.closed.rawValue) THEN 1 ELSE 0 END) AS closed,
                SUM(CASE WHEN e.status <> \(bind: EvaluationStatus.closed.rawValue) THEN 1 ELSE 0 END) AS open
            FROM evaluations e JOIN feedbacks f ON f.id = e.feedback_id
            WHERE f.assignment_id = \(bind: assignmentID.text) AND f.status = 'issued'
            """
        ).first()
        let closed = try row?.optionalInt("closed") ?? 0
        let open = try row?.optionalInt("open") ?? 0
        return closed > 0 && open == 0
    }

    /// A round's assignments with whether each is finished and archived, for the 立卷归档 page.
    public func archiveCandidates(round roundID: UUID, for actor: Actor) async throws -> [ArchiveCandidate] {
        try policy.requireAnywhere(actor, .archiveRecords)
        return try await database.read { db in
            let round = try await RoundLifecycle.visible(roundID, for: actor, in: self, on: db)
            _ = try await self.requireLocation(round.jurisdictionID, actor: actor, permission: .archiveRecords, on: db)
            var candidates: [ArchiveCandidate] = []
            for assignment in try await Self.assignments(ofRound: roundID, on: db) {
                candidates.append(
                    ArchiveCandidate(
                        assignment: assignment, finished: try await Self.isFinished(assignment.id, on: db),
                        archiveID: try await ArchiveLock.archive(of: assignment.id, on: db)))
            }
            return candidates
        }
    }

    static func assignments(ofRound roundID: UUID, on db: any SQLDatabase) async throws -> [AssignmentDetail] {
        try await db.raw(AssignmentRows.select + " WHERE a.round_id = \(bind: roundID.text) ORDER BY b.sequence, u.name, a.id").all().map(AssignmentRows.decode)
    }

    /// The archives of the committees the actor archives for, newest first.
    public func archives(for actor: Actor) async throws -> [ArchiveRecord] {
        try policy.requireAnywhere(actor, .archiveRecords)
        return try await database.read { db in
            let rows = try await db.raw(
                "SELECT * FROM archives WHERE " + ScopeSQL.filter(self.policy.scope(actor, .archiveRecords), jurisdictionColumn: "jurisdiction_id")
                    + " ORDER BY archived_at DESC, id DESC LIMIT 500"
            ).all()
            var archives: [ArchiveRecord] = []
            for row in rows { archives.append(try await ArchiveRows.decode(row, on: db)) }
            return archives
        }
    }

    /// One archive, if the actor archives for its committee; otherwise not found.
    public func archive(_ id: UUID, for actor: Actor) async throws -> ArchiveRecord {
        try await database.read { db in try await self.visibleArchive(id, actor: actor, on: db) }
    }

    func visibleArchive(_ id: UUID, actor: Actor, on db: any SQLDatabase) async throws -> ArchiveRecord {
        guard
            let row = try await db.raw(
                "SELECT * FROM archives WHERE id = \(bind: id.text) AND "
                    + ScopeSQL.filter(policy.scope(actor, .archiveRecords), jurisdictionColumn: "jurisdiction_id")
            ).first()
        else { throw DomainError.notFound }
        return try await ArchiveRows.decode(row, on: db)
    }

    /// Everything the archive's package holds, read as its archiver reads it; the documents are
    /// read through `officialDocument` as any download is.
    public func archiveContents(_ id: UUID, origin: RequestOrigin) async throws -> ArchiveContents {
        let (archive, through, assignments, committee, retention) = try await database.readAtLength { db in
            let archive = try await self.visibleArchive(id, actor: origin.actor, on: db)
            let through = try await db.raw("SELECT audit_through FROM archives WHERE id = \(bind: id.text)").first()?.int64("audit_through") ?? 0
            var assignments: [AssignmentDetail] = []
            for assignmentID in archive.assignmentIDs { assignments.append(try await AssignmentRows.find(assignmentID, on: db)) }
            let committee = try await JurisdictionRows.find(archive.jurisdictionID, on: db)?.name ?? ""
            return (archive, through, assignments, committee, try await SettingsRows.settings(of: archive.jurisdictionID, on: db).retention)
        }
        var documents: [ArchiveContents.Document] = []
        var evidence: [ArchiveContents.Evidence] = []
        var audit: [Int64: AuditEntry] = [:]
        for assignment in assignments {
            let (issued, records, attachments, entries) = try await database.readAtLength { db in
                let issued = try await Self.issuedDocuments(of: assignment.id, on: db)
                var records: [UUID: Data] = [:]
                for (kind, recordID) in issued {
                    guard let table = Self.archivedKinds.first(where: { $0.kind == kind })?.table else { continue }
                    records[recordID] = try await ArchiveRows.recordJSON(table: table, id: recordID, on: db)
                }
                return (issued, records, try await ArchiveRows.attachments(of: assignment.id, on: db), try await ArchiveRows.auditExtract(of: assignment.id, through: through, on: db))
            }
            for (kind, recordID) in issued {
                let document = try await officialDocument(kind, recordID, origin: origin)
                documents.append(.init(kind: kind, recordID: recordID, assignment: assignment, document: document, data: records[recordID] ?? Data()))
            }
            for attachment in attachments {
                guard let data = FileManager.default.contents(atPath: evidencePath(attachment.sha256).path), Self.sha256(data) == attachment.sha256 else {
                    throw DomainError(.internalFailure, code: "evidence_missing", message: "证据文件缺失或已损坏，请联系系统管理员", english: "evidence file missing or altered")
                }
                evidence.append(.init(attachment: attachment, assignment: assignment, data: data))
            }
            for entry in entries { audit[entry.sequence] = entry }
        }
        return ArchiveContents(
            archive: archive, committee: committee, assignments: assignments, documents: documents, evidence: evidence,
            audit: audit.values.sorted { $0.sequence < $1.sequence }, retention: retention)
    }

    // MARK: Writing

    /// Archives one finished assignment: 409 `not_finished` (nothing written) unless its
    /// rectification has been evaluated, `already_archived` if it is in an archive.
    public func archiveAssignment(_ id: UUID, origin: RequestOrigin, packager: ArchivePackager) async throws -> ArchiveRecord {
        try policy.requireAnywhere(origin.actor, .archiveRecords)
        let assignment = try await assignment(id, for: origin.actor)
        return try await createArchive(round: assignment.roundID, jurisdictionID: assignment.jurisdictionID, single: assignment, origin: origin, packager: packager)
    }

    /// Archives a round's assignments together, once every one is finished.
    public func archiveRound(_ roundID: UUID, origin: RequestOrigin, packager: ArchivePackager) async throws -> ArchiveRecord {
        try policy.requireAnywhere(origin.actor, .archiveRecords)
        let round = try await database.read { db in try await RoundLifecycle.visible(roundID, for: origin.actor, in: self, on: db) }
        return try await createArchive(round: roundID, jurisdictionID: round.jurisdictionID, single: nil, origin: origin, packager: packager)
    }

    /// Locks first (the archive's row and its assignments, in one transaction with the checks), so
    /// the package is read from records that can no longer change; then builds the package and
    /// keeps its digest with the audit entry. A package that cannot be built unlocks again.
    private func createArchive(
        round roundID: UUID, jurisdictionID: UUID, single: AssignmentDetail?, origin: RequestOrigin, packager: ArchivePackager
    ) async throws -> ArchiveRecord {
        let id = ids.next()
        let now = clock.now()
        try await database.transaction { db in
            _ = try await self.requireLocation(jurisdictionID, actor: origin.actor, permission: .archiveRecords, on: db)
            let assignments: [AssignmentDetail]
            if let single { assignments = [single] } else { assignments = try await Self.assignments(ofRound: roundID, on: db) }
            guard !assignments.isEmpty else {
                throw DomainError(.conflict, code: "not_finished", message: "本轮没有巡察任务，不能归档", english: "the round has no assignments")
            }
            if let single {
                if try await ArchiveLock.archive(of: single.id, on: db) != nil { throw DomainError.alreadyArchived }
            } else if try await db.raw("SELECT 1 AS one FROM archives WHERE round_id = \(bind: roundID.text) AND assignment_id IS NULL").first() != nil {
                throw DomainError.alreadyArchived
            }
            var unfinished: [String] = []
            for assignment in assignments {
                if try await !Self.isFinished(assignment.id, on: db) { unfinished.append(assignment.unitName) }
            }
            guard unfinished.isEmpty else { throw DomainError.notFinished(unfinished) }
            let through = try await db.raw("SELECT seq FROM audit_head WHERE id = 1").first()?.int64("seq") ?? 0
            try await db.raw(
                """
                INSERT INTO archives (jurisdiction_id, id, round_id, assignment_id, archived_at, archived_by_id, archived_by, audit_through, package_sha256,
                    file_count, payload_oxum)
                VALUES (\(bind: jurisdictionID.text), \(bind: id.text), \(bind: roundID.text), \(bind: single?.id.text), \(bind: now.epochMilliseconds),
                    \(bind: origin.actor.userID?.text), \(bind: origin.actor.displayName), \(bind: through), '', 0, '')
                """
            ).run()
            for assignment in assignments {
                try await db.raw("INSERT INTO archive_assignments (archive_id, assignment_id) VALUES (\(bind: id.text), \(bind: assignment.id.text))").run()
            }
        }
        do {
            let summary = try await packager(try await archiveContents(id, origin: origin))
            try await database.transaction { db in
                try await db.raw(
                    """
                    UPDATE archives SET package_sha256 = \(bind: summary.manifestSHA256), file_count = \(bind: summary.fileCount),
                        payload_oxum = \(bind: summary.payloadOxum) WHERE id = \(bind: id.text)
                    """
                ).run()
                let archive = try await ArchiveRows.decode(try await db.one("SELECT * FROM archives WHERE id = \(bind: id.text)", { $0 }), on: db)
                try await self.audit.append(
                    AuditEvent(
                        action: .archiveCreated, targetType: "archive", targetID: id.text, jurisdictionID: jurisdictionID,
                        detail: "\(archive.title)：\(summary.fileCount)个文件，清单SHA-256 \(summary.manifestSHA256)"),
                    origin: origin, at: now, on: db)
            }
        } catch {
            // The package could not be built: the archive never came to be, and nothing stays locked.
            try? await database.transaction { db in
                try await db.raw("DELETE FROM archive_assignments WHERE archive_id = \(bind: id.text)").run()
                try await db.raw("DELETE FROM archives WHERE id = \(bind: id.text)").run()
            }
            throw error
        }
        return try await archive(id, for: origin.actor)
    }

    /// Appends a 更正说明 to an archive: the records stay as archived, the correction is listed
    /// with the archive and packed into every later export.
    public func correctArchive(_ id: UUID, text: String?, origin: RequestOrigin) async throws -> ArchiveRecord {
        try policy.requireAnywhere(origin.actor, .archiveRecords)
        let text = try TextRules.requiredText(text, field: "text", label: "更正说明", maxLength: 4_000)
        let now = clock.now()
        try await database.transaction { db in
            let archive = try await self.visibleArchive(id, actor: origin.actor, on: db)
            _ = try await self.requireLocation(archive.jurisdictionID, actor: origin.actor, permission: .archiveRecords, on: db)
            try await db.raw(
                """
                INSERT INTO archive_corrections (jurisdiction_id, id, archive_id, text, by_id, by_name, at)
                VALUES (\(bind: archive.jurisdictionID.text), \(bind: self.ids.next().text), \(bind: id.text), \(bind: text),
                    \(bind: origin.actor.userID?.text), \(bind: origin.actor.displayName), \(bind: now.epochMilliseconds))
                """
            ).run()
            try await self.audit.append(
                AuditEvent(action: .archiveCorrected, targetType: "archive", targetID: id.text, jurisdictionID: archive.jurisdictionID, detail: "\(archive.title)：\(text)"),
                origin: origin, at: now, on: db)
        }
        return try await archive(id, for: origin.actor)
    }

    /// Logs an export of the archive's package.
    public func recordArchiveExport(_ archive: ArchiveRecord, summary: PackageSummary, origin: RequestOrigin) async throws {
        try await record(
            AuditEvent(
                action: .archiveExported, targetType: "archive", targetID: archive.id.text, jurisdictionID: archive.jurisdictionID,
                detail: "\(archive.title)：\(summary.fileCount)个文件，清单SHA-256 \(summary.manifestSHA256)"),
            origin: origin)
    }
}

enum ArchiveRows {
    static func decode(_ row: any SQLRow, on db: any SQLDatabase) async throws -> ArchiveRecord {
        let id = try row.uuid("id")
        let roundID = try row.uuid("round_id")
        let assigned = try await db.raw(
            """
            SELECT a.id, u.name FROM archive_assignments x JOIN assignments a ON a.id = x.assignment_id JOIN units u ON u.id = a.unit_id
            WHERE x.archive_id = \(bind: id.text) ORDER BY u.name, a.id
            """
        ).all()
        let corrections = try await db.raw("SELECT * FROM archive_corrections WHERE archive_id = \(bind: id.text) ORDER BY at, id").all().map {
            ArchiveCorrection(id: try $0.uuid("id"), text: try $0.string("text"), by: try $0.string("by_name"), at: try $0.date("at"))
        }
        return ArchiveRecord(
            id: id, jurisdictionID: try row.uuid("jurisdiction_id"), roundID: roundID, roundTitle: try await RoundRows.find(roundID, on: db)?.title ?? "",
            assignmentID: try row.optionalUUID("assignment_id"), unitNames: try assigned.map { try $0.string("name") },
            assignmentIDs: try assigned.map { try $0.uuid("id") }, archivedAt: try row.date("archived_at"), archivedBy: try row.string("archived_by"),
            packageSHA256: try row.string("package_sha256"), fileCount: try row.int("file_count"), payloadOxum: try row.string("payload_oxum"),
            corrections: corrections)
    }

    /// The evidence files attached to the assignment's records, oldest first.
    static func attachments(of assignmentID: UUID, on db: any SQLDatabase) async throws -> [Attachment] {
        var found: [Attachment] = []
        for (type, table) in ArchiveLock.attachmentOwners.sorted(by: { $0.key < $1.key }) {
            guard let reach = ArchiveLock.reach(table) else { continue }
            found += try await db.raw(
                """
                SELECT x.* FROM attachments x JOIN \(unsafeRaw: table) t ON t.id = x.owner_id \(unsafeRaw: reach.joins)
                WHERE x.owner_type = \(bind: type) AND \(unsafeRaw: reach.assignment) = \(bind: assignmentID.text)
                """
            ).all().map(AttachmentRows.decode)
        }
        return found.sorted { ($0.createdAt, $0.id.uuidString) < ($1.createdAt, $1.id.uuidString) }
    }

    /// The audit entries whose target is one of the assignment's records, up to entry `through`.
    static func auditExtract(of assignmentID: UUID, through: Int64, on db: any SQLDatabase) async throws -> [AuditEntry] {
        var entries: [AuditEntry] = []
        for reach in ArchiveLock.reaches {
            entries += try await db.raw(
                """
                SELECT e.* FROM audit_entries e WHERE e.seq <= \(bind: through) AND e.target_id IN (
                    SELECT t.id FROM \(unsafeRaw: reach.table) t \(unsafeRaw: reach.joins) WHERE \(unsafeRaw: reach.assignment) = \(bind: assignmentID.text))
                """
            ).all().map(AuditLog.decode)
        }
        return entries
    }

    /// A record's row, every column as stored, with its lifecycle history: the record's data beside its document.
    static func recordJSON(table: String, id: UUID, on db: any SQLDatabase) async throws -> Data {
        guard let row = try await db.raw("SELECT * FROM \(unsafeRaw: table) WHERE id = \(bind: id.text)").first() else { throw DomainError.notFound }
        let history = try await db.raw("SELECT * FROM record_steps WHERE record_id = \(bind: id.text) ORDER BY occurred_on, at, id").all()
        let object: [String: Any] = ["table": table, "record": columns(row), "history": history.map(columns)]
        return try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }

    static func columns(_ row: any SQLRow) -> [String: Any] {
        var values: [String: Any] = [:]
        for column in row.allColumns {
            if (try? row.decodeNil(column: column)) == true {
                values[column] = NSNull()
            } else if let number = try? row.decode(column: column, as: Int64.self) {
                values[column] = number
            } else if let text = try? row.decode(column: column, as: String.self) {
                values[column] = text
            } else if let number = try? row.decode(column: column, as: Double.self) {
                values[column] = number
            }
        }
        return values
    }
}
