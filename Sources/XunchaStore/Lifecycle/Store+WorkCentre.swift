import Foundation
import SQLKit
import XunchaCore

/// The lists of a person's work centre (工作台).
public enum WorkList: String, CaseIterable, Sendable {
    /// 待办: every step the reader may take now, across all chains, nearest deadline first.
    case waiting
    /// 已办: the steps the reader took, newest first.
    case done
    /// 办结: records the reader took part in that wait for nobody any more.
    case settled
    /// 催办: overdue items the reader may remind their holder of.
    case overdue

    public var title: String {
        switch self {
        case .waiting: "待办"
        case .done: "已办"
        case .settled: "办结"
        case .overdue: "催办"
        }
    }
}

/// One page of a work-centre list and how many items it has in all.
public struct WorkPage: Sendable {
    public var items: [WorkItem]
    public var total: Int
}

extension Store {
    /// The chains a work centre reads, every chain with a lifecycle.
    static let waitingSources: [any WaitingSource.Type] = [
        RoundLifecycle.self, FindingLifecycle.self, LeadLifecycle.self, ImmediateLifecycle.self, ReportLifecycle.self, FeedbackLifecycle.self,
        PlanLifecycle.self, TaskLifecycle.self, RectificationReportLifecycle.self, DisclosureLifecycle.self, EvaluationLifecycle.self,
        ThematicReportLifecycle.self,
    ]

    /// One page (1-based) of `list` for `actor`.
    public func workCentre(_ list: WorkList, for actor: Actor, page: Int = 1, perPage: Int = PageRequest.defaultLimit) async throws -> WorkPage {
        let offset = max(page - 1, 0) * perPage
        let today = CalendarDay(clock.now())
        return try await database.read { db in
            var result: WorkPage
            switch list {
            case .waiting: result = try await Self.page(of: self.waitingBranches(for: actor), newestFirst: false, limit: perPage, offset: offset, on: db)
            case .settled: result = try await Self.page(of: self.settledBranches(for: actor), newestFirst: true, limit: perPage, offset: offset, on: db)
            case .overdue: result = try await Self.page(of: self.overdueBranches(for: actor, today: today), newestFirst: false, limit: perPage, offset: offset, on: db)
            case .done: result = try await Self.done(by: actor, limit: perPage, offset: offset, on: db)
            }
            try await Self.attachReminders(to: &result.items, on: db)
            return result
        }
    }

    /// How many items wait for `actor`, counted up to `cap` (the menu's badge, on every page):
    /// a committee with a hundred thousand items waiting answers as fast as one with ten. A record
    /// sits in at most as many branches as its kind has, so the first `cap` × that many rows hold
    /// `cap` records or are all there are, and the count of those is exact up to `cap`.
    public func waitingCount(for actor: Actor, atMost cap: Int) async throws -> Int {
        let branches = waitingBranches(for: actor)
        guard !branches.isEmpty, cap > 0 else { return 0 }
        let repeats = Dictionary(grouping: branches, by: \.kind).values.map(\.count).max() ?? 1
        let counted = try await database.read { db in
            try await db.raw(
                "SELECT COUNT(*) AS n FROM (SELECT DISTINCT kind, id FROM (SELECT kind, id FROM (" + Self.union(branches) + ") w LIMIT \(bind: cap * repeats)) r) c"
            ).first().map { try $0.int("n") } ?? 0
        }
        return min(counted, cap)
    }

    /// 催办: reminds whoever the overdue item `recordID` waits for; kept as the record's reminder
    /// history and in the audit log. Only the office of its committee or its group's leader (for a
    /// lead, its custodian) may remind, and only of an item past its deadline.
    public func remind(_ kind: WorkKind, recordID: UUID, note: String?, origin: RequestOrigin) async throws -> Reminder {
        guard case .chain(let chain) = kind, let source = Self.waitingSources.first(where: { $0.chain == chain }) else { throw DomainError.notFound }
        let text = try Reminder.note(note)
        let now = clock.now()
        let reminder = Reminder(note: text, byName: origin.actor.displayName, at: now)
        try await database.transaction { db in
            guard let sql = source.remindableRecord(recordID, by: origin.actor, in: self), let row = try await db.raw(sql).first() else { throw DomainError.notFound }
            try Reminder.requireOverdue(try row.optionalDay("due", label: "完成时限"), today: CalendarDay(now))
            let jurisdiction = try row.uuid("jurisdiction_id")
            try await db.raw(
                """
                INSERT INTO reminders (jurisdiction_id, id, kind, record_id, note, by_id, by_name, at)
                VALUES (\(bind: jurisdiction.text), \(bind: self.ids.next().text), \(bind: kind.rawValue), \(bind: recordID.text), \(bind: text),
                    \(bind: origin.actor.userID?.text), \(bind: reminder.byName), \(bind: now.epochMilliseconds))
                """
            ).run()
            try await self.audit.append(
                AuditEvent(
                    action: .reminderSent, targetType: kind.rawValue, targetID: recordID.text, jurisdictionID: jurisdiction,
                    detail: "\(try row.string("title"))：催办（\(text)）"),
                origin: origin, at: now, on: db)
        }
        return reminder
    }

    // MARK: The lists' SQL

    private func waitingBranches(for actor: Actor) -> [WorkBranch] {
        var branches = Self.waitingSources.flatMap { $0.branches(for: actor, in: self) }
        if let plans = FeedbackLifecycle.awaitingPlan(for: actor, in: self) { branches.append(plans) }
        branches += extraBranches(for: actor)
        return branches
    }

    /// What waits outside the chains: a pledge to sign, a recusal request to decide.
    private func extraBranches(for actor: Actor) -> [WorkBranch] {
        var branches: [WorkBranch] = []
        if let account = actor.userID, policy.allowsAnywhere(actor, .actAsInspector) {
            let sql: SQLQueryString = """
                SELECT 'pledge' AS kind, rounds.id AS id, rounds.term || '第' || CAST(rounds.sequence AS TEXT) || '轮' AS title, CAST(NULL AS TEXT) AS unit_name,
                    rounds.status AS status, rounds.planned_start AS due, rounds.updated_at AS since, rounds.jurisdiction_id AS jurisdiction_id,
                    CAST(NULL AS TEXT) AS assignment_id
                FROM rounds WHERE rounds.id IN (
                    SELECT g.round_id FROM inspectors me JOIN group_members gm ON gm.inspector_id = me.id JOIN inspection_groups g ON g.id = gm.group_id
                    WHERE me.account_id = \(bind: account.text))
                AND NOT EXISTS (
                    SELECT 1 FROM pledges p JOIN inspectors me ON me.id = p.inspector_id WHERE p.round_id = rounds.id AND me.account_id = \(bind: account.text))
                """
            branches.append(WorkBranch(kind: .pledge, sql: sql, steps: { _ in ["签署保密承诺书"] }, statusTitle: RoundLifecycle.statusTitle))
        }
        let deciding = policy.scope(actor, .decideRecusalRequests)
        if !deciding.isNothing {
            let sql: SQLQueryString = """
                SELECT 'recusal_request' AS kind, q.id AS id, '回避申请' AS title, u.name AS unit_name, q.status AS status, CAST(NULL AS TEXT) AS due,
                    q.requested_at AS since, q.jurisdiction_id AS jurisdiction_id, q.assignment_id AS assignment_id
                FROM recusal_requests q JOIN units u ON u.id = q.unit_id
                WHERE q.status = \(bind: RecusalRequestStatus.pending.rawValue)
                """ + " AND " + RecusalRequestRows.scope(deciding)
            branches.append(WorkBranch(kind: .recusalRequest, sql: sql, steps: { _ in ["决定是否回避"] }, statusTitle: { _ in "待决定" }))
        }
        return branches
    }

    private func settledBranches(for actor: Actor) -> [WorkBranch] {
        guard let account = actor.userID else { return [] }
        return Self.waitingSources.map { source in WorkBranch(kind: .chain(source.chain), sql: source.settled(by: account), steps: { _ in [] }, statusTitle: source.statusTitle) }
    }

    private func overdueBranches(for actor: Actor, today: CalendarDay) -> [WorkBranch] {
        Self.waitingSources.compactMap { source in
            source.overdue(remindableBy: actor, in: self, today: today).map {
                WorkBranch(kind: .chain(source.chain), sql: $0, steps: source.awaitedSteps, statusTitle: source.statusTitle)
            }
        }
    }

    /// The branches as one UNION ALL, each row naming its branch.
    private static func union(_ branches: [WorkBranch]) -> SQLQueryString {
        var sql: SQLQueryString = ""
        for (index, branch) in branches.enumerated() {
            if index > 0 { sql += " UNION ALL " }
            sql += "SELECT \(unsafeRaw: String(index)) AS branch, b.* FROM (" + branch.sql + ") b"
        }
        return sql
    }

    /// One page of the branches' rows, a record once (under the first branch that holds it),
    /// nearest deadline first (or last moved first), with the total.
    private static func page(of branches: [WorkBranch], newestFirst: Bool, limit: Int, offset: Int, on db: any SQLDatabase) async throws -> WorkPage {
        guard !branches.isEmpty else { return WorkPage(items: [], total: 0) }
        let union = union(branches)
        let order: SQLQueryString = newestFirst ? "since DESC, id" : "CASE WHEN due IS NULL THEN 1 ELSE 0 END, due, since DESC, id"
        let rows = try await db.raw(
            "SELECT kind, id, MIN(branch) AS branch, title, unit_name, status, due, since FROM (" + union
                + ") w GROUP BY kind, id, title, unit_name, status, due, since ORDER BY " + order + " LIMIT \(bind: limit) OFFSET \(bind: offset)"
        ).all()
        let total = try await db.raw("SELECT COUNT(*) AS n FROM (SELECT DISTINCT kind, id FROM (" + union + ") w) c").first().map { try $0.int("n") } ?? 0
        let items = try rows.map { row in
            let branch = branches[try row.int("branch")]
            let status = try row.string("status")
            return WorkItem(
                kind: branch.kind, recordID: try row.uuid("id"), title: try row.string("title"), unitName: try row.optionalString("unit_name"),
                statusTitle: branch.statusTitle(status), steps: branch.steps(status), due: try row.optionalDay("due", label: "完成时限"), at: try row.date("since"))
        }
        return WorkPage(items: items, total: total)
    }

    /// 已办: the reader's own steps, newest first, each naming its record as it stands now.
    private static func done(by actor: Actor, limit: Int, offset: Int, on db: any SQLDatabase) async throws -> WorkPage {
        guard let account = actor.userID else { return WorkPage(items: [], total: 0) }
        let mine: SQLQueryString = "FROM record_steps WHERE actor_id = \(bind: account.text)"
        let steps = try await db.raw("SELECT chain, record_id, step, at " + mine + " ORDER BY at DESC, id DESC LIMIT \(bind: limit) OFFSET \(bind: offset)").all()
        let total = try await db.raw("SELECT COUNT(*) AS n " + mine).first().map { try $0.int("n") } ?? 0
        var records: [String: (title: String, unit: String?, status: String, due: CalendarDay?)] = [:]
        let byChain = Dictionary(grouping: try steps.map { (try $0.string("chain"), try $0.string("record_id")) }, by: \.0)
        for (chain, ids) in byChain {
            guard let source = waitingSources.first(where: { $0.chain.rawValue == chain }) else { continue }
            let sql = source.workRow + " WHERE \(unsafeRaw: source.idColumn) IN (\(binds: Array(Set(ids.map(\.1)))))"
            for row in try await db.raw(sql).all() {
                records[try row.string("id")] = (
                    try row.string("title"), try row.optionalString("unit_name"), source.statusTitle(try row.string("status")), try row.optionalDay("due", label: "完成时限")
                )
            }
        }
        let items = try steps.compactMap { row -> WorkItem? in
            guard let chain = Chain(rawValue: try row.string("chain")), let source = waitingSources.first(where: { $0.chain == chain }),
                let record = records[try row.string("record_id")]
            else { return nil }
            return WorkItem(
                kind: .chain(chain), recordID: try row.uuid("record_id"), title: record.title, unitName: record.unit, statusTitle: record.status,
                steps: [source.stepTitle(try row.string("step"))], due: record.due, at: try row.date("at"))
        }
        return WorkPage(items: items, total: total)
    }

    /// The reminders of the page's records, oldest first.
    private static func attachReminders(to items: inout [WorkItem], on db: any SQLDatabase) async throws {
        guard !items.isEmpty else { return }
        let reminders = try await ReminderRows.of(items.map(\.recordID), on: db)
        for index in items.indices { items[index].reminders = reminders[items[index].recordID] ?? [] }
    }
}

/// The SQL of reminders.
enum ReminderRows {
    /// The reminders of `records`, each record's oldest first.
    static func of(_ records: [UUID], on db: any SQLDatabase) async throws -> [UUID: [Reminder]] {
        guard !records.isEmpty else { return [:] }
        let rows = try await db.raw(
            "SELECT record_id, note, by_name, at FROM reminders WHERE record_id IN (\(binds: Array(Set(records.map(\.text))))) ORDER BY at, id"
        ).all()
        var reminders: [UUID: [Reminder]] = [:]
        for row in rows {
            reminders[try row.uuid("record_id"), default: []].append(Reminder(note: try row.string("note"), byName: try row.string("by_name"), at: try row.date("at")))
        }
        return reminders
    }
}
