import Foundation
import SQLKit
import XunchaCore

/// 普遍性、倾向性问题: classification items carried by findings of at least the committee's
/// threshold of distinct units (GROUP BY … HAVING COUNT(DISTINCT unit) in SQL), and finding texts
/// that read alike across units (compared in the core on the scoped, filtered texts only). The
/// reader's scope and the round/year filter are the statistics' own (`StatisticsSQL`).
extension Store {
    /// The systemic problems of the actor's committee for a round and/or a year. `textLimit` caps
    /// the texts compared (the newest first); the answer says whether it was reached.
    public func systemicProblems(_ query: SystemicQuery = .init(), textLimit: Int = SystemicAnalysis.textLimit, for actor: Actor) async throws -> SystemicProblems {
        try policy.requireAnywhere(actor, .viewSystemicProblems)
        let query = try query.validated()
        let scope = policy.scope(actor, .viewSystemicProblems)
        return try await database.read { db in
            let where_ = try await StatisticsSQL.make(scope: scope, filter: query.statisticsFilter, asOf: self.asOf(query.statisticsFilter), actor: actor, on: db)
            let threshold = try await SettingsRows.settings(of: try SystemicSQL.committee(where_), on: db).systemicUnitThreshold
            let items = try await SystemicSQL.recurringItems(where_, threshold: threshold, on: db)
            let rows = try await db.raw(
                """
                SELECT f.id, f.unit_id, u.name AS unit_name, f.title, f.manifestation FROM findings f JOIN units u ON u.id = f.unit_id WHERE
                """ + " " + SystemicSQL.analysed(where_) + " ORDER BY f.approved_at DESC, f.id DESC LIMIT \(bind: textLimit + 1)"
            ).all()
            let texts = try rows.prefix(textLimit).map(SystemicSQL.text)
            let groups = TextSimilarity.group(texts, threshold: query.similarity, minimumUnits: threshold)
            return SystemicProblems(
                unitThreshold: threshold, similarity: query.similarity, recurringItems: items, similarGroups: groups, textsCompared: texts.count,
                capped: rows.count > textLimit)
        }
    }
}

enum SystemicSQL {
    /// The one committee analysed: systemic problems never roll committees up.
    static func committee(_ where_: StatisticsSQL) throws -> UUID {
        guard case .one(let id) = where_.committees else { throw DomainError.notFound }
        return id
    }

    /// Approved 立行立改 / 限期整改 findings within the scope and the filter (`f` is the findings table).
    static func analysed(_ where_: StatisticsSQL) -> SQLQueryString {
        "f.status = 'approved' AND f.disposition IN (\(binds: SystemicAnalysis.dispositions.map(\.rawValue))) AND "
            + where_.on(.init(jurisdiction: "f.jurisdiction_id", unit: "f.unit_id", assignment: "f.assignment_id", round: "f.round_id", group: "f.group_id", millis: "f.approved_at"))
    }

    static let tagged: SQLQueryString =
        """
        FROM findings f JOIN finding_tags t ON t.finding_id = f.id JOIN classification_schemes s ON s.id = t.scheme_id
        LEFT JOIN classification_entries e ON e.scheme_id = t.scheme_id AND e.code = t.entry_code
        """

    /// Items at `threshold` or more distinct units, widest first, with the units affected.
    static func recurringItems(_ where_: StatisticsSQL, threshold: Int, on db: any SQLDatabase) async throws -> [RecurringItem] {
        let condition = analysed(where_)
        var sql: SQLQueryString =
            "SELECT t.scheme_id, t.entry_code, MAX(s.title) AS family_title, MAX(COALESCE(e.title, t.entry_code)) AS title, COUNT(DISTINCT f.unit_id) AS unit_count, COUNT(DISTINCT f.id) AS finding_count "
        sql += tagged
        sql += " WHERE "
        sql += condition
        sql += " GROUP BY t.scheme_id, t.entry_code HAVING COUNT(DISTINCT f.unit_id) >= \(bind: threshold)"
        sql += " ORDER BY unit_count DESC, finding_count DESC, t.scheme_id, t.entry_code LIMIT 200"
        let rows = try await db.raw(sql).all()
        guard !rows.isEmpty else { return [] }
        var items = try rows.map { row in
            RecurringItem(
                key: ClassificationItemKey(schemeID: try row.string("scheme_id"), entryCode: try row.string("entry_code")),
                familyTitle: try row.string("family_title"), title: try row.string("title"), findings: try row.int("finding_count"), units: [])
        }
        let units = try await unitsByItem(condition, items: items.map(\.key), on: db)
        for index in items.indices { items[index].units = units[items[index].key] ?? [] }
        return items
    }

    /// The units whose findings (under `condition`) carry each of the items.
    static func unitsByItem(_ condition: SQLQueryString, items: [ClassificationItemKey], on db: any SQLDatabase) async throws -> [ClassificationItemKey: [AffectedUnit]] {
        guard !items.isEmpty else { return [:] }
        let wanted = Set(items)
        var units: [ClassificationItemKey: [AffectedUnit]] = [:]
        for row in try await db.raw(
            """
            SELECT t.scheme_id, t.entry_code, f.unit_id, MAX(u.name) AS unit_name, COUNT(DISTINCT f.id) AS finding_count
            FROM findings f JOIN finding_tags t ON t.finding_id = f.id JOIN units u ON u.id = f.unit_id
            WHERE t.scheme_id IN (\(binds: Array(Set(items.map(\.schemeID))))) AND t.entry_code IN (\(binds: Array(Set(items.map(\.entryCode))))) AND
            """ + " " + condition + " GROUP BY t.scheme_id, t.entry_code, f.unit_id ORDER BY unit_name, f.unit_id"
        ).all() {
            // Scheme and code are matched separately in SQL; a pair not selected is skipped here.
            let key = ClassificationItemKey(schemeID: try row.string("scheme_id"), entryCode: try row.string("entry_code"))
            guard wanted.contains(key) else { continue }
            units[key, default: []].append(AffectedUnit(unitID: try row.uuid("unit_id"), unitName: try row.string("unit_name"), findings: try row.int("finding_count")))
        }
        return units
    }

    static func text(_ row: any SQLRow) throws -> ProblemText {
        ProblemText(
            findingID: try row.uuid("id"), unitID: try row.uuid("unit_id"), unitName: try row.string("unit_name"), title: try row.string("title"),
            manifestation: try row.string("manifestation"))
    }
}
