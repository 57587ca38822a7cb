import Foundation
import SQLKit
import XunchaCore

/// A step a round took, as kept in its history.
public struct RoundStepRecord: Sendable, Equatable {
    public var step: RoundStep
    public var from: RoundStatus
    public var to: RoundStatus
    public var note: String?
    public var actorName: String
    public var at: Date
}

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
        let found: (Round, RecordLocation)? = try await database.read { db in
            guard let round = try await RoundRows.find(id, on: db), let location = try await self.location(ofJurisdiction: round.jurisdictionID, on: db)
            else { return nil }
            return (round, location)
        }
        guard let (round, location) = found else { throw DomainError.notFound }
        try policy.requireVisible(actor, .viewRounds, at: location)
        return round
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

    /// Takes one step of the round's lifecycle: the state machine decides whether the actor may,
    /// the policy whether they may act on this committee's rounds; the step is kept in the
    /// round's history and the audit log.
    public func takeStep(_ step: RoundStep, on roundID: UUID, note: String?, version: Int, origin: RequestOrigin) async throws -> Round {
        let now = clock.now()
        let actor = origin.actor
        let note = try TextRules.optionalLine(note, field: "note", label: "意见或文号", maxLength: 500)
        return try await database.transaction { db in
            guard let before = try await RoundRows.find(roundID, on: db),
                let location = try await self.location(ofJurisdiction: before.jurisdictionID, on: db)
            else { throw DomainError.notFound }
            try self.policy.requireVisible(actor, .viewRounds, at: location)
            let permission: Permission = step.takenBy == .leadingGroupMember ? .reviewRounds : .manageRounds
            guard self.policy.allows(actor, permission, at: location) else { throw DomainError.forbidden }
            let status = try RoundLifecycle.apply(step, to: before.status, by: actor, note: note)
            guard before.version == version else { throw DomainError.staleVersion }
            var after = before
            after.status = status
            after.updatedAt = now
            after.version += 1
            let changed = try await db.raw(
                """
                UPDATE rounds SET status = \(bind: status.rawValue), updated_at = \(bind: now.epochMilliseconds), version = \(bind: after.version)
                WHERE id = \(bind: roundID.text) AND version = \(bind: before.version) RETURNING id
                """
            ).all()
            guard changed.count == 1 else { throw DomainError.staleVersion }
            try await db.raw(
                """
                INSERT INTO round_steps (jurisdiction_id, id, round_id, step, from_status, to_status, note, actor_id, actor_name, at)
                VALUES (\(bind: before.jurisdictionID.text), \(bind: self.ids.next().text), \(bind: roundID.text), \(bind: step.rawValue),
                    \(bind: before.status.rawValue), \(bind: status.rawValue), \(bind: note), \(bind: actor.userID?.text), \(bind: actor.name),
                    \(bind: now.epochMilliseconds))
                """
            ).run()
            try await self.audit.append(
                AuditEvent(
                    action: .roundStepTaken, targetType: "round", targetID: roundID.text, jurisdictionID: before.jurisdictionID,
                    detail: "\(before.title)：\(step.title)（\(before.status.title)→\(status.title)）" + (note.map { "，\($0)" } ?? ""),
                    before: AuditEvent.canonical(before), after: AuditEvent.canonical(after)),
                origin: origin, at: now, on: db)
            return after
        }
    }

    /// The round's history, oldest first.
    public func roundSteps(_ roundID: UUID, for actor: Actor) async throws -> [RoundStepRecord] {
        _ = try await round(roundID, for: actor)
        return try await database.read { db in
            try await db.raw("SELECT * FROM round_steps WHERE round_id = \(bind: roundID.text) ORDER BY at, id").all().map { row in
                RoundStepRecord(
                    step: RoundStep(rawValue: try row.string("step")) ?? .submitForReview, from: RoundStatus(rawValue: try row.string("from_status")) ?? .draft,
                    to: RoundStatus(rawValue: try row.string("to_status")) ?? .draft, note: try row.optionalString("note"),
                    actorName: try row.string("actor_name"), at: try row.date("at"))
            }
        }
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
                    entryDate: try CalendarDay(text: try row.string("entry_date"), field: "entry_date", label: "进驻日期"),
                    exitDate: try CalendarDay(text: try row.string("exit_date"), field: "exit_date", label: "撤离日期"))
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
            kind: RoundKind(rawValue: try row.string("kind")) ?? .routine, theme: try row.optionalString("theme"),
            plannedStart: try CalendarDay(text: try row.string("planned_start"), field: "planned_start", label: "计划开始日期"),
            plannedEnd: try CalendarDay(text: try row.string("planned_end"), field: "planned_end", label: "计划结束日期"),
            status: RoundStatus(rawValue: try row.string("status")) ?? .draft, maxUnitsPerGroup: try row.int("max_units_per_group"),
            createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"), version: try row.int("version"))
    }
}
