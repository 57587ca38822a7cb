import Foundation
import SQLKit
import XunchaCore
import XunchaStore

/// The workload of the HTTP benchmark (`scripts/bench-api`, issue 18): one county committee with
/// its units, approved working papers (with their tags, leads and 立行立改 items) and a
/// rectification ledger, and accounts that sign in with a known password — the office, a lead
/// custodian, and writers: the members of the first groups made their group's leader, so that each
/// takes a paper of their own assignment through its whole chain (draft, submit, approve, triage).
public struct APIBenchWorkload: Codable, Sendable {
    public struct Writer: Codable, Sendable {
        public var username: String
        /// The assignment of the writer's group the writer drafts under.
        public var assignment: String
    }

    public var password: String
    public var jurisdiction: String
    /// 巡察办工作人员 of the committee: the findings, tasks and ledger page, the statistics.
    public var office: String
    /// 线索管理员 of the committee: the leads.
    public var custodian: String
    public var writers: [Writer]
    /// The list filters: an assignment with papers and its unit with tasks.
    public var assignment: String
    public var unit: String
    public var units: Int
    public var findings: Int
    public var tasks: Int
    public var leads: Int
}

extension Store {
    /// Fills an empty database with the workload. `units` must be a multiple of three (each group
    /// inspects three units); `writers` at most `units / 3`.
    public func generateAPIBenchWorkload(units: Int, findings: Int, tasks: Int, writers: Int, password: String) async throws -> APIBenchWorkload {
        let groups = units / 3
        guard units >= 3, units % 3 == 0, (1...groups).contains(writers) else {
            throw DomainError.invalid("bench_shape", "单位数须为 3 的倍数，写入者不多于组数（单位数 ÷ 3）", english: "units must be a multiple of three, writers at most units / 3")
        }
        let counties = try await generateSyntheticRegister(jurisdictions: 1, units: units)
        _ = try await generateSyntheticFieldwork(counties: counties, groupsPerCounty: groups, unitsPerGroup: 3, findings: findings)
        if tasks > 0 { _ = try await generateSyntheticRectification(counties: counties, tasks: tasks) }
        let county = counties[0]
        let origin = RequestOrigin(actor: .console("bench"))
        let hash = try await hasher.hash(password)
        let detail = "基准测试账号：设为已知密码"
        for (username, name, role) in [("bench.office", "基准巡察办", Role.officeStaff), ("bench.custodian", "基准线索管理员", Role.leadCustodian)] {
            let draft = UserDraft(username: username, displayName: name, jurisdictionID: county, roles: try RoleSet([role], unitGiven: false), unitID: nil)
            let issued = try await createUser(draft, origin: origin)
            try await setKnownPassword(hash, of: issued.user.id, in: county, detail: detail, origin: origin)
        }
        // The first groups' members (one each, in the order generated), made leaders of their group.
        let members = try await database.read { db in
            try await db.raw(
                """
                SELECT i.account_id, gm.inspector_id, gm.group_id, (SELECT MIN(a.id) FROM assignments a WHERE a.group_id = gm.group_id) AS assignment_id
                FROM group_members gm JOIN inspectors i ON i.id = gm.inspector_id JOIN inspection_groups g ON g.id = gm.group_id
                ORDER BY g.id LIMIT \(literal: writers)
                """
            ).all().map { (account: try $0.uuid("account_id"), inspector: try $0.string("inspector_id"), group: try $0.string("group_id"), assignment: try $0.string("assignment_id")) }
        }
        var list: [APIBenchWorkload.Writer] = []
        for (n, member) in members.enumerated() {
            let username = "bench.writer\(n + 1)"
            try await database.transaction { db in
                try await db.raw(
                    "UPDATE users SET username = \(bind: username), roles = \(bind: Role.groupLeader.rawValue) WHERE id = \(bind: member.account.text)"
                ).run()
                try await db.raw(
                    "UPDATE group_members SET role = \(bind: GroupRole.leader.rawValue) WHERE group_id = \(bind: member.group) AND inspector_id = \(bind: member.inspector)"
                ).run()
            }
            try await setKnownPassword(hash, of: member.account, in: county, detail: detail, origin: origin)
            list.append(.init(username: username, assignment: member.assignment))
        }
        // The list filters: the first writer's assignment (its papers, and the tasks of its unit).
        let chosen = list
        let (unit, counts) = try await database.read { db -> (String, (findings: Int, tasks: Int, leads: Int)) in
            let unit = try await db.raw("SELECT unit_id FROM assignments WHERE id = \(bind: chosen[0].assignment)").first().map { try $0.string("unit_id") } ?? ""
            let counts = try await db.raw(
                "SELECT (SELECT COUNT(*) FROM findings) AS findings, (SELECT COUNT(*) FROM rectification_tasks) AS tasks, (SELECT COUNT(*) FROM leads) AS leads"
            ).first()
            return (unit, (findings: try counts?.decode(column: "findings", as: Int.self) ?? 0, tasks: try counts?.decode(column: "tasks", as: Int.self) ?? 0,
                           leads: try counts?.decode(column: "leads", as: Int.self) ?? 0))
        }
        return APIBenchWorkload(
            password: password, jurisdiction: county.text, office: "bench.office", custodian: "bench.custodian", writers: chosen,
            assignment: chosen[0].assignment, unit: unit, units: units, findings: counts.findings, tasks: counts.tasks, leads: counts.leads)
    }
}
