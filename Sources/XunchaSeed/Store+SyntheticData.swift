import Foundation
import SQLKit
import XunchaCore
import XunchaStore

/// Synthetic data at national scale, for benchmarks only: many county committees under one root
/// and a large unit register, written in bulk (multi-row inserts, one transaction per batch) into
/// an empty database, without the policy and per-row audit that real records go through.
extension Store {
    /// Adds `jurisdictions` counties under a new root and `units` units spread evenly over them.
    /// With `cities`, the counties are spread over that many city committees under the root
    /// (root → cities → counties), so that roll-ups have a middle level. Returns the county ids.
    /// `progress` is called with (rows written, rows in all).
    public func generateSyntheticRegister(
        jurisdictions: Int, units: Int, cities: Int = 0, progress: @Sendable (Int, Int) -> Void = { _, _ in }
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
        var cityRows: [(UUID, String)] = []
        for _ in 0..<cities {
            let id = ids.next()
            cityRows.append((id, Jurisdiction.path(for: id, under: rootPath)))
        }
        // (id, path, parent id): county n sits under city n % cities, or under the root.
        var counties: [(UUID, String, UUID)] = []
        for n in 0..<jurisdictions {
            let id = ids.next()
            let parent = cityRows.isEmpty ? (rootID, rootPath) : cityRows[n % cityRows.count]
            counties.append((id, Jurisdiction.path(for: id, under: parent.1), parent.0))
        }
        let countyRows = counties
        let cityList = cityRows
        try await database.transaction { db in
            try await db.raw(
                "INSERT INTO jurisdictions (id, parent_id, path, name, level, created_at, updated_at, version) VALUES (\(bind: rootID.text), NULL, \(bind: rootPath), \(bind: "基准测试省委\(rootID.text.prefix(6))"), 'province', \(bind: now), \(bind: now), 1)"
            ).run()
            // Committees of one level, numbered 第1市委, 第2市委 … in the order given, 500 a statement.
            func insert(_ rows: [(id: UUID, path: String, parent: UUID)], level: JurisdictionLevel, suffix: String) async throws {
                for (offset, chunk) in rows.chunked(500).enumerated() {
                    var sql: SQLQueryString = "INSERT INTO jurisdictions (id, parent_id, path, name, level, created_at, updated_at, version) VALUES "
                    sql += chunk.enumerated().map { index, row -> SQLQueryString in
                        let name = "第\(offset * 500 + index + 1)\(suffix)"
                        return "(\(bind: row.id.text), \(bind: row.parent.text), \(bind: row.path), \(bind: name), \(bind: level.rawValue), \(bind: now), \(bind: now), 1)"
                    }.joined(separator: ", ")
                    try await db.raw(sql).run()
                }
            }
            try await insert(cityList.map { ($0.0, $0.1, rootID) }, level: .city, suffix: "市委")
            try await insert(countyRows.map { ($0.0, $0.1, $0.2) }, level: .county, suffix: "县委")
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
        try await analyzeAfterBulkLoad()
        return countyRows.map(\.0)
    }

    /// Fresh statistics for the planner after a bulk load; on PostgreSQL also a VACUUM, which sets
    /// the visibility map that index-only scans (the covering indexes of the statistics) rely on.
    func analyzeAfterBulkLoad() async throws {
        try await database.refreshPlannerStatistics(full: true)
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
                        // One round per county: each group is its own standing group, under the same id.
                        try await db.raw(
                            "INSERT INTO standing_groups (jurisdiction_id, id, name, created_at) VALUES (\(bind: county.text), \(bind: group), \(bind: "第\(g + 1)巡察组"), \(bind: now))"
                        ).run()
                        try await db.raw(
                            """
                            INSERT INTO inspection_groups (jurisdiction_id, id, round_id, name, standing_group_id, authorisation, created_at)
                            VALUES (\(bind: county.text), \(bind: group), \(bind: round), \(bind: "第\(g + 1)巡察组"), \(bind: group), NULL, \(bind: now))
                            """
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
                            VALUES (\(bind: county.text), \(bind: inspector), '基准组员', NULL, '县纪委监委', NULL, 'discipline', NULL, \(bind: g == 0 ? 1 : 0), \(bind: g == 0 ? 0 : 1), 1,
                                '[]', '[]', '[]', NULL, NULL,
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
            // Each paper with its classification tags and, for a lead paper, its lead.
            var findingRows: [SQLQueryString] = []
            var tagRows: [SQLQueryString] = []
            var leadRows: [SQLQueryString] = []
            var immediateRows: [SQLQueryString] = []
            for n in written..<(written + count) {
                let (county, task) = tasks[(n * 7919) % tasks.count]
                let (title, text) = SyntheticNames.finding(n)
                let stamp = SyntheticNames.findingStamp(n, now: now)
                let id = ids.next().text
                let disposition = SyntheticNames.disposition(n)
                findingRows.append(
                    """
                    (\(bind: county.text), \(bind: id), \(bind: task.assignment), \(bind: task.round), \(bind: task.group), \(bind: task.unit),
                     'approved', \(bind: "〔2026〕基准底稿第\(n + 1)号"), \(bind: title), \(bind: text), '违反有关规定', NULL, NULL, 0,
                     \(bind: disposition), NULL, 'bench', '同意', 'bench', \(bind: stamp), \(bind: stamp), \(bind: stamp), 1)
                    """)
                for tag in SyntheticNames.tags(n) { tagRows.append("(\(bind: id), \(bind: tag.scheme), \(bind: tag.entry))") }
                if disposition == "immediate" {
                    // Its 立行立改 notice, issued and signed for; every other one verified and closed.
                    let closed = n % 2 == 0
                    immediateRows.append(
                        """
                        (\(bind: county.text), \(bind: ids.next().text), \(bind: task.assignment), \(bind: task.group), \(bind: task.unit), \(bind: id),
                         \(bind: "基准立改〔2026〕\(n + 1)号"), \(bind: closed ? "closed" : "signed"), \(bind: title), \(bind: closed ? stamp : nil), \(bind: stamp),
                         \(bind: stamp), 1)
                        """)
                }
                if disposition == "lead" {
                    leadRows.append(
                        SyntheticNames.leadRow(n, finding: id, id: ids.next().text, county: county.text, assignment: task.assignment, group: task.group, unit: task.unit, now: now))
                }
            }
            let inserts: [(SQLQueryString, [SQLQueryString], Int)] = [
                (
                    """
                    INSERT INTO findings (jurisdiction_id, id, assignment_id, round_id, group_id, unit_id, status, number, title, manifestation, basis, evidence,
                        responsibility, is_common, disposition, disposition_note, drafted_by, meeting_opinion, approved_by, approved_at, created_at, updated_at, version) VALUES
                    """, findingRows, 200
                ),
                ("INSERT INTO finding_tags (finding_id, scheme_id, entry_code) VALUES ", tagRows, 500),
                (
                    """
                    INSERT INTO leads (jurisdiction_id, id, assignment_id, group_id, unit_id, finding_id, number, source, person_name, person_post, authority, subject,
                        content, evidence, status, receiver, receiver_jurisdiction_id, proposal, transfer_sheet, transferred_at, feedback_due, received_at, method, form,
                        people_count, sanctions, judicial_transfer, result, answered_at, closed_at, created_by, created_at, updated_at, version) VALUES
                    """, leadRows, 100
                ),
                (
                    """
                    INSERT INTO immediate_rectifications (jurisdiction_id, id, assignment_id, group_id, unit_id, finding_id, number, status, problem, closed_at,
                        created_at, updated_at, version) VALUES
                    """, immediateRows, 200
                ),
            ]
            try await database.transaction { db in
                for (head, rows, size) in inserts {
                    for part in rows.chunked(size) {
                        try await db.raw(head + " " + part.joined(separator: ", ")).run()
                    }
                }
            }
            written += count
            progress(written, findings)
        }
        try await analyzeAfterBulkLoad()
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

    /// Approval (and creation) spread over the past year, so that a period filter selects part of them.
    static func findingStamp(_ n: Int, now: Int64) -> Int64 {
        now - Int64((n * 7919) % 360) * 86_400_000 - Int64(n % 86_400) * 1_000
    }

    /// Of ten papers: three 限期整改, three 立行立改, two 线索, one 不予认定, one not yet triaged.
    static let dispositions: [String?] = ["deadline", "immediate", "lead", "deadline", "immediate", "dropped", "deadline", "immediate", "lead", nil]

    static func disposition(_ n: Int) -> String? { dispositions[(n / 3) % dispositions.count] }

    static let sixDisciplines = ["political", "organisational", "integrity", "mass", "work", "conduct"]
    static let threeMajor = ["leadership_weakened", "party_building_missing", "strict_governance_weak"]

    /// One item of 六项纪律 on every paper, a second one on every seventh, and an item of 三大问题 on
    /// every other paper: a family counts a paper once however many of its items it carries.
    static func tags(_ n: Int) -> [(scheme: String, entry: String)] {
        var tags = [(scheme: "six_disciplines@1", entry: sixDisciplines[n % sixDisciplines.count])]
        if n % 7 == 0 { tags.append((scheme: "six_disciplines@1", entry: sixDisciplines[(n + 1) % sixDisciplines.count])) }
        if n % 2 == 0 { tags.append((scheme: "three_major@1", entry: threeMajor[(n / 2) % threeMajor.count])) }
        return tags
    }

    /// A lead paper's lead at some step of its way: registered and studied, proposed, transferred
    /// (its feedback due three months later, often past), received, answered with one of 四种形态,
    /// closed, or dismissed.
    static let leadStatuses = ["registered", "screened", "proposed", "approved", "transferred", "received", "answered", "answered", "closed", "dismissed"]

    static func leadRow(
        _ n: Int, finding: String, id: String, county: String, assignment: String, group: String, unit: String, now: Int64
    ) -> SQLQueryString {
        let status = leadStatuses[(n / 31) % leadStatuses.count]
        let created = findingStamp(n, now: now) + 86_400_000
        let step = LeadStatus(rawValue: status)!
        let proposed = [LeadStatus.proposed, .approved].contains(step) || LeadStatus.transferredOn.contains(step)
        let transferred = LeadStatus.transferredOn.contains(step)
        let answered = step == .answered || step == .closed
        let receiver = n % 4 == 0 ? "organisation" : "discipline"
        let transferredAt = created + 10 * 86_400_000
        let dueDay = CalendarDay(Date(timeIntervalSince1970: Double(transferredAt) / 1000)).adding(months: 3)
        let answeredAt = transferredAt + Int64(30 + n % 60) * 86_400_000
        let form = [1, 1, 1, 1, 1, 1, 2, 2, 3, 4][(n / 7) % 10]
        return """
            (\(bind: county), \(bind: id), \(bind: assignment), \(bind: group), \(bind: unit), \(bind: finding), \(bind: "〔2026〕基准线索第\(n + 1)号"), 'finding',
             \(bind: person(n)), NULL, \(bind: n % 3 == 0 ? "committee" : "lower"), 'discipline', '底稿反映的问题线索', NULL, \(bind: status),
             \(bind: proposed ? receiver : nil), \(bind: proposed ? county : nil), \(bind: proposed ? "建议移交" : nil), \(bind: transferred ? "基准移交\(n + 1)" : nil),
             \(bind: transferred ? transferredAt : nil), \(bind: transferred ? dueDay.description : nil),
             \(bind: transferred && step != .transferred ? transferredAt + 86_400_000 : nil), \(bind: answered ? "talk_or_letter" : nil), \(bind: answered ? form : nil),
             \(bind: answered ? 1 : nil), NULL, \(bind: answered ? 0 : nil), \(bind: answered ? "已按第\(form)种形态处置。" : nil), \(bind: answered ? answeredAt : nil),
             \(bind: step == .closed ? answeredAt + 86_400_000 : nil), 'bench', \(bind: created), \(bind: created), 1)
            """
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

/// The rectification part of the benchmark data (整改台账): per assignment of the fieldwork an
/// issued feedback with its problem list, an approved plan, and tasks under "三个一" spread over
/// the problems; some tasks have a responsible cadre with an account of their own.
public struct SyntheticRectification: Sendable {
    /// Per county, one unit with tasks, for a unit contact's scope.
    public var contactUnits: [UUID: UUID]
    /// Per county, the account of one responsible cadre (整改责任人) with tasks.
    public var ownerAccounts: [UUID: UUID]
}

extension Store {
    /// Adds the rectification ledger to the fieldwork generated by `generateSyntheticFieldwork`:
    /// `tasks` tasks spread evenly over the counties, deadlines from 200 days ago to 200 days
    /// ahead of today, most in progress, some asking for closure, some closed. `progress` is
    /// called with (tasks written, tasks in all).
    public func generateSyntheticRectification(
        counties: [UUID], tasks: Int, problemsPerFeedback: Int = 10, progress: @Sendable (Int, Int) -> Void = { _, _ in }
    ) async throws -> SyntheticRectification {
        let exists = try await database.read { db in try await db.raw("SELECT id FROM rectification_plans LIMIT 1").first() != nil }
        guard !exists else {
            throw DomainError(.conflict, code: "not_empty", message: "该库已有整改数据，请用 --reuse 重新测量", english: "rectification data already generated")
        }
        let now = clock.now().epochMilliseconds
        let today = CalendarDay(clock.now())
        let assignments = try await database.read { db in
            try await db.raw("SELECT jurisdiction_id, id, unit_id FROM assignments ORDER BY jurisdiction_id, id").all().map {
                (county: try $0.uuid("jurisdiction_id"), id: try $0.string("id"), unit: try $0.string("unit_id"))
            }
        }
        let byCounty = Dictionary(grouping: assignments, by: \.county)
        var contacts: [UUID: UUID] = [:]
        var owners: [UUID: UUID] = [:]
        var written = 0
        let perCounty = tasks / max(1, counties.count)
        let statuses = SyntheticNames.taskStatuses
        for (chunkIndex, chunk) in counties.chunked(50).enumerated() {
            // The problems are taken from each assignment's approved papers, 限期整改 first.
            let papers = try await database.read { db in
                try await db.raw(
                    """
                    SELECT assignment_id, id, title FROM findings WHERE jurisdiction_id IN (\(binds: chunk.map(\.text))) AND status = 'approved'
                    ORDER BY assignment_id, CASE disposition WHEN 'deadline' THEN 0 ELSE 1 END, id
                    """
                ).all().map { (assignment: try $0.string("assignment_id"), id: try $0.string("id"), title: try $0.string("title")) }
            }
            let papersByAssignment = Dictionary(grouping: papers, by: \.assignment)
            var feedbackRows: [SQLQueryString] = []
            var problemRows: [SQLQueryString] = []
            var planRows: [SQLQueryString] = []
            var userRows: [SQLQueryString] = []
            var taskRows: [SQLQueryString] = []
            var checkRows: [SQLQueryString] = []
            var ruleRows: [SQLQueryString] = []
            var ruleProblemRows: [SQLQueryString] = []
            for (offset, county) in chunk.enumerated() {
                let countyNumber = chunkIndex * 50 + offset
                let quota = perCounty + (countyNumber < tasks % max(1, counties.count) ? 1 : 0)
                // Per county: each assignment's problems, with its unit and its cadre's account.
                var problems: [(assignment: String, unit: String, plan: String, problem: String, owner: String, approved: Int64)] = []
                for (a, assignment) in (byCounty[county] ?? []).enumerated() {
                    let chosen = (papersByAssignment[assignment.id] ?? []).prefix(problemsPerFeedback)
                    guard !chosen.isEmpty else { continue }
                    let feedback = ids.next().text
                    let plan = ids.next().text
                    let owner = ids.next()
                    let stamp = now + Int64(countyNumber * 100 + a)
                    // Approved between 150 and 61 days ago, so that a ledger or a figure as of a past
                    // day (截至某日) finds some plans begun and others not yet.
                    let approved = now - Int64(150 - (countyNumber * 7 + a) % 90) * 86_400_000 + Int64(countyNumber * 100 + a)
                    feedbackRows.append(
                        """
                        (\(bind: county.text), \(bind: feedback), \(bind: assignment.id), \(bind: assignment.unit), \(bind: "基准巡反〔2026〕\(countyNumber + 1)-\(a + 1)号"),
                         '关于巡察反馈意见的通知', '被巡察单位党组织', '[]', '巡察组反馈了巡察发现的问题，请认真整改。', \(bind: today.adding(days: -150).description),
                         \(bind: today.adding(days: -90).description), 'issued', \(bind: stamp), \(bind: stamp), \(bind: stamp), 1)
                        """)
                    planRows.append(
                        """
                        (\(bind: county.text), \(bind: plan), \(bind: feedback), \(bind: assignment.id), \(bind: assignment.unit), '关于巡察反馈问题的整改方案',
                         '党委会议研究通过', '逐项明确整改目标、措施、时限和责任人。', 'approved', 1, \(bind: self.ids.next().text), '基准单位负责人', \(bind: approved - 86_400_000), 'bench', 'bench',
                         \(bind: approved), \(bind: stamp), \(bind: stamp), 1)
                        """)
                    userRows.append(
                        """
                        (\(bind: county.text), \(bind: owner.text), \(bind: "bench.owner.\(owner.text)"), \(bind: SyntheticNames.person(countyNumber * 31 + a)),
                         'task_owner', \(bind: assignment.unit), '!', 0, 0, NULL, 0, NULL, \(bind: now), \(bind: now), 1)
                        """)
                    if a == 0 {
                        contacts[county] = UUID(uuidString: assignment.unit)
                        owners[county] = owner
                    }
                    for (sequence, paper) in chosen.enumerated() {
                        let problem = ids.next().text
                        problemRows.append("(\(bind: feedback), \(bind: problem), \(bind: sequence + 1), \(bind: paper.title), \(bind: paper.id))")
                        problems.append((assignment.id, assignment.unit, plan, problem, owner.text, approved))
                        // Every third unit adopts a rule (制度完善) answering its first problem.
                        if a % 3 == 0 && sequence == 0 {
                            let rule = ids.next().text
                            let adopted = today.adding(days: -((countyNumber * 7 + a) % 300))
                            ruleRows.append(
                                """
                                (\(bind: county.text), \(bind: rule), \(bind: assignment.unit), NULL, \(bind: "关于规范\(paper.title.prefix(8))的管理办法"),
                                 \(bind: (countyNumber + a) % 4 == 0 ? "revised" : "established"), NULL, \(bind: adopted.description), \(bind: adopted.year),
                                 '针对巡察反馈问题建章立制。', 'bench', \(bind: stamp), \(bind: stamp), 1)
                                """)
                            ruleProblemRows.append("(\(bind: county.text), \(bind: rule), \(bind: problem), \(bind: assignment.unit))")
                        }
                    }
                }
                guard !problems.isEmpty else { continue }
                var sequences = [Int](repeating: 0, count: problems.count)
                for i in 0..<quota {
                    let n = written + taskRows.count
                    let p = i % problems.count
                    sequences[p] += 1
                    let target = problems[p]
                    let id = ids.next().text
                    let deadline = today.adding(days: (n * 7919) % 401 - 200)
                    let status = statuses[(n * 31) % statuses.count]
                    let progressValue = status == "closed" || status == "closure_requested" ? 100 : (n * 13) % 100
                    let stamp = now + Int64(n)
                    // A closed task was closed (销号) 3 to 57 days after its plan's approval, so before today.
                    let closed = target.approved + Int64(3 + (n * 37) % 55) * 86_400_000
                    // Every third task names a cadre with their own account (整改责任人).
                    let owner: String? = n % 3 == 0 ? target.owner : nil
                    let (leader, department, cadre) = SyntheticNames.owners(n)
                    taskRows.append(
                        """
                        (\(bind: county.text), \(bind: id), \(bind: target.plan), \(bind: target.assignment), \(bind: target.unit), \(bind: target.problem),
                         \(bind: sequences[p]), '问题整改到位，建立长效机制', '对照问题逐项整改，完善制度，举一反三。', \(bind: deadline.description),
                         \(bind: n % 5 == 0 ? "long_term" : "deadline"), \(bind: n % 5 == 0 ? 30 : nil), \(bind: leader), \(bind: department), \(bind: cadre), \(bind: owner), \(bind: status),
                         \(bind: progressValue), NULL, \(bind: status == "closed" ? closed : nil), \(bind: stamp), \(bind: stamp), 1)
                        """)
                    if n % 50 == 0 && status != "planned" {
                        checkRows.append(
                            """
                            (\(bind: county.text), \(bind: ids.next().text), \(bind: id), \(bind: target.unit), \(bind: target.assignment),
                             \(bind: today.adding(days: -(n % 90)).description), \(bind: ["office", "discipline", "organisation"][n % 3]), 'bench', '基准督查人',
                             '实地查看', \(bind: ["on_track", "behind", "inadequate"][n % 3]), '查阅台账并实地查看整改情况。', \(bind: stamp))
                            """)
                    }
                }
            }
            let chunkTasks = taskRows.count
            let inserts: [(SQLQueryString, [SQLQueryString])] = [
                (
                    """
                    INSERT INTO feedbacks (jurisdiction_id, id, assignment_id, unit_id, number, title, main_recipient, copy_recipients, body, plan_due, report_due,
                        status, issued_at, created_at, updated_at, version) VALUES
                    """, feedbackRows
                ),
                ("INSERT INTO feedback_problems (feedback_id, id, sequence, text, finding_id) VALUES ", problemRows),
                (
                    """
                    INSERT INTO users (jurisdiction_id, id, username, display_name, roles, unit_id, password_hash, must_change_password, failed_sign_ins, locked_until,
                        disabled, password_changed_at, created_at, updated_at, version) VALUES
                    """, userRows
                ),
                (
                    """
                    INSERT INTO rectification_plans (jurisdiction_id, id, feedback_id, assignment_id, unit_id, title, meeting, body, status, revision,
                        endorsed_by, endorsed_by_name, endorsed_at, endorsed_digest, endorsed_text, approved_at, created_at, updated_at, version) VALUES
                    """, planRows
                ),
                (
                    """
                    INSERT INTO rectification_tasks (jurisdiction_id, id, plan_id, assignment_id, unit_id, problem_id, sequence, target, measures, deadline, kind,
                        report_every_days, responsible_leader, responsible_department, responsible_cadre, owner_account_id, status, progress, last_reported_on,
                        closed_at, created_at, updated_at, version) VALUES
                    """, taskRows
                ),
                (
                    """
                    INSERT INTO supervision_checks (jurisdiction_id, id, task_id, unit_id, assignment_id, checked_on, body, checker_id, checker_name, method, result,
                        note, created_at) VALUES
                    """, checkRows
                ),
                (
                    """
                    INSERT INTO rule_improvements (jurisdiction_id, id, unit_id, adopting_body, title, kind, document_number, adopted_on, adopted_year, description,
                        recorded_by, created_at, updated_at, version) VALUES
                    """, ruleRows
                ),
                ("INSERT INTO rule_improvement_problems (jurisdiction_id, rule_improvement_id, problem_id, unit_id) VALUES ", ruleProblemRows),
            ]
            try await database.transaction { db in
                for (head, rows) in inserts {
                    for part in rows.chunked(200) {
                        try await db.raw(head + part.joined(separator: ", ")).run()
                    }
                }
            }
            written += chunkTasks
            progress(written, tasks)
        }
        try await analyzeAfterBulkLoad()
        return SyntheticRectification(contactUnits: contacts, ownerAccounts: owners)
    }

    /// The rectification benchmark data generated earlier into this database, if any: per county
    /// a unit with tasks and a responsible cadre's account.
    public func existingSyntheticRectification() async throws -> SyntheticRectification? {
        try await database.read { db in
            var contacts: [UUID: UUID] = [:]
            var owners: [UUID: UUID] = [:]
            // The county's first responsible cadre, and their unit for the unit contact.
            for row in try await db.raw(
                "SELECT jurisdiction_id, id, unit_id FROM users WHERE id IN (SELECT MIN(id) FROM users WHERE roles = 'task_owner' GROUP BY jurisdiction_id)"
            ).all() {
                let county = try row.uuid("jurisdiction_id")
                contacts[county] = try row.uuid("unit_id")
                owners[county] = try row.uuid("id")
            }
            return contacts.isEmpty ? nil : SyntheticRectification(contactUnits: contacts, ownerAccounts: owners)
        }
    }

    /// The query plan of a task-list page as `rectificationTasks` runs it for an office filtered by
    /// a warning colour, to show which index serves it.
    public func explainTaskPage(jurisdictionID: UUID, warning: Warning, today: CalendarDay? = nil) async throws -> [String] {
        let today = today ?? CalendarDay(clock.now())
        let range = WarningThresholds.standard.deadlineRange(of: warning, today: today)
        var sql: SQLQueryString = database.engine == .sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN "
        sql += RectificationRows.selectTasks + " WHERE t.jurisdiction_id = \(bind: jurisdictionID.text) AND t.status <> 'planned'"
        sql += " AND t.status IN ('in_progress', 'closure_requested')"
        if let from = range.from { sql += " AND t.deadline >= \(bind: from.description)" }
        if let through = range.through { sql += " AND t.deadline <= \(bind: through.description)" }
        sql += " ORDER BY t.deadline, t.id LIMIT 26"
        let final = sql
        let column = database.engine == .sqlite ? "detail" : "QUERY PLAN"
        return try await database.read { db in try await db.raw(final).all().map { try $0.decode(column: column, as: String.self) } }
    }
}

extension SyntheticNames {
    /// Most tasks in progress, some asking for closure, some closed.
    static let taskStatuses = ["in_progress", "in_progress", "in_progress", "in_progress", "in_progress", "in_progress", "in_progress", "closure_requested", "closed", "closed"]
    static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
    static let given = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平", "刚", "桂英", "建华", "志强", "海燕", "晓东", "红梅", "国庆", "文博", "立新"]
    static let leaderPosts = ["党委书记", "党委副书记", "纪委书记", "副局长", "副镇长", "副主任", "工会主席", "副院长"]
    static let departments = ["办公室", "财务科", "组织人事科", "纪检监察室", "党建工作办公室", "综合科", "审计科", "规划发展科", "后勤服务中心", "法规科"]

    static func person(_ n: Int) -> String {
        "\(surnames[n % surnames.count])\(given[(n / surnames.count) % given.count])"
    }

    /// "三个一": a responsible leader, department and cadre.
    static func owners(_ n: Int) -> (String, String, String) {
        (person(n / 7 + 11) + leaderPosts[n % leaderPosts.count], departments[(n / 3) % departments.count], person(n * 7 + 3))
    }
}

/// The committee tree of benchmark data: the root, the cities (if any) and the counties, each with
/// its path, in the order they were generated.
public struct SyntheticTree: Sendable {
    public struct Committee: Sendable {
        public var id: UUID
        public var path: String
    }

    public var root: Committee
    public var cities: [Committee]
    public var counties: [Committee]
}

extension Store {
    public func existingSyntheticTree() async throws -> SyntheticTree {
        try await database.read { db in
            var levels: [String: [SyntheticTree.Committee]] = [:]
            for row in try await db.raw("SELECT id, path, level FROM jurisdictions ORDER BY id").all() {
                levels[try row.string("level"), default: []].append(SyntheticTree.Committee(id: try row.uuid("id"), path: try row.string("path")))
            }
            guard let root = levels["province"]?.first else { throw DomainError.notFound }
            return SyntheticTree(root: root, cities: levels["city"] ?? [], counties: levels["county"] ?? [])
        }
    }
}
