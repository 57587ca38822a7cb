import Foundation
import SQLKit
import XunchaCore

/// 交叉统计: counts by two dimensions in one GROUP BY under the reader's statistics scope and the
/// filter (committee, roll-up, round, group, unit, period), the same WHERE the dashboard's figures
/// count with.
extension Store {
    /// The cross table the request names. Papers are counted whatever their status, in the period
    /// they were drafted; tasks as the statistics count them (of approved plans, in the period their
    /// plan was approved). Counts are as the records stand now: an as-of day is refused rather than
    /// half applied. A reader who may count no findings (an inspected unit) is refused them.
    public func crosstab(_ request: CrosstabRequest, filter: StatisticsFilter = .init(), for actor: Actor) async throws -> Crosstab {
        try await crosstab(request, filter: filter, for: actor, fromCounters: true)
    }

    /// The cross table, from the counters the database keeps (`finding_counts`, migration 40)
    /// where they can answer it, else from the records; `fromCounters: false` always reads the
    /// records (the tests' recount).
    func crosstab(_ request: CrosstabRequest, filter: StatisticsFilter, for actor: Actor, fromCounters: Bool) async throws -> Crosstab {
        if filter.asOf != nil {
            throw DomainError.invalid(
                "crosstab_as_of", "交叉统计按记录当前的状态计数，不能指定数据截至日期", english: "a cross table counts records as they stand now", field: "as_of")
        }
        // One reading of the clock: the day the counters' months end on is the day the records' period ends on.
        let today = CalendarDay(clock.now())
        return try await readStatistics(filter, today: today, for: actor) { db, where_ in
            if request.records == .findings, !where_.mayCountWork { throw DomainError.forbidden }
            var schemes: [String] = []
            if [request.rows, request.columns].contains(.category) {
                schemes = try await db.raw("SELECT id FROM classification_schemes WHERE code = \(bind: request.family) ORDER BY id").all().map { try $0.string("id") }
                if schemes.isEmpty { throw CrosstabSQL.unknownFamily(request.family) }
            }
            var counts: [String: [String: Int]] = [:]
            if fromCounters, let counted = CountedCrosstabSQL(request: request, where_: where_, familySchemes: schemes, today: today) {
                counts = try await counted.counts(on: db)
            } else {
                for row in try await db.raw(CrosstabSQL(request: request, where_: where_, familySchemes: schemes).query).all() {
                    counts[try row.string("r"), default: [:]][try row.string("c")] = try row.int("n")
                }
            }
            let rows = try await Self.values(of: request.rows, request: request, codes: Set(counts.keys), on: db)
            let columns = try await Self.values(of: request.columns, request: request, codes: Set(counts.values.flatMap(\.keys)), on: db)
            return Crosstab(request: request, rows: rows, columns: columns, counts: counts)
        }
    }

    /// A dimension's values: its vocabulary, or those counted (units by name; a family's items in
    /// its order, every item listed, 未分类 when some record has none).
    static func values(of dimension: CrosstabDimension, request: CrosstabRequest, codes: Set<String>, on db: any SQLDatabase) async throws -> [(code: String, title: String)] {
        if let vocabulary = dimension.vocabulary(of: request.records) { return vocabulary }
        switch dimension {
        case .unit:
            guard !codes.isEmpty else { return [] }
            return try await db.raw("SELECT id, name FROM units WHERE id IN (\(binds: Array(codes))) ORDER BY name, id").all().map {
                (code: try $0.string("id"), title: try $0.string("name"))
            }
        default:
            let entries = try await db.raw(
                """
                SELECT e.code, MAX(e.title) AS title, MIN(e.position) AS position FROM classification_entries e
                JOIN classification_schemes s ON s.id = e.scheme_id WHERE s.code = \(bind: request.family) GROUP BY e.code ORDER BY position, e.code
                """
            ).all().map { (code: try $0.string("code"), title: try $0.string("title")) }
            guard !entries.isEmpty else { throw CrosstabSQL.unknownFamily(request.family) }
            guard codes.contains(CrosstabDimension.uncategorised) else { return entries }
            return entries + [(code: CrosstabDimension.uncategorised, title: CrosstabDimension.uncategorisedTitle)]
        }
    }
}

/// The one GROUP BY of a cross table: each dimension as an expression over the counted rows
/// (`f` papers, or `t` tasks with their plan `p`), with the joins it needs.
struct CrosstabSQL {
    let request: CrosstabRequest
    let where_: StatisticsSQL
    /// Every version of the family's scheme, when a dimension is 问题类别.
    let familySchemes: [String]

    var query: SQLQueryString {
        let records = request.records
        let dimensions = [request.rows, request.columns]
        var sql: SQLQueryString = "SELECT \(unsafeRaw: expression(request.rows)) AS r, \(unsafeRaw: expression(request.columns)) AS c, "
        // A paper tagged with one item in two versions of its family counts once under that item; with
        // one version a paper meets each item at most once (the tag's key), so every joined row counts.
        let distinct = dimensions.contains(.category) && familySchemes.count > 1
        sql += distinct ? "COUNT(DISTINCT \(unsafeRaw: records == .findings ? "f.id" : "t.id")) AS n" : "COUNT(*) AS n"
        switch records {
        case .findings:
            sql += " FROM findings f"
            if dimensions.contains(.form) { sql += " JOIN rounds ro ON ro.id = f.round_id" }
            if dimensions.contains(.category) { sql += " LEFT JOIN finding_tags ft ON ft.finding_id = f.id AND ft.scheme_id IN (" + family + ")" }
            sql += " WHERE " + where_.on(.init(jurisdiction: "f.jurisdiction_id", unit: "f.unit_id", assignment: "f.assignment_id", round: "f.round_id", group: "f.group_id", millis: "f.created_at"))
        case .tasks:
            sql += " FROM " + AsOfSQL.taskJoin
            if dimensions.contains(.form) { sql += " JOIN assignments ta ON ta.id = t.assignment_id JOIN rounds ro ON ro.id = ta.round_id" }
            if dimensions.contains(.category) {
                sql += " LEFT JOIN feedback_problems fp ON fp.id = t.problem_id LEFT JOIN finding_tags ft ON ft.finding_id = fp.finding_id AND ft.scheme_id IN (" + family + ")"
            }
            sql += " WHERE " + where_.on(StatisticsSQL.Columns.tasks)
        }
        return sql + " GROUP BY \(unsafeRaw: expression(request.rows)), \(unsafeRaw: expression(request.columns))"
    }

    /// Every version of the family's scheme.
    var family: SQLQueryString { "\(binds: familySchemes)" }

    static func unknownFamily(_ family: String) -> DomainError {
        .invalid("unknown_family", "问题类别的分类体系“\(family)”不存在", english: "unknown classification family", field: "family")
    }

    func expression(_ dimension: CrosstabDimension) -> String {
        let row = request.records == .findings ? "f" : "t"
        switch dimension {
        case .category: return "COALESCE(ft.entry_code, '\(CrosstabDimension.uncategorised)')"
        case .status: return "\(row).status"
        case .unit: return "\(row).unit_id"
        case .form: return "ro.kind"
        case .disposition:
            return "CASE WHEN f.status <> 'approved' THEN '\(CrosstabDimension.unapproved)' WHEN f.disposition IS NULL THEN '\(FindingDisposition.untriaged.rawValue)' "
                + "WHEN f.disposition = 'dropped' THEN '\(FindingDisposition.notRecognised.rawValue)' ELSE f.disposition END"
        }
    }
}

/// A cross table of papers read from the counters the database keeps (`finding_counts`,
/// `finding_tag_counts`): a few rows per assignment and month instead of every paper and its tags.
/// They answer when the period is whole months (or open) and the family has one version; else nil,
/// and the records are read.
struct CountedCrosstabSQL {
    let request: CrosstabRequest
    let where_: StatisticsSQL
    let scheme: String?
    /// yyyymm bounds of the months counted.
    let months: (first: Int?, last: Int)

    init?(request: CrosstabRequest, where_: StatisticsSQL, familySchemes: [String], today: CalendarDay) {
        guard request.records == .findings, familySchemes.count <= 1, let months = Self.months(from: where_.filter.from, to: where_.filter.to, today: today) else { return nil }
        (self.request, self.where_, scheme, self.months) = (request, where_, familySchemes.first, months)
    }

    /// The months a period covers whole, as yyyymm bounds; nil when it starts or ends inside a
    /// month. It ends today at the latest, and today's month counts whole: no paper is drafted
    /// after today.
    static func months(from: CalendarDay?, to: CalendarDay?, today: CalendarDay) -> (first: Int?, last: Int)? {
        if let from, from.day != 1 { return nil }
        let end = min(to ?? today, today)
        if end != today, end.adding(days: 1).month == end.month { return nil }
        return (from.map { $0.year * 100 + $0.month }, end.year * 100 + end.month)
    }

    /// Counts by (row code, column code), zeros left out as the records' GROUP BY leaves them.
    func counts(on db: any SQLDatabase) async throws -> [String: [String: Int]] {
        var counts: [String: [String: Int]] = [:]
        func add(_ row: String, _ column: String, _ n: Int) {
            guard n != 0 else { return }
            counts[row, default: [:]][column] = n
        }
        let dimensions = [request.rows, request.columns]
        guard let categoryAt = dimensions.firstIndex(of: .category), let scheme else {
            for row in try await db.raw(select(expression(request.rows) + " AS rv, " + expression(request.columns) + " AS cv", from: "finding_counts", groupBy: "rv, cv")).all() {
                add(try row.string("rv"), try row.string("cv"), try row.int("n"))
            }
            return counts
        }
        // 问题类别 by the other dimension: each item's papers (item '' counts those with any item), and
        // 未分类 as all the papers less those.
        let other = expression(dimensions[1 - categoryAt])
        func place(_ category: String, _ value: String, _ n: Int) { categoryAt == 0 ? add(category, value, n) : add(value, category, n) }
        var untagged: [String: Int] = [:]
        for row in try await db.raw(select("c.entry_code AS k, " + other + " AS d", from: "finding_tag_counts", and: " AND c.scheme_id = \(bind: scheme)", groupBy: "k, d")).all() {
            let (item, value, n) = (try row.string("k"), try row.string("d"), try row.int("n"))
            if item.isEmpty { untagged[value, default: 0] -= n } else { place(item, value, n) }
        }
        for row in try await db.raw(select(other + " AS d", from: "finding_counts", groupBy: "d")).all() { untagged[try row.string("d"), default: 0] += try row.int("n") }
        for (value, n) in untagged { place(CrosstabDimension.uncategorised, value, n) }
        return counts
    }

    /// One GROUP BY over a counter table `c` under the reader's scope and the filter, the months
    /// bounded; SUM cast so both engines answer an integer.
    func select(_ columns: String, from table: String, and condition: SQLQueryString = "", groupBy: String) -> SQLQueryString {
        var sql: SQLQueryString = "SELECT \(unsafeRaw: columns), CAST(SUM(c.n) AS BIGINT) AS n FROM \(unsafeRaw: table) c"
        if [request.rows, request.columns].contains(.form) { sql += " JOIN rounds ro ON ro.id = c.round_id" }
        sql += " WHERE " + where_.on(.init(jurisdiction: "c.jurisdiction_id", unit: "c.unit_id", assignment: "c.assignment_id", round: "c.round_id", group: "c.group_id"))
        if let first = months.first { sql += " AND c.month >= \(bind: first)" }
        sql += " AND c.month <= \(bind: months.last)" + condition
        return sql + " GROUP BY \(unsafeRaw: groupBy)"
    }

    /// A dimension over the counter row `c`, valued as `CrosstabSQL` values it over a paper.
    func expression(_ dimension: CrosstabDimension) -> String {
        switch dimension {
        case .category: "c.entry_code"
        case .status: "c.status"
        case .unit: "c.unit_id"
        case .form: "ro.kind"
        case .disposition:
            "CASE WHEN c.status <> 'approved' THEN '\(CrosstabDimension.unapproved)' WHEN c.disposition = '' THEN '\(FindingDisposition.untriaged.rawValue)' "
                + "WHEN c.disposition = 'dropped' THEN '\(FindingDisposition.notRecognised.rawValue)' ELSE c.disposition END"
        }
    }
}
