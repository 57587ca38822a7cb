import Foundation
import SQLKit
import XunchaCore

/// The year-end report's cross tables and its figures on people and committees, each counted in
/// SQL under the same scope, filter and as-of day as the rest of the statistics: the database
/// answers one row per group, and Swift only lays the groups out in their fixed order.
extension Store {
    /// 问题类别 × 处置方式: approved papers tagged with each family and item, by disposition. A
    /// family's (and an item's) count is that of its papers found to be problems, every disposition
    /// but 不予认定; the largest family comes first, its items in the scheme's order. A family or
    /// item none of whose papers is a problem is left out, as before the cross was added.
    /// With `counters`, the committees' tag counters are read instead of the papers, unless a
    /// family has two versions.
    static func classificationFigures(_ condition: SQLQueryString, asOf: AsOfSQL, counters: CommitteeCountersSQL? = nil, on db: any SQLDatabase) async throws -> [ClassificationFigures] {
        let familyRows: [any SQLRow]
        let itemRows: [any SQLRow]
        if let counters, try await !CommitteeCountersSQL.familiesVersioned(on: db) {
            // One pass: a scheme's row (item '') counts its papers, the others its items.
            let rows = try await db.raw(
                "SELECT s.code AS family, t.entry_code AS item, t.disposition, CASE WHEN t.entry_code = '' THEN MAX(s.title) ELSE MAX(COALESCE(e.title, t.entry_code)) END AS title, "
                    + "MIN(COALESCE(e.position, 0)) AS position, CAST(SUM(t.n) AS BIGINT) AS n FROM " + counters.tags + """
                     JOIN classification_schemes s ON s.id = t.scheme_id
                    LEFT JOIN classification_entries e ON e.scheme_id = t.scheme_id AND e.code = t.entry_code GROUP BY s.code, t.entry_code, t.disposition
                    """
            ).all()
            let isFamily = try rows.map { try $0.string("item").isEmpty }
            familyRows = zip(rows, isFamily).filter { $0.1 }.map(\.0)
            itemRows = zip(rows, isFamily).filter { !$0.1 }.map(\.0)
        } else {
            // The approved papers counted, each with its disposition as of the day (`f` from here on).
            let papers: SQLQueryString = "(SELECT f.id, " + asOf.findingDisposition + " AS disposition FROM findings f WHERE f.status = 'approved' AND " + condition + ") f"
            // The papers lead (SQLite keeps a CROSS JOIN's order): started from the schemes, SQLite
            // walked every tag of the country to keep a city's (7 s for a city of 10,000 papers).
            let tagged: SQLQueryString =
                "FROM " + papers + """
                     CROSS JOIN finding_tags t JOIN classification_schemes s ON s.id = t.scheme_id
                    LEFT JOIN classification_entries e ON e.scheme_id = t.scheme_id AND e.code = t.entry_code WHERE t.finding_id = f.id
                    """
            familyRows = try await db.raw(
                "SELECT s.code AS family, f.disposition, MAX(s.title) AS title, COUNT(DISTINCT f.id) AS n " + tagged + " GROUP BY s.code, f.disposition"
            ).all()
            itemRows = try await db.raw(
                "SELECT s.code AS family, t.entry_code AS item, f.disposition, MAX(COALESCE(e.title, t.entry_code)) AS title, MIN(COALESCE(e.position, 0)) AS position, "
                    + "COUNT(DISTINCT f.id) AS n " + tagged + " GROUP BY s.code, t.entry_code, f.disposition"
            ).all()
        }

        /// One family or item: its title, its order, and its count in each column.
        struct Cells {
            var title = ""
            var position = 0
            /// Counts by `FindingDisposition` code.
            var columns: [String: Int] = [:]
            var problems: Int { columns.filter { $0.key != FindingDisposition.notRecognised.rawValue }.values.reduce(0, +) }
            var labelled: [LabelledCount] { LabelledCount.every(FindingDisposition.self, in: columns) }
            func count(_ code: String) -> LabelledCount { LabelledCount(code: code, title: title, count: problems) }
        }
        func column(_ row: any SQLRow) throws -> String {
            FindingDisposition(try row.optionalCode("disposition", as: Disposition.self)).rawValue
        }
        var families: [String: Cells] = [:]
        for row in familyRows {
            let code = try row.string("family")
            families[code, default: Cells()].title = try row.string("title")
            families[code, default: Cells()].columns[try column(row)] = try row.int("n")
        }
        var items: [String: [String: Cells]] = [:]
        for row in itemRows {
            let (family, item) = (try row.string("family"), try row.string("item"))
            var cells = items[family, default: [:]][item, default: Cells()]
            (cells.title, cells.position) = (try row.string("title"), try row.int("position"))
            cells.columns[try column(row)] = try row.int("n")
            items[family, default: [:]][item] = cells
        }
        return families.filter { $0.value.problems > 0 }
            .sorted { ($0.value.problems, $1.key) > ($1.value.problems, $0.key) }
            .map { code, cells in
                let ordered = (items[code] ?? [:]).filter { $0.value.problems > 0 }.sorted { ($0.value.position, $0.key) < ($1.value.position, $1.key) }
                var figures = ClassificationFigures(family: cells.count(code), items: ordered.map { $0.value.count($0.key) })
                figures.byDisposition = cells.labelled
                figures.itemsByDisposition = ordered.map { CrossCount(row: $0.value.count($0.key), columns: $0.value.labelled) }
                return figures
            }
    }

    /// 一托N: the (group, batch) pairs of the filter's assignments by the units each inspected.
    static func groupLoads(_ where_: StatisticsSQL, on db: any SQLDatabase) async throws -> [LabelledCount] {
        var found: [Int: Int] = [:]
        for row in try await db.raw(
            "SELECT units, COUNT(*) AS n FROM (SELECT a.group_id, a.batch_id, COUNT(*) AS units FROM assignments a JOIN batches b ON b.id = a.batch_id WHERE "
                + where_.on(StatisticsSQL.Columns.assignments) + " GROUP BY a.group_id, a.batch_id) loads GROUP BY units"
        ).all() {
            let (units, count) = (try row.int("units"), try row.int("n"))
            found[units] = count
        }
        return Set([1, 2, 3]).union(found.keys).sorted().map { LabelledCount(code: String($0), title: GroupLoad.title($0), count: found[$0] ?? 0) }
    }

    /// The inspectors drawn in the period, in all and by role, and the pools by rank and by
    /// department category.
    static func staffingFigures(_ where_: StatisticsSQL, on db: any SQLDatabase) async throws -> StaffingFigures {
        let drawn = drawnFrom(where_)
        func grouped<Code: CodedTitle>(_ sql: SQLQueryString, _ type: Code.Type, absent: LabelledCount? = nil) async throws -> [LabelledCount] {
            var found: [String: Int] = [:]
            for row in try await db.raw(sql).all() {
                let (code, count) = (try row.optionalString("code") ?? "", try row.int("n"))
                found[code, default: 0] += count
            }
            let known = LabelledCount.every(type, in: found)
            guard let absent else { return known }
            return known + [LabelledCount(code: absent.code, title: absent.title, count: found[""] ?? 0)]
        }
        let pools = where_.jurisdictions("i.jurisdiction_id")
        return StaffingFigures(
            drawn: try await db.raw("SELECT COUNT(DISTINCT gm.inspector_id) AS n " + drawn).first()?.int("n") ?? 0,
            drawnByRole: try await grouped("SELECT gm.role AS code, COUNT(DISTINCT gm.inspector_id) AS n " + drawn + " GROUP BY gm.role", GroupRole.self),
            leaderPoolByRank: try await grouped(
                "SELECT i.rank AS code, COUNT(*) AS n FROM inspectors i WHERE i.in_leader_pool <> 0 AND " + pools + " GROUP BY i.rank", LeaderRank.self,
                absent: LabelledCount(code: "unranked", title: "未填写职级", count: 0)),
            byCategory: try await grouped(
                "SELECT i.category AS code, COUNT(*) AS n FROM inspectors i WHERE (i.in_leader_pool <> 0 OR i.in_talent_pool <> 0) AND " + pools
                    + " GROUP BY i.category", DepartmentCategory.self))
    }

    /// 下级党委 of a rolled-up committee, when the filter names no round, group or unit: their
    /// approved rounds planned to start in the period (up to the as-of day), by kind, and the groups
    /// of those rounds.
    static func lowerCommitteeFigures(_ where_: StatisticsSQL, on db: any SQLDatabase) async throws -> LowerCommitteeFigures? {
        guard where_.mayCountPools, where_.filter.roundID == nil, let lower = where_.lowerJurisdictions("j.id"), let lowerRounds = where_.lowerJurisdictions("r.jurisdiction_id")
        else { return nil }
        // Rounds the committee approved; a draft or one still under review is not yet its work.
        let rounds = "FROM rounds r WHERE r.status NOT IN ('draft', 'under_review', 'submitted') AND " + lowerRounds + where_.period(day: "r.planned_start", millis: nil)
        let set = try await db.raw(
            """
            SELECT COUNT(*) AS n, COUNT(CASE WHEN s.has_leading_group <> 0 THEN 1 END) AS leading_groups, COUNT(CASE WHEN s.has_office <> 0 THEN 1 END) AS offices
            FROM jurisdictions j LEFT JOIN jurisdiction_settings s ON s.jurisdiction_id = j.id WHERE
            """ + " " + lower
        ).first()
        let committees = try set?.int("n") ?? 0
        let ran = try await db.raw(
            "SELECT COUNT(DISTINCT r.jurisdiction_id) AS committees, (SELECT COUNT(*) FROM inspection_groups g WHERE g.round_id IN (SELECT r.id " + rounds
                + ")) AS group_count " + rounds
        ).first()
        var byKind: [String: Int] = [:]
        for row in try await db.raw("SELECT r.kind, COUNT(*) AS n " + rounds + " GROUP BY r.kind").all() {
            let (kind, count) = (try row.string("kind"), try row.int("n"))
            byKind[kind] = count
        }
        var figures = LowerCommitteeFigures(
            committees: committees, withRounds: try ran?.int("committees") ?? 0, groups: try ran?.int("group_count") ?? 0,
            roundsByKind: LabelledCount.every(RoundKind.self, in: byKind))
        (figures.withLeadingGroup, figures.withOffice) = (try set?.int("leading_groups") ?? 0, try set?.int("offices") ?? 0)
        return figures
    }
}
