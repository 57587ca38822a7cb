import Foundation
import SQLKit
import XunchaCore

/// 巡察规划与全覆盖: plans per term and the coverage they are held to.
extension Store {
    /// Records a plan for a term with its target units (all in the committee's register).
    public func createPlan(
        term: String?, termStart: String?, termEnd: String?, title: String?, targets: [PlanTarget], in jurisdictionID: UUID, origin: RequestOrigin
    ) async throws -> InspectionPlan {
        let valid = try InspectionPlan.validate(term: term, termStart: termStart, termEnd: termEnd, title: title, targets: targets)
        let now = clock.now()
        let id = ids.next()
        return try await database.transaction { db in
            _ = try await self.requireLocation(jurisdictionID, actor: origin.actor, permission: .manageRounds, on: db)
            let register = Set(try await UnitRows.namesToIDs(in: jurisdictionID, on: db).values)
            if let stranger = valid.targets.first(where: { !register.contains($0.unitID) }) {
                throw DomainError.invalid("unknown_unit", "规划中的单位\(stranger.unitID.text)不在本党委的单位名录中", english: "target not in register", field: "targets")
            }
            try await db.raw(
                """
                INSERT INTO inspection_plans (jurisdiction_id, id, term, term_start, term_end, title, created_at)
                VALUES (\(bind: jurisdictionID.text), \(bind: id.text), \(bind: valid.term), \(bind: valid.start.description), \(bind: valid.end.description),
                    \(bind: valid.title), \(bind: now.epochMilliseconds))
                """
            ).run()
            for chunk in valid.targets.chunked(300) {
                var sql: SQLQueryString = "INSERT INTO plan_targets (jurisdiction_id, plan_id, unit_id, reason) VALUES "
                sql += chunk.map { target -> SQLQueryString in
                    "(\(bind: jurisdictionID.text), \(bind: id.text), \(bind: target.unitID.text), \(bind: target.reason))"
                }.joined(separator: ", ")
                try await db.raw(sql).run()
            }
            try await self.audit.append(
                AuditEvent(action: .planCreated, targetType: "plan", targetID: id.text, jurisdictionID: jurisdictionID, detail: "\(valid.term)\(valid.title)（\(valid.targets.count)家单位）"),
                origin: origin, at: now, on: db)
            return InspectionPlan(
                id: id, jurisdictionID: jurisdictionID, term: valid.term, termStart: valid.start, termEnd: valid.end, title: valid.title, targets: valid.targets,
                createdAt: now)
        }
    }

    /// Coverage of the actor's committee for a term, counted in SQL: units in the register, units
    /// a plan of the term targets, and units a round of the term has entered (进驻 or later).
    public func coverage(term: String, for actor: Actor) async throws -> Coverage {
        guard let jurisdictionID = actor.jurisdictionID else { throw DomainError.forbidden }
        try policy.requireAnywhere(actor, .viewRounds)
        let jurisdiction = try await self.jurisdiction(jurisdictionID, for: actor)
        try policy.requireVisible(actor, .viewRounds, at: jurisdiction.location)
        let entered = RoundStatus.entered.map(\.rawValue)
        return try await database.read { db in
            let id = jurisdictionID.text
            let counts = try await db.raw(
                """
                SELECT
                    (SELECT COUNT(*) FROM units WHERE jurisdiction_id = \(bind: id)) AS total,
                    (SELECT COUNT(DISTINCT t.unit_id) FROM plan_targets t JOIN inspection_plans p ON p.id = t.plan_id
                        WHERE p.jurisdiction_id = \(bind: id) AND p.term = \(bind: term)) AS planned,
                    (SELECT COUNT(DISTINCT a.unit_id) FROM assignments a JOIN rounds r ON r.id = a.round_id
                        WHERE r.jurisdiction_id = \(bind: id) AND r.term = \(bind: term) AND r.status IN (\(binds: entered))) AS inspected
                """
            ).first()
            let remaining = try await db.raw(
                """
                SELECT u.id, u.name FROM units u WHERE u.jurisdiction_id = \(bind: id) AND NOT EXISTS (
                    SELECT 1 FROM assignments a JOIN rounds r ON r.id = a.round_id
                    WHERE a.unit_id = u.id AND r.term = \(bind: term) AND r.status IN (\(binds: entered)))
                ORDER BY u.name LIMIT 100
                """
            ).all().map { UnitRef(id: try $0.uuid("id"), name: try $0.string("name")) }
            return Coverage(
                term: term, total: try counts?.int("total") ?? 0, planned: try counts?.int("planned") ?? 0, inspected: try counts?.int("inspected") ?? 0,
                remainingSample: remaining)
        }
    }
}
