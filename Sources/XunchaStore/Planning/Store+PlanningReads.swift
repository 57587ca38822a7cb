import Foundation
import SQLKit
import XunchaCore

/// A conflict put on record for a cadre (本人申报 or 被巡察单位申请), as the pool page shows it.
public struct DeclaredConflict: Sendable, Equatable {
    public var unitID: UUID
    public var unitName: String
    public var kind: ConflictKind
    public var reason: String
    public var declaredBy: String
    public var at: Date
}

/// Reads the planning pages need beyond what the API offers: the plans of a committee, the terms
/// it plans by, the plan targets still to inspect, and a cadre's declared conflicts.
extension Store {
    /// The plans the actor may see, latest term first, each with its target units.
    public func plans(for actor: Actor, limit: Int = 200) async throws -> [InspectionPlan] {
        try policy.requireAnywhere(actor, .viewRounds)
        var sql: SQLQueryString = "SELECT * FROM inspection_plans WHERE "
        sql += ScopeSQL.filter(policy.scope(actor, .viewRounds), jurisdictionColumn: "jurisdiction_id")
        sql += " ORDER BY term_start DESC, created_at DESC, id DESC LIMIT \(literal: limit)"
        let final = sql
        return try await database.read { db in
            let rows = try await db.raw(final).all()
            guard !rows.isEmpty else { return [] }
            let ids = try rows.map { try $0.string("id") }
            let targets = try await db.grouped("SELECT plan_id, unit_id, reason FROM plan_targets WHERE plan_id IN (\(binds: ids)) ORDER BY plan_id, unit_id", by: "plan_id") {
                row in PlanTarget(unitID: try row.uuid("unit_id"), reason: try row.optionalString("reason"))
            }
            return try rows.map { row in
                let id = try row.uuid("id")
                return InspectionPlan(
                    id: id, jurisdictionID: try row.uuid("jurisdiction_id"), term: try row.string("term"),
                    termStart: try row.day("term_start", label: "届期开始日期"),
                    termEnd: try row.day("term_end", label: "届期结束日期"), title: try row.string("title"),
                    targets: targets[id] ?? [], createdAt: try row.date("created_at"))
            }
        }
    }

    /// The terms (届次) the actor's rounds and plans name, the most recently started first.
    public func planningTerms(for actor: Actor) async throws -> [String] {
        try policy.requireAnywhere(actor, .viewRounds)
        let scope = policy.scope(actor, .viewRounds)
        var sql: SQLQueryString = "SELECT term, MAX(day) AS latest FROM (SELECT term, planned_start AS day FROM rounds WHERE "
        sql += ScopeSQL.filter(scope, jurisdictionColumn: "jurisdiction_id")
        sql += " UNION ALL SELECT term, term_start AS day FROM inspection_plans WHERE "
        sql += ScopeSQL.filter(scope, jurisdictionColumn: "jurisdiction_id")
        sql += ") named GROUP BY term ORDER BY latest DESC, term LIMIT 50"
        let final = sql
        return try await database.read { db in try await db.raw(final).all().map { try $0.string("term") } }
    }

    /// Units a plan of `term` targets that no round of the term has entered yet: what the
    /// office most likely means to inspect next.
    public func pendingTargets(term: String, in jurisdictionID: UUID, for actor: Actor) async throws -> [UnitRef] {
        let jurisdiction = try await self.jurisdiction(jurisdictionID, for: actor)
        try policy.requireVisible(actor, .viewRounds, at: jurisdiction.location)
        let entered = RoundStatus.entered.map(\.rawValue)
        return try await database.read { db in
            try await db.raw(
                """
                SELECT DISTINCT u.id, u.name FROM plan_targets t JOIN inspection_plans p ON p.id = t.plan_id JOIN units u ON u.id = t.unit_id
                WHERE p.jurisdiction_id = \(bind: jurisdictionID.text) AND p.term = \(bind: term) AND NOT EXISTS (
                    SELECT 1 FROM assignments a JOIN rounds r ON r.id = a.round_id
                    WHERE a.unit_id = u.id AND r.term = \(bind: term) AND r.status IN (\(binds: entered)))
                ORDER BY u.name
                """
            ).all().map { UnitRef(id: try $0.uuid("id"), name: try $0.string("name")) }
        }
    }

    /// The conflicts on record for one cadre, oldest first. Same visibility as the entry itself.
    public func declaredConflicts(of inspectorID: UUID, for actor: Actor) async throws -> [DeclaredConflict] {
        let found: ([DeclaredConflict], RecordLocation)? = try await database.read { db in
            guard let row = try await db.raw("SELECT jurisdiction_id FROM inspectors WHERE id = \(bind: inspectorID.text)").first(),
                let location = try await self.location(ofJurisdiction: try row.uuid("jurisdiction_id"), on: db)
            else { return nil }
            let conflicts = try await db.raw(
                """
                SELECT c.unit_id, u.name AS unit_name, c.kind, c.reason, c.declared_by, c.at FROM conflict_declarations c JOIN units u ON u.id = c.unit_id
                WHERE c.inspector_id = \(bind: inspectorID.text) ORDER BY c.at, c.id
                """
            ).all().map { row in
                DeclaredConflict(
                    unitID: try row.uuid("unit_id"), unitName: try row.string("unit_name"), kind: try row.code("kind", or: .declared),
                    reason: try row.string("reason"), declaredBy: try row.string("declared_by"), at: try row.date("at"))
            }
            return (conflicts, location)
        }
        guard let (conflicts, location) = found else { throw DomainError.notFound }
        try policy.requireVisible(actor, .viewPools, at: location)
        return conflicts
    }
}

extension Store {
    /// The user name of the account linked to a pool entry, for the office's edit form: saving
    /// the entry without it would unlink the account.
    public func linkedAccountName(of inspector: Inspector, for actor: Actor) async throws -> String? {
        guard let accountID = inspector.accountID else { return nil }
        let jurisdiction = try await self.jurisdiction(inspector.jurisdictionID, for: actor)
        try policy.requireVisible(actor, .viewPools, at: jurisdiction.location)
        return try await database.read { db in
            try await db.raw("SELECT username FROM users WHERE id = \(bind: accountID.text)").first().map { try $0.string("username") }
        }
    }
}

extension Store {
    /// The conflicts between the cadres free to serve and `unitIDs` in a round: what a team
    /// proposal steers around, for the office to see by name.
    public func poolConflicts(roundID: UUID, unitIDs: [UUID], for actor: Actor) async throws -> [Conflict] {
        let round = try await self.round(roundID, for: actor)
        guard policy.allowsAnywhere(actor, .manageRounds), policy.allowsAnywhere(actor, .viewPools) else { throw DomainError.forbidden }
        guard !unitIDs.isEmpty else { return [] }
        return try await database.read { db in
            let units = try await db.raw(
                "SELECT id, name FROM units WHERE jurisdiction_id = \(bind: round.jurisdictionID.text) AND id IN (\(binds: unitIDs.map(\.text))) ORDER BY name"
            ).all().map { UnitRef(id: try $0.uuid("id"), name: try $0.string("name")) }
            let pool = try await db.raw("SELECT * FROM inspectors WHERE jurisdiction_id = \(bind: round.jurisdictionID.text) AND available = 1 ORDER BY name, id")
                .all().map(InspectorRows.decode)
            return try await self.conflicts(of: pool, with: units, round: round, on: db)
        }
    }
}
