import Foundation
import SQLKit
import XunchaCore

/// Synthetic data at national scale, for benchmarks only: many county committees under one root
/// and a large unit register, written in bulk (multi-row inserts, one transaction per batch) into
/// an empty database, without the policy and per-row audit that real records go through.
extension Store {
    /// Adds `jurisdictions` counties under a new root and `units` units spread evenly over them.
    /// Returns the county ids. `progress` is called with (rows written, rows in all).
    public func generateSyntheticRegister(
        jurisdictions: Int, units: Int, progress: @Sendable (Int, Int) -> Void = { _, _ in }
    ) async throws -> [UUID] {
        // Benchmark data is fiction written without per-row audit entries; it may only go into a
        // database that holds nothing else.
        let empty = try await database.read { db in try await db.raw("SELECT id FROM jurisdictions LIMIT 1").first() == nil }
        guard empty else {
            throw DomainError(.conflict, code: "not_empty", message: "基准测试数据只能写入空库，请用 --database 指定一个新文件", english: "benchmark data needs an empty database")
        }
        let now = clock.now().epochMilliseconds
        let rootID = ids.next()
        let rootPath = Jurisdiction.path(for: rootID, under: nil)
        var counties: [(UUID, String)] = []
        for _ in 0..<jurisdictions {
            let id = ids.next()
            counties.append((id, Jurisdiction.path(for: id, under: rootPath)))
        }
        let countyRows = counties
        try await database.transaction { db in
            try await db.raw(
                "INSERT INTO jurisdictions (id, parent_id, path, name, level, created_at, updated_at, version) VALUES (\(bind: rootID.text), NULL, \(bind: rootPath), \(bind: "基准测试省委\(rootID.text.prefix(6))"), 'province', \(bind: now), \(bind: now), 1)"
            ).run()
            for (offset, chunk) in countyRows.chunked(500).enumerated() {
                var sql: SQLQueryString = "INSERT INTO jurisdictions (id, parent_id, path, name, level, created_at, updated_at, version) VALUES "
                sql += chunk.enumerated().map { index, county -> SQLQueryString in
                    "(\(bind: county.0.text), \(bind: rootID.text), \(bind: county.1), \(bind: "第\(offset * 500 + index + 1)县委"), 'county', \(bind: now), \(bind: now), 1)"
                }.joined(separator: ", ")
                try await db.raw(sql).run()
            }
        }
        let types = UnitType.allCases
        let kinds = PartyOrganisationKind.allCases
        let batch = 20_000
        var written = 0
        while written < units {
            let count = min(batch, units - written)
            let start = written
            let rows: [(String, String, String, String, String, Int64)] = (0..<count).map { i in
                let n = start + i
                let county = countyRows[n % countyRows.count]
                let name = SyntheticNames.unitName(n)
                return (county.0.text, self.ids.next().text, name, types[n % types.count].rawValue, kinds[n % kinds.count].rawValue, now + Int64(n))
            }
            try await database.transaction { db in
                for chunk in rows.chunked(500) {
                    var sql: SQLQueryString =
                        "INSERT INTO units (jurisdiction_id, id, name, unit_type, party_organisation, parent_unit_id, head_name, created_at, updated_at, version) VALUES "
                    sql += chunk.map { row -> SQLQueryString in
                        "(\(bind: row.0), \(bind: row.1), \(bind: row.2), \(bind: row.3), \(bind: row.4), NULL, NULL, \(bind: row.5), \(bind: row.5), 1)"
                    }.joined(separator: ", ")
                    try await db.raw(sql).run()
                }
            }
            written += count
            progress(written, units)
        }
        if database.engine == .sqlite {
            try await database.transaction { db in try await db.raw("ANALYZE").run() }
        } else {
            try await database.read { db in try await db.raw("ANALYZE").run() }
        }
        return countyRows.map(\.0)
    }

    /// The query plan of the unit-register page for an office of one jurisdiction, to show which
    /// index serves it.
    public func explainUnitPage(jurisdictionID: UUID, search: String?) async throws -> [String] {
        var sql: SQLQueryString = database.engine == .sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN "
        sql += "SELECT * FROM units WHERE jurisdiction_id = \(bind: jurisdictionID.text)"
        if let search { sql += " AND name LIKE \(bind: ScopeSQL.likeContains(search)) ESCAPE '!'" }
        sql += " ORDER BY name ASC, id ASC LIMIT 26"
        let final = sql
        let column = database.engine == .sqlite ? "detail" : "QUERY PLAN"
        return try await database.read { db in try await db.raw(final).all().map { try $0.decode(column: column, as: String.self) } }
    }
}

/// Plausible unit names: a place and an organisation, so name search and sorting behave as with real data.
enum SyntheticNames {
    static let places = Array("东南西北中金银铜铁石山水林田湖海江河溪泉桥湾岭峰岗坪坝川源阳明春秋安平宁和兴旺富康泰华新古青红白黄")
    static let kinds = ["镇人民政府", "街道办事处", "村党支部", "社区党委", "中学", "小学", "卫生院", "水利站", "财政所", "国土资源所", "供销合作社", "农业综合服务中心"]

    static func unitName(_ n: Int) -> String {
        let a = places[n % places.count]
        let b = places[(n / places.count) % places.count]
        let c = places[(n / (places.count * places.count)) % places.count]
        return "\(a)\(b)\(c)\(kinds[n % kinds.count])\(n / (places.count * places.count * places.count) + 1)"
    }
}

extension Array {
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
