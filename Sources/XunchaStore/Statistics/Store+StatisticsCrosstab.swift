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
        if filter.asOf != nil {
            throw DomainError.invalid(
                "crosstab_as_of", "交叉统计按记录当前的状态计数，不能指定数据截至日期", english: "a cross table counts records as they stand now", field: "as_of")
        }
        return try await readStatistics(filter, today: nil, for: actor) { db, where_ in
            if request.records == .findings, !where_.mayCountWork { throw DomainError.forbidden }
            var schemes: [String] = []
            if [request.rows, request.columns].contains(.category) {
                schemes = try await db.raw("SELECT id FROM classification_schemes WHERE code = \(bind: request.family) ORDER BY id").all().map { try $0.string("id") }
                if schemes.isEmpty { throw CrosstabSQL.unknownFamily(request.family) }
            }
            let sql = CrosstabSQL(request: request, where_: where_, familySchemes: schemes)
            var counts: [String: [String: Int]] = [:]
            for row in try await db.raw(sql.query).all() {
                counts[try row.string("r"), default: [:]][try row.string("c")] = try row.int("n")
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
