import Foundation
import SQLKit
import XunchaCore

/// 立行立改: proposed by triage, approved by the leading group, issued by the group's leader,
/// signed for by the unit head, reported on by the unit, verified and closed by the group.
extension Store {
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
        return try await database.newestFirst(sql, page: page, alias: "i", time: \.createdAt, id: \.id, decode: ImmediateRows.decode)
    }

    // MARK: Helpers

    func insertImmediate(for finding: Finding, now: Date, on db: any SQLDatabase) async throws {
        try await ArchiveLock.refuse(assignment: finding.assignmentID, on: db)
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
        return try await db.one(sql, ImmediateRows.decode)
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

/// 立行立改 in the store: the notice's number is counted per committee and year when it is issued.
extension ImmediateLifecycle: CascadeTarget {
    public static let table = "immediate_rectifications"
    public static let auditAction = AuditAction.immediateStep
    public static let cascadeStanding = ImmediateStanding(isTriage: true)

    public static func visible(_ id: UUID, for actor: Actor, in store: Store, on db: any SQLDatabase) async throws -> ImmediateRectification {
        try await store.visibleImmediate(id, actor: actor, on: db)
    }

    public static func find(_ id: UUID, in store: Store, on db: any SQLDatabase) async throws -> ImmediateRectification {
        try await db.one(ImmediateRows.select + " WHERE i.id = \(bind: id.text)", ImmediateRows.decode)
    }

    public static func standing(of actor: Actor, towards item: ImmediateRectification, in store: Store, on db: any SQLDatabase) async throws -> ImmediateStanding {
        try await store.immediateStanding(actor, item: item, on: db)
    }

    public static func facts(
        for step: ImmediateStep, on item: ImmediateRectification, input: ImmediateStepInput, origin: RequestOrigin, context: StepContext, in store: Store, on db: any SQLDatabase
    ) async throws -> String? {
        guard step == .issue else { return nil }
        let year = context.today.year
        let committee = try await JurisdictionRows.find(item.jurisdictionID, on: db)?.name ?? ""
        return ImmediateNumber.text(
            committee: committee, year: year, sequence: try await CounterRows.next("immediate", jurisdiction: item.jurisdictionID, year: year, on: db),
            template: try await DocumentTemplateRows.current(.immediate, of: item.jurisdictionID, on: db))
    }

    /// Issuing the notice (下达) issues the 立行立改通知书.
    public static func issuedDocuments(by step: ImmediateStep, of item: ImmediateRectification) -> [DocumentKind] { step == .issue ? [.immediate] : [] }

    public static func columns(of item: ImmediateRectification) -> [(name: String, value: StepColumn)] {
        [
            ("status", .text(item.status.rawValue)), ("number", .text(item.number)), ("problem", .text(item.problem)),
            ("requirement", .text(item.requirement)), ("deadline", .day(item.deadline)), ("issued_at", .date(item.issuedAt)),
            ("signed_by", .text(item.signedBy)), ("signed_at", .date(item.signedAt)), ("measures", .text(item.measures)),
            ("reported_at", .date(item.reportedAt)), ("verification", .text(item.verification)), ("closed_at", .date(item.closedAt)),
        ]
    }

    public static func label(of item: ImmediateRectification) -> String { item.unitName }
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
            status: try row.code("status", or: .proposed), problem: try row.optionalString("problem"),
            requirement: try row.optionalString("requirement"),
            deadline: try row.optionalDay("deadline", label: "整改时限"),
            issuedAt: try row.optionalDate("issued_at"), signedBy: try row.optionalString("signed_by"), signedAt: try row.optionalDate("signed_at"),
            measures: try row.optionalString("measures"), reportedAt: try row.optionalDate("reported_at"), verification: try row.optionalString("verification"),
            closedAt: try row.optionalDate("closed_at"), createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"), version: try row.int("version"))
    }
}
