import Foundation
import SQLKit
import XunchaCore

/// 制度、流程建立或完善: recorded by the unit for its own problems, or by the office for any unit
/// of its committee; each is linked to the issued feedback problems it answers, one row per link,
/// so statistics count rules per unit, kind and year in SQL.
extension Store {
    public func recordRuleImprovement(_ draft: RuleImprovementDraft, origin: RequestOrigin) async throws -> RuleImprovement {
        let actor = origin.actor
        try policy.requireAnywhere(actor, .recordRuleImprovements)
        var draft = draft
        // A unit records the rules it adopted itself.
        if policy.reach(actor, .recordRuleImprovements) == .ownUnit {
            draft.unitID = actor.unitID
            draft.adoptingBody = nil
        }
        let now = clock.now()
        let valid = try draft.validated(today: CalendarDay(now))
        let id = ids.next()
        try await database.transaction { db in
            // Every problem must be one of an issued feedback that the actor may record for.
            // and every 立行立改 notice one the unit has been given.
            var unitOf: [UUID: UUID] = [:]
            var jurisdiction: UUID?
            func resolve(_ sql: SQLQueryString) async throws {
                for row in try await db.raw(sql).all() {
                    let location = RecordLocation(jurisdictionID: try row.uuid("jurisdiction_id"), jurisdictionPath: try row.string("path"), unitID: try row.uuid("unit_id"))
                    guard self.policy.allows(actor, .recordRuleImprovements, at: location), jurisdiction == nil || jurisdiction == location.jurisdictionID else { continue }
                    jurisdiction = location.jurisdictionID
                    unitOf[try row.uuid("id")] = location.unitID
                }
            }
            if !valid.problemIDs.isEmpty {
                try await resolve(
                    """
                    SELECT p.id, fb.jurisdiction_id, fb.unit_id, j.path FROM feedback_problems p
                    JOIN feedbacks fb ON fb.id = p.feedback_id JOIN jurisdictions j ON j.id = fb.jurisdiction_id
                    WHERE p.id IN (\(binds: valid.problemIDs.map(\.text))) AND fb.status = 'issued'
                    """)
            }
            if !valid.immediateIDs.isEmpty {
                try await resolve(
                    """
                    SELECT i.id, i.jurisdiction_id, i.unit_id, j.path FROM immediate_rectifications i JOIN jurisdictions j ON j.id = i.jurisdiction_id
                    WHERE i.id IN (\(binds: valid.immediateIDs.map(\.text))) AND i.status IN (\(binds: RuleImprovementRows.answerableImmediate))
                    """)
            }
            guard let jurisdiction, unitOf.count == valid.problemIDs.count + valid.immediateIDs.count else {
                throw DomainError.invalid(
                    "problem_out_of_reach", "所选问题须为本级已反馈的问题或已下达的立行立改事项；单位只能关联本单位的问题",
                    english: "a linked problem is not one the actor may record for",
                    field: "problem_ids")
            }
            if let unitID = valid.unitID {
                guard let unit = try await UnitRows.find(unitID, on: db), unit.jurisdictionID == jurisdiction else {
                    throw DomainError.invalid("unknown_unit", "制定单位须为本级被巡察单位", english: "adopting unit outside the committee", field: "unit_id")
                }
            }
            try await self.writeRuleImprovement(valid, id: id, existing: nil, in: jurisdiction, unitOf: unitOf, origin: origin, now: now, on: db)
        }
        return try await ruleImprovement(id, for: actor)
    }

    /// Writes a validated improvement with its links and audit entry: a new one, or over the one
    /// `existing` names (a re-import: its fields and links replaced, its version raised). `unitOf`
    /// gives each linked problem's and notice's unit; `note` is the 补录 note of an import.
    func writeRuleImprovement(
        _ valid: RuleImprovementDraft, id: UUID, existing: Int?, in jurisdiction: UUID, unitOf: [UUID: UUID], origin: RequestOrigin, now: Date, note: String = "",
        on db: any SQLDatabase
    ) async throws {
        if let version = existing {
            try await db.raw(
                """
                UPDATE rule_improvements SET unit_id = \(bind: valid.unitID?.text), adopting_body = \(bind: valid.adoptingBody), title = \(bind: valid.title),
                    kind = \(bind: valid.kind.rawValue), scope = \(bind: valid.scope.rawValue), document_number = \(bind: valid.documentNumber), adopted_on = \(bind: valid.adoptedOn.description),
                    adopted_year = \(bind: valid.adoptedOn.year), description = \(bind: valid.description), updated_at = \(bind: now.epochMilliseconds),
                    version = \(bind: version + 1)
                WHERE id = \(bind: id.text)
                """
            ).run()
            try await db.raw("DELETE FROM rule_improvement_problems WHERE rule_improvement_id = \(bind: id.text)").run()
            try await db.raw("DELETE FROM rule_improvement_immediates WHERE rule_improvement_id = \(bind: id.text)").run()
        } else {
            try await db.raw(
                """
                INSERT INTO rule_improvements (jurisdiction_id, id, unit_id, adopting_body, title, kind, scope, document_number, adopted_on, adopted_year,
                    description, recorded_by, created_at, updated_at, version)
                VALUES (\(bind: jurisdiction.text), \(bind: id.text), \(bind: valid.unitID?.text), \(bind: valid.adoptingBody), \(bind: valid.title),
                    \(bind: valid.kind.rawValue), \(bind: valid.scope.rawValue), \(bind: valid.documentNumber), \(bind: valid.adoptedOn.description),
                    \(bind: valid.adoptedOn.year),
                    \(bind: valid.description), \(bind: origin.actor.displayName), \(bind: now.epochMilliseconds), \(bind: now.epochMilliseconds), 1)
                """
            ).run()
        }
        for problem in valid.problemIDs {
            try await db.raw(
                """
                INSERT INTO rule_improvement_problems (jurisdiction_id, rule_improvement_id, problem_id, unit_id)
                VALUES (\(bind: jurisdiction.text), \(bind: id.text), \(bind: problem.text), \(bind: unitOf[problem]!.text))
                """
            ).run()
        }
        for immediate in valid.immediateIDs {
            try await db.raw(
                """
                INSERT INTO rule_improvement_immediates (jurisdiction_id, rule_improvement_id, immediate_id, unit_id)
                VALUES (\(bind: jurisdiction.text), \(bind: id.text), \(bind: immediate.text), \(bind: unitOf[immediate]!.text))
                """
            ).run()
        }
        try await audit.append(
            AuditEvent(
                action: .ruleImprovementRecorded, targetType: "rule_improvement", targetID: id.text, jurisdictionID: jurisdiction,
                detail: "\(valid.kind.title)《\(valid.title)》，关联问题\(valid.problemIDs.count)个"
                    + (valid.immediateIDs.isEmpty ? "" : "、立行立改事项\(valid.immediateIDs.count)件") + note),
            origin: origin, at: now, on: db)
    }

    public func ruleImprovement(_ id: UUID, for actor: Actor) async throws -> RuleImprovement {
        let scope = policy.scope(actor, .viewRuleImprovements)
        let sql = RuleImprovementRows.select + " WHERE r.id = \(bind: id.text) AND " + RuleImprovementRows.scope(scope)
        guard let found = try await database.read({ db in try await RuleImprovementRows.load(sql, scope: scope, on: db) }).first else { throw DomainError.notFound }
        return found
    }

    /// The rule improvements the actor may see, newest first, filtered by unit, kind and year.
    public func ruleImprovements(_ query: RuleImprovementQuery = .init(), page: PageRequest = .init(), for actor: Actor) async throws -> Page<RuleImprovement> {
        try policy.requireAnywhere(actor, .viewRuleImprovements)
        let scope = policy.scope(actor, .viewRuleImprovements)
        var sql = RuleImprovementRows.select + " WHERE " + RuleImprovementRows.scope(scope)
        if let unit = query.unitID { sql += " AND " + RuleImprovementRows.concerns(unit) }
        if let kind = query.kind { sql += " AND r.kind = \(bind: kind.rawValue)" }
        if let year = query.year { sql += " AND r.adopted_year = \(bind: year)" }
        return try await database.newestFirst(sql, page: page, alias: "r", time: \.createdAt, id: \.id) { sql, db in try await RuleImprovementRows.load(sql, scope: scope, on: db) }
    }

    /// The issued feedback problems the actor may link a rule improvement to (a unit: its own).
    public func linkableProblems(for actor: Actor) async throws -> [LinkedProblem] {
        try policy.requireAnywhere(actor, .recordRuleImprovements)
        let filter = ScopeSQL.filter(policy.scope(actor, .recordRuleImprovements), jurisdictionColumn: "fb.jurisdiction_id", unitColumn: "fb.unit_id")
        let sql: SQLQueryString =
            """
            SELECT p.id, p.feedback_id, p.sequence, p.text, fb.unit_id, u.name AS unit_name FROM feedback_problems p
            JOIN feedbacks fb ON fb.id = p.feedback_id JOIN units u ON u.id = fb.unit_id
            WHERE fb.status = 'issued' AND
            """ + " " + filter + " ORDER BY u.name, fb.issued_at, p.sequence LIMIT 1000"
        return try await database.read { db in try await db.raw(sql).all().map(RuleImprovementRows.problem) }
    }

    /// The 立行立改 notices the actor may link a rule improvement to: those issued to a unit the
    /// actor records for, by unit and number.
    public func linkableImmediates(for actor: Actor) async throws -> [LinkedImmediate] {
        try policy.requireAnywhere(actor, .recordRuleImprovements)
        let filter = ScopeSQL.filter(policy.scope(actor, .recordRuleImprovements), jurisdictionColumn: "i.jurisdiction_id", unitColumn: "i.unit_id")
        let sql: SQLQueryString =
            "SELECT i.id, i.unit_id, i.number, i.problem, u.name AS unit_name FROM immediate_rectifications i JOIN units u ON u.id = i.unit_id WHERE i.status IN ("
            + "\(binds: RuleImprovementRows.answerableImmediate)) AND " + filter + " ORDER BY u.name, i.number LIMIT 1000"
        return try await database.read { db in try await db.raw(sql).all().map(RuleImprovementRows.immediate) }
    }
}

enum RuleImprovementRows {
    /// The states of a 立行立改 notice once the unit has it: a rule may answer it from then on.
    static let answerableImmediate = [ImmediateStatus.issued, .signed, .reported, .closed].map(\.rawValue)

    static func immediate(_ row: any SQLRow) throws -> LinkedImmediate {
        LinkedImmediate(
            immediateID: try row.uuid("id"), unitID: try row.uuid("unit_id"), unitName: try row.string("unit_name"), number: try row.optionalString("number") ?? "",
            text: try row.optionalString("problem") ?? "")
    }

    static let select: SQLQueryString = "SELECT r.*, u.name AS unit_name FROM rule_improvements r LEFT JOIN units u ON u.id = r.unit_id"

    /// A unit sees the improvements that answer one of its problems or that it adopted itself.
    static func scope(_ scope: Scope) -> SQLQueryString {
        if case .unit(let jurisdiction, let unit) = scope {
            return "r.jurisdiction_id = \(bind: jurisdiction.text) AND " + concerns(unit)
        }
        return ScopeSQL.filter(scope, jurisdictionColumn: "r.jurisdiction_id")
    }

    static func concerns(_ unit: UUID) -> SQLQueryString {
        """
        (r.unit_id = \(bind: unit.text) OR EXISTS (SELECT 1 FROM rule_improvement_problems l
            WHERE l.rule_improvement_id = r.id AND l.jurisdiction_id = r.jurisdiction_id AND l.unit_id = \(bind: unit.text))
            OR EXISTS (SELECT 1 FROM rule_improvement_immediates m
            WHERE m.rule_improvement_id = r.id AND m.jurisdiction_id = r.jurisdiction_id AND m.unit_id = \(bind: unit.text)))
        """
    }

    static func problem(_ row: any SQLRow) throws -> LinkedProblem {
        LinkedProblem(
            problemID: try row.uuid("id"), feedbackID: try row.uuid("feedback_id"), unitID: try row.uuid("unit_id"), unitName: try row.string("unit_name"),
            sequence: try row.int("sequence"), text: try row.string("text"))
    }

    /// Loads the rows with their problems; a unit reader gets only its own problems listed.
    static func load(_ sql: SQLQueryString, scope: Scope, on db: any SQLDatabase) async throws -> [RuleImprovement] {
        let rows = try await db.raw(sql).all()
        guard !rows.isEmpty else { return [] }
        var problemSQL: SQLQueryString =
            """
            SELECT l.rule_improvement_id, p.id, p.feedback_id, p.sequence, p.text, l.unit_id, u.name AS unit_name FROM rule_improvement_problems l
            JOIN feedback_problems p ON p.id = l.problem_id JOIN units u ON u.id = l.unit_id
            WHERE l.rule_improvement_id IN (\(binds: try rows.map { try $0.string("id") }))
            """
        if case .unit(_, let unit) = scope { problemSQL += " AND l.unit_id = \(bind: unit.text)" }
        problemSQL += " ORDER BY u.name, p.feedback_id, p.sequence"
        let problems = try await db.grouped(problemSQL, by: "rule_improvement_id", problem)
        var immediateSQL: SQLQueryString =
            """
            SELECT m.rule_improvement_id, i.id, i.number, i.problem, m.unit_id, u.name AS unit_name FROM rule_improvement_immediates m
            JOIN immediate_rectifications i ON i.id = m.immediate_id JOIN units u ON u.id = m.unit_id
            WHERE m.rule_improvement_id IN (\(binds: try rows.map { try $0.string("id") }))
            """
        if case .unit(_, let unit) = scope { immediateSQL += " AND m.unit_id = \(bind: unit.text)" }
        immediateSQL += " ORDER BY u.name, i.number"
        let immediates = try await db.grouped(immediateSQL, by: "rule_improvement_id", immediate)
        return try rows.map { row in
            let id = try row.uuid("id")
            var rule = RuleImprovement(
                id: id, jurisdictionID: try row.uuid("jurisdiction_id"), unitID: try row.optionalUUID("unit_id"), unitName: try row.optionalString("unit_name"),
                adoptingBody: try row.optionalString("adopting_body"), title: try row.string("title"),
                kind: try row.code("kind", or: .established), documentNumber: try row.optionalString("document_number"),
                adoptedOn: try row.day("adopted_on", label: "印发日期"), description: try row.string("description"),
                problems: problems[id] ?? [], recordedBy: try row.string("recorded_by"), createdAt: try row.date("created_at"), version: try row.int("version"))
            rule.immediates = immediates[id] ?? []
            rule.scope = try row.code("scope", or: .rule)
            return rule
        }
    }
}
