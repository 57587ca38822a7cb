import Foundation
import SQLKit
import XunchaCore

/// 巡察组与派驻: groups, their members and their units, with conflict-of-interest checks at
/// every assignment (回避) and the team proposal.
extension Store {
    /// Forms a group for an approved round.
    public func createGroup(in roundID: UUID, name: String?, authorisation: String?, origin: RequestOrigin) async throws -> InspectionGroup {
        let now = clock.now()
        return try await database.transaction { db in
            let round = try await self.staffableRound(roundID, origin: origin, on: db)
            return try await self.formGroup(in: round, name: name, authorisation: authorisation, origin: origin, now: now, on: db)
        }
    }

    /// Adds a cadre to a group. Checked against every unit the group already inspects; a
    /// conflict needs the office's written reason.
    public func addMember(_ inspectorID: UUID, to groupID: UUID, role: GroupRole, overrideReason: String?, origin: RequestOrigin) async throws -> InspectionGroup {
        let now = clock.now()
        try await database.transaction { db in
            let group = try await GroupRows.find(groupID, on: db)
            let round = try await self.staffableRound(group.roundID, origin: origin, on: db)
            _ = try await self.enrol(inspectorID, in: group, round: round, role: role, overrideReason: overrideReason, origin: origin, now: now, on: db)
        }
        return try await database.read { db in try await GroupRows.find(groupID, on: db) }
    }

    /// Assigns a unit to a group in a batch: 一托N, one group per unit per batch, each member in
    /// one group per batch, and no member with a conflict unless the office overrides in writing.
    public func assign(unit unitID: UUID, to groupID: UUID, batch batchID: UUID, overrideReason: String?, origin: RequestOrigin) async throws -> Assignment {
        let now = clock.now()
        return try await database.transaction { db in
            let group = try await GroupRows.find(groupID, on: db)
            let round = try await self.staffableRound(group.roundID, origin: origin, on: db)
            return try await self.place(unitID, with: group, batch: batchID, round: round, overrideReason: overrideReason, origin: origin, now: now, on: db)
        }
    }

    /// Accepts a team proposal as the office edited it: every group formed, staffed and assigned
    /// under the same rules as one by one, all or nothing.
    public func acceptProposal(roundID: UUID, batchID: UUID, groups plans: [GroupPlan], origin: RequestOrigin) async throws -> [InspectionGroup] {
        guard !plans.isEmpty else { throw DomainError.required("groups", label: "巡察组") }
        let now = clock.now()
        let ids = try await database.transaction { db in
            let round = try await self.staffableRound(roundID, origin: origin, on: db)
            var formed: [UUID] = []
            for plan in plans {
                guard !plan.unitIDs.isEmpty else {
                    throw DomainError.invalid("group_without_units", "“\(plan.name)”没有被巡察单位", english: "a proposed group has no units", field: "unit_ids")
                }
                var group = try await self.formGroup(in: round, name: plan.name, authorisation: plan.authorisation, origin: origin, now: now, on: db)
                // Leader first: the leader-pool rule and 一组一组长 are checked as for a single addition.
                for member in plan.members.sorted(by: { ($0.role == .leader ? 0 : 1) < ($1.role == .leader ? 0 : 1) }) {
                    group.members.append(
                        try await self.enrol(member.inspectorID, in: group, round: round, role: member.role, overrideReason: plan.overrideReason, origin: origin, now: now, on: db))
                }
                for unitID in plan.unitIDs {
                    group.assignments.append(
                        try await self.place(unitID, with: group, batch: batchID, round: round, overrideReason: plan.overrideReason, origin: origin, now: now, on: db))
                }
                formed.append(group.id)
            }
            return formed
        }
        return try await database.read { db in
            let all = try await GroupRows.all(inRound: roundID, on: db)
            return ids.compactMap { id in all.first { $0.id == id } }
        }
    }

    private func formGroup(
        in round: Round, name: String?, authorisation: String?, origin: RequestOrigin, now: Date, on db: any SQLDatabase
    ) async throws -> InspectionGroup {
        let name = try TextRules.requiredLine(name, field: "name", label: "巡察组名称", maxLength: 40)
        let authorisation = try TextRules.optionalLine(authorisation, field: "authorisation", label: "授权文件", maxLength: 100)
        let id = ids.next()
        if try await db.raw("SELECT id FROM inspection_groups WHERE round_id = \(bind: round.id.text) AND name = \(bind: name)").first() != nil {
            throw DomainError(.conflict, code: "duplicate_group", message: "本轮已有“\(name)”", english: "group name taken in this round", field: "name")
        }
        let standing = try await StandingGroupRows.named(name, in: round.jurisdictionID, newID: ids.next(), now: now, on: db)
        try await db.raw(
            """
            INSERT INTO inspection_groups (jurisdiction_id, id, round_id, name, standing_group_id, authorisation, created_at)
            VALUES (\(bind: round.jurisdictionID.text), \(bind: id.text), \(bind: round.id.text), \(bind: name), \(bind: standing.text), \(bind: authorisation),
                \(bind: now.epochMilliseconds))
            """
        ).run()
        try await audit.append(
            AuditEvent(action: .groupFormed, targetType: "group", targetID: id.text, jurisdictionID: round.jurisdictionID, detail: "\(round.title)\(name)"),
            origin: origin, at: now, on: db)
        return InspectionGroup(
            id: id, roundID: round.id, jurisdictionID: round.jurisdictionID, name: name, standingGroupID: standing, authorisation: authorisation, members: [],
            assignments: [])
    }

    private func enrol(
        _ inspectorID: UUID, in group: InspectionGroup, round: Round, role: GroupRole, overrideReason: String?, origin: RequestOrigin, now: Date,
        on db: any SQLDatabase
    ) async throws -> GroupMember {
        let inspector = try await InspectorRows.find(inspectorID, on: db)
        guard inspector.jurisdictionID == round.jurisdictionID else { throw DomainError.notFound }
        guard inspector.available else {
            throw DomainError(.conflict, code: "not_available", message: "\(inspector.name)目前不可抽调", english: "inspector not available")
        }
        if group.members.contains(where: { $0.inspectorID == inspectorID }) {
            throw DomainError(.conflict, code: "already_member", message: "\(inspector.name)已在\(group.name)", english: "already a member")
        }
        if role == .leader {
            guard inspector.inLeaderPool else {
                throw DomainError.invalid("not_in_leader_pool", "组长须从组长库中选任（\(inspector.name)不在组长库）", english: "leaders come from the leader pool", field: "role")
            }
            if group.leader != nil {
                throw DomainError(.conflict, code: "leader_taken", message: "\(group.name)已有组长", english: "group already has a leader", field: "role")
            }
        }
        for batchID in Set(group.assignments.map(\.batchID)) {
            try await GroupRows.requireFreeInBatch([inspector], batchID: batchID, except: group.id, on: db)
        }
        let conflicts = try await self.conflicts(of: [inspector], with: group.assignments.map { UnitRef(id: $0.unitID, name: $0.unitName) }, round: round, on: db)
        if let reason = try StaffingRules.checkConflicts(conflicts, overrideReason: overrideReason) {
            try await recordOverride(conflicts, round: round, reason: reason, origin: origin, now: now, on: db)
        }
        try await db.raw(
            """
            INSERT INTO group_members (jurisdiction_id, group_id, inspector_id, role, created_at)
            VALUES (\(bind: round.jurisdictionID.text), \(bind: group.id.text), \(bind: inspectorID.text), \(bind: role.rawValue), \(bind: now.epochMilliseconds))
            """
        ).run()
        try await audit.append(
            AuditEvent(action: .groupMemberAdded, targetType: "group", targetID: group.id.text, jurisdictionID: round.jurisdictionID, detail: "\(group.name)\(role.title)\(inspector.name)"),
            origin: origin, at: now, on: db)
        return GroupMember(inspectorID: inspectorID, name: inspector.name, role: role)
    }

    private func place(
        _ unitID: UUID, with group: InspectionGroup, batch batchID: UUID, round: Round, overrideReason: String?, origin: RequestOrigin, now: Date,
        on db: any SQLDatabase
    ) async throws -> Assignment {
        let id = ids.next()
        guard try await db.raw("SELECT id FROM batches WHERE id = \(bind: batchID.text) AND round_id = \(bind: round.id.text)").first() != nil
        else { throw DomainError.invalid("unknown_batch", "批次不属于本轮", english: "batch not in this round", field: "batch_id") }
        guard let unit = try await UnitRows.find(unitID, on: db), unit.jurisdictionID == round.jurisdictionID else {
            throw DomainError.invalid("unknown_unit", "单位不在本党委的单位名录中", english: "unit not in this jurisdiction", field: "unit_id")
        }
        if try await db.raw("SELECT id FROM assignments WHERE batch_id = \(bind: batchID.text) AND unit_id = \(bind: unitID.text)").first() != nil {
            throw DomainError(.conflict, code: "unit_already_assigned", message: "\(unit.name)在本批次已有巡察组", english: "unit already assigned in this batch", field: "unit_id")
        }
        try StaffingRules.checkCapacity(assignedInBatch: group.assignments.filter { $0.batchID == batchID }.count, limit: round.maxUnitsPerGroup)
        let members = try await GroupRows.inspectors(of: group.id, on: db)
        try await GroupRows.requireFreeInBatch(members, batchID: batchID, except: group.id, on: db)
        let conflicts = try await self.conflicts(of: members, with: [UnitRef(id: unit.id, name: unit.name)], round: round, on: db)
        if let reason = try StaffingRules.checkConflicts(conflicts, overrideReason: overrideReason) {
            try await recordOverride(conflicts, round: round, reason: reason, origin: origin, now: now, on: db)
        }
        try await db.raw(
            """
            INSERT INTO assignments (jurisdiction_id, id, round_id, batch_id, group_id, unit_id, status, created_at)
            VALUES (\(bind: round.jurisdictionID.text), \(bind: id.text), \(bind: round.id.text), \(bind: batchID.text), \(bind: group.id.text),
                \(bind: unitID.text), 'planned', \(bind: now.epochMilliseconds))
            """
        ).run()
        try await audit.append(
            AuditEvent(action: .unitAssigned, targetType: "assignment", targetID: id.text, jurisdictionID: round.jurisdictionID, detail: "\(group.name)巡察\(unit.name)"),
            origin: origin, at: now, on: db)
        return Assignment(id: id, roundID: round.id, batchID: batchID, groupID: group.id, unitID: unitID, unitName: unit.name)
    }

    /// Puts a conflict on record: declared by the cadre, or a recusal the unit asked for.
    public func declareConflict(inspector inspectorID: UUID, unit unitID: UUID, kind: ConflictKind, reason: String?, origin: RequestOrigin) async throws {
        guard kind == .declared || kind == .unitRequest else {
            throw DomainError.invalid("invalid_kind", "只能登记本人申报或单位申请的回避", english: "only declared conflicts are recorded", field: "kind")
        }
        let reason = try TextRules.requiredLine(reason, field: "reason", label: "回避理由", maxLength: 500)
        let now = clock.now()
        try await database.transaction { db in
            let inspector = try await InspectorRows.find(inspectorID, on: db)
            _ = try await self.requireLocation(inspector.jurisdictionID, actor: origin.actor, permission: .managePools, on: db)
            guard let unit = try await UnitRows.find(unitID, on: db), unit.jurisdictionID == inspector.jurisdictionID else { throw DomainError.notFound }
            try await self.recordDeclaration(inspector, unit: UnitRef(id: unit.id, name: unit.name), kind: kind, reason: reason, origin: origin, now: now, on: db)
        }
    }

    /// The groups of a round with members and units.
    public func groups(of roundID: UUID, for actor: Actor) async throws -> [InspectionGroup] {
        _ = try await round(roundID, for: actor)
        return try await database.read { db in try await GroupRows.all(inRound: roundID, on: db) }
    }

    /// Proposes groups for `unitIDs` in one batch from the available pool, steering around every
    /// conflict, last round's pairings and anyone already serving in the batch.
    public func proposeTeams(roundID: UUID, batchID: UUID, unitIDs: [UUID], membersPerGroup: Int = 4, for actor: Actor) async throws -> TeamProposal {
        let round = try await self.round(roundID, for: actor)
        guard policy.allowsAnywhere(actor, .manageRounds), policy.allowsAnywhere(actor, .viewPools) else { throw DomainError.forbidden }
        return try await database.read { db in
            var units: [UnitRef] = []
            for id in unitIDs {
                guard let unit = try await UnitRows.find(id, on: db), unit.jurisdictionID == round.jurisdictionID else {
                    throw DomainError.invalid("unknown_unit", "单位不在本党委的单位名录中", english: "unit not in this jurisdiction", field: "unit_ids")
                }
                units.append(UnitRef(id: unit.id, name: unit.name))
            }
            let pool = try await db.raw("SELECT * FROM inspectors WHERE jurisdiction_id = \(bind: round.jurisdictionID.text) AND available = 1").all().map(InspectorRows.decode)
            let serving = Set(try await db.raw(
                """
                SELECT DISTINCT m.inspector_id FROM group_members m JOIN assignments a ON a.group_id = m.group_id WHERE a.batch_id = \(bind: batchID.text)
                """
            ).all().map { try $0.uuid("inspector_id") })
            let previous = try await self.previousPairings(before: round, on: db)
            let declarations = try await self.declarations(for: units.map(\.id), on: db)
            let rules = try await SettingsRows.settings(of: round.jurisdictionID, on: db).conflictRules
            let proposer = TeamProposer(rules: rules, maxUnitsPerGroup: round.maxUnitsPerGroup, membersPerGroup: membersPerGroup)
            return proposer.propose(
                units: units, pool: pool, year: round.plannedStart.year, previous: previous, declarations: declarations, alreadyServing: serving)
        }
    }

    // MARK: Helpers

    private func staffableRound(_ roundID: UUID, origin: RequestOrigin, on db: any SQLDatabase) async throws -> Round {
        guard let round = try await RoundRows.find(roundID, on: db) else { throw DomainError.notFound }
        _ = try await requireLocation(round.jurisdictionID, actor: origin.actor, permission: .manageRounds, on: db)
        guard round.status.allowsStaffing else {
            throw DomainError(
                .conflict, code: "round_not_staffable", message: "轮次处于“\(round.status.title)”状态：党委批准后、动员部署前才能组建巡察组和派驻",
                english: "groups are formed between approval and mobilisation")
        }
        return round
    }

    /// Every conflict between `inspectors` and `units` under the committee's rules (also listed
    /// on the proposal page, so not private).
    func conflicts(of inspectors: [Inspector], with units: [UnitRef], round: Round, on db: any SQLDatabase) async throws -> [Conflict] {
        guard !inspectors.isEmpty, !units.isEmpty else { return [] }
        let previous = try await previousPairings(before: round, on: db)
        let declarations = try await declarations(for: units.map(\.id), on: db)
        let rules = try await SettingsRows.settings(of: round.jurisdictionID, on: db).conflictRules
        return inspectors.flatMap { inspector in
            units.flatMap { rules.conflicts(inspector, $0, year: round.plannedStart.year, previous: previous, declarations: declarations) }
        }
    }

    /// Who inspected which unit in the committee's round before this one (三个不固定).
    private func previousPairings(before round: Round, on db: any SQLDatabase) async throws -> PreviousPairings {
        guard let previous = try await db.raw(
            """
            SELECT id FROM rounds WHERE jurisdiction_id = \(bind: round.jurisdictionID.text) AND planned_start < \(bind: round.plannedStart.description)
            ORDER BY planned_start DESC LIMIT 1
            """
        ).first() else { return PreviousPairings() }
        var byUnit: [UUID: [UUID: Bool]] = [:]
        for row in try await db.raw(
            """
            SELECT a.unit_id, m.inspector_id, m.role FROM assignments a JOIN group_members m ON m.group_id = a.group_id
            WHERE a.round_id = \(bind: try previous.string("id"))
            """
        ).all() {
            byUnit[try row.uuid("unit_id"), default: [:]][try row.uuid("inspector_id")] = try row.string("role") == GroupRole.leader.rawValue
        }
        return PreviousPairings(byUnit: byUnit)
    }

    private func declarations(for unitIDs: [UUID], on db: any SQLDatabase) async throws -> [ConflictDeclaration] {
        guard !unitIDs.isEmpty else { return [] }
        return try await db.raw("SELECT * FROM conflict_declarations WHERE unit_id IN (\(binds: unitIDs.map(\.text)))").all().map { row in
            ConflictDeclaration(
                inspectorID: try row.uuid("inspector_id"), unitID: try row.uuid("unit_id"), kind: try row.code("kind", or: .declared),
                reason: try row.string("reason"))
        }
    }

    private func recordOverride(_ conflicts: [Conflict], round: Round, reason: String, origin: RequestOrigin, now: Date, on db: any SQLDatabase) async throws {
        let pairs = Dictionary(grouping: conflicts) { "\($0.inspectorID.text)|\($0.unitID.text)" }
        for (_, found) in pairs.sorted(by: { $0.key < $1.key }) {
            let first = found[0]
            try await db.raw(
                """
                INSERT INTO conflict_overrides (jurisdiction_id, id, inspector_id, unit_id, round_id, kinds, reason, decided_by, at)
                VALUES (\(bind: round.jurisdictionID.text), \(bind: ids.next().text), \(bind: first.inspectorID.text), \(bind: first.unitID.text),
                    \(bind: round.id.text), \(bind: found.map(\.kind.rawValue).joined(separator: " ")), \(bind: reason), \(bind: origin.actor.displayName),
                    \(bind: now.epochMilliseconds))
                """
            ).run()
            try await audit.append(
                AuditEvent(
                    action: .conflictOverridden, targetType: "inspector", targetID: first.inspectorID.text, jurisdictionID: round.jurisdictionID,
                    detail: found.map(\.detail).joined(separator: "；") + "。理由：" + reason),
                origin: origin, at: now, on: db)
        }
    }
}

/// The SQL of groups, members and assignments.
enum GroupRows {
    static func find(_ id: UUID, on db: any SQLDatabase) async throws -> InspectionGroup {
        guard let group = try await load("g.id = \(bind: id.text)", on: db).first else { throw DomainError.notFound }
        return group
    }

    /// Every group of a round with members and units, in three queries whatever the count.
    static func all(inRound roundID: UUID, on db: any SQLDatabase) async throws -> [InspectionGroup] {
        try await load("g.round_id = \(bind: roundID.text)", on: db)
    }

    /// Every round's group of a standing group.
    static func all(ofStandingGroup id: UUID, on db: any SQLDatabase) async throws -> [InspectionGroup] {
        try await load("g.standing_group_id = \(bind: id.text)", on: db)
    }

    /// A member as read with the group's id: `m.inspector_id`, `m.role` and the cadre's `i.name`.
    static func member(_ row: any SQLRow) throws -> GroupMember {
        GroupMember(inspectorID: try row.uuid("inspector_id"), name: try row.string("name"), role: try row.code("role", or: .member))
    }

    private static func load(_ condition: SQLQueryString, on db: any SQLDatabase) async throws -> [InspectionGroup] {
        let groups = try await db.raw("SELECT g.* FROM inspection_groups g WHERE " + condition + " ORDER BY g.created_at, g.id").all()
        guard !groups.isEmpty else { return [] }
        let membersByGroup = try await db.grouped(
            "SELECT m.group_id, m.inspector_id, m.role, i.name FROM group_members m JOIN inspectors i ON i.id = m.inspector_id JOIN inspection_groups g ON g.id = m.group_id WHERE "
                + condition + " ORDER BY m.created_at, i.name", by: "group_id", member)
        let assignmentsByGroup = try await db.grouped(
            "SELECT a.*, u.name AS unit_name FROM assignments a JOIN units u ON u.id = a.unit_id JOIN inspection_groups g ON g.id = a.group_id WHERE "
                + condition + " ORDER BY a.created_at, a.id", by: "group_id"
        ) { row in
            Assignment(
                id: try row.uuid("id"), roundID: try row.uuid("round_id"), batchID: try row.uuid("batch_id"), groupID: try row.uuid("group_id"),
                unitID: try row.uuid("unit_id"), unitName: try row.string("unit_name"))
        }
        return try groups.map { row in
            let id = try row.uuid("id")
            return InspectionGroup(
                id: id, roundID: try row.uuid("round_id"), jurisdictionID: try row.uuid("jurisdiction_id"), name: try row.string("name"),
                standingGroupID: try row.uuid("standing_group_id"), authorisation: try row.optionalString("authorisation"), members: membersByGroup[id] ?? [], assignments: assignmentsByGroup[id] ?? [])
        }
    }

    static func inspectors(of groupID: UUID, on db: any SQLDatabase) async throws -> [Inspector] {
        try await db.raw("SELECT i.* FROM inspectors i JOIN group_members m ON m.inspector_id = i.id WHERE m.group_id = \(bind: groupID.text)").all()
            .map(InspectorRows.decode)
    }

    /// A person serves in one group per batch.
    static func requireFreeInBatch(_ inspectors: [Inspector], batchID: UUID, except groupID: UUID, on db: any SQLDatabase) async throws {
        guard !inspectors.isEmpty else { return }
        let busy = try await db.raw(
            """
            SELECT DISTINCT m.inspector_id FROM group_members m JOIN assignments a ON a.group_id = m.group_id
            WHERE a.batch_id = \(bind: batchID.text) AND m.group_id <> \(bind: groupID.text) AND m.inspector_id IN (\(binds: inspectors.map(\.id.text)))
            """
        ).all().map { try $0.uuid("inspector_id") }
        if let first = busy.first, let person = inspectors.first(where: { $0.id == first }) {
            throw DomainError(
                .conflict, code: "already_serving_in_batch", message: "\(person.name)本批次已在其他巡察组，同一批次只能参加一个组",
                english: "a person serves in one group per batch")
        }
    }
}
