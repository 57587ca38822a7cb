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

/// The fieldwork part of the benchmark data: per county an on-site round, groups whose members
/// sign in with their own accounts (pledge signed), assignments to the county's units, and
/// approved working papers spread over them.
public struct SyntheticFieldwork: Sendable {
    /// Per county, the account of one group member, for benchmarking the member's scope.
    public var memberAccounts: [UUID: UUID]
}

extension Store {
    public func generateSyntheticFieldwork(
        counties: [UUID], groupsPerCounty: Int = 10, unitsPerGroup: Int = 3, findings: Int, progress: @Sendable (Int, Int) -> Void = { _, _ in }
    ) async throws -> SyntheticFieldwork {
        let now = clock.now().epochMilliseconds
        var members: [UUID: UUID] = [:]
        var assignmentsByCounty: [UUID: [(assignment: String, round: String, group: String, unit: String)]] = [:]
        for chunk in counties.chunked(50) {
            let result = try await database.transaction { db -> [(UUID, UUID, [(String, String, String, String)])] in
                var made: [(UUID, UUID, [(String, String, String, String)])] = []
                for county in chunk {
                    let units = try await db.raw(
                        "SELECT id FROM units WHERE jurisdiction_id = \(bind: county.text) ORDER BY id LIMIT \(literal: groupsPerCounty * unitsPerGroup)"
                    ).all().map { try $0.string("id") }
                    let round = self.ids.next().text
                    let batch = self.ids.next().text
                    try await db.raw(
                        """
                        INSERT INTO rounds (jurisdiction_id, id, term, sequence, kind, theme, planned_start, planned_end, status, max_units_per_group, created_at, updated_at, version)
                        VALUES (\(bind: county.text), \(bind: round), '十五届', 1, 'routine', NULL, '2026-03-01', '2026-06-30', 'on_site', \(bind: unitsPerGroup), \(bind: now), \(bind: now), 1)
                        """
                    ).run()
                    try await db.raw(
                        "INSERT INTO batches (jurisdiction_id, id, round_id, sequence, entry_date, exit_date, created_at) VALUES (\(bind: county.text), \(bind: batch), \(bind: round), 1, '2026-03-10', '2026-05-10', \(bind: now))"
                    ).run()
                    var tasks: [(String, String, String, String)] = []
                    var firstAccount: UUID?
                    for g in 0..<groupsPerCounty {
                        let group = self.ids.next().text
                        let account = self.ids.next()
                        let inspector = self.ids.next().text
                        firstAccount = firstAccount ?? account
                        try await db.raw(
                            "INSERT INTO inspection_groups (jurisdiction_id, id, round_id, name, authorisation, created_at) VALUES (\(bind: county.text), \(bind: group), \(bind: round), \(bind: "第\(g + 1)巡察组"), NULL, \(bind: now))"
                        ).run()
                        try await db.raw(
                            """
                            INSERT INTO users (jurisdiction_id, id, username, display_name, roles, unit_id, password_hash, must_change_password, failed_sign_ins, locked_until,
                                disabled, password_changed_at, created_at, updated_at, version)
                            VALUES (\(bind: county.text), \(bind: account.text), \(bind: "bench.\(account.text)"), '基准组员', 'group_member', NULL, '!', 0, 0, NULL, 0, NULL,
                                \(bind: now), \(bind: now), 1)
                            """
                        ).run()
                        try await db.raw(
                            """
                            INSERT INTO inspectors (jurisdiction_id, id, name, home_unit_id, home_unit_name, post, category, rank, in_leader_pool, in_talent_pool, available,
                                skills, work_history, relations, training, evaluation, created_at, updated_at, version, account_id)
                            VALUES (\(bind: county.text), \(bind: inspector), '基准组员', NULL, '县纪委监委', NULL, 'discipline', NULL, 0, 1, 1, '[]', '[]', '[]', NULL, NULL,
                                \(bind: now), \(bind: now), 1, \(bind: account.text))
                            """
                        ).run()
                        try await db.raw(
                            "INSERT INTO group_members (jurisdiction_id, group_id, inspector_id, role, created_at) VALUES (\(bind: county.text), \(bind: group), \(bind: inspector), 'member', \(bind: now))"
                        ).run()
                        try await db.raw(
                            "INSERT INTO pledges (jurisdiction_id, round_id, inspector_id, pledge_version, signed_at) VALUES (\(bind: county.text), \(bind: round), \(bind: inspector), \(bind: Pledge.version), \(bind: now))"
                        ).run()
                        for unit in units.dropFirst(g * unitsPerGroup).prefix(unitsPerGroup) {
                            let assignment = self.ids.next().text
                            try await db.raw(
                                """
                                INSERT INTO assignments (jurisdiction_id, id, round_id, batch_id, group_id, unit_id, status, created_at)
                                VALUES (\(bind: county.text), \(bind: assignment), \(bind: round), \(bind: batch), \(bind: group), \(bind: unit), 'planned', \(bind: now))
                                """
                            ).run()
                            tasks.append((assignment, round, group, unit))
                        }
                    }
                    made.append((county, firstAccount!, tasks))
                }
                return made
            }
            for (county, account, tasks) in result {
                members[county] = account
                assignmentsByCounty[county] = tasks.map { (assignment: $0.0, round: $0.1, group: $0.2, unit: $0.3) }
            }
        }
        let tasks = counties.flatMap { county in (assignmentsByCounty[county] ?? []).map { (county, $0) } }
        guard !tasks.isEmpty else { return SyntheticFieldwork(memberAccounts: members) }
        let batch = 10_000
        var written = 0
        while written < findings {
            let count = min(batch, findings - written)
            let start = written
            try await database.transaction { db in
                for chunkStart in stride(from: 0, to: count, by: 200) {
                    var sql: SQLQueryString = """
                        INSERT INTO findings (jurisdiction_id, id, assignment_id, round_id, group_id, unit_id, status, number, title, manifestation, basis, evidence,
                            responsibility, is_common, disposition, disposition_note, drafted_by, meeting_opinion, approved_by, approved_at, created_at, updated_at, version) VALUES
                        """
                    sql += (chunkStart..<min(chunkStart + 200, count)).map { i -> SQLQueryString in
                        let n = start + i
                        let (county, task) = tasks[(n * 7919) % tasks.count]
                        let (title, text) = SyntheticNames.finding(n)
                        let stamp = now + Int64(n)
                        return """
                            (\(bind: county.text), \(bind: self.ids.next().text), \(bind: task.assignment), \(bind: task.round), \(bind: task.group), \(bind: task.unit),
                             'approved', \(bind: "[2026]基准底稿第\(n + 1)号"), \(bind: title), \(bind: text), '违反有关规定', NULL, NULL, 0,
                             \(bind: ["deadline", "immediate", "lead"][n % 3]), NULL, 'bench', '同意', 'bench', \(bind: stamp), \(bind: stamp), \(bind: stamp), 1)
                            """
                    }.joined(separator: ", ")
                    try await db.raw(sql).run()
                }
            }
            written += count
            progress(written, findings)
        }
        if database.engine == .sqlite {
            try await database.transaction { db in try await db.raw("ANALYZE").run() }
        } else {
            try await database.read { db in try await db.raw("ANALYZE").run() }
        }
        return SyntheticFieldwork(memberAccounts: members)
    }
}

extension SyntheticNames {
    static let problems = [
        ("违规发放津补贴", "以加班费名义向机关人员发放补贴"), ("三重一大事项未经集体决策", "重大项目安排由主要负责人个人决定"),
        ("公务接待超标准", "接待费用超出规定标准且无公函"), ("政府采购程序不规范", "化整为零规避公开招标"),
        ("干部选拔任用程序不规范", "未按规定进行民主推荐和考察"), ("专项资金挤占挪用", "将扶贫专项资金用于办公楼维修"),
        ("落实主体责任不力", "党组会议研究党风廉政建设次数偏少"), ("基层党组织建设薄弱", "支部组织生活会流于形式"),
        ("违规使用公务用车", "公务用车节假日停放在个人住所"), ("合同管理混乱", "工程合同未经法律审核即签订"),
    ]

    static func finding(_ n: Int) -> (String, String) {
        let (title, text) = problems[n % problems.count]
        return ("\(title)（\(places[n % places.count])\(n % 97)）", "\(text)，涉及金额\(n % 500 + 1)万元，经查属实。")
    }
}

extension Store {
    /// The counties and member accounts of benchmark data generated earlier into this database,
    /// in the order they were generated (ids are time-ordered), to measure again without
    /// generating again.
    public func existingSyntheticFieldwork() async throws -> (counties: [UUID], fieldwork: SyntheticFieldwork) {
        try await database.read { db in
            let counties = try await db.raw("SELECT id FROM jurisdictions WHERE level = 'county' ORDER BY id").all().map { try $0.uuid("id") }
            var members: [UUID: UUID] = [:]
            for row in try await db.raw(
                "SELECT jurisdiction_id, MIN(account_id) AS account FROM inspectors WHERE account_id IS NOT NULL GROUP BY jurisdiction_id"
            ).all() {
                members[try row.uuid("jurisdiction_id")] = try row.uuid("account")
            }
            return (counties, SyntheticFieldwork(memberAccounts: members))
        }
    }
}
