import Foundation
import SQLKit
import XunchaCore

/// The store's half of a chain's 待办: the chain's records as one work-centre row, and the places
/// a reader may stand towards them, each with the records (as SQL) where they stand so. Which
/// states wait for which standing is the lifecycle's (`Lifecycle.awaiting`); the store only says
/// where a reader stands, so one query answers "what waits for me" without reading a record twice.
public protocol WaitingSource: StoredLifecycle {
    /// `SELECT` of the work-centre columns (kind, id, title, unit_name, status, due, since,
    /// jurisdiction_id, assignment_id) from the chain's table and what names its records, no `WHERE`.
    static var workRow: SQLQueryString { get }
    /// The record's status column in `workRow`.
    static var statusColumn: String { get }
    /// The record's id column in `workRow`.
    static var idColumn: String { get }
    /// Of the records in `statuses` (awaited states), those that still wait (an approved paper
    /// waits for its disposition only while it has none); nil: all of them.
    static func stillWaiting(in statuses: [Status]) -> SQLQueryString?
    /// Where `actor` may stand towards the chain's records, each with the records where they do
    /// (nil: none — the standing is not the reader's, and no SQL is sent for it).
    static func standings(of actor: Actor, in store: Store) -> [(standing: Standing, records: SQLQueryString?)]
    /// The records whose holder `actor` may remind (催办): the office of their committee, or the
    /// leader of their group (nil: none).
    static func remindable(by actor: Actor, in store: Store) -> SQLQueryString?
}

extension WaitingSource {
    public static func stillWaiting(in statuses: [Status]) -> SQLQueryString? { nil }

    public static func remindable(by actor: Actor, in store: Store) -> SQLQueryString? {
        WaitingSQL.either(
            WaitingSQL.office(actor, store: store, jurisdictionColumn: "\(table).jurisdiction_id"),
            WaitingSQL.served(actor, in: store, assignmentColumn: "\(table).assignment_id", asLeader: true))
    }

    /// One branch per standing the reader holds that anything waits for, with the steps it
    /// waits for by state.
    static func branches(for actor: Actor, in store: Store) -> [WorkBranch] {
        standings(of: actor, in: store).compactMap { standing, records in
            let awaiting = awaiting(standing: standing)
            guard let records, !awaiting.isEmpty else { return nil }
            let steps = Dictionary(uniqueKeysWithValues: awaiting.map { ($0.status.rawValue, $0.steps.map(\.title)) })
            var sql = workRow + " WHERE (" + records + ") AND \(unsafeRaw: statusColumn) IN (\(binds: awaiting.map(\.status.rawValue)))"
            if let still = stillWaiting(in: awaiting.map(\.status)) { sql += " AND " + still }
            return WorkBranch(kind: .chain(chain), sql: sql, steps: { steps[$0] ?? [] }, statusTitle: statusTitle)
        }
    }

    /// The chain's records whose steps `actor` took and that wait for nobody now (办结).
    static func settled(by account: UUID) -> SQLQueryString {
        var waiting: SQLQueryString = "\(unsafeRaw: statusColumn) IN (\(binds: awaitedStatuses.map(\.rawValue)))"
        if let still = stillWaiting(in: awaitedStatuses) { waiting += " AND " + still }
        return workRow + " WHERE \(unsafeRaw: idColumn) IN (SELECT record_id FROM record_steps WHERE actor_id = \(bind: account.text) AND chain = \(bind: chain.rawValue))"
            + " AND NOT (" + waiting + ")"
    }

    /// The chain's records in an awaited state that `actor` may remind their holder of.
    static func remindableRecords(by actor: Actor, in store: Store) -> SQLQueryString? {
        guard let remindable = remindable(by: actor, in: store) else { return nil }
        var sql = workRow + " WHERE (" + remindable + ") AND \(unsafeRaw: statusColumn) IN (\(binds: awaitedStatuses.map(\.rawValue)))"
        if let still = stillWaiting(in: awaitedStatuses) { sql += " AND " + still }
        return sql
    }

    /// Those of them past their deadline on `today`.
    static func overdue(remindableBy actor: Actor, in store: Store, today: CalendarDay) -> SQLQueryString? {
        remindableRecords(by: actor, in: store).map { "SELECT * FROM (" + $0 + ") o WHERE o.due < \(bind: today.description)" }
    }

    /// The record `id`, if it waits for someone and `actor` may remind its holder.
    static func remindableRecord(_ id: UUID, by actor: Actor, in store: Store) -> SQLQueryString? {
        remindableRecords(by: actor, in: store).map { $0 + " AND \(unsafeRaw: idColumn) = \(bind: id.text)" }
    }

    @Sendable static func statusTitle(_ raw: String) -> String { Status(rawValue: raw)?.title ?? raw }
    static func stepTitle(_ raw: String) -> String { Step(rawValue: raw)?.title ?? raw }
    /// What a record at `raw` waits for, whoever takes it.
    @Sendable static func awaitedSteps(_ raw: String) -> [String] {
        guard let status = Status(rawValue: raw) else { return [] }
        return Step.allCases.filter { awaits($0, at: status) }.map(\.title)
    }
}

/// One SELECT of the work centre's union, and the steps its rows wait for by state.
struct WorkBranch: Sendable {
    let kind: WorkKind
    let sql: SQLQueryString
    let steps: @Sendable (String) -> [String]
    let statusTitle: @Sendable (String) -> String
}

/// The SQL every chain's standings are written in.
enum WaitingSQL {
    /// Where the policy lets `actor` act as a committee's body (office, leading group …): the
    /// scope as a condition; none for no scope, or for a scope bound to a person's own group, inbox
    /// or tasks, which are not standings of a place (`Scope.contains` answers no for them likewise).
    static func located(_ scope: Scope, jurisdictionColumn: String, unitColumn: String? = nil) -> SQLQueryString? {
        switch scope {
        case .nothing, .ownAssignments, .inbox, .ownTasks: nil
        case .unit where unitColumn == nil: nil
        default: ScopeSQL.filter(scope, jurisdictionColumn: jurisdictionColumn, unitColumn: unitColumn)
        }
    }

    /// The assignments whose group the account serves in (and may open), optionally as its leader.
    static func served(_ actor: Actor, in store: Store, assignmentColumn: String, asLeader: Bool) -> SQLQueryString? {
        guard let account = actor.userID, store.policy.allowsAnywhere(actor, .recordFieldwork) else { return nil }
        var own = ScopeSQL.ownAssignments(account)
        if asLeader { own += " AND gm.role = \(bind: GroupRole.leader.rawValue)" }
        return "\(unsafeRaw: assignmentColumn) IN (" + own + ")"
    }

    /// The office of a record's committee: who runs the tours and reminds.
    static func office(_ actor: Actor, store: Store, jurisdictionColumn: String) -> SQLQueryString? {
        located(store.policy.scope(actor, .manageRounds), jurisdictionColumn: jurisdictionColumn)
    }

    /// The record's committee is the reader's own and the reader holds `role` there.
    static func holds(_ role: Role, _ actor: Actor, jurisdictionColumn: String) -> SQLQueryString? {
        guard actor.roles.contains(role), let jurisdiction = actor.jurisdictionID else { return nil }
        return "\(unsafeRaw: jurisdictionColumn) = \(bind: jurisdiction.text)"
    }

    /// The reader's own unit, holding `role` there.
    static func ownUnit(_ actor: Actor, roles: Set<Role>, jurisdictionColumn: String, unitColumn: String) -> SQLQueryString? {
        guard !actor.roles.isDisjoint(with: roles), let jurisdiction = actor.jurisdictionID, let unit = actor.unitID else { return nil }
        return "\(unsafeRaw: jurisdictionColumn) = \(bind: jurisdiction.text) AND \(unsafeRaw: unitColumn) = \(bind: unit.text)"
    }

    /// Records any of `parts` selects (nil: none does).
    static func either(_ parts: SQLQueryString?...) -> SQLQueryString? {
        let present = parts.compactMap { $0 }
        guard var sql = present.first.map({ "(" + $0 + ")" as SQLQueryString }) else { return nil }
        for part in present.dropFirst() { sql += " OR (" + part + ")" }
        return sql
    }
}
