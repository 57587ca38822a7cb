import Foundation
import SQLKit
import XunchaCore

/// 被巡察单位申请回避: the unit files a request, the office grants or refuses it with reasons.
/// Only a granted request becomes a `conflict_declarations` row, the record every access query
/// reads, so until the office decides the member keeps the unit and an inspected unit cannot blind
/// its inspectors by naming them.
extension Store {
    /// The inspected unit asks for a member of the announced group to be recused. The request
    /// waits for the office; the member's access does not change.
    public func requestRecusal(notice noticeID: UUID, inspector inspectorID: UUID, reason: String?, origin: RequestOrigin) async throws -> RecusalRequest {
        let reason = try TextRules.requiredLine(reason, field: "reason", label: "申请回避理由", maxLength: 500)
        let notice = try await self.notice(noticeID, for: origin.actor)
        guard policy.allows(origin.actor, .requestRecusal, at: RecordLocation(jurisdictionID: notice.jurisdictionID, jurisdictionPath: "", unitID: notice.unitID))
        else { throw DomainError.forbidden }
        guard let member = notice.members.first(where: { $0.inspectorID == inspectorID }) else {
            throw DomainError.invalid("not_in_group", "所选人员不是该巡察组成员", english: "not a member of the announced group", field: "inspector_id")
        }
        let now = clock.now()
        let id = ids.next()
        try await database.transaction { db in
            for row in try await db.raw(
                """
                SELECT status FROM recusal_requests WHERE assignment_id = \(bind: notice.assignmentID.text) AND inspector_id = \(bind: inspectorID.text)
                AND status IN (\(binds: [RecusalRequestStatus.pending.rawValue, RecusalRequestStatus.granted.rawValue]))
                """
            ).all() {
                if try row.string("status") == RecusalRequestStatus.pending.rawValue {
                    throw DomainError(
                        .conflict, code: "recusal_request_pending", message: "已申请\(member.name)回避，正等待巡察办决定", english: "a request for this member is pending",
                        field: "inspector_id")
                }
                throw DomainError(.conflict, code: "already_recused", message: "巡察办已同意\(member.name)回避", english: "the member is already recused", field: "inspector_id")
            }
            try await ArchiveLock.refuse(assignment: notice.assignmentID, on: db)
            try await db.raw(
                """
                INSERT INTO recusal_requests (jurisdiction_id, id, notice_id, assignment_id, unit_id, inspector_id, reason, requested_by, requested_at, status)
                VALUES (\(bind: notice.jurisdictionID.text), \(bind: id.text), \(bind: noticeID.text), \(bind: notice.assignmentID.text), \(bind: notice.unitID.text),
                    \(bind: inspectorID.text), \(bind: reason), \(bind: origin.actor.displayName), \(bind: now.epochMilliseconds), \(bind: RecusalRequestStatus.pending.rawValue))
                """
            ).run()
            try await self.audit.append(
                AuditEvent(
                    action: .recusalRequested, targetType: "recusal_request", targetID: id.text, jurisdictionID: notice.jurisdictionID,
                    detail: "\(notice.unitName)申请\(notice.groupName)\(member.name)回避，待巡察办决定"),
                origin: origin, at: now, on: db)
        }
        return try await recusalRequest(id, for: origin.actor)
    }

    /// The office grants or refuses a pending request, with its reasons. A grant records the
    /// conflict as today's recusal does, so the member loses the unit from this moment; a refusal
    /// changes nothing for the member. Decided once.
    public func decideRecusalRequest(_ id: UUID, decision: String?, reason: String?, origin: RequestOrigin) async throws -> RecusalRequest {
        let (decision, reason) = try RecusalDecision.validated(decision: decision, reason: reason)
        let now = clock.now()
        try await database.transaction { db in
            let request = try await self.visibleRecusalRequest(id, actor: origin.actor, on: db)
            guard self.policy.allows(origin.actor, .decideRecusalRequests, at: RecordLocation(jurisdictionID: request.jurisdictionID, jurisdictionPath: "", unitID: request.unitID))
            else { throw DomainError.forbidden }
            try await ArchiveLock.refuse("recusal_requests", id, on: db)
            let decided = try await db.raw(
                """
                UPDATE recusal_requests SET status = \(bind: decision.outcome.rawValue), decided_by = \(bind: origin.actor.displayName),
                    decided_at = \(bind: now.epochMilliseconds), decision_reason = \(bind: reason)
                WHERE id = \(bind: id.text) AND status = \(bind: RecusalRequestStatus.pending.rawValue) RETURNING id
                """
            ).all()
            guard decided.count == 1 else {
                throw DomainError(
                    .conflict, code: "recusal_request_decided", message: "该回避申请已由巡察办决定（\(request.status.title)），不能再改",
                    english: "the request is already decided")
            }
            if decision == .grant {
                try await self.recordDeclaration(
                    try await InspectorRows.find(request.inspectorID, on: db), unit: UnitRef(id: request.unitID, name: request.unitName), kind: .unitRequest, reason: request.reason,
                    origin: origin, now: now, on: db)
            }
            try await self.audit.append(
                AuditEvent(
                    action: .recusalRequestDecided, targetType: "recusal_request", targetID: id.text, jurisdictionID: request.jurisdictionID,
                    detail: "\(request.unitName)申请\(request.inspectorName)回避：\(decision.title)。理由：\(reason)"),
                origin: origin, at: now, on: db)
        }
        return try await recusalRequest(id, for: origin.actor)
    }

    /// One request, if the actor may see it (the office its committee's, a unit its own);
    /// otherwise not found.
    public func recusalRequest(_ id: UUID, for actor: Actor) async throws -> RecusalRequest {
        try await database.read { db in try await self.visibleRecusalRequest(id, actor: actor, on: db) }
    }

    /// The requests the actor may see, newest first.
    public func recusalRequests(_ query: RecusalRequestQuery = .init(), page: PageRequest = .init(), for actor: Actor) async throws -> Page<RecusalRequest> {
        try policy.requireAnywhere(actor, .viewRecusalRequests)
        var sql = RecusalRequestRows.select + " WHERE " + RecusalRequestRows.scope(policy.scope(actor, .viewRecusalRequests))
        if let status = query.status { sql += " AND q.status = \(bind: status.rawValue)" }
        if let assignment = query.assignmentID { sql += " AND q.assignment_id = \(bind: assignment.text)" }
        return try await database.newestFirst(sql, page: page, alias: "q", column: "requested_at", time: \.requestedAt, id: \.id, decode: RecusalRequestRows.decode)
    }

    /// How many requests wait for the actor's decision (首页待办); zero for anyone who decides none.
    public func recusalRequestsToDecide(for actor: Actor) async throws -> Int {
        let scope = policy.scope(actor, .decideRecusalRequests)
        guard !scope.isNothing else { return 0 }
        let sql: SQLQueryString = "SELECT COUNT(*) AS n FROM recusal_requests q WHERE q.status = \(bind: RecusalRequestStatus.pending.rawValue) AND "
            + RecusalRequestRows.scope(scope)
        return try await database.read { db in try await db.raw(sql).first().map { try $0.int("n") } ?? 0 }
    }

    func visibleRecusalRequest(_ id: UUID, actor: Actor, on db: any SQLDatabase) async throws -> RecusalRequest {
        let sql = RecusalRequestRows.select + " WHERE q.id = \(bind: id.text) AND " + RecusalRequestRows.scope(policy.scope(actor, .viewRecusalRequests))
        return try await db.one(sql, RecusalRequestRows.decode)
    }
}

/// The SQL of recusal requests, read with the unit, the group and the member named.
enum RecusalRequestRows {
    static let select: SQLQueryString = """
        SELECT q.*, u.name AS unit_name, g.name AS group_name, i.name AS inspector_name
        FROM recusal_requests q
        JOIN units u ON u.id = q.unit_id
        JOIN assignments a ON a.id = q.assignment_id
        JOIN inspection_groups g ON g.id = a.group_id
        JOIN inspectors i ON i.id = q.inspector_id
        """

    static func scope(_ scope: Scope) -> SQLQueryString {
        ScopeSQL.filter(scope, jurisdictionColumn: "q.jurisdiction_id", unitColumn: "q.unit_id")
    }

    static func decode(_ row: any SQLRow) throws -> RecusalRequest {
        RecusalRequest(
            id: try row.uuid("id"), jurisdictionID: try row.uuid("jurisdiction_id"), noticeID: try row.uuid("notice_id"), assignmentID: try row.uuid("assignment_id"),
            unitID: try row.uuid("unit_id"), unitName: try row.string("unit_name"), groupName: try row.string("group_name"), inspectorID: try row.uuid("inspector_id"),
            inspectorName: try row.string("inspector_name"), reason: try row.string("reason"), requestedBy: try row.string("requested_by"),
            requestedAt: try row.date("requested_at"), status: try row.code("status", or: .pending),
            decidedBy: try row.optionalString("decided_by"), decidedAt: try row.optionalDate("decided_at"), decisionReason: try row.optionalString("decision_reason"))
    }
}
