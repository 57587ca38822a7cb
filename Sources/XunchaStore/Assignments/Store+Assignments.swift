import Foundation
import SQLKit
import XunchaCore

/// 巡察任务 from the people's side: the pledge that opens a member's assignments, the
/// assignments each person may see, the written notice to the unit, and recusal declared by a
/// cadre (a unit's request waits for the office: Store+RecusalRequests.swift).
extension Store {
    // MARK: The cadre's own side

    /// The groups the signed-in cadre serves in, newest round first, with the pledge state.
    public func memberships(for actor: Actor) async throws -> [Membership] {
        try policy.requireAnywhere(actor, .actAsInspector)
        guard let account = actor.userID else { return [] }
        return try await database.read { db in
            try await db.raw(
                """
                SELECT g.id AS group_id, g.name AS group_name, m.role, r.*, p.signed_at
                FROM inspectors me
                JOIN group_members m ON m.inspector_id = me.id
                JOIN inspection_groups g ON g.id = m.group_id
                JOIN rounds r ON r.id = g.round_id
                LEFT JOIN pledges p ON p.round_id = r.id AND p.inspector_id = me.id
                WHERE me.account_id = \(bind: account.text)
                ORDER BY r.planned_start DESC, g.name
                """
            ).all().map { row in
                let round = try RoundRows.decode(row)
                return Membership(
                    groupID: try row.uuid("group_id"), groupName: try row.string("group_name"), roundID: round.id, roundTitle: round.title,
                    role: try row.code("role", or: .member), pledgedAt: try row.optionalDate("signed_at"))
            }
        }
    }

    /// Signs the round's 保密承诺 as the cadre linked to the account. Signing twice keeps the first
    /// signature.
    public func signPledge(round roundID: UUID, origin: RequestOrigin) async throws -> PledgeSignature {
        try policy.requireAnywhere(origin.actor, .actAsInspector)
        let now = clock.now()
        return try await database.transaction { db in
            let me = try await self.ownInspector(origin.actor, on: db)
            guard let round = try await RoundRows.find(roundID, on: db), round.jurisdictionID == me.jurisdictionID,
                try await db.raw(
                    """
                    SELECT 1 AS one FROM group_members m JOIN inspection_groups g ON g.id = m.group_id
                    WHERE m.inspector_id = \(bind: me.id.text) AND g.round_id = \(bind: roundID.text)
                    """
                ).first() != nil
            else { throw DomainError.notFound }
            if let row = try await db.raw(
                "SELECT pledge_version, signed_at FROM pledges WHERE round_id = \(bind: roundID.text) AND inspector_id = \(bind: me.id.text)"
            ).first() {
                return PledgeSignature(roundID: roundID, inspectorID: me.id, version: try row.string("pledge_version"), signedAt: try row.date("signed_at"))
            }
            try await db.raw(
                """
                INSERT INTO pledges (jurisdiction_id, round_id, inspector_id, pledge_version, signed_at)
                VALUES (\(bind: me.jurisdictionID.text), \(bind: roundID.text), \(bind: me.id.text), \(bind: Pledge.version), \(bind: now.epochMilliseconds))
                """
            ).run()
            try await self.audit.append(
                AuditEvent(
                    action: .pledgeSigned, targetType: "round", targetID: roundID.text, jurisdictionID: me.jurisdictionID,
                    detail: "\(me.name)签署\(round.title)\(Pledge.title)（\(Pledge.version)）"),
                origin: origin, at: now, on: db)
            return PledgeSignature(roundID: roundID, inspectorID: me.id, version: Pledge.version, signedAt: now)
        }
    }

    /// A cadre's own 回避申报 for a unit of the committee. From then on the cadre no longer sees
    /// that unit's records, unless the office, in writing, keeps them on it.
    public func declareOwnConflict(unit unitID: UUID, reason: String?, origin: RequestOrigin) async throws {
        try policy.requireAnywhere(origin.actor, .actAsInspector)
        let reason = try TextRules.requiredLine(reason, field: "reason", label: "回避事由", maxLength: 500)
        let now = clock.now()
        try await database.transaction { db in
            let me = try await self.ownInspector(origin.actor, on: db)
            guard let unit = try await UnitRows.find(unitID, on: db), unit.jurisdictionID == me.jurisdictionID else {
                throw DomainError.invalid("unknown_unit", "单位不在本党委的单位名录中", english: "unit not in this jurisdiction", field: "unit_id")
            }
            try await self.recordDeclaration(me, unit: UnitRef(id: unit.id, name: unit.name), kind: .declared, reason: reason, origin: origin, now: now, on: db)
        }
    }

    // MARK: Assignments

    /// The assignments the actor may see, newest first: the office and the leading group see
    /// their committee's, a member only their own group's (pledge signed, not recused).
    public func assignments(round roundID: UUID? = nil, page: PageRequest = .init(), for actor: Actor) async throws -> Page<AssignmentDetail> {
        try policy.requireAnywhere(actor, .viewAssignments)
        var sql = AssignmentRows.select + " WHERE " + AssignmentRows.scope(policy.scope(actor, .viewAssignments))
        if let roundID { sql += " AND a.round_id = \(bind: roundID.text)" }
        return try await database.newestFirst(sql, page: page, alias: "a", time: \.createdAt, id: \.id, decode: AssignmentRows.decode)
    }

    /// One assignment, if the actor may see it; otherwise not found.
    public func assignment(_ id: UUID, for actor: Actor) async throws -> AssignmentDetail {
        let sql = AssignmentRows.select + " WHERE a.id = \(bind: id.text) AND "
            + AssignmentRows.scope(policy.scope(actor, .viewAssignments))
        guard let found = try await database.read({ db in try await db.raw(sql).first().map(AssignmentRows.decode) }) else { throw DomainError.notFound }
        return found
    }

    // MARK: Notices

    /// Sends the written 巡察通知 for an assignment: the unit sees it from now on, and the
    /// assignment becomes notified. Without a text of its own the office sends the customary one.
    public func sendNotice(for assignmentID: UUID, number: String?, body: String?, origin: RequestOrigin) async throws -> InspectionNotice {
        let number = try TextRules.optionalLine(number, field: "number", label: "文号", maxLength: 60)
        let body = try TextRules.optionalText(body, field: "body", label: "通知正文", maxLength: 5_000)
        let now = clock.now()
        let id = ids.next()
        return try await database.transaction { db in
            guard let assignment = try await db.raw(AssignmentRows.select + " WHERE a.id = \(bind: assignmentID.text)").first().map(AssignmentRows.decode)
            else { throw DomainError.notFound }
            let location = try await self.requireLocation(assignment.jurisdictionID, actor: origin.actor, permission: .manageRounds, on: db)
            guard assignment.status == .planned else {
                throw DomainError(.conflict, code: "notice_already_sent", message: "已向\(assignment.unitName)发送过巡察通知", english: "notice already sent")
            }
            let committee = try await JurisdictionRows.find(location.jurisdictionID, on: db)?.name ?? ""
            guard let round = try await RoundRows.find(assignment.roundID, on: db) else { throw DomainError.notFound }
            let text = body ?? InspectionNotice.standardBody(
                committee: committee, kindTitle: round.kind.title, groupName: assignment.groupName, unitName: assignment.unitName,
                entry: assignment.entryDate, exit: assignment.exitDate)
            try await ArchiveLock.refuse(assignment: assignmentID, on: db)
            try await db.raw(
                """
                INSERT INTO notices (jurisdiction_id, id, assignment_id, unit_id, number, body, sent_by, sent_at)
                VALUES (\(bind: assignment.jurisdictionID.text), \(bind: id.text), \(bind: assignmentID.text), \(bind: assignment.unitID.text),
                    \(bind: number), \(bind: text), \(bind: origin.actor.displayName), \(bind: now.epochMilliseconds))
                """
            ).run()
            try await db.raw("UPDATE assignments SET status = \(bind: AssignmentStatus.notified.rawValue) WHERE id = \(bind: assignmentID.text)").run()
            try await self.pinDocument(.notice, record: id, jurisdictionID: assignment.jurisdictionID, at: now, on: db)
            try await self.pinDocument(.announcement, record: id, jurisdictionID: assignment.jurisdictionID, at: now, on: db)
            try await self.audit.append(
                AuditEvent(
                    action: .noticeSent, targetType: "assignment", targetID: assignmentID.text, jurisdictionID: assignment.jurisdictionID,
                    detail: "向\(assignment.unitName)发送巡察通知\(number.map { "（\($0)）" } ?? "")"),
                origin: origin, at: now, on: db)
            return try await NoticeRows.find(id, on: db)!
        }
    }

    /// The notices the actor may see, newest first: a unit sees only those addressed to it.
    public func notices(page: PageRequest = .init(), for actor: Actor) async throws -> Page<InspectionNotice> {
        try policy.requireAnywhere(actor, .viewNotices)
        let sql = NoticeRows.select + " WHERE " + NoticeRows.scope(policy.scope(actor, .viewNotices))
        return try await database.newestFirst(sql, page: page, alias: "n", column: "sent_at", time: \.sentAt, id: \.id) { sql, db in try await NoticeRows.load(sql, on: db) }
    }

    /// One notice, if the actor may see it; otherwise not found.
    public func notice(_ id: UUID, for actor: Actor) async throws -> InspectionNotice {
        let sql = NoticeRows.select + " WHERE n.id = \(bind: id.text) AND "
            + NoticeRows.scope(policy.scope(actor, .viewNotices))
        guard let found = try await database.read({ db in try await NoticeRows.load(sql, on: db).first }) else { throw DomainError.notFound }
        return found
    }

    // MARK: Helpers

    /// The pool entry linked to the signed-in account.
    func ownInspector(_ actor: Actor, on db: any SQLDatabase) async throws -> Inspector {
        guard let account = actor.userID, let row = try await db.raw("SELECT * FROM inspectors WHERE account_id = \(bind: account.text)").first() else {
            throw DomainError(
                .forbidden, code: "no_pool_entry", message: "您的账号尚未关联巡察干部信息，请联系巡察办", english: "account not linked to a pool entry")
        }
        return try InspectorRows.decode(row)
    }

    func recordDeclaration(_ inspector: Inspector, unit: UnitRef, kind: ConflictKind, reason: String, origin: RequestOrigin, now: Date, on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO conflict_declarations (jurisdiction_id, id, inspector_id, unit_id, kind, reason, declared_by, at)
            VALUES (\(bind: inspector.jurisdictionID.text), \(bind: ids.next().text), \(bind: inspector.id.text), \(bind: unit.id.text),
                \(bind: kind.rawValue), \(bind: reason), \(bind: origin.actor.displayName), \(bind: now.epochMilliseconds))
            """
        ).run()
        try await audit.append(
            AuditEvent(
                action: .conflictDeclared, targetType: "inspector", targetID: inspector.id.text, jurisdictionID: inspector.jurisdictionID,
                detail: "\(inspector.name)对\(unit.name)：\(kind.title)"),
            origin: origin, at: now, on: db)
    }
}

/// The SQL of assignments read with their round, group, unit and batch.
enum AssignmentRows {
    static let select: SQLQueryString = """
        SELECT a.id, a.jurisdiction_id, a.round_id, a.group_id, a.unit_id, a.status, a.created_at, g.name AS group_name, u.name AS unit_name,
            b.sequence AS batch_sequence, b.entry_date, b.exit_date, r.term, r.sequence, r.kind
        FROM assignments a
        JOIN inspection_groups g ON g.id = a.group_id
        JOIN units u ON u.id = a.unit_id
        JOIN batches b ON b.id = a.batch_id
        JOIN rounds r ON r.id = a.round_id
        """

    /// The policy's scope: a group member reads their own group's assignments.
    static func scope(_ scope: Scope) -> SQLQueryString {
        ScopeSQL.filter(scope, jurisdictionColumn: "a.jurisdiction_id", assignmentColumn: "a.id")
    }

    static func find(_ id: UUID, on db: any SQLDatabase) async throws -> AssignmentDetail {
        try await db.one(select + " WHERE a.id = \(bind: id.text)", decode)
    }

    static func decode(_ row: any SQLRow) throws -> AssignmentDetail {
        let roundTitle = "\(try row.string("term"))第\(try row.int("sequence"))轮（\((RoundKind(rawValue: try row.string("kind")) ?? .routine).title)）"
        return AssignmentDetail(
            id: try row.uuid("id"), jurisdictionID: try row.uuid("jurisdiction_id"), roundID: try row.uuid("round_id"), roundTitle: roundTitle,
            groupID: try row.uuid("group_id"), groupName: try row.string("group_name"), unitID: try row.uuid("unit_id"), unitName: try row.string("unit_name"),
            batchSequence: try row.int("batch_sequence"),
            entryDate: try row.day("entry_date", label: "进驻日期"),
            exitDate: try row.day("exit_date", label: "撤离日期"),
            status: try row.code("status", or: .planned), createdAt: try row.date("created_at"))
    }
}

/// The SQL of notices, read with the group they announce.
enum NoticeRows {
    static let select: SQLQueryString = """
        SELECT n.id, n.jurisdiction_id, n.assignment_id, n.unit_id, n.number, n.body, n.sent_at, a.group_id, g.name AS group_name, u.name AS unit_name,
            b.entry_date, b.exit_date
        FROM notices n
        JOIN assignments a ON a.id = n.assignment_id
        JOIN inspection_groups g ON g.id = a.group_id
        JOIN units u ON u.id = n.unit_id
        JOIN batches b ON b.id = a.batch_id
        """

    /// The policy's scope: a unit reads the notices addressed to it.
    static func scope(_ scope: Scope) -> SQLQueryString {
        ScopeSQL.filter(scope, jurisdictionColumn: "n.jurisdiction_id", unitColumn: "n.unit_id")
    }

    static func find(_ id: UUID, on db: any SQLDatabase) async throws -> InspectionNotice? {
        try await load(select + " WHERE n.id = \(bind: id.text)", on: db).first
    }

    /// The notices a query selects, with the members of each announced group (one more query).
    static func load(_ sql: SQLQueryString, on db: any SQLDatabase) async throws -> [InspectionNotice] {
        let rows = try await db.raw(sql).all()
        guard !rows.isEmpty else { return [] }
        let groupIDs = Set(try rows.map { try $0.uuid("group_id") })
        let members = try await db.grouped(
            """
            SELECT m.group_id, m.inspector_id, m.role, i.name FROM group_members m JOIN inspectors i ON i.id = m.inspector_id
            WHERE m.group_id IN (\(binds: groupIDs.map(\.text))) ORDER BY m.created_at, i.name
            """, by: "group_id", GroupRows.member)
        return try rows.map { row in
            InspectionNotice(
                id: try row.uuid("id"), jurisdictionID: try row.uuid("jurisdiction_id"), assignmentID: try row.uuid("assignment_id"), unitID: try row.uuid("unit_id"),
                unitName: try row.string("unit_name"), groupName: try row.string("group_name"), number: try row.optionalString("number"), body: try row.string("body"),
                entryDate: try row.day("entry_date", label: "进驻日期"),
                exitDate: try row.day("exit_date", label: "撤离日期"), sentAt: try row.date("sent_at"),
                members: members[try row.uuid("group_id")] ?? [])
        }
    }
}
