import Foundation
import SQLKit
import XunchaCore

/// 分单位、分党委统计: the main figures grouped by unit or by committee in SQL, under the same scope
/// and filter as the totals.
extension Store {
    /// The rows with the most problems and the most tasks (at most `limit` of each, merged), largest
    /// first. With `zeros`, the units (or committees) in scope that have nothing to count follow,
    /// by name, up to `limit` rows in all, as a report's annex lists every unit: the units with an
    /// assignment under a round or group filter (or a group's own), otherwise every unit registered
    /// in the counted committees; every counted committee. A reader who counts no findings (an
    /// inspected unit) gets none.
    public func statisticsBreakdown(
        _ kind: StatisticsBreakdownKind, filter: StatisticsFilter = .init(), today: CalendarDay? = nil, limit: Int = 100, zeros: Bool = false, for actor: Actor
    ) async throws -> [StatisticsBreakdownRow] {
        try await readStatistics(filter, today: today, for: actor) { db, where_ in
            guard where_.mayCountWork else { return [] }
            let key = BreakdownKey(kind)
            let findings = where_.on(.init(jurisdiction: "f.jurisdiction_id", unit: "f.unit_id", assignment: "f.assignment_id", round: "f.round_id", group: "f.group_id", millis: "f.approved_at"))
            let tasks = where_.on(StatisticsSQL.Columns.tasks)
            let leads = where_.on(.init(jurisdiction: "l.jurisdiction_id", unit: "l.unit_id", assignment: "l.assignment_id", group: "l.group_id", millis: "l.created_at"))

            func findingCounts(_ restriction: SQLQueryString) -> SQLQueryString {
                let disposition = where_.asOf.findingDisposition
                return "SELECT \(unsafeRaw: key.of("f")) AS k, COUNT(CASE WHEN " + where_.asOf.findingProblem + " THEN 1 END) AS total, "
                    + "COUNT(CASE WHEN " + disposition + " = 'immediate' THEN 1 END) AS immediate, COUNT(CASE WHEN " + disposition + " = 'deadline' THEN 1 END) AS deadline "
                    + "FROM findings f" + key.join("f.group_id") + " WHERE f.status = 'approved' AND " + findings + restriction + " GROUP BY \(unsafeRaw: key.of("f"))"
            }
            func taskCounts(_ restriction: SQLQueryString) -> SQLQueryString {
                "SELECT \(unsafeRaw: key.of("t")) AS k, COUNT(*) AS tasks, COUNT(CASE WHEN " + where_.asOf.taskClosed + " THEN 1 END) AS closed, "
                    + "COUNT(CASE WHEN " + where_.asOf.taskOverdue + " THEN 1 END) AS overdue FROM " + AsOfSQL.taskJoin
                    + key.join("(SELECT group_id FROM assignments WHERE id = t.assignment_id)") + " WHERE " + tasks + restriction + " GROUP BY \(unsafeRaw: key.of("t"))"
            }
            var rows: [String: StatisticsBreakdownRow] = [:]
            func row(_ id: String) -> StatisticsBreakdownRow {
                rows[id] ?? StatisticsBreakdownRow(id: UUID(text: id) ?? UUID(), name: "", unitsInspected: kind == .unit ? nil : 0)
            }
            // Each counted row sets its figures on the entry of its key, made on first sight.
            func add(_ found: [any SQLRow], _ set: (inout StatisticsBreakdownRow, any SQLRow) throws -> Void) throws {
                for r in found {
                    let id = try r.string("k")
                    var entry = row(id)
                    try set(&entry, r)
                    rows[id] = entry
                }
            }
            func addFindings(_ found: [any SQLRow]) throws {
                try add(found) { entry, r in (entry.findings, entry.immediate, entry.deadline) = (try r.int("total"), try r.int("immediate"), try r.int("deadline")) }
            }
            func addTasks(_ found: [any SQLRow]) throws {
                try add(found) { entry, r in (entry.tasks, entry.closed, entry.overdue) = (try r.int("tasks"), try r.int("closed"), try r.int("overdue")) }
            }
            // The largest by problems and by tasks decide the rows; the other counts are read for those rows only.
            let topFindings = try await db.raw(findingCounts("") + " ORDER BY total DESC, k LIMIT \(literal: limit)").all()
            let topTasks = try await db.raw(taskCounts("") + " ORDER BY tasks DESC, k LIMIT \(literal: limit)").all()
            try addFindings(topFindings)
            try addTasks(topTasks)
            let counted = Array(rows.keys)
            let within: SQLQueryString = " AND "
            let top = (findings: Set(try topFindings.map { try $0.string("k") }), tasks: Set(try topTasks.map { try $0.string("k") }))
            let lackingFindings = counted.filter { !top.findings.contains($0) }
            if !lackingFindings.isEmpty { try addFindings(try await db.raw(findingCounts(within + "\(unsafeRaw: key.of("f")) IN (\(binds: lackingFindings))")).all()) }
            let lackingTasks = counted.filter { !top.tasks.contains($0) }
            if !lackingTasks.isEmpty { try addTasks(try await db.raw(taskCounts(within + "\(unsafeRaw: key.of("t")) IN (\(binds: lackingTasks))")).all()) }
            if zeros, counted.count < limit {
                var others = Self.breakdownKeys(kind, where_)
                if !counted.isEmpty { others += " AND k.id NOT IN (\(binds: counted))" }
                for r in try await db.raw(others + " ORDER BY k.name, k.id LIMIT \(literal: limit - counted.count)").all() {
                    let id = try r.string("id")
                    rows[id] = row(id)
                }
            }
            let ids = Array(rows.keys)
            guard !ids.isEmpty else { return [] }
            for r in try await db.raw(
                "SELECT \(unsafeRaw: key.of("l")) AS k, COUNT(*) AS n FROM leads l" + key.join("l.group_id") + " WHERE " + where_.asOf.leadTransferred + " AND " + leads
                    + " AND \(unsafeRaw: key.of("l")) IN (\(binds: ids)) GROUP BY \(unsafeRaw: key.of("l"))"
            ).all() {
                rows[try r.string("k")]?.leadsTransferred = try r.int("n")
            }
            if kind != .unit {
                for r in try await db.raw(
                    "SELECT \(unsafeRaw: key.of("a")) AS k, COUNT(DISTINCT a.unit_id) AS n FROM assignments a JOIN batches b ON b.id = a.batch_id" + key.join("a.group_id") + " WHERE "
                        + where_.on(StatisticsSQL.Columns.assignments)
                        + " AND \(unsafeRaw: key.of("a")) IN (\(binds: ids)) GROUP BY \(unsafeRaw: key.of("a"))"
                ).all() {
                    rows[try r.string("k")]?.unitsInspected = try r.int("n")
                }
            }
            let names = ["unit": "units", "committee": "jurisdictions", "group": "standing_groups"][kind.rawValue] ?? "units"
            for r in try await db.raw("SELECT id, name FROM \(unsafeRaw: names) WHERE id IN (\(binds: ids))").all() {
                rows[try r.string("id")]?.name = try r.string("name")
            }
            return rows.values.sorted { ($0.findings, $0.tasks, $1.name) > ($1.findings, $1.tasks, $0.name) }
        }
    }

    /// `SELECT k.id … WHERE` the units or committees a breakdown lists with zeros (`k`).
    static func breakdownKeys(_ kind: StatisticsBreakdownKind, _ where_: StatisticsSQL) -> SQLQueryString {
        switch kind {
        case .committee:
            return "SELECT k.id FROM jurisdictions k WHERE " + where_.jurisdictions("k.id")
        case .group:
            return "SELECT k.id FROM standing_groups k WHERE " + where_.jurisdictions("k.jurisdiction_id")
        case .unit:
            let assigned: Bool
            switch where_.scope {
            case .ownAssignments: assigned = true
            default: assigned = where_.filter.roundID != nil || where_.filter.groupID != nil || where_.filter.standingGroupID != nil
            }
            var sql: SQLQueryString = "SELECT k.id FROM units k WHERE " + where_.jurisdictions("k.jurisdiction_id")
            if let unit = where_.filter.unitID { sql += " AND k.id = \(bind: unit.text)" }
            if assigned {
                sql += " AND k.id IN (SELECT a.unit_id FROM assignments a JOIN batches b ON b.id = a.batch_id WHERE " + where_.on(StatisticsSQL.Columns.assignments) + ")"
            }
            return sql
        }
    }
}

/// The column a breakdown groups on, per table alias: a unit's or committee's own column, or the
/// standing group of the row's round group (joined as `sg`).
private struct BreakdownKey {
    let kind: StatisticsBreakdownKind

    init(_ kind: StatisticsBreakdownKind) { self.kind = kind }

    func of(_ alias: String) -> String {
        switch kind {
        case .unit: "\(alias).unit_id"
        case .committee: "\(alias).jurisdiction_id"
        case .group: "sg.standing_group_id"
        }
    }

    /// The join that brings `sg` in, for a round group id expression; nothing for units and committees.
    func join(_ groupID: String) -> SQLQueryString {
        kind == .group ? " JOIN inspection_groups sg ON sg.id = \(unsafeRaw: groupID)" : ""
    }
}
