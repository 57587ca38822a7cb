import Foundation
import SQLKit
import XunchaCore

/// 穿透查询: the records behind one figure of the statistics. Each measure's condition is the one
/// its figure counts with, joined to the permission that opens the records themselves: a city
/// office that counts its counties' problems lists only those it may open, and the office, which
/// counts leads, lists none (leads are the custodian's, the leading group's and the group's).
extension Store {
    /// A page of the records behind `measure`, newest first, with how many there are in all.
    public func statisticsRecords(
        _ measure: StatisticsMeasure, filter: StatisticsFilter = .init(), page: PageRequest = .init(), today: CalendarDay? = nil, origin: RequestOrigin
    ) async throws -> (page: Page<StatisticsRecord>, total: Int) {
        let actor = origin.actor
        try policy.requireAnywhere(actor, .viewStatistics)
        let kind = measure.recordKind
        guard mayOpenStatisticsRecords(kind, for: actor) else { throw DomainError.forbidden }
        let filter = try filter.validated()
        let asOf = asOf(filter, today: today)
        let scope = policy.scope(actor, .viewStatistics)
        let records: Scope = policy.scope(actor, kind.permission)
        let (page, total) = try await database.readAtLength { db in
            let where_ = try await StatisticsSQL.make(scope: scope, filter: filter, asOf: asOf, actor: actor, on: db)
            guard where_.mayCountWork || kind == .task || kind == .rule else { throw DomainError.forbidden }
            let query = try StatisticsRecordSQL(
                measure: measure, where_: where_, records: records, sealed: LeadSealSQL.sealed(for: actor, policy: self.policy))
            let total = try await db.raw("SELECT COUNT(*) AS n " + query.from).first()?.int("n") ?? 0
            let rows = try await db.raw(query.select + query.from + (try KeysetSQL.newestFirst(page, column: query.sortColumn, idColumn: query.idColumn))).all()
            let records = try rows.map { try query.decode($0) }
            return (KeysetSQL.page(records, page) { Cursor(key: String($0.sortKey), id: $0.record.id.text, order: KeysetSQL.newestFirstOrder) }, total)
        }
        let listed = Page(items: page.items.map(\.record), nextCursor: page.nextCursor)
        if kind == .lead, !listed.items.isEmpty {
            try await record(
                AuditEvent(
                    action: .leadViewed, targetType: "lead", targetID: nil, jurisdictionID: actor.jurisdictionID,
                    detail: "统计明细：" + listed.items.compactMap(\.number).joined(separator: "、")),
                origin: origin)
        }
        return (listed, total)
    }

    /// Whether the actor may list the records of a kind at all; the dashboard links a figure only
    /// when this holds.
    public func mayOpenStatisticsRecords(_ kind: StatisticsRecordKind, for actor: Actor) -> Bool {
        policy.allowsAnywhere(actor, .viewStatistics) && policy.allowsAnywhere(actor, kind.permission)
    }

    /// The classification title of a family or item code, for the drill-down's heading.
    public func classificationTitle(family: String, item: String?) async throws -> String? {
        try await database.readAtLength { db in
            if let item {
                return try await db.raw(
                    """
                    SELECT e.title FROM classification_entries e JOIN classification_schemes s ON s.id = e.scheme_id
                    WHERE s.code = \(bind: family) AND e.code = \(bind: item) ORDER BY s.version DESC LIMIT 1
                    """
                ).first()?.string("title")
            }
            return try await db.raw("SELECT title FROM classification_schemes WHERE code = \(bind: family) ORDER BY version DESC LIMIT 1").first()?.string("title")
        }
    }
}

extension StatisticsRecordKind {
    /// The permission that opens one record of the kind.
    var permission: Permission {
        switch self {
        case .assignment: .viewAssignments
        case .finding: .viewFieldwork
        case .lead: .viewLeads
        case .task: .viewRectification
        case .rule: .viewRuleImprovements
        }
    }
}

/// The FROM … WHERE of one measure: the figure's own condition under the statistics scope and
/// filter, and the records' scope.
struct StatisticsRecordSQL {
    struct Row {
        let record: StatisticsRecord
        let sortKey: Int64
    }

    let select: SQLQueryString
    let from: SQLQueryString
    let sortColumn: String
    let idColumn: String
    let decode: (any SQLRow) throws -> Row

    /// `sealed` is true for papers behind leads the reader may not read: they are listed (the
    /// figure counts them) under a placeholder title, never their own.
    init(measure: StatisticsMeasure, where_: StatisticsSQL, records: Scope, sealed: SQLQueryString) throws {
        let asOf = where_.asOf
        switch measure {
        case .unitsInspected:
            select = "SELECT a.id, a.status, a.created_at, b.entry_date, u.name AS unit_name, g.name AS group_name "
            from =
                """
                FROM assignments a JOIN batches b ON b.id = a.batch_id JOIN units u ON u.id = a.unit_id JOIN inspection_groups g ON g.id = a.group_id WHERE
                """ + " " + where_.on(StatisticsSQL.Columns.assignments)
                + " AND " + AssignmentRows.scope(records)
            (sortColumn, idColumn) = ("a.created_at", "a.id")
            decode = { row in
                let status = AssignmentStatus(rawValue: try row.string("status"))
                return Row(
                    record: StatisticsRecord(
                        kind: .assignment, id: try row.uuid("id"), number: nil, title: "\(try row.string("group_name"))巡察\(try row.string("unit_name"))",
                        unitName: try row.string("unit_name"), day: try? CalendarDay(text: try row.string("entry_date"), field: "", label: ""), state: status?.title ?? ""),
                    sortKey: try row.int64("created_at"))
            }

        case .findings, .classified:
            var condition: SQLQueryString
            let disposition = asOf.findingDisposition
            let problem = asOf.findingProblem
            switch measure {
            case .findings(.total): condition = problem
            case .findings(.untriaged): condition = disposition + " IS NULL"
            case .findings(.notRecognised): condition = disposition + " = 'dropped'"
            case .findings(let slice): condition = disposition + " = \(bind: slice.rawValue)"
            case .classified(let family, let item):
                condition = problem + """
                     AND EXISTS (SELECT 1 FROM finding_tags t JOIN classification_schemes s ON s.id = t.scheme_id
                    WHERE t.finding_id = f.id AND s.code = \(bind: family)
                    """
                if let item { condition += " AND t.entry_code = \(bind: item)" }
                condition += ")"
            default: condition = "1 = 0"
            }
            select = "SELECT f.id, f.number, CASE WHEN " + sealed + " THEN \(bind: Finding.sealedTitle) ELSE f.title END AS title, " + disposition + " AS disposition, f.approved_at, u.name AS unit_name "
            from =
                "FROM findings f JOIN units u ON u.id = f.unit_id WHERE f.status = 'approved' AND " + condition + " AND "
                + where_.on(.init(jurisdiction: "f.jurisdiction_id", unit: "f.unit_id", assignment: "f.assignment_id", round: "f.round_id", group: "f.group_id", millis: "f.approved_at"))
                + " AND " + FindingRows.scope(records)
            (sortColumn, idColumn) = ("f.approved_at", "f.id")
            decode = { row in
                let approved = try row.int64("approved_at")
                return Row(
                    record: StatisticsRecord(
                        kind: .finding, id: try row.uuid("id"), number: try row.optionalString("number"), title: try row.string("title"),
                        unitName: try row.string("unit_name"), day: CalendarDay(Date(epochMilliseconds: approved)),
                        state: try row.optionalCode("disposition", as: Disposition.self)?.title ?? "待确定处置方式"),
                    sortKey: approved)
            }

        case .leads(let slice):
            let condition: SQLQueryString =
                switch slice {
                case .registered: asOf.leadRegistered
                case .transferred: asOf.leadTransferred
                case .receiver(let body): asOf.leadTransferred + " AND l.receiver = \(bind: body.rawValue)"
                case .overdue: asOf.leadFeedbackOverdue
                case .answered: asOf.leadAnswered
                case .form(let form): asOf.leadAnswered + " AND l.form = \(bind: form)"
                case .handling(let state): asOf.leadHandling + " = \(bind: state.rawValue)"
                }
            select = "SELECT l.id, l.number, l.person_name, l.person_post, l.status, l.created_at, u.name AS unit_name "
            from =
                "FROM leads l JOIN units u ON u.id = l.unit_id WHERE " + condition + " AND "
                + where_.on(.init(jurisdiction: "l.jurisdiction_id", unit: "l.unit_id", assignment: "l.assignment_id", group: "l.group_id", millis: "l.created_at"))
                + " AND " + LeadRows.scope(records)
            (sortColumn, idColumn) = ("l.created_at", "l.id")
            decode = { row in
                let created = try row.int64("created_at")
                let post = try row.optionalString("person_post").map { "（\($0)）" } ?? ""
                return Row(
                    record: StatisticsRecord(
                        kind: .lead, id: try row.uuid("id"), number: try row.string("number"), title: "反映\(try row.string("person_name"))\(post)的问题线索",
                        unitName: try row.string("unit_name"), day: CalendarDay(Date(epochMilliseconds: created)),
                        state: LeadStatus(rawValue: try row.string("status"))?.title ?? ""),
                    sortKey: created)
            }

        case .tasks(let slice):
            let condition: SQLQueryString =
                switch slice {
                case .all: "1 = 1"
                case .open: asOf.taskOpen
                case .closed: asOf.taskClosed
                case .overdue: asOf.taskOverdue
                case .closedOnTime: asOf.taskClosedOnTime
                case .closedLate: asOf.taskClosedLate
                }
            select = "SELECT t.id, t.sequence, fp.sequence AS problem_sequence, t.target, t.status, t.created_at, u.name AS unit_name "
            from =
                "FROM " + AsOfSQL.taskJoin + " JOIN units u ON u.id = t.unit_id JOIN feedback_problems fp ON fp.id = t.problem_id WHERE " + condition + " AND "
                + where_.on(StatisticsSQL.Columns.tasks)
                + " AND " + RectificationRows.taskScope(records)
            (sortColumn, idColumn) = ("t.created_at", "t.id")
            decode = { row in
                let created = try row.int64("created_at")
                return Row(
                    record: StatisticsRecord(
                        kind: .task, id: try row.uuid("id"), number: "\(try row.int("problem_sequence"))-\(try row.int("sequence"))", title: try row.string("target"),
                        unitName: try row.string("unit_name"), day: CalendarDay(Date(epochMilliseconds: created)),
                        state: TaskStatus(rawValue: try row.string("status"))?.title ?? ""),
                    sortKey: created)
            }

        case .rules(let slice):
            guard let condition = where_.ruleImprovements() else { throw DomainError.forbidden }
            var sql = "FROM rule_improvements r LEFT JOIN units u ON u.id = r.unit_id WHERE " + condition + " AND " + RuleImprovementRows.scope(records)
            if slice != .all { sql += " AND r.kind = \(bind: slice.rawValue)" }
            select = "SELECT r.id, r.document_number, r.title, r.kind, r.adopted_on, r.created_at, COALESCE(u.name, r.adopting_body, '') AS unit_name "
            from = sql
            (sortColumn, idColumn) = ("r.created_at", "r.id")
            decode = { row in
                Row(
                    record: StatisticsRecord(
                        kind: .rule, id: try row.uuid("id"), number: try row.optionalString("document_number"), title: try row.string("title"),
                        unitName: try row.string("unit_name"), day: try? CalendarDay(text: try row.string("adopted_on"), field: "", label: ""),
                        state: RuleImprovementKind(rawValue: try row.string("kind"))?.title ?? ""),
                    sortKey: try row.int64("created_at"))
            }
        }
    }
}

/// What the dashboard's filter offers, each list within the statistics scope: the committees of
/// the reader's subtree, the rounds of the chosen committee, and the groups and units of the chosen
/// round.
public struct StatisticsChoices: Sendable, Equatable {
    public struct Choice: Sendable, Equatable {
        public var id: UUID
        public var title: String
    }

    public var committees: [Choice] = []
    public var rounds: [Choice] = []
    public var groups: [Choice] = []
    /// 常设巡察组 of the counted committees, offered whatever the round.
    public var standingGroups: [Choice] = []
    public var units: [Choice] = []

    /// Nothing to offer.
    public init() {}
}

extension Store {
    public func statisticsChoices(_ filter: StatisticsFilter, for actor: Actor) async throws -> StatisticsChoices {
        try policy.requireAnywhere(actor, .viewStatistics)
        let scope = policy.scope(actor, .viewStatistics)
        return try await database.readAtLength { db in
            // The choices of a round do not depend on the group or unit already chosen.
            var wide = filter
            (wide.groupID, wide.standingGroupID, wide.unitID, wide.from, wide.to, wide.asOf) = (nil, nil, nil, nil, nil, nil)
            let where_ = try await StatisticsSQL.make(scope: scope, filter: wide, asOf: self.asOf(wide), actor: actor, on: db)
            var choices = StatisticsChoices()
            func list(_ sql: SQLQueryString) async throws -> [StatisticsChoices.Choice] {
                try await db.raw(sql).all().map { .init(id: try $0.uuid("id"), title: try $0.string("title")) }
            }
            if case .subtree(let reach) = scope {
                choices.committees = try await list(
                    "SELECT id, name AS title FROM jurisdictions WHERE " + ScopeSQL.within(reach) + " ORDER BY path LIMIT 2000")
            }
            guard where_.mayCountWork else { return choices }
            switch scope {
            case .subtree, .jurisdiction, .everything:
                choices.standingGroups = try await list(
                    "SELECT s.id, s.name AS title FROM standing_groups s WHERE " + where_.jurisdictions("s.jurisdiction_id") + " LIMIT 200"
                ).sorted { StandingGroup.precedes($0.title, $1.title) }
            default: break
            }
            let assignments = StatisticsSQL.Columns(jurisdiction: "a.jurisdiction_id", unit: "a.unit_id", assignment: "a.id", round: "a.round_id", group: "a.group_id")
            var unrounded = where_
            unrounded.filter.roundID = nil
            choices.rounds = try await list(
                """
                SELECT r.id, MAX(r.term) AS term, MAX(r.sequence) AS sequence, MAX(r.planned_start) AS planned_start, MAX(r.term) || '第' || CAST(MAX(r.sequence) AS TEXT) || '轮' AS title
                FROM rounds r JOIN assignments a ON a.round_id = r.id WHERE
                """ + " " + unrounded.on(assignments) + " GROUP BY r.id ORDER BY planned_start DESC, r.id LIMIT 200")
            guard let round = filter.roundID else {
                // A unit chosen without a round (a breakdown's row): the unit alone, so the page names it.
                if let unit = filter.unitID {
                    choices.units = try await list(
                        "SELECT u.id, MAX(u.name) AS title FROM units u JOIN assignments a ON a.unit_id = u.id WHERE u.id = \(bind: unit.text) AND "
                            + where_.on(assignments) + " GROUP BY u.id")
                }
                return choices
            }
            choices.groups = try await list(
                "SELECT g.id, MAX(g.name) AS title FROM inspection_groups g JOIN assignments a ON a.group_id = g.id WHERE a.round_id = \(bind: round.text) AND "
                    + where_.on(assignments) + " GROUP BY g.id ORDER BY title")
            choices.units = try await list(
                "SELECT u.id, MAX(u.name) AS title FROM units u JOIN assignments a ON a.unit_id = u.id WHERE a.round_id = \(bind: round.text) AND "
                    + where_.on(assignments) + " GROUP BY u.id ORDER BY title LIMIT 500")
            return choices
        }
    }
}
