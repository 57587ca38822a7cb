import Foundation
import SQLKit
import XunchaCore

/// 立行立改: proposed by triage, approved by the leading group, issued by the group's leader,
/// signed for by the unit head, reported on by the unit, verified and closed by the group.
extension Store {
    public func takeImmediateStep(_ step: ImmediateStep, on id: UUID, input: ImmediateStepInput, version: Int, origin: RequestOrigin) async throws -> ImmediateRectification {
        let now = clock.now()
        try await database.transaction { db in
            let before = try await self.visibleImmediate(id, actor: origin.actor, on: db)
            let standing = try await self.immediateStanding(origin.actor, item: before, on: db)
            let to = try ImmediateLifecycle.apply(step, to: before.status, standing: standing)
            guard before.version == version else { throw DomainError.staleVersion }
            var sets: SQLQueryString = "status = \(bind: to.rawValue)"
            var detail = "\(before.unitName)：\(step.title)"
            switch step {
            case .approve:
                break
            case .issue:
                guard let problem = try TextRules.optionalText(input.problem, field: "problem", label: "通知书所列问题", maxLength: 4_000) else {
                    throw DomainError.required("problem", label: "通知书所列问题")
                }
                guard let requirement = try TextRules.optionalText(input.requirement, field: "requirement", label: "整改要求", maxLength: 4_000) else {
                    throw DomainError.required("requirement", label: "整改要求")
                }
                var deadline: CalendarDay?
                if let text = input.deadline, !text.isEmpty {
                    let day = try CalendarDay(text: text, field: "deadline", label: "整改时限")
                    guard day >= CalendarDay(now) else {
                        throw DomainError.invalid("deadline_past", "整改时限不能早于今天", english: "deadline in the past", field: "deadline")
                    }
                    deadline = day
                }
                let year = CalendarDay(now).year
                let committee = try await JurisdictionRows.find(before.jurisdictionID, on: db)?.name ?? ""
                let number = ImmediateNumber.text(
                    committee: committee, year: year, sequence: try await CounterRows.next("immediate", jurisdiction: before.jurisdictionID, year: year, on: db))
                sets += """
                    , number = \(bind: number), problem = \(bind: problem), requirement = \(bind: requirement), deadline = \(bind: deadline?.description),
                    issued_at = \(bind: now.epochMilliseconds)
                    """
                detail += "（\(number)）"
            case .sign:
                sets += ", signed_by = \(bind: origin.actor.name), signed_at = \(bind: now.epochMilliseconds)"
            case .report:
                guard let measures = try TextRules.optionalText(input.measures, field: "measures", label: "整改措施及成效", maxLength: 10_000) else {
                    throw DomainError.required("measures", label: "整改措施及成效")
                }
                sets += ", measures = \(bind: measures), reported_at = \(bind: now.epochMilliseconds)"
            case .verify:
                let note = try TextRules.optionalText(input.note, field: "note", label: "核实意见", maxLength: 4_000)
                sets += ", verification = \(bind: note ?? "经核实，已整改到位。"), closed_at = \(bind: now.epochMilliseconds)"
            case .reject:
                guard let note = try TextRules.optionalText(input.note, field: "note", label: "退回理由", maxLength: 4_000) else {
                    throw DomainError.required("note", label: "退回理由")
                }
                sets += ", verification = \(bind: note)"
            }
            let changed = try await db.raw(
                "UPDATE immediate_rectifications SET " + sets
                    + ", updated_at = \(bind: now.epochMilliseconds), version = \(bind: version + 1) WHERE id = \(bind: id.text) AND version = \(bind: version) RETURNING id"
            ).all()
            guard changed.count == 1 else { throw DomainError.staleVersion }
            try await self.audit.append(
                AuditEvent(action: .immediateStep, targetType: "immediate", targetID: id.text, jurisdictionID: before.jurisdictionID, detail: detail),
                origin: origin, at: now, on: db)
        }
        return try await immediateRectification(id, for: origin.actor)
    }

    public func immediateRectification(_ id: UUID, for actor: Actor) async throws -> ImmediateRectification {
        try await database.read { db in try await self.visibleImmediate(id, actor: actor, on: db) }
    }

    /// A page of the items the actor may see, newest first.
    public func immediateRectifications(
        assignment: UUID? = nil, status: ImmediateStatus? = nil, page: PageRequest = .init(), for actor: Actor
    ) async throws -> Page<ImmediateRectification> {
        try policy.requireAnywhere(actor, .viewImmediateRectifications)
        var sql = ImmediateRows.select + " WHERE " + ImmediateRows.scope(policy.scope(actor, .viewImmediateRectifications))
        if let assignment { sql += " AND i.assignment_id = \(bind: assignment.text)" }
        if let status { sql += " AND i.status = \(bind: status.rawValue)" }
        sql += try KeysetSQL.newestFirst(page, column: "i.created_at", idColumn: "i.id")
        let final = sql
        let rows = try await database.read { db in try await db.raw(final).all().map(ImmediateRows.decode) }
        return KeysetSQL.page(rows, page) { Cursor(key: String($0.createdAt.epochMilliseconds), id: $0.id.text, order: KeysetSQL.newestFirstOrder) }
    }

    // MARK: Helpers

    func insertImmediate(for finding: Finding, now: Date, on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO immediate_rectifications (jurisdiction_id, id, assignment_id, group_id, unit_id, finding_id, status, created_at, updated_at, version)
            VALUES (\(bind: finding.jurisdictionID.text), \(bind: ids.next().text), \(bind: finding.assignmentID.text), \(bind: finding.groupID.text),
                \(bind: finding.unitID.text), \(bind: finding.id.text), \(bind: ImmediateStatus.proposed.rawValue), \(bind: now.epochMilliseconds),
                \(bind: now.epochMilliseconds), 1)
            """
        ).run()
    }

    func visibleImmediate(_ id: UUID, actor: Actor, on db: any SQLDatabase) async throws -> ImmediateRectification {
        let sql = ImmediateRows.select + " WHERE i.id = \(bind: id.text) AND " + ImmediateRows.scope(policy.scope(actor, .viewImmediateRectifications))
        guard let found = try await db.raw(sql).first().map(ImmediateRows.decode) else { throw DomainError.notFound }
        return found
    }

    func immediateStanding(_ actor: Actor, item: ImmediateRectification, on db: any SQLDatabase) async throws -> ImmediateStanding {
        let inCommittee = actor.jurisdictionID == item.jurisdictionID
        let ofUnit = inCommittee && actor.unitID == item.unitID
        return ImmediateStanding(
            isLeadingGroup: inCommittee && actor.roles.contains(.leadingGroupMember),
            isGroupLeader: try await standing(actor, in: item.assignmentID, on: db)?.isLeader == true,
            isUnitHead: ofUnit && actor.roles.contains(.unitHead),
            isUnitUser: ofUnit && (actor.roles.contains(.unitHead) || actor.roles.contains(.unitContact)))
    }
}

enum ImmediateRows {
    static let select: SQLQueryString = "SELECT i.*, u.name AS unit_name FROM immediate_rectifications i JOIN units u ON u.id = i.unit_id"

    /// The policy's scope; a unit additionally sees only items whose notice was issued.
    static func scope(_ scope: Scope) -> SQLQueryString {
        var sql = ScopeSQL.filter(scope, jurisdictionColumn: "i.jurisdiction_id", unitColumn: "i.unit_id", assignmentColumn: "i.assignment_id")
        if case .unit = scope { sql += " AND i.status IN (\(binds: ImmediateStatus.visibleToUnit.map(\.rawValue)))" }
        return sql
    }

    static func decode(_ row: any SQLRow) throws -> ImmediateRectification {
        ImmediateRectification(
            id: try row.uuid("id"), jurisdictionID: try row.uuid("jurisdiction_id"), assignmentID: try row.uuid("assignment_id"), groupID: try row.uuid("group_id"),
            unitID: try row.uuid("unit_id"), unitName: try row.string("unit_name"), findingID: try row.uuid("finding_id"), number: try row.optionalString("number"),
            status: ImmediateStatus(rawValue: try row.string("status")) ?? .proposed, problem: try row.optionalString("problem"),
            requirement: try row.optionalString("requirement"),
            deadline: try row.optionalString("deadline").map { try CalendarDay(text: $0, field: "deadline", label: "整改时限") },
            issuedAt: try row.optionalDate("issued_at"), signedBy: try row.optionalString("signed_by"), signedAt: try row.optionalDate("signed_at"),
            measures: try row.optionalString("measures"), reportedAt: try row.optionalDate("reported_at"), verification: try row.optionalString("verification"),
            closedAt: try row.optionalDate("closed_at"), createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"), version: try row.int("version"))
    }
}
