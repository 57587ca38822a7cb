import Foundation
import SQLKit
import XunchaCore

/// 巡察报告: drafted by the group from its approved findings, climbing the committee's chain,
/// filed with the bodies it goes to. Never shown to the inspected unit.
extension Store {
    public func draftReport(
        in assignmentID: UUID, kind: ReportKind, title: String?, body: String?, findings findingIDs: [UUID], origin: RequestOrigin
    ) async throws -> Report {
        let (title, body) = try Self.reportText(title: title, body: body)
        let now = clock.now()
        let id = ids.next()
        try await database.transaction { db in
            let standing = try await self.requireRecorder(origin.actor, in: assignmentID, on: db)
            let a = standing.assignment
            try await ReportRows.requireApprovedFindings(findingIDs, of: a, on: db)
            let chain = try await SettingsRows.settings(of: a.jurisdictionID, on: db).reportChain
            try await db.raw(
                """
                INSERT INTO reports (jurisdiction_id, id, round_id, assignment_id, group_id, kind, title, body, status, chain, stage_index, created_by,
                    created_at, updated_at, version)
                VALUES (\(bind: a.jurisdictionID.text), \(bind: id.text), \(bind: a.roundID.text), \(bind: a.id.text), \(bind: a.groupID.text),
                    \(bind: kind.rawValue), \(bind: title), \(bind: body), \(bind: ReportStatus.draft.rawValue), \(bind: SettingsRows.json(chain)), 0,
                    \(bind: origin.actor.displayName), \(bind: now.epochMilliseconds), \(bind: now.epochMilliseconds), 1)
                """
            ).run()
            try await ReportRows.writeFindings(findingIDs, of: id, on: db)
            try await self.audit.append(
                AuditEvent(action: .reportDrafted, targetType: "report", targetID: id.text, jurisdictionID: a.jurisdictionID, detail: "\(a.unitName)\(kind.title)"),
                origin: origin, at: now, on: db)
        }
        return try await report(id, for: origin.actor)
    }

    /// Changes a draft or returned report. `version` is the one the editor read.
    public func editReport(_ id: UUID, title: String?, body: String?, findings findingIDs: [UUID], version: Int, origin: RequestOrigin) async throws -> Report {
        let (title, body) = try Self.reportText(title: title, body: body)
        let now = clock.now()
        try await database.transaction { db in
            let before = try await self.visibleReport(id, actor: origin.actor, on: db)
            let standing = try await self.requireRecorder(origin.actor, in: before.assignmentID, on: db)
            guard before.status.isEditable else {
                throw DomainError(.conflict, code: "report_not_editable", message: "报告处于“\(before.status.title)”状态，不能修改", english: "report not editable")
            }
            guard before.version == version else { throw DomainError.staleVersion }
            try await ReportRows.requireApprovedFindings(findingIDs, of: standing.assignment, on: db)
            try await VersionedRow.update(
                "reports", id: id, version: version,
                set: "title = \(bind: title), body = \(bind: body)", at: now, on: db)
            try await db.raw("DELETE FROM report_findings WHERE report_id = \(bind: id.text)").run()
            try await ReportRows.writeFindings(findingIDs, of: id, on: db)
            try await self.audit.append(
                AuditEvent(action: .reportEdited, targetType: "report", targetID: id.text, jurisdictionID: before.jurisdictionID, detail: before.title),
                origin: origin, at: now, on: db)
        }
        return try await report(id, for: origin.actor)
    }

    /// 报送: records that an approved report went to a body (一巡双报告: more than one).
    public func fileReport(_ id: UUID, with recipient: String?, origin: RequestOrigin) async throws -> Report {
        let recipient = try TextRules.requiredLine(recipient, field: "recipient", label: "报送单位", maxLength: 60)
        let now = clock.now()
        try await database.transaction { db in
            let report = try await self.visibleReport(id, actor: origin.actor, on: db)
            guard let location = try await self.location(ofJurisdiction: report.jurisdictionID, on: db),
                self.policy.allows(origin.actor, .fileReports, at: location)
            else { throw DomainError.forbidden }
            guard report.status == .approved else {
                throw DomainError(.conflict, code: "report_not_approved", message: "报告审定后才能报送", english: "only an approved report is filed")
            }
            guard !report.filings.contains(where: { $0.recipient == recipient }) else {
                throw DomainError(.conflict, code: "already_filed", message: "已向“\(recipient)”报送", english: "already filed with this recipient", field: "recipient")
            }
            try await db.raw(
                """
                INSERT INTO report_filings (jurisdiction_id, report_id, recipient, filed_by, filed_at)
                VALUES (\(bind: report.jurisdictionID.text), \(bind: id.text), \(bind: recipient), \(bind: origin.actor.displayName), \(bind: now.epochMilliseconds))
                """
            ).run()
            try await self.audit.append(
                AuditEvent(action: .reportFiled, targetType: "report", targetID: id.text, jurisdictionID: report.jurisdictionID, detail: "\(report.title)报送\(recipient)"),
                origin: origin, at: now, on: db)
        }
        return try await report(id, for: origin.actor)
    }

    public func report(_ id: UUID, for actor: Actor) async throws -> Report {
        try await database.read { db in try await self.visibleReport(id, actor: actor, on: db) }
    }

    /// The reports the actor may see, newest first.
    public func reports(
        assignment: UUID? = nil, kind: ReportKind? = nil, status: ReportStatus? = nil, search: String? = nil, page: PageRequest = .init(), for actor: Actor
    ) async throws -> Page<Report> {
        try policy.requireAnywhere(actor, .viewReports)
        var sql = ReportRows.select + " WHERE " + ReportRows.scope(policy.scope(actor, .viewReports))
        if let assignment { sql += " AND r.assignment_id = \(bind: assignment.text)" }
        if let kind { sql += " AND r.kind = \(bind: kind.rawValue)" }
        if let status { sql += " AND r.status = \(bind: status.rawValue)" }
        if let search { sql += " AND (r.title LIKE \(bind: ScopeSQL.likeContains(search)) ESCAPE '!' OR u.name LIKE \(bind: ScopeSQL.likeContains(search)) ESCAPE '!')" }
        return try await database.newestFirst(sql, page: page, alias: "r", time: \.createdAt, id: \.id) { sql, db in try await ReportRows.load(sql, on: db) }
    }

    func visibleReport(_ id: UUID, actor: Actor, on db: any SQLDatabase) async throws -> Report {
        let sql = ReportRows.select + " WHERE r.id = \(bind: id.text) AND " + ReportRows.scope(policy.scope(actor, .viewReports))
        guard let found = try await ReportRows.load(sql, on: db).first else { throw DomainError.notFound }
        return found
    }

    static func reportText(title: String?, body: String?) throws -> (String, String) {
        let title = try TextRules.requiredLine(title, field: "title", label: "报告标题", maxLength: 120)
        let body = try TextRules.requiredText(body, field: "body", label: "报告正文", maxLength: 200_000)
        return (title, body)
    }
}

/// The report's chain in the store: the group decides who submits, the committee's chain who
/// records each stage's decision.
extension ReportLifecycle: StoredLifecycle {
    public static let table = "reports"
    public static let auditAction = AuditAction.reportStep

    /// 提交审议 issues the 巡察报告 or 专题报告 (again, after a return).
    public static func issuedDocuments(by step: ReportStep, of report: Report) -> [DocumentKind] {
        step == .submit ? report.kind.documentKind.map { [$0] } ?? [] : []
    }

    public static func visible(_ id: UUID, for actor: Actor, in store: Store, on db: any SQLDatabase) async throws -> Report {
        try await store.visibleReport(id, actor: actor, on: db)
    }

    public static func standing(of actor: Actor, towards report: Report, in store: Store, on db: any SQLDatabase) async throws -> ReportStanding {
        ReportStanding(
            leadsGroup: try await store.standing(actor, in: report.assignmentID, on: db)?.isLeader == true,
            roles: actor.jurisdictionID == report.jurisdictionID ? actor.roles : [], pendingStage: report.pendingStage)
    }

    /// Each submission follows the committee's chain as it stands now.
    public static func facts(for step: ReportStep, on report: Report, input: StepNote, origin: RequestOrigin, context: StepContext, in store: Store, on db: any SQLDatabase) async throws
        -> [ReportStage]
    {
        step == .submit ? try await SettingsRows.settings(of: report.jurisdictionID, on: db).reportChain : report.chain
    }

    public static func columns(of report: Report) -> [(name: String, value: StepColumn)] {
        [
            ("status", .text(report.status.rawValue)), ("stage_index", .integer(report.stageIndex)), ("chain", .text(SettingsRows.json(report.chain))),
            ("pending_role", .text(report.pendingStage?.role.rawValue)),
        ]
    }

    public static func label(of report: Report) -> String { report.title }
}

enum ReportRows {
    static let select: SQLQueryString = "SELECT r.*, u.name AS unit_name FROM reports r JOIN assignments a ON a.id = r.assignment_id JOIN units u ON u.id = a.unit_id"

    static func scope(_ scope: Scope) -> SQLQueryString {
        ScopeSQL.filter(scope, jurisdictionColumn: "r.jurisdiction_id", assignmentColumn: "r.assignment_id")
    }

    /// A report rests only on approved findings of its own assignment.
    static func requireApprovedFindings(_ ids: [UUID], of assignment: AssignmentDetail, on db: any SQLDatabase) async throws {
        let unique = Array(Set(ids))
        guard !unique.isEmpty else { return }
        let approved = try await db.raw(
            """
            SELECT id FROM findings WHERE id IN (\(binds: unique.map(\.text))) AND assignment_id = \(bind: assignment.id.text) AND status = 'approved'
            """
        ).all()
        guard approved.count == unique.count else {
            throw DomainError.invalid(
                "finding_not_approved", "报告只能引用本任务已审定的问题底稿", english: "a report cites only this assignment's approved findings", field: "finding_ids")
        }
    }

    static func writeFindings(_ ids: [UUID], of report: UUID, on db: any SQLDatabase) async throws {
        for id in Set(ids) {
            try await db.raw("INSERT INTO report_findings (report_id, finding_id) VALUES (\(bind: report.text), \(bind: id.text))").run()
        }
    }

    static func load(_ sql: SQLQueryString, on db: any SQLDatabase) async throws -> [Report] {
        let rows = try await db.raw(sql).all()
        guard !rows.isEmpty else { return [] }
        let ids = try rows.map { try $0.string("id") }
        let findings = try await db.grouped("SELECT report_id, finding_id FROM report_findings WHERE report_id IN (\(binds: ids))", by: "report_id") { row in
            try row.uuid("finding_id")
        }
        let filings = try await db.grouped("SELECT * FROM report_filings WHERE report_id IN (\(binds: ids)) ORDER BY filed_at", by: "report_id") { row in
            ReportFiling(recipient: try row.string("recipient"), filedBy: try row.string("filed_by"), filedAt: try row.date("filed_at"))
        }
        return try rows.map { row in
            let id = try row.uuid("id")
            let chain = (try? JSONDecoder().decode([ReportStage].self, from: Data(try row.string("chain").utf8))) ?? ReportChain.standard
            return Report(
                id: id, jurisdictionID: try row.uuid("jurisdiction_id"), roundID: try row.uuid("round_id"), assignmentID: try row.uuid("assignment_id"),
                groupID: try row.uuid("group_id"), unitName: try row.string("unit_name"), kind: try row.code("kind", or: .inspection),
                title: try row.string("title"), body: try row.string("body"), findingIDs: (findings[id] ?? []).sorted { $0.text < $1.text },
                status: try row.code("status", or: .draft), chain: chain, stageIndex: try row.int("stage_index"),
                filings: filings[id] ?? [], createdBy: try row.string("created_by"), createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"),
                version: try row.int("version"))
        }
    }
}
