import Foundation
import SQLKit
import XunchaCore

/// 公文模板: each committee's office keeps its own template per kind of document, in versions
/// that are never edited. A document issued under a version is produced from that version ever
/// after (`document_issues`, written in the transaction that issues it), so issuing it again
/// gives the same document; a draft follows the latest.
extension Store {
    /// The latest saved version of each kind the committee changed; a kind absent keeps the
    /// customary template.
    public func documentTemplates(of jurisdictionID: UUID, for actor: Actor) async throws -> [DocumentKind: SavedDocumentTemplate] {
        try await database.read { db in
            _ = try await self.requireLocation(jurisdictionID, actor: actor, permission: .manageDocumentTemplates, on: db)
            let rows = try await db.raw(
                """
                SELECT t.* FROM document_templates t
                WHERE t.jurisdiction_id = \(bind: jurisdictionID.text)
                    AND t.version = (SELECT MAX(l.version) FROM document_templates l WHERE l.jurisdiction_id = t.jurisdiction_id AND l.kind = t.kind)
                """
            ).all()
            var latest: [DocumentKind: SavedDocumentTemplate] = [:]
            for row in rows { if let saved = try DocumentTemplateRows.decode(row) { latest[saved.template.kind] = saved } }
            return latest
        }
    }

    /// Every saved version of the committee's template of `kind`, newest first.
    public func documentTemplateHistory(_ kind: DocumentKind, of jurisdictionID: UUID, for actor: Actor) async throws -> [SavedDocumentTemplate] {
        try await database.read { db in
            _ = try await self.requireLocation(jurisdictionID, actor: actor, permission: .manageDocumentTemplates, on: db)
            return try await DocumentTemplateRows.history(kind, of: jurisdictionID, on: db)
        }
    }

    /// Saves `template` as the committee's next version of its kind, with the office's reasons
    /// (`note`); `version` is the one the editor read (0: the customary), so two offices editing
    /// at once do not overwrite each other unseen. Refused, nothing is written.
    public func saveDocumentTemplate(
        _ template: DocumentTemplate, of jurisdictionID: UUID, note: String?, version: Int?, origin: RequestOrigin
    ) async throws -> SavedDocumentTemplate {
        try template.validate()
        let note = try TextRules.optionalText(note, field: "note", label: "变更说明", maxLength: 500)
        let now = clock.now()
        return try await database.transaction { db in
            _ = try await self.requireLocation(jurisdictionID, actor: origin.actor, permission: .manageDocumentTemplates, on: db)
            let current = try await DocumentTemplateRows.latestVersion(template.kind, of: jurisdictionID, on: db)
            if let version, version != current { throw DomainError.staleVersion }
            var saved = template
            saved.version = current + 1
            do {
                try await db.raw(
                    """
                    INSERT INTO document_templates (jurisdiction_id, id, kind, version, issuer_mark, signature, printed_by, number_pattern, wording, note,
                        created_by_id, created_by, created_at)
                    VALUES (\(bind: jurisdictionID.text), \(bind: self.ids.next().text), \(bind: saved.kind.rawValue), \(bind: saved.version),
                        \(bind: saved.issuerMark), \(bind: saved.signature), \(bind: saved.printedBy), \(bind: saved.numberPattern),
                        \(bind: DocumentTemplateRows.json(saved.wording)), \(bind: note), \(bind: origin.actor.userID?.text),
                        \(bind: origin.actor.displayName), \(bind: now.epochMilliseconds))
                    """
                ).run()
            } catch where Database.isUniqueViolation(error) {
                throw DomainError.staleVersion
            }
            let what = saved.isCustomary ? "恢复惯例" : "保存"
            try await self.audit.append(
                AuditEvent(
                    action: .templateSaved, targetType: "document_template", targetID: saved.kind.rawValue, jurisdictionID: jurisdictionID,
                    detail: "\(what)公文模板《\(saved.kind.title)》第\(saved.version)版\(note.map { "：\($0)" } ?? "")"),
                origin: origin, at: now, on: db)
            return SavedDocumentTemplate(template: saved, note: note, createdBy: origin.actor.displayName, createdAt: now)
        }
    }

    /// The 发文字号 the committee's pattern gives the next document of `kind` this year: a
    /// suggestion where the office types the number itself (巡察通知, 反馈意见); nil without a pattern.
    public func suggestedNumber(_ kind: DocumentKind, of jurisdictionID: UUID) async throws -> String? {
        let year = CalendarDay(clock.now()).year
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? .current
        let start = calendar.date(from: DateComponents(year: year, month: 1, day: 1)) ?? .distantPast
        return try await database.read { db in
            let template = try await DocumentTemplateRows.current(kind, of: jurisdictionID, on: db)
            guard template.numberPattern != nil else { return nil }
            let issued = try await db.raw(
                """
                SELECT COUNT(*) AS n FROM document_issues
                WHERE jurisdiction_id = \(bind: jurisdictionID.text) AND kind = \(bind: kind.rawValue) AND issued_at >= \(bind: start.epochMilliseconds)
                """
            ).first()?.int("n") ?? 0
            return template.number(year: year, sequence: issued + 1)
        }
    }

    /// The 红头, 署名 and 印发机关 a kind's documents carry where the template leaves them
    /// customary: the 巡察办's, or for the 立行立改通知书 the issuing 巡察组's ("第×巡察组" stands for it).
    public func customaryFrame(_ kind: DocumentKind, of jurisdictionID: UUID) async throws -> DocumentFrame {
        let committee = try await committeeName(jurisdictionID)
        return kind == .immediate ? .group("第×巡察组", committee: committee) : .standard(committee: committee)
    }

    /// The template a record's document is produced from: once the record is issued, the version
    /// pinned when it was issued (0, the customary, when it was issued before templates existed);
    /// before, the committee's latest.
    func documentTemplate(_ kind: DocumentKind, jurisdictionID: UUID, record: UUID, issued: Bool) async throws -> DocumentTemplate {
        try await database.read { db in
            guard issued else { return try await DocumentTemplateRows.current(kind, of: jurisdictionID, on: db) }
            let pinned = try await db.raw(
                "SELECT template_version FROM document_issues WHERE kind = \(bind: kind.rawValue) AND record_id = \(bind: record.text)"
            ).first()?.int("template_version") ?? 0
            return try await DocumentTemplateRows.version(pinned, of: kind, in: jurisdictionID, on: db)
        }
    }

    /// The 署名 a record's document is signed with where its template sets one (nil: the customary),
    /// so that the record's print view signs as its .docx does.
    public func templateSignature(_ kind: DocumentKind, jurisdictionID: UUID, record: UUID, issued: Bool) async throws -> String? {
        try await documentTemplate(kind, jurisdictionID: jurisdictionID, record: record, issued: issued).signature
    }

    /// Pins the template version in force to the record `id`, whose document of `kind` is issued
    /// now: called inside the transaction that issues it. Issued again (a report resubmitted after
    /// its return), the record takes the version then in force.
    func pinDocument(_ kind: DocumentKind, record id: UUID, jurisdictionID: UUID, at now: Date, on db: any SQLDatabase) async throws {
        let version = try await DocumentTemplateRows.latestVersion(kind, of: jurisdictionID, on: db)
        try await db.raw(
            """
            INSERT INTO document_issues (jurisdiction_id, kind, record_id, template_version, issued_at)
            VALUES (\(bind: jurisdictionID.text), \(bind: kind.rawValue), \(bind: id.text), \(bind: version), \(bind: now.epochMilliseconds))
            ON CONFLICT (kind, record_id) DO UPDATE SET template_version = excluded.template_version, issued_at = excluded.issued_at
            """
        ).run()
    }
}

/// The SQL of saved templates.
enum DocumentTemplateRows {
    static func latestVersion(_ kind: DocumentKind, of jurisdictionID: UUID, on db: any SQLDatabase) async throws -> Int {
        try await db.raw(
            """
            SELECT COALESCE(MAX(version), 0) AS version FROM document_templates
            WHERE jurisdiction_id = \(bind: jurisdictionID.text) AND kind = \(bind: kind.rawValue)
            """
        ).first()?.int("version") ?? 0
    }

    /// The committee's template of `kind` in force now.
    static func current(_ kind: DocumentKind, of jurisdictionID: UUID, on db: any SQLDatabase) async throws -> DocumentTemplate {
        try await version(try await latestVersion(kind, of: jurisdictionID, on: db), of: kind, in: jurisdictionID, on: db)
    }

    /// Version `version` of the committee's template; 0 (or a version that is not there) is the customary.
    static func version(_ version: Int, of kind: DocumentKind, in jurisdictionID: UUID, on db: any SQLDatabase) async throws -> DocumentTemplate {
        guard version > 0 else { return .customary(kind) }
        let row = try await db.raw(
            """
            SELECT * FROM document_templates
            WHERE jurisdiction_id = \(bind: jurisdictionID.text) AND kind = \(bind: kind.rawValue) AND version = \(bind: version)
            """
        ).first()
        return try row.flatMap(decode)?.template ?? .customary(kind)
    }

    static func history(_ kind: DocumentKind, of jurisdictionID: UUID, on db: any SQLDatabase) async throws -> [SavedDocumentTemplate] {
        try await db.raw(
            """
            SELECT * FROM document_templates WHERE jurisdiction_id = \(bind: jurisdictionID.text) AND kind = \(bind: kind.rawValue)
            ORDER BY version DESC
            """
        ).all().compactMap(decode)
    }

    /// A saved version; nil for a kind this build no longer knows.
    static func decode(_ row: any SQLRow) throws -> SavedDocumentTemplate? {
        guard let kind = DocumentKind(rawValue: try row.string("kind")) else { return nil }
        let wording = (try? JSONDecoder().decode([String: String].self, from: Data(try row.string("wording").utf8))) ?? [:]
        return SavedDocumentTemplate(
            template: DocumentTemplate(
                kind: kind, version: try row.int("version"), issuerMark: try row.optionalString("issuer_mark"), signature: try row.optionalString("signature"),
                printedBy: try row.optionalString("printed_by"), numberPattern: try row.optionalString("number_pattern"), wording: wording),
            note: try row.optionalString("note"), createdBy: try row.string("created_by"), createdAt: try row.date("created_at"))
    }

    /// The reworded slots as a JSON object, keys sorted so equal wording is stored alike.
    static func json(_ wording: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(wording)).flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
    }
}
