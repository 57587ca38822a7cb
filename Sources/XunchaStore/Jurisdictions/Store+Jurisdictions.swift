import Foundation
import SQLKit
import XunchaCore

/// 党委（辖区）: the tree of committees.
extension Store {
    /// Creates a jurisdiction below `parentID`. A root (no parent) is created only at the console.
    public func createJurisdiction(_ draft: JurisdictionDraft, parentID: UUID?, origin: RequestOrigin) async throws -> Jurisdiction {
        let now = clock.now()
        let id = ids.next()
        let actor = origin.actor
        return try await database.transaction { db in
            var parentPath: String?
            if let parentID {
                guard let parent = try await JurisdictionRows.find(parentID, on: db) else { throw DomainError.notFound }
                try self.policy.requireVisible(actor, .viewJurisdictions, at: parent.location)
                guard self.policy.allows(actor, .manageJurisdictions, at: parent.location) else { throw DomainError.forbidden }
                parentPath = parent.path
            } else if actor.kind != .consoleOperator {
                throw DomainError.forbidden
            }
            try await JurisdictionRows.requireUniqueName(draft.name, parentID: parentID, excluding: nil, on: db)
            let jurisdiction = Jurisdiction(
                id: id, parentID: parentID, path: Jurisdiction.path(for: id, under: parentPath), name: draft.name, level: draft.level,
                createdAt: now, updatedAt: now, version: 1)
            try await JurisdictionRows.insert(jurisdiction, on: db)
            try await self.audit.append(
                AuditEvent(
                    action: .jurisdictionCreated, targetType: "jurisdiction", targetID: id.text, jurisdictionID: id, detail: draft.name,
                    after: AuditEvent.canonical(jurisdiction)),
                origin: origin, at: now, on: db)
            return jurisdiction
        }
    }

    /// Renames a jurisdiction or changes its level. `version` is the one the editor read.
    public func updateJurisdiction(_ id: UUID, _ draft: JurisdictionDraft, version: Int, origin: RequestOrigin) async throws -> Jurisdiction {
        let now = clock.now()
        let actor = origin.actor
        return try await database.transaction { db in
            guard let before = try await JurisdictionRows.find(id, on: db) else { throw DomainError.notFound }
            try self.policy.requireVisible(actor, .viewJurisdictions, at: before.location)
            guard self.policy.allows(actor, .manageJurisdictions, at: before.location) else { throw DomainError.forbidden }
            guard before.version == version else { throw DomainError.staleVersion }
            try await JurisdictionRows.requireUniqueName(draft.name, parentID: before.parentID, excluding: id, on: db)
            var after = before
            after.name = draft.name
            after.level = draft.level
            after.updatedAt = now
            after.version += 1
            let changed = try await db.raw(
                """
                UPDATE jurisdictions SET name = \(bind: after.name), level = \(bind: after.level.rawValue), updated_at = \(bind: now.epochMilliseconds),
                    version = \(bind: after.version) WHERE id = \(bind: id.text) AND version = \(bind: before.version) RETURNING id
                """
            ).all()
            guard changed.count == 1 else { throw DomainError.staleVersion }
            try await self.audit.append(
                AuditEvent(
                    action: .jurisdictionUpdated, targetType: "jurisdiction", targetID: id.text, jurisdictionID: id, detail: after.name,
                    before: AuditEvent.canonical(before), after: AuditEvent.canonical(after)),
                origin: origin, at: now, on: db)
            return after
        }
    }

    /// One jurisdiction, if the actor may see it.
    public func jurisdiction(_ id: UUID, for actor: Actor) async throws -> Jurisdiction {
        let found = try await database.read { db in try await JurisdictionRows.find(id, on: db) }
        guard let found else { throw DomainError.notFound }
        try policy.requireVisible(actor, .viewJurisdictions, at: found.location)
        return found
    }

    /// The jurisdictions the actor may see, in tree order (a parent before its children).
    public func jurisdictions(for actor: Actor, search: String? = nil, limit: Int = 500) async throws -> [Jurisdiction] {
        try policy.requireAnywhere(actor, .viewJurisdictions)
        var sql: SQLQueryString = "SELECT * FROM jurisdictions WHERE "
        sql += ScopeSQL.filter(policy.scope(actor, .viewJurisdictions), jurisdictionColumn: "id")
        if let search { sql += " AND name LIKE \(bind: ScopeSQL.likeContains(search)) ESCAPE '!'" }
        sql += " ORDER BY path LIMIT \(literal: limit)"
        let final = sql
        return try await database.read { db in try await db.raw(final).all().map(JurisdictionRows.decode) }
    }

    /// The named jurisdictions the actor may see, by id (for labelling rows of a page).
    public func jurisdictions(_ ids: Set<UUID>, for actor: Actor) async throws -> [UUID: Jurisdiction] {
        guard !ids.isEmpty, policy.allowsAnywhere(actor, .viewJurisdictions) else { return [:] }
        var sql: SQLQueryString = "SELECT * FROM jurisdictions WHERE "
        sql += ScopeSQL.filter(policy.scope(actor, .viewJurisdictions), jurisdictionColumn: "id")
        sql += " AND id IN (\(binds: ids.map(\.text)))"
        let final = sql
        let rows = try await database.read { db in try await db.raw(final).all().map(JurisdictionRows.decode) }
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.id, $0) })
    }

    /// Where a jurisdiction sits, for policy checks on records that belong to it.
    func location(ofJurisdiction id: UUID, on db: any SQLDatabase) async throws -> RecordLocation? {
        try await JurisdictionRows.find(id, on: db)?.location
    }
}

extension Jurisdiction {
    public var location: RecordLocation { RecordLocation(jurisdictionID: id, jurisdictionPath: path) }
}

/// The SQL of the jurisdictions table.
package enum JurisdictionRows {
    static func find(_ id: UUID, on db: any SQLDatabase) async throws -> Jurisdiction? {
        try await db.raw("SELECT * FROM jurisdictions WHERE id = \(bind: id.text)").first().map(decode)
    }

    package static func root(on db: any SQLDatabase) async throws -> Jurisdiction? {
        try await db.raw("SELECT * FROM jurisdictions WHERE parent_id IS NULL ORDER BY created_at LIMIT 1").first().map(decode)
    }

    static func insert(_ j: Jurisdiction, on db: any SQLDatabase) async throws {
        do {
            try await db.raw(
                """
                INSERT INTO jurisdictions (id, parent_id, path, name, level, created_at, updated_at, version)
                VALUES (\(bind: j.id.text), \(bind: j.parentID?.text), \(bind: j.path), \(bind: j.name), \(bind: j.level.rawValue),
                    \(bind: j.createdAt.epochMilliseconds), \(bind: j.updatedAt.epochMilliseconds), \(bind: j.version))
                """
            ).run()
        } catch where Database.isUniqueViolation(error) {
            throw duplicateName(j.name)
        }
    }

    static func requireUniqueName(_ name: String, parentID: UUID?, excluding: UUID?, on db: any SQLDatabase) async throws {
        var sql: SQLQueryString = "SELECT id FROM jurisdictions WHERE name = \(bind: name) AND "
        sql += parentID.map { "parent_id = \(bind: $0.text)" } ?? "parent_id IS NULL"
        if let excluding { sql += " AND id <> \(bind: excluding.text)" }
        if try await db.raw(sql).first() != nil { throw duplicateName(name) }
    }

    static func duplicateName(_ name: String) -> DomainError {
        DomainError(.conflict, code: "duplicate_jurisdiction_name", message: "同一上级下已有名为“\(name)”的党委", english: "a sibling jurisdiction already has this name", field: "name")
    }

    static func decode(_ row: any SQLRow) throws -> Jurisdiction {
        Jurisdiction(
            id: try row.uuid("id"), parentID: try row.optionalUUID("parent_id"), path: try row.string("path"), name: try row.string("name"),
            level: JurisdictionLevel(rawValue: try row.string("level")) ?? .county, createdAt: try row.date("created_at"),
            updatedAt: try row.date("updated_at"), version: try row.int("version"))
    }
}
