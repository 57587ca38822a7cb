import Foundation
import SQLKit
import XunchaCore

/// A filtered, keyset-paged request for the pools.
public struct InspectorQuery: Sendable, Equatable {
    public enum PoolFilter: String, Sendable, CaseIterable {
        case leaders, talent
    }

    public var search: String?
    public var category: DepartmentCategory?
    public var pool: PoolFilter?
    public var availableOnly: Bool
    public var page: PageRequest

    public init(search: String? = nil, category: DepartmentCategory? = nil, pool: PoolFilter? = nil, availableOnly: Bool = false, page: PageRequest = .init()) {
        self.search = search
        self.category = category
        self.pool = pool
        self.availableOnly = availableOnly
        self.page = page
    }
}

/// 组长库、人才库: the cadres the office draws inspection groups from.
extension Store {
    /// Adds a cadre to one or both pools.
    public func createInspector(_ draft: InspectorDraft, in jurisdictionID: UUID, origin: RequestOrigin) async throws -> Inspector {
        let now = clock.now()
        let valid = try draft.validated(currentYear: CalendarDay(now).year)
        let id = ids.next()
        return try await database.transaction { db in
            _ = try await self.requireLocation(jurisdictionID, actor: origin.actor, permission: .managePools, on: db)
            return try await self.addInspector(valid, id: id, in: jurisdictionID, origin: origin, now: now, on: db)
        }
    }

    /// Inserts a validated entry with its audit entry (`note`: the 补录 note of an import).
    func addInspector(_ draft: InspectorDraft, id: UUID, in jurisdictionID: UUID, origin: RequestOrigin, now: Date, note: String = "", on db: any SQLDatabase) async throws
        -> Inspector
    {
        let inspector = try await insertInspector(draft, id: id, in: jurisdictionID, now: now, on: db)
        try await audit.append(
            AuditEvent(
                action: .inspectorAdded, targetType: "inspector", targetID: id.text, jurisdictionID: jurisdictionID,
                detail: "\(inspector.name)（\(inspector.homeUnitName)）\(note)", after: AuditEvent.canonical(inspector)),
            origin: origin, at: now, on: db)
        return inspector
    }

    /// Imports a whole roster in one transaction: every row or none, each cadre marked 补录 (导入自
    /// `fileName`) with its importer, as the import framework marks what it writes.
    public func importInspectors(_ drafts: [(line: Int, draft: InspectorDraft)], into jurisdictionID: UUID, origin: RequestOrigin, fileName: String = "")
        async throws -> Int
    {
        let context = ImportContext(kind: .poolRoster, jurisdictionID: jurisdictionID, origin: origin, now: clock.now(), fileName: fileName)
        return try await database.transaction { db in
            _ = try await self.requireLocation(jurisdictionID, actor: origin.actor, permission: .managePools, on: db)
            var problems: [ImportProblem] = []
            let rows = drafts.map { ImportingRow(line: $0.line, key: nil, draft: $0.draft, existing: nil) }
            for record in try await PoolRosterWriter.write(rows, context: context, problems: &problems, in: self, on: db).compactMap({ $0 }) {
                try await ImportRows.mark(record, key: nil, context: context, on: db)
            }
            try await self.audit.append(
                AuditEvent(
                    action: .inspectorsImported, targetType: "jurisdiction", targetID: jurisdictionID.text, jurisdictionID: jurisdictionID,
                    detail: "导入\(drafts.count)名巡察干部\(context.auditNote)"),
                origin: origin, at: context.now, on: db)
            return drafts.count
        }
    }

    /// Changes a pool entry: its draft fields, training and evaluation records, and the link to
    /// the cadre's own account. `version` is the one the editor read; a newer one answers 409.
    public func updateInspector(_ id: UUID, _ draft: InspectorDraft, records: InspectorRecords, version: Int, origin: RequestOrigin) async throws -> Inspector {
        let now = clock.now()
        let valid = try draft.validated(currentYear: CalendarDay(now).year)
        let records = try records.validated()
        return try await database.transaction { db in
            let before = try await InspectorRows.find(id, on: db)
            guard let location = try await self.location(ofJurisdiction: before.jurisdictionID, on: db) else { throw DomainError.notFound }
            try self.policy.requireVisible(origin.actor, .viewPools, at: location)
            guard self.policy.allows(origin.actor, .managePools, at: location) else { throw DomainError.forbidden }
            guard before.version == version else { throw DomainError.staleVersion }
            try await InspectorRows.requireHomeUnit(valid.homeUnitID, in: before.jurisdictionID, on: db)
            var after = valid.inspector(id: id, jurisdictionID: before.jurisdictionID, at: before.createdAt)
            after.training = records.training
            after.evaluation = records.evaluation
            after.accountID = try await InspectorRows.account(named: records.accountUsername, in: before.jurisdictionID, on: db)
            after.updatedAt = now
            after.version = before.version + 1
            do {
                try await InspectorRows.replace(before, with: after, on: db)
            } catch where Database.isUniqueViolation(error) {
                throw DomainError(
                    .conflict, code: "account_already_linked", message: "账号“\(records.accountUsername ?? "")”已关联其他巡察干部",
                    english: "account linked to another pool entry", field: "account_username")
            }
            try await self.audit.append(
                AuditEvent(
                    action: .inspectorChanged, targetType: "inspector", targetID: id.text, jurisdictionID: before.jurisdictionID, detail: after.name,
                    before: AuditEvent.canonical(before), after: AuditEvent.canonical(after)),
                origin: origin, at: now, on: db)
            return after
        }
    }

    /// One pool entry. Its personal data (family, work history) is why reading it is logged.
    public func inspector(_ id: UUID, origin: RequestOrigin) async throws -> Inspector {
        let found: (Inspector, RecordLocation)? = try await database.read { db in
            guard let row = try await db.raw("SELECT * FROM inspectors WHERE id = \(bind: id.text)").first() else { return nil }
            let inspector = try InspectorRows.decode(row)
            guard let location = try await self.location(ofJurisdiction: inspector.jurisdictionID, on: db) else { return nil }
            return (inspector, location)
        }
        guard let (inspector, location) = found else { throw DomainError.notFound }
        try policy.requireVisible(origin.actor, .viewPools, at: location)
        try await record(
            AuditEvent(action: .inspectorViewed, targetType: "inspector", targetID: id.text, jurisdictionID: inspector.jurisdictionID, detail: inspector.name),
            origin: origin)
        return inspector
    }

    /// A page of the pools within the actor's scope, by name.
    public func inspectors(_ query: InspectorQuery, for actor: Actor) async throws -> Page<Inspector> {
        try policy.requireAnywhere(actor, .viewPools)
        var sql: SQLQueryString = "SELECT * FROM inspectors WHERE "
        sql += ScopeSQL.filter(policy.scope(actor, .viewPools), jurisdictionColumn: "jurisdiction_id")
        if let category = query.category { sql += " AND category = \(bind: category.rawValue)" }
        switch query.pool {
        case .leaders: sql += " AND in_leader_pool = 1"
        case .talent: sql += " AND in_talent_pool = 1"
        case nil: break
        }
        if query.availableOnly { sql += " AND available = 1" }
        if let search = query.search {
            let pattern = ScopeSQL.likeContains(search)
            sql += " AND (name LIKE \(bind: pattern) ESCAPE '!' OR home_unit_name LIKE \(bind: pattern) ESCAPE '!' OR skills LIKE \(bind: pattern) ESCAPE '!')"
        }
        if let after = query.page.after { sql += " AND (name, id) > (\(bind: after.key), \(bind: after.id))" }
        sql += " ORDER BY name, id LIMIT \(literal: query.page.limit + 1)"
        let final = sql
        let rows = try await database.read { db in try await db.raw(final).all().map(InspectorRows.decode) }
        return KeysetSQL.page(rows, query.page) { Cursor(key: $0.name, id: $0.id.text, order: "name") }
    }

    private func insertInspector(_ draft: InspectorDraft, id: UUID, in jurisdictionID: UUID, now: Date, on db: any SQLDatabase) async throws -> Inspector {
        try await InspectorRows.requireHomeUnit(draft.homeUnitID, in: jurisdictionID, on: db)
        let inspector = draft.inspector(id: id, jurisdictionID: jurisdictionID, at: now)
        try await db.raw(
            """
            INSERT INTO inspectors (jurisdiction_id, id, name, home_unit_id, home_unit_name, post, category, rank, in_leader_pool, in_talent_pool,
                available, skills, work_history, relations, training, evaluation, created_at, updated_at, version)
            VALUES (\(bind: jurisdictionID.text), \(bind: id.text), \(bind: inspector.name), \(bind: inspector.homeUnitID?.text),
                \(bind: inspector.homeUnitName), \(bind: inspector.post), \(bind: inspector.category.rawValue), \(bind: inspector.rank?.rawValue),
                \(bind: inspector.inLeaderPool ? 1 : 0), \(bind: inspector.inTalentPool ? 1 : 0), \(bind: inspector.available ? 1 : 0),
                \(bind: InspectorRows.json(inspector.skills)), \(bind: InspectorRows.json(inspector.workHistory)), \(bind: InspectorRows.json(inspector.relations)),
                NULL, NULL, \(bind: now.epochMilliseconds), \(bind: now.epochMilliseconds), 1)
            """
        ).run()
        return inspector
    }
}

/// The SQL of the inspectors table. Lists inside an entry (skills, work history, relatives) are
/// JSON text: they are read with the entry, never queried one by one.
enum InspectorRows {
    /// Writes `after` over the entry read as `before`, guarded by the version read.
    static func replace(_ before: Inspector, with after: Inspector, on db: any SQLDatabase) async throws {
        let changed = try await db.raw(
            """
            UPDATE inspectors SET name = \(bind: after.name), home_unit_id = \(bind: after.homeUnitID?.text), home_unit_name = \(bind: after.homeUnitName),
                post = \(bind: after.post), category = \(bind: after.category.rawValue), rank = \(bind: after.rank?.rawValue),
                in_leader_pool = \(bind: after.inLeaderPool ? 1 : 0), in_talent_pool = \(bind: after.inTalentPool ? 1 : 0),
                available = \(bind: after.available ? 1 : 0), skills = \(bind: json(after.skills)),
                work_history = \(bind: json(after.workHistory)), relations = \(bind: json(after.relations)),
                training = \(bind: after.training), evaluation = \(bind: after.evaluation), account_id = \(bind: after.accountID?.text),
                updated_at = \(bind: after.updatedAt.epochMilliseconds), version = \(bind: after.version)
            WHERE id = \(bind: before.id.text) AND version = \(bind: before.version) RETURNING id
            """
        ).all()
        guard changed.count == 1 else { throw DomainError.staleVersion }
    }

    /// The cadre with `id`, whoever may see it: callers check the committee.
    static func find(_ id: UUID, on db: any SQLDatabase) async throws -> Inspector {
        try await db.one("SELECT * FROM inspectors WHERE id = \(bind: id.text)", decode)
    }

    static func json(_ value: some Encodable) -> String {
        (try? JSONEncoder().encode(value)).flatMap { String(data: $0, encoding: .utf8) } ?? "[]"
    }

    static func list<T: Decodable>(_ text: String, as type: [T].Type) -> [T] {
        (try? JSONDecoder().decode(type, from: Data(text.utf8))) ?? []
    }

    static func requireHomeUnit(_ unitID: UUID?, in jurisdictionID: UUID, on db: any SQLDatabase) async throws {
        guard let unitID else { return }
        guard let unit = try await UnitRows.find(unitID, on: db), unit.jurisdictionID == jurisdictionID else {
            throw DomainError.invalid("unknown_unit", "工作单位不在本党委的单位名录中", english: "home unit not in this jurisdiction", field: "home_unit_id")
        }
    }

    /// The account a cadre signs in with: of the same committee, holding a group role.
    static func account(named username: String?, in jurisdictionID: UUID, on db: any SQLDatabase) async throws -> UUID? {
        guard let username else { return nil }
        guard let row = try await db.raw("SELECT id, roles, jurisdiction_id FROM users WHERE username = \(bind: username)").first(),
            try row.uuid("jurisdiction_id") == jurisdictionID
        else {
            throw DomainError.invalid("unknown_account", "本党委没有账号“\(username)”", english: "no such account in this jurisdiction", field: "account_username")
        }
        let roles = RoleSet.fromStorage(try row.string("roles"))
        guard roles.contains(.groupLeader) || roles.contains(.groupMember) else {
            throw DomainError.invalid(
                "not_an_inspector_account", "账号“\(username)”没有巡察组组长或成员角色，请先由安全保密管理员授予", english: "account holds no group role",
                field: "account_username")
        }
        return try row.uuid("id")
    }

    static func decode(_ row: any SQLRow) throws -> Inspector {
        Inspector(
            id: try row.uuid("id"), jurisdictionID: try row.uuid("jurisdiction_id"), name: try row.string("name"),
            homeUnitID: try row.optionalUUID("home_unit_id"), homeUnitName: try row.string("home_unit_name"), post: try row.optionalString("post"),
            category: try row.code("category", or: .other), rank: try row.optionalCode("rank"),
            inLeaderPool: try row.flag("in_leader_pool"), inTalentPool: try row.flag("in_talent_pool"),
            skills: list(try row.string("skills"), as: [String].self), available: try row.flag("available"),
            workHistory: list(try row.string("work_history"), as: [WorkRecord].self), relations: list(try row.string("relations"), as: [FamilyRelation].self),
            training: try row.optionalString("training"), evaluation: try row.optionalString("evaluation"),
            accountID: try row.optionalUUID("account_id"), createdAt: try row.date("created_at"),
            updatedAt: try row.date("updated_at"), version: try row.int("version"))
    }
}
