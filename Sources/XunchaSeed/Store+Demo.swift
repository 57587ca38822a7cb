import Foundation
import SQLKit
import XunchaCore
import XunchaStore

/// `xuncha demo`: a small, realistic, fictional city so a newcomer can click through every page.
extension Store {
    /// The password every demo account gets. Demo data is for trying the system, never for real use.
    public static let demoPassword = "Xuncha@2026"

    public struct DemoAccount: Sendable {
        public var username: String
        public var displayName: String
        public var roles: String
        public var jurisdiction: String
    }

    /// Gives an account of fictional data a password everyone may know (demo, benchmark), no change
    /// required at first sign-in; audited like any reset.
    func setKnownPassword(_ hash: String, of userID: UUID, in jurisdictionID: UUID, detail: String, origin: RequestOrigin) async throws {
        try await database.transaction { db in
            try await db.raw("UPDATE users SET password_hash = \(bind: hash), must_change_password = 0 WHERE id = \(bind: userID.text)").run()
            try await self.audit.append(
                AuditEvent(action: .userPasswordReset, targetType: "user", targetID: userID.text, jurisdictionID: jurisdictionID, detail: detail),
                origin: origin, at: self.clock.now(), on: db)
        }
    }

    /// Whether the database holds no accounts and no units yet.
    public func isEmpty() async throws -> Bool {
        try await database.read { db in
            let users = try await db.raw("SELECT id FROM users LIMIT 1").first()
            let units = try await db.raw("SELECT id FROM units LIMIT 1").first()
            return users == nil && units == nil
        }
    }

    /// Fills a database that has no accounts or units yet. Returns the accounts created, to print.
    public func seedDemo() async throws -> [DemoAccount] {
        let console = RequestOrigin(actor: .console(ProcessInfo.processInfo.userName))
        // Only a brand-new database: demo accounts share a published password, so they must never
        // appear beside real ones.
        if try await !isEmpty() {
            throw DomainError(.conflict, code: "not_empty", message: "数据库中已有账号或单位，演示数据只能装入空库", english: "demo data goes into an empty database only")
        }
        _ = try await bootstrapIfEmpty(rootName: "江城市委", passwords: Array(repeating: Self.demoPassword, count: 3), mustChange: false)
        guard let root = try await database.read({ db in try await JurisdictionRows.root(on: db) }) else {
            throw DomainError(.internalFailure, code: "no_root", message: "缺少根党委", english: "no root jurisdiction")
        }
        let city = try await updateJurisdiction(root.id, JurisdictionDraft(name: "江城市委", level: .city), version: root.version, origin: console)
        let donghu = try await createJurisdiction(JurisdictionDraft(name: "东湖区委", level: .district), parentID: city.id, origin: console)
        let qinghe = try await createJurisdiction(JurisdictionDraft(name: "清河县委", level: .county), parentID: city.id, origin: console)
        let qingshan = try await createJurisdiction(JurisdictionDraft(name: "青山县委", level: .county), parentID: city.id, origin: console)

        typealias Row = (String, UnitType, PartyOrganisationKind, String?, String?)
        let plan: [(Jurisdiction, [Row])] = [
            (city, [
                ("市财政局", .municipalDepartment, .leadershipGroup, nil, "李建国"),
                ("市教育局", .municipalDepartment, .leadershipGroup, nil, "周文华"),
                ("市卫生健康委员会", .municipalDepartment, .leadershipGroup, nil, "陈立新"),
                ("市住房和城乡建设局", .municipalDepartment, .leadershipGroup, nil, "赵志强"),
                ("市交通运输局", .municipalDepartment, .leadershipGroup, nil, "孙海涛"),
                ("市市场监督管理局", .municipalDepartment, .leadershipGroup, nil, "吴敏"),
                ("江城市城市投资集团有限公司", .stateEnterprise, .committee, nil, "郑国栋"),
                ("江城市第一人民医院", .hospital, .committee, nil, "何丽"),
                ("江城职业技术学院", .school, .committee, nil, "冯建平"),
                ("市财政局国库支付中心", .publicInstitution, .branch, "市财政局", "林晓"),
            ]),
            (donghu, [
                ("东湖区教育局", .municipalDepartment, .leadershipGroup, nil, "高峰"),
                ("滨江街道", .township, .workingCommittee, nil, "马骏"),
                ("滨江街道望湖社区", .village, .branch, "滨江街道", "黄秀英"),
            ]),
            (qinghe, [
                ("清河县城关镇", .township, .committee, nil, "罗志刚"),
                ("清河县白沙镇", .township, .committee, nil, "梁文"),
                ("白沙镇红星村", .village, .branch, "清河县白沙镇", "宋大勇"),
                ("清河县水利局", .municipalDepartment, .leadershipGroup, nil, "唐明"),
            ]),
            (qingshan, [
                ("青山县石门乡", .township, .committee, nil, "韩春生"),
                ("青山县人民医院", .hospital, .generalBranch, nil, "曹静"),
                ("青山县自然资源局", .municipalDepartment, .leadershipGroup, nil, "彭飞"),
            ]),
        ]
        var unitIDs: [String: UUID] = [:]
        for (jurisdiction, rows) in plan {
            for (name, type, kind, parent, head) in rows {
                let unit = try await createUnit(
                    UnitDraft(name: name, type: type, partyOrganisation: kind, parentUnitID: parent.flatMap { unitIDs[$0] }, headName: head),
                    in: jurisdiction.id, origin: console)
                unitIDs[name] = unit.id
            }
        }

        let people: [(String, String, Role, Jurisdiction, String?)] = [
            ("office", "王明", .officeStaff, city, nil),
            ("xiansuo", "周静", .leadCustodian, city, nil),
            ("leader", "刘志远", .leadingGroupMember, city, nil),
            ("zuzhang", "张卫东", .groupLeader, city, nil),
            ("zuyuan", "杨帆", .groupMember, city, nil),
            ("danwei", "李建国", .unitHead, city, "市财政局"),
            ("lianluo", "许婷", .unitContact, city, "市财政局"),
            ("zeren", "周强", .taskOwner, city, "市财政局"),
            ("jiwei", "邓华", .disciplineReceiver, city, nil),
            ("zuzhibu", "田雨", .organisationReceiver, city, nil),
            ("qinghe.office", "蒋涛", .officeStaff, qinghe, nil),
            // The finished round's group leader and its two units (十四届第九轮).
            ("qianyongming", "钱永明", .groupLeader, city, nil),
            ("jiaotong", "孙海涛", .unitHead, city, "市交通运输局"),
            ("jiaotong.lianluo", "蔡琳", .unitContact, city, "市交通运输局"),
            ("shijian", "吴敏", .unitHead, city, "市市场监督管理局"),
            ("shijian.lianluo", "邹洋", .unitContact, city, "市市场监督管理局"),
        ]
        var accounts = Self.administratorUsernames.map { DemoAccount(username: $0.0, displayName: $0.1.title, roles: $0.1.title, jurisdiction: city.name) }
        let hash = try await hasher.hash(Self.demoPassword)
        var actors: [String: Actor] = [:]
        for (username, name, role, jurisdiction, unit) in people {
            let draft = UserDraft(
                username: username, displayName: name, jurisdictionID: jurisdiction.id,
                roles: try RoleSet([role], unitGiven: unit != nil), unitID: unit.flatMap { unitIDs[$0] })
            let issued = try await createUser(draft, origin: console)
            try await setKnownPassword(hash, of: issued.user.id, in: jurisdiction.id, detail: "演示账号：设为公开的演示密码", origin: console)
            accounts.append(DemoAccount(username: username, displayName: name, roles: role.title, jurisdiction: jurisdiction.name))
            actors[username] = .account(issued.user, jurisdictionPath: jurisdiction.path)
        }
        let round = try await seedDemoPlanning(city: city, units: unitIDs, actors: actors)
        try await seedDemoFieldwork(round: round, units: unitIDs, actors: actors)
        try await seedDemoRectification(units: unitIDs, actors: actors)
        return accounts
    }
}
