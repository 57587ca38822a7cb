import Foundation
import SQLKit
import XunchaCore

/// A record as its reader sees its lifecycle: the record, its history, the steps they may take now.
public struct LifecycleView<L: Lifecycle>: Sendable {
    public let record: L.Record
    public let history: [StepRecord<L.Step, L.Status>]
    public let available: [L.Step]
    /// 催办: who reminded the record's holder, oldest first.
    public let reminders: [Reminder]
}

/// A value a step writes into one column.
public enum StepColumn: Sendable, Equatable {
    case text(String?)
    case integer(Int?)

    static func day(_ day: CalendarDay?) -> StepColumn { .text(day?.description) }
    static func date(_ date: Date?) -> StepColumn { .integer(date.map { Int($0.epochMilliseconds) }) }
    static func flag(_ value: Bool) -> StepColumn { .integer(value ? 1 : 0) }

    var sql: SQLQueryString {
        switch self {
        case .text(let value): "\(bind: value)"
        case .integer(let value): "\(bind: value)"
        }
    }
}

/// The store's half of a lifecycle: how the chain's records are read for a person, where the
/// person stands towards one, what a step needs read from the database, and which columns a step
/// may change. Everything else of taking a step is the one step writer's (`Store.take`).
public protocol StoredLifecycle: Lifecycle {
    /// The table of the chain's records; the writer updates a row by `id` and `version`.
    static var table: String { get }
    static var auditAction: AuditAction { get }
    /// The audit action of one step: the chain's, unless a step is an act of its own (triage).
    static func auditAction(for step: Step) -> AuditAction
    /// The record, if `actor` may see it; otherwise `DomainError.notFound`.
    static func visible(_ id: UUID, for actor: Actor, in store: Store, on db: any SQLDatabase) async throws -> Record
    static func standing(of actor: Actor, towards record: Record, in store: Store, on db: any SQLDatabase) async throws -> Standing
    /// What the step's guards and effects need read (a setting, an evidence count, the next number
    /// in the step's business year).
    static func facts(
        for step: Step, on record: Record, input: Input, origin: RequestOrigin, context: StepContext, in store: Store, on db: any SQLDatabase
    ) async throws -> Facts
    /// The columns a step may change, as they stand in `record`. The writer sets those a step changed.
    static func columns(of record: Record) -> [(name: String, value: StepColumn)]
    /// The record as the audit entry names it ("第十五届第3轮", "市财政局", "XS-2026-001").
    static func label(of record: Record) -> String
    /// The note of a history entry as `record`'s reader may read it (a sealed paper's notes are not shown).
    static func historyNote(_ note: String?, of record: Record) -> String?
    /// The record before and after a step, for the audit entry (nil: the entry names the step only).
    static func snapshot(of record: Record) -> String?
    /// Rows a step writes beside its record's own (a plan's review opinion, the lead a triage
    /// registers), in the same transaction, after the record's row, history and audit entry;
    /// `facts` are the ones the step was decided on; the rows date from the step's business moment
    /// (`time.at`), their audit entries from when it is recorded.
    static func written(
        _ step: Step, from before: Record, to outcome: StepOutcome<Record>, input: Input, facts: Facts, origin: RequestOrigin, time: StepTime,
        in store: Store, on db: any SQLDatabase) async throws
    /// The 公文 a step issues (下达 the 立行立改通知书, 印发 the 反馈意见, 提交 a 巡察报告 …), if any: the
    /// writer pins the committee's template version in force to the record in the step's
    /// transaction; a step that issues it again (a report submitted again after its return) pins anew.
    static func issuedDocuments(by step: Step, of record: Record) -> [DocumentKind]
}

extension StoredLifecycle {
    public static func auditAction(for step: Step) -> AuditAction { auditAction }
    public static func historyNote(_ note: String?, of record: Record) -> String? { note }
    public static func snapshot(of record: Record) -> String? { nil }
    public static func issuedDocuments(by step: Step, of record: Record) -> [DocumentKind] { [] }
    public static func written(
        _ step: Step, from before: Record, to outcome: StepOutcome<Record>, input: Input, facts: Facts, origin: RequestOrigin, time: StepTime,
        in store: Store, on db: any SQLDatabase
    ) async throws {}
}

extension StoredLifecycle where Facts == Void {
    public static func facts(
        for step: Step, on record: Record, input: Input, origin: RequestOrigin, context: StepContext, in store: Store, on db: any SQLDatabase
    ) async throws {}
}

/// The one step writer: every step of every chain is taken here, in one transaction — the
/// reader's standing, the step's business day, the lifecycle's decision, the version check, the
/// row, the history entry, the audit entry, and the steps it sets off on other chains.
extension Store {
    /// Takes `step` on the record `id`, which the caller read at `version`, as of its business day
    /// `dated` (today unless said); returns the record after it.
    public func take<S: LifecycleStep>(
        _ step: S, on id: UUID, input: S.Lifecycle.Input, version: Int, origin: RequestOrigin, dated: BusinessDate = .today
    ) async throws -> S.Lifecycle.Record where S.Lifecycle: StoredLifecycle {
        let now = clock.now()
        try await database.transaction { db in
            try await self.take(step, on: id, input: input, version: version, origin: origin, dated: dated, at: now, on: db)
        }
        return try await database.read { db in try await S.Lifecycle.visible(id, for: origin.actor, in: self, on: db) }
    }

    /// Takes a step that carries only a note.
    public func take<S: LifecycleStep>(
        _ step: S, on id: UUID, note: String?, version: Int, origin: RequestOrigin, dated: BusinessDate = .today
    ) async throws -> S.Lifecycle.Record where S.Lifecycle: StoredLifecycle, S.Lifecycle.Input: StepInput {
        try await take(step, on: id, input: S.Lifecycle.Input(note: note), version: version, origin: origin, dated: dated)
    }

    /// The steps `actor` may take on `record` now, for the page's buttons and the API.
    public func availableSteps<L: StoredLifecycle>(_ lifecycle: L.Type, on record: L.Record, for actor: Actor) async throws -> [L.Step] {
        try await database.read { db in L.available(on: record, standing: try await L.standing(of: actor, towards: record, in: self, on: db)) }
    }

    /// The reminders (催办) of a record, oldest first, if `actor` may see the record.
    public func reminders<L: StoredLifecycle>(_ lifecycle: L.Type, of id: UUID, for actor: Actor) async throws -> [Reminder] {
        try await database.read { db in
            let record = try await L.visible(id, for: actor, in: self, on: db)
            return try await ReminderRows.of([record.id], on: db)[record.id] ?? []
        }
    }

    /// A record's history, oldest first, if `actor` may see the record.
    public func history<L: StoredLifecycle>(_ lifecycle: L.Type, of id: UUID, for actor: Actor) async throws -> [StepRecord<L.Step, L.Status>] {
        try await database.read { db in try await Self.history(L.self, of: try await L.visible(id, for: actor, in: self, on: db), on: db) }
    }

    /// A record with its history and the steps `actor` may take on it now, read at one moment:
    /// what every record's page and `GET …/steps` show of its lifecycle.
    public func lifecycleView<L: StoredLifecycle>(_ lifecycle: L.Type, of id: UUID, for actor: Actor) async throws -> LifecycleView<L> {
        try await database.read { db in
            let record = try await L.visible(id, for: actor, in: self, on: db)
            let available = L.available(on: record, standing: try await L.standing(of: actor, towards: record, in: self, on: db))
            return LifecycleView(
                record: record, history: try await Self.history(L.self, of: record, on: db), available: available,
                reminders: try await ReminderRows.of([record.id], on: db)[record.id] ?? [])
        }
    }

    /// The history of a record its reader may see, oldest first; entries whose step or states the
    /// chain no longer knows are left out.
    private static func history<L: StoredLifecycle>(_ lifecycle: L.Type, of record: L.Record, on db: any SQLDatabase) async throws -> [StepRecord<L.Step, L.Status>] {
        try await db.raw("SELECT * FROM record_steps WHERE record_id = \(bind: record.id.text) ORDER BY occurred_on, at, id").all().compactMap { row in
            guard let step = L.Step(rawValue: try row.string("step")), let from = L.Status(rawValue: try row.string("from_status")),
                let to = L.Status(rawValue: try row.string("to_status"))
            else { return nil }
            return StepRecord(
                step: step, from: from, to: to, note: L.historyNote(try row.optionalString("note"), of: record), progress: try row.optionalInt("progress"),
                stage: try row.optionalString("stage_name"), actorName: try row.string("actor_name"), at: try row.date("at"),
                occurredOn: try row.optionalString("occurred_on").map { try CalendarDay(text: $0, field: "occurred_on", label: "业务日期") },
                backfillReason: try row.optionalString("backfill_reason"))
        }
    }

    /// The writer inside a transaction: the reader's record and standing, the step's business day,
    /// then the step.
    func take<S: LifecycleStep>(
        _ step: S, on id: UUID, input: S.Lifecycle.Input, version: Int?, origin: RequestOrigin, dated: BusinessDate, at now: Date, on db: any SQLDatabase
    ) async throws where S.Lifecycle: StoredLifecycle {
        let before = try await S.Lifecycle.visible(id, for: origin.actor, in: self, on: db)
        let standing = try await S.Lifecycle.standing(of: origin.actor, towards: before, in: self, on: db)
        // Who and from where before the date: a step the reader may not take says so, whatever its day.
        try S.Lifecycle.check(step, on: before, standing: standing)
        let time = try await Self.time(of: dated, in: before.jurisdictionID, after: before.id, at: now, on: db)
        try await write(step, on: before, standing: standing, input: input, version: version, origin: origin, time: time, on: db)
    }

    /// When a step (or a record's registration) dated `dated` counts as taken, under the 补录
    /// setting of the committee `jurisdiction`. Only a day before today needs the record's latest
    /// business day (`record`: a step cannot precede it) and the setting read.
    static func time(of dated: BusinessDate, in jurisdiction: UUID, after record: UUID?, at now: Date, on db: any SQLDatabase) async throws -> StepTime {
        guard dated.isBefore(now) else { return try dated.resolved(recordedAt: now, after: nil, backfillDays: .max) }
        var previous: CalendarDay?
        if let record {
            let latest = try await db.raw("SELECT MAX(occurred_on) AS day FROM record_steps WHERE record_id = \(bind: record.text)").first()
            previous = try latest?.optionalString("day").map { try CalendarDay(text: $0, field: "occurred_on", label: "业务日期") }
        }
        // A step that gives its reason (every step an import writes) is dated alike whatever the
        // setting says: the setting is read only when it can refuse the day.
        let reasoned = try dated.resolved(recordedAt: now, after: previous, backfillDays: .max)
        if reasoned.backfillReason != nil { return reasoned }
        let settings = try await SettingsRows.settings(of: jurisdiction, on: db)
        return try dated.resolved(recordedAt: now, after: previous, backfillDays: settings.backfillDays)
    }

    /// Decides and writes one step: the row (only the columns the step changed, guarded by the
    /// version read), the history entry, the audit entry, the chain's own further rows, and the
    /// steps it sets off, all on the step's business day.
    func write<S: LifecycleStep>(
        _ step: S, on before: S.Lifecycle.Record, standing: S.Lifecycle.Standing, input: S.Lifecycle.Input, version: Int?, origin: RequestOrigin,
        time: StepTime, on db: any SQLDatabase
    ) async throws where S.Lifecycle: StoredLifecycle {
        typealias L = S.Lifecycle
        let now = time.recordedAt
        // Who and from where first: a step refused so reads nothing for its facts.
        try L.check(step, on: before, standing: standing)
        let context = StepContext(actorName: origin.actor.displayName, time: time)
        let facts = try await L.facts(for: step, on: before, input: input, origin: origin, context: context, in: self, on: db)
        let outcome = try L.take(step, on: before, input: input, facts: facts, context: context)
        if let version, before.version != version { throw DomainError.staleVersion }
        var sets: SQLQueryString?
        for ((name, value), (_, previous)) in zip(L.columns(of: outcome.record), L.columns(of: before)) where value != previous {
            let column: SQLQueryString = "\(unsafeRaw: name) = " + value.sql
            sets = sets.map { $0 + ", " + column } ?? column
        }
        try await VersionedRow.update(L.table, id: before.id, version: before.version, set: sets, at: now, on: db)
        try await db.raw(
            """
            INSERT INTO record_steps (jurisdiction_id, id, chain, record_id, step, from_status, to_status, note, progress, stage_name, actor_id, actor_name, at,
                occurred_on, backfill_reason)
            VALUES (\(bind: before.jurisdictionID.text), \(bind: ids.next().text), \(bind: L.chain.rawValue), \(bind: before.id.text), \(bind: step.rawValue),
                \(bind: L.status(of: before).rawValue), \(bind: L.status(of: outcome.record).rawValue), \(bind: outcome.note), \(bind: outcome.progress),
                \(bind: outcome.stage), \(bind: origin.actor.userID?.text), \(bind: origin.actor.displayName), \(bind: now.epochMilliseconds),
                \(bind: time.occurredOn.description), \(bind: time.backfillReason))
            """
        ).run()
        try await audit.append(
            AuditEvent(
                action: L.auditAction(for: step), targetType: L.chain.rawValue, targetID: before.id.text, jurisdictionID: before.jurisdictionID,
                detail: "\(L.label(of: before))：\(step.title)\(outcome.detail)\(time.auditNote)", before: L.snapshot(of: before), after: L.snapshot(of: outcome.record)),
            origin: origin, at: now, on: db)
        for kind in L.issuedDocuments(by: step, of: outcome.record) {
            try await pinDocument(kind, record: before.id, jurisdictionID: before.jurisdictionID, at: now, on: db)
        }
        try await L.written(step, from: before, to: outcome, input: input, facts: facts, origin: origin, time: time, in: self, on: db)
        for effect in outcome.effects {
            guard let target = Self.cascadeTargets.first(where: { $0.chain == effect.chain }) else {
                throw DomainError(.internalFailure, code: "unknown_chain", message: "系统内部错误", english: "no cascade into \(effect.chain.rawValue)")
            }
            try await target.cascade(effect, origin: origin, time: time, in: self, on: db)
        }
    }

    /// The chains other chains' steps may set steps off on.
    static let cascadeTargets: [any CascadeTarget.Type] = [ImmediateLifecycle.self, LeadLifecycle.self, TaskLifecycle.self]
}

/// A chain whose steps other chains set off (triage withdraws a lead; a plan's approval starts
/// its tasks). The step is decided by the chain's own lifecycle like any other, standing as the
/// cascade; the person whose step set it off need not be able to read the record.
public protocol CascadeTarget: StoredLifecycle {
    /// The record, whoever may read it.
    static func find(_ id: UUID, in store: Store, on db: any SQLDatabase) async throws -> Record
    /// Where a step set off by another chain stands: it may take the cascade's steps only.
    static var cascadeStanding: Standing { get }
    static func cascadeInput(note: String?) -> Input
}

extension CascadeTarget where Input: StepInput {
    public static func cascadeInput(note: String?) -> Input { Input(note: note) }
}

extension CascadeTarget {
    /// The step set off happens on the business day of the step that set it off.
    static func cascade(_ effect: ChainEffect, origin: RequestOrigin, time: StepTime, in store: Store, on db: any SQLDatabase) async throws {
        guard let step = Step(rawValue: effect.step) else {
            throw DomainError(.internalFailure, code: "unknown_step", message: "系统内部错误", english: "\(chain.rawValue) has no step \(effect.step)")
        }
        let record = try await find(effect.recordID, in: store, on: db)
        try await store.write(step, on: record, standing: cascadeStanding, input: cascadeInput(note: effect.note), version: nil, origin: origin, time: time, on: db)
    }
}
