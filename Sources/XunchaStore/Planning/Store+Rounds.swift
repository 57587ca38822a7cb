import Foundation
import SQLKit
import XunchaCore

/// 轮次与批次: planning a round, its batches, and its review chain.
extension Store {
    /// Opens a round in draft. Term and sequence name it, so they are unique per committee.
    public func createRound(_ draft: RoundDraft, in jurisdictionID: UUID, origin: RequestOrigin) async throws -> Round {
        let now = clock.now()
        let id = ids.next()
        return try await database.transaction { db in
            let location = try await self.requireLocation(jurisdictionID, actor: origin.actor, permission: .manageRounds, on: db)
            let round = Round(
                id: id, jurisdictionID: location.jurisdictionID, term: draft.term, sequence: draft.sequence, kind: draft.kind, theme: draft.theme,
                plannedStart: draft.plannedStart, plannedEnd: draft.plannedEnd, status: .draft, maxUnitsPerGroup: draft.maxUnitsPerGroup,
                createdAt: now, updatedAt: now, version: 1)
            let taken = try await db.raw(
                "SELECT id FROM rounds WHERE jurisdiction_id = \(bind: jurisdictionID.text) AND term = \(bind: draft.term) AND sequence = \(bind: draft.sequence)"
            ).first()
            if taken != nil { throw RoundRows.duplicate(round) }
            do {
                try await db.raw(
                    """
                    INSERT INTO rounds (jurisdiction_id, id, term, sequence, kind, theme, planned_start, planned_end, status, max_units_per_group,
                        created_at, updated_at, version)
                    VALUES (\(bind: jurisdictionID.text), \(bind: id.text), \(bind: round.term), \(bind: round.sequence), \(bind: round.kind.rawValue),
                        \(bind: round.theme), \(bind: round.plannedStart.description), \(bind: round.plannedEnd.description), \(bind: round.status.rawValue),
                        \(bind: round.maxUnitsPerGroup), \(bind: now.epochMilliseconds), \(bind: now.epochMilliseconds), 1)
                    """
                ).run()
            } catch where Database.isUniqueViolation(error) {
                throw RoundRows.duplicate(round)
            }
            try await self.audit.append(
                AuditEvent(action: .roundCreated, targetType: "round", targetID: id.text, jurisdictionID: jurisdictionID, detail: round.title, after: AuditEvent.canonical(round)),
                origin: origin, at: now, on: db)
            return round
        }
    }

    /// One round, if the actor may see it.
    public func round(_ id: UUID, for actor: Actor) async throws -> Round {
        try await database.read { db in try await RoundLifecycle.visible(id, for: actor, in: self, on: db) }
    }

    /// The rounds the actor may see, newest planned first.
    public func rounds(for actor: Actor, limit: Int = 200) async throws -> [Round] {
        try policy.requireAnywhere(actor, .viewRounds)
        var sql: SQLQueryString = "SELECT * FROM rounds WHERE "
        sql += ScopeSQL.filter(policy.scope(actor, .viewRounds), jurisdictionColumn: "jurisdiction_id")
        sql += " ORDER BY planned_start DESC, id DESC LIMIT \(literal: limit)"
        let final = sql
        return try await database.read { db in try await db.raw(final).all().map(RoundRows.decode) }
    }

    /// Adds the next batch. Dates must lie inside the round; the plan must not be under review.
    public func addBatch(to roundID: UUID, entry: String?, exit: String?, origin: RequestOrigin) async throws -> Batch {
        let now = clock.now()
        let id = ids.next()
        return try await database.transaction { db in
            guard let round = try await RoundRows.find(roundID, on: db) else { throw DomainError.notFound }
            _ = try await self.requireLocation(round.jurisdictionID, actor: origin.actor, permission: .manageRounds, on: db)
            guard [.draft, .approved, .preparing].contains(round.status) else {
                throw DomainError(
                    .conflict, code: "round_frozen", message: "轮次处于“\(round.status.title)”状态，不能调整批次", english: "batches are frozen in this status")
            }
            let (start, end) = try Batch.validateDates(entry: entry, exit: exit, within: round)
            try await SerialisedSQL.lock("batches:" + roundID.text, on: db)
            let last = try await db.raw("SELECT MAX(sequence) AS n FROM batches WHERE round_id = \(bind: roundID.text)").first()
            let sequence = (try last?.decodeNil(column: "n") ?? true) ? 1 : try last!.int("n") + 1
            let batch = Batch(id: id, roundID: roundID, jurisdictionID: round.jurisdictionID, sequence: sequence, entryDate: start, exitDate: end)
            try await db.raw(
                """
                INSERT INTO batches (jurisdiction_id, id, round_id, sequence, entry_date, exit_date, created_at)
                VALUES (\(bind: round.jurisdictionID.text), \(bind: id.text), \(bind: roundID.text), \(bind: sequence), \(bind: start.description),
                    \(bind: end.description), \(bind: now.epochMilliseconds))
                """
            ).run()
            try await self.audit.append(
                AuditEvent(
                    action: .batchAdded, targetType: "batch", targetID: id.text, jurisdictionID: round.jurisdictionID,
                    detail: "\(round.title)第\(sequence)批（\(start)至\(end)）", after: AuditEvent.canonical(batch)),
                origin: origin, at: now, on: db)
            return batch
        }
    }

    /// A round's batches in order.
    public func batches(of roundID: UUID, for actor: Actor) async throws -> [Batch] {
        _ = try await round(roundID, for: actor)
        return try await database.read { db in
            try await db.raw("SELECT * FROM batches WHERE round_id = \(bind: roundID.text) ORDER BY sequence").all().map { row in
                Batch(
                    id: try row.uuid("id"), roundID: try row.uuid("round_id"), jurisdictionID: try row.uuid("jurisdiction_id"), sequence: try row.int("sequence"),
                    entryDate: try row.day("entry_date", label: "进驻日期"),
                    exitDate: try row.day("exit_date", label: "撤离日期"))
            }
        }
    }

    /// The location of a jurisdiction the actor may act on with `permission`; otherwise not
    /// found (can't see it) or forbidden (sees it, may not act).
    func requireLocation(_ jurisdictionID: UUID, actor: Actor, permission: Permission, on db: any SQLDatabase) async throws -> RecordLocation {
        guard let location = try await location(ofJurisdiction: jurisdictionID, on: db), policy.allows(actor, .viewJurisdictions, at: location)
        else { throw DomainError.notFound }
        guard policy.allows(actor, permission, at: location) else { throw DomainError.forbidden }
        return location
    }
}

/// The round's chain in the store: the committee's policy decides who reviews and who manages.
extension RoundLifecycle: StoredLifecycle {
    public static let table = "rounds"
    public static let auditAction = AuditAction.roundStepTaken

    public static func visible(_ id: UUID, for actor: Actor, in store: Store, on db: any SQLDatabase) async throws -> Round {
        guard let round = try await RoundRows.find(id, on: db), let location = try await store.location(ofJurisdiction: round.jurisdictionID, on: db),
            store.policy.allows(actor, .viewRounds, at: location)
        else { throw DomainError.notFound }
        return round
    }

    public static func standing(of actor: Actor, towards round: Round, in store: Store, on db: any SQLDatabase) async throws -> RoundStanding {
        guard let location = try await store.location(ofJurisdiction: round.jurisdictionID, on: db) else { throw DomainError.notFound }
        return RoundStanding(
            actor: actor, mayReview: store.policy.allows(actor, .reviewRounds, at: location), mayManage: store.policy.allows(actor, .manageRounds, at: location))
    }

    public static func columns(of round: Round) -> [(name: String, value: StepColumn)] { [("status", .text(round.status.rawValue))] }
    public static func label(of round: Round) -> String { round.title }
    public static func snapshot(of round: Round) -> String? { AuditEvent.canonical(round) }
}

/// The SQL of the rounds table.
enum RoundRows {
    static func find(_ id: UUID, on db: any SQLDatabase) async throws -> Round? {
        try await db.raw("SELECT * FROM rounds WHERE id = \(bind: id.text)").first().map(decode)
    }

    static func duplicate(_ round: Round) -> DomainError {
        DomainError(.conflict, code: "duplicate_round", message: "\(round.term)第\(round.sequence)轮已存在", english: "round already exists", field: "sequence")
    }

    static func decode(_ row: any SQLRow) throws -> Round {
        Round(
            id: try row.uuid("id"), jurisdictionID: try row.uuid("jurisdiction_id"), term: try row.string("term"), sequence: try row.int("sequence"),
            kind: try row.code("kind", or: .routine), theme: try row.optionalString("theme"),
            plannedStart: try row.day("planned_start", label: "计划开始日期"),
            plannedEnd: try row.day("planned_end", label: "计划结束日期"),
            status: try row.code("status", or: .draft), maxUnitsPerGroup: try row.int("max_units_per_group"),
            createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"), version: try row.int("version"))
    }
}
