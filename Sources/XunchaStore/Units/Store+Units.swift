import Foundation
import SQLKit
import XunchaCore

/// 被巡察单位: the register of units a committee inspects.
extension Store {
    /// Adds a unit to a jurisdiction.
    public func createUnit(_ draft: UnitDraft, in jurisdictionID: UUID, origin: RequestOrigin) async throws -> InspectedUnit {
        let now = clock.now()
        let id = ids.next()
        return try await database.transaction { db in
            let location = try await self.requireUnitManagement(jurisdictionID, actor: origin.actor, on: db)
            let unit = draft.unit(id: id, jurisdictionID: jurisdictionID, at: now)
            try await self.insertUnit(unit, location: location, origin: origin, detail: unit.name, now: now, on: db)
            return unit
        }
    }

    /// Changes a unit. `version` is the one the editor read; a newer one answers 409.
    public func updateUnit(_ id: UUID, _ draft: UnitDraft, version: Int, origin: RequestOrigin) async throws -> InspectedUnit {
        let now = clock.now()
        let actor = origin.actor
        return try await database.transaction { db in
            guard let before = try await UnitRows.find(id, on: db),
                let location = try await self.location(ofJurisdiction: before.jurisdictionID, on: db)
            else { throw DomainError.notFound }
            try self.policy.requireVisible(actor, .viewUnits, at: RecordLocation(jurisdictionID: location.jurisdictionID, jurisdictionPath: location.jurisdictionPath, unitID: id))
            guard self.policy.allows(actor, .manageUnits, at: location) else { throw DomainError.forbidden }
            guard before.version == version else { throw DomainError.staleVersion }
            try await UnitRows.requireUniqueName(draft.name, jurisdictionID: before.jurisdictionID, excluding: id, on: db)
            try await UnitRows.requireParent(draft.parentUnitID, of: id, jurisdictionID: before.jurisdictionID, on: db)
            var after = before
            after.name = draft.name
            after.type = draft.type
            after.partyOrganisation = draft.partyOrganisation
            after.parentUnitID = draft.parentUnitID
            after.headName = draft.headName
            after.updatedAt = now
            after.version += 1
            do {
                // The version in the WHERE makes the check and the write one step, so two editors
                // who read the same version cannot both win.
                let changed = try await db.raw(
                    """
                    UPDATE units SET name = \(bind: after.name), unit_type = \(bind: after.type.rawValue),
                        party_organisation = \(bind: after.partyOrganisation.rawValue), parent_unit_id = \(bind: after.parentUnitID?.text),
                        head_name = \(bind: after.headName), updated_at = \(bind: now.epochMilliseconds), version = \(bind: after.version)
                    WHERE id = \(bind: id.text) AND version = \(bind: before.version) RETURNING id
                    """
                ).all()
                guard changed.count == 1 else { throw DomainError.staleVersion }
            } catch where Database.isUniqueViolation(error) {
                throw UnitRows.duplicateName(after.name)
            }
            try await self.audit.append(
                AuditEvent(
                    action: .unitUpdated, targetType: "unit", targetID: id.text, jurisdictionID: before.jurisdictionID, detail: after.name,
                    before: AuditEvent.canonical(before), after: AuditEvent.canonical(after)),
                origin: origin, at: now, on: db)
            return after
        }
    }

    /// One unit, if the actor may see it; otherwise not found.
    public func unit(_ id: UUID, for actor: Actor) async throws -> InspectedUnit {
        let found: (InspectedUnit, RecordLocation)? = try await database.read { db in
            guard let unit = try await UnitRows.find(id, on: db),
                let location = try await self.location(ofJurisdiction: unit.jurisdictionID, on: db)
            else { return nil }
            return (unit, location)
        }
        guard let (unit, location) = found else { throw DomainError.notFound }
        try policy.requireVisible(
            actor, .viewUnits, at: RecordLocation(jurisdictionID: location.jurisdictionID, jurisdictionPath: location.jurisdictionPath, unitID: id))
        return unit
    }

    /// A page of the unit register within the actor's scope: filtered, searched, sorted, keyset-paged.
    public func units(_ query: UnitQuery, for actor: Actor) async throws -> Page<InspectedUnit> {
        try policy.requireAnywhere(actor, .viewUnits)
        var sql: SQLQueryString = "SELECT * FROM units WHERE "
        sql += ScopeSQL.filter(policy.scope(actor, .viewUnits), jurisdictionColumn: "jurisdiction_id", unitColumn: "id")
        if let jurisdiction = query.jurisdictionID { sql += " AND jurisdiction_id = \(bind: jurisdiction.text)" }
        if let type = query.type { sql += " AND unit_type = \(bind: type.rawValue)" }
        if let kind = query.partyOrganisation { sql += " AND party_organisation = \(bind: kind.rawValue)" }
        if let search = query.search { sql += " AND name LIKE \(bind: ScopeSQL.likeContains(search)) ESCAPE '!'" }
        var page = query.page
        page.sort = query.sort.rawValue
        page.order = query.order
        return try await database.sorted(sql, page: page, sorting: Self.unitSorting) { sql, db in try await db.raw(sql).all().map(UnitRows.decode) }
    }

    /// The register sorts by name or by when a unit was entered (`UnitQuery.Sort`), ties by id.
    static let unitSorting = ListSorting<InspectedUnit>(
        [.text("name", "name") { $0.name }, .time("created", "created_at", \.createdAt)], idColumn: "id", id: \.id)

    /// Names of the given units the actor may see, for showing parents and account units.
    public func unitNames(_ ids: Set<UUID>, for actor: Actor) async throws -> [UUID: String] {
        guard !ids.isEmpty, policy.allowsAnywhere(actor, .viewUnits) else { return [:] }
        var sql: SQLQueryString = "SELECT id, name FROM units WHERE "
        sql += ScopeSQL.filter(policy.scope(actor, .viewUnits), jurisdictionColumn: "jurisdiction_id", unitColumn: "id")
        sql += " AND id IN (\(binds: ids.map(\.text)))"
        let final = sql
        let rows = try await database.read { db in try await db.raw(final).all() }
        var names: [UUID: String] = [:]
        for row in rows { names[try row.uuid("id")] = try row.string("name") }
        return names
    }

    /// Imports a whole CSV plan into one jurisdiction in one transaction: every unit is written,
    /// or none. Names already in the register and unknown parents are reported with their rows.
    public func importUnits(_ plan: UnitImportPlan, into jurisdictionID: UUID, origin: RequestOrigin) async throws -> [InspectedUnit] {
        let now = clock.now()
        let newIDs = plan.rows.map { _ in ids.next() }
        return try await database.transaction { db in
            let location = try await self.requireUnitManagement(jurisdictionID, actor: origin.actor, on: db)
            let existing = try await UnitRows.namesToIDs(in: jurisdictionID, on: db)
            var idOfName = existing
            for (row, id) in zip(plan.rows, newIDs) { idOfName[row.draft.name] = id }
            var problems: [String] = []
            for row in plan.rows {
                if existing[row.draft.name] != nil {
                    problems.append("第\(row.line)行“单位名称”列：本党委已有名为“\(row.draft.name)”的单位")
                }
                if let parent = row.parentName, idOfName[parent] == nil {
                    problems.append("第\(row.line)行“上级单位”列：找不到名为“\(parent)”的单位")
                }
            }
            if !problems.isEmpty { throw UnitImportPlan.rejection(problems) }
            // Parents first, so the foreign key holds at every insert.
            var pending = Array(zip(plan.rows, newIDs))
            var written = Set(existing.values)
            var units: [InspectedUnit] = []
            while !pending.isEmpty {
                let ready = pending.filter { row, _ in row.parentName.map { written.contains(idOfName[$0]!) } ?? true }
                if ready.isEmpty {
                    throw UnitImportPlan.rejection(pending.map { row, _ in "第\(row.line)行“上级单位”列：上级关系成环" })
                }
                for (row, id) in ready {
                    var draft = row.draft
                    draft.parentUnitID = row.parentName.flatMap { idOfName[$0] }
                    let unit = draft.unit(id: id, jurisdictionID: jurisdictionID, at: now)
                    try await self.insertUnit(unit, location: location, origin: origin, detail: "CSV导入第\(row.line)行：\(unit.name)", now: now, on: db)
                    written.insert(id)
                    units.append(unit)
                }
                let readyIDs = Set(ready.map(\.1))
                pending.removeAll { readyIDs.contains($0.1) }
            }
            try await self.audit.append(
                AuditEvent(action: .unitsImported, targetType: "jurisdiction", targetID: jurisdictionID.text, jurisdictionID: jurisdictionID, detail: "CSV导入\(units.count)家单位"),
                origin: origin, at: now, on: db)
            return units
        }
    }

    private func requireUnitManagement(_ jurisdictionID: UUID, actor: Actor, on db: any SQLDatabase) async throws -> RecordLocation {
        guard let location = try await location(ofJurisdiction: jurisdictionID, on: db),
            policy.allows(actor, .viewJurisdictions, at: location)
        else { throw DomainError.notFound }
        guard policy.allows(actor, .manageUnits, at: location) else { throw DomainError.forbidden }
        return location
    }

    private func insertUnit(_ unit: InspectedUnit, location: RecordLocation, origin: RequestOrigin, detail: String, now: Date, on db: any SQLDatabase) async throws {
        try await UnitRows.requireUniqueName(unit.name, jurisdictionID: unit.jurisdictionID, excluding: nil, on: db)
        try await UnitRows.requireParent(unit.parentUnitID, of: unit.id, jurisdictionID: unit.jurisdictionID, on: db)
        do {
            try await db.raw(
                """
                INSERT INTO units (jurisdiction_id, id, name, unit_type, party_organisation, parent_unit_id, head_name, created_at, updated_at, version)
                VALUES (\(bind: unit.jurisdictionID.text), \(bind: unit.id.text), \(bind: unit.name), \(bind: unit.type.rawValue),
                    \(bind: unit.partyOrganisation.rawValue), \(bind: unit.parentUnitID?.text), \(bind: unit.headName),
                    \(bind: now.epochMilliseconds), \(bind: now.epochMilliseconds), \(bind: unit.version))
                """
            ).run()
        } catch where Database.isUniqueViolation(error) {
            throw UnitRows.duplicateName(unit.name)
        }
        try await audit.append(
            AuditEvent(
                action: .unitCreated, targetType: "unit", targetID: unit.id.text, jurisdictionID: unit.jurisdictionID, detail: detail,
                after: AuditEvent.canonical(unit)),
            origin: origin, at: now, on: db)
    }
}

/// The SQL of the units table.
enum UnitRows {
    static func find(_ id: UUID, on db: any SQLDatabase) async throws -> InspectedUnit? {
        try await db.raw("SELECT * FROM units WHERE id = \(bind: id.text)").first().map(decode)
    }

    static func namesToIDs(in jurisdictionID: UUID, on db: any SQLDatabase) async throws -> [String: UUID] {
        var result: [String: UUID] = [:]
        for row in try await db.raw("SELECT id, name FROM units WHERE jurisdiction_id = \(bind: jurisdictionID.text)").all() {
            result[try row.string("name")] = try row.uuid("id")
        }
        return result
    }

    static func requireUniqueName(_ name: String, jurisdictionID: UUID, excluding: UUID?, on db: any SQLDatabase) async throws {
        var sql: SQLQueryString = "SELECT id FROM units WHERE jurisdiction_id = \(bind: jurisdictionID.text) AND name = \(bind: name)"
        if let excluding { sql += " AND id <> \(bind: excluding.text)" }
        if try await db.raw(sql).first() != nil { throw duplicateName(name) }
    }

    /// A parent must be another unit of the same jurisdiction, and not a descendant of the unit.
    static func requireParent(_ parentID: UUID?, of id: UUID, jurisdictionID: UUID, on db: any SQLDatabase) async throws {
        guard var current = parentID else { return }
        var seen: Set<UUID> = []
        while true {
            if current == id || !seen.insert(current).inserted {
                throw DomainError.invalid("parent_cycle", "上级单位不能是本单位或其下级单位", english: "parent would form a cycle", field: "parent_unit_id")
            }
            guard let parent = try await find(current, on: db), parent.jurisdictionID == jurisdictionID else {
                throw DomainError.invalid("unknown_parent", "上级单位不存在或不属于本党委", english: "parent unit not found in this jurisdiction", field: "parent_unit_id")
            }
            guard let next = parent.parentUnitID else { return }
            current = next
        }
    }

    static func duplicateName(_ name: String) -> DomainError {
        DomainError(.conflict, code: "duplicate_unit_name", message: "本党委已有名为“\(name)”的单位", english: "a unit with this name already exists in the jurisdiction", field: "name")
    }

    static func decode(_ row: any SQLRow) throws -> InspectedUnit {
        InspectedUnit(
            id: try row.uuid("id"), jurisdictionID: try row.uuid("jurisdiction_id"), name: try row.string("name"),
            type: try row.code("unit_type", or: .other),
            partyOrganisation: try row.code("party_organisation", or: .branch),
            parentUnitID: try row.optionalUUID("parent_unit_id"), headName: try row.optionalString("head_name"),
            createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"), version: try row.int("version"))
    }
}

/// A unit as a name in a picker: all an account administrator needs to see of the register.
public struct UnitChoice: Sendable {
    public var id: UUID
    public var name: String
    public var jurisdictionName: String
}

extension Store {
    /// Unit names in the given jurisdictions, within the actor's unit-directory scope.
    public func unitChoices(in jurisdictions: Set<UUID>, for actor: Actor, limit: Int = 1_000) async throws -> [UnitChoice] {
        let scope = policy.scope(actor, .viewUnitDirectory)
        guard !scope.isNothing, !jurisdictions.isEmpty else { return [] }
        var sql: SQLQueryString = "SELECT u.id, u.name, j.name AS jurisdiction_name FROM units u JOIN jurisdictions j ON j.id = u.jurisdiction_id WHERE "
        sql += ScopeSQL.filter(scope, jurisdictionColumn: "u.jurisdiction_id")
        sql += " AND u.jurisdiction_id IN (\(binds: jurisdictions.map(\.text))) ORDER BY j.path, u.name LIMIT \(literal: limit)"
        let final = sql
        return try await database.read { db in
            try await db.raw(final).all().map {
                UnitChoice(id: try $0.uuid("id"), name: try $0.string("name"), jurisdictionName: try $0.string("jurisdiction_name"))
            }
        }
    }
}
