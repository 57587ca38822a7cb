import Foundation

/// 巡察干部: a cadre in the leader pool (组长库) and/or the talent pool (人才库), with what the
/// office needs to match skills and detect conflicts of interest.
public struct Inspector: Sendable, Equatable, Codable {
    public var id: UUID
    public var jurisdictionID: UUID
    public var name: String
    /// The unit the cadre works in (工作单位), when it is in the register.
    public var homeUnitID: UUID?
    public var homeUnitName: String
    public var post: String?
    public var category: DepartmentCategory
    /// 职级, required for the leader pool.
    public var rank: LeaderRank?
    public var inLeaderPool: Bool
    public var inTalentPool: Bool
    public var skills: [String]
    public var available: Bool
    /// 工作经历: units and years, for the "worked there recently" check.
    public var workHistory: [WorkRecord]
    /// 亲属关系 with units' leadership, for the family-relation check.
    public var relations: [FamilyRelation]
    public var training: String?
    public var evaluation: String?
    public var createdAt: Date
    public var updatedAt: Date
    public var version: Int

    public init(
        id: UUID, jurisdictionID: UUID, name: String, homeUnitID: UUID?, homeUnitName: String, post: String?, category: DepartmentCategory,
        rank: LeaderRank?, inLeaderPool: Bool, inTalentPool: Bool, skills: [String], available: Bool, workHistory: [WorkRecord],
        relations: [FamilyRelation], training: String?, evaluation: String?, createdAt: Date, updatedAt: Date, version: Int
    ) {
        self.id = id
        self.jurisdictionID = jurisdictionID
        self.name = name
        self.homeUnitID = homeUnitID
        self.homeUnitName = homeUnitName
        self.post = post
        self.category = category
        self.rank = rank
        self.inLeaderPool = inLeaderPool
        self.inTalentPool = inTalentPool
        self.skills = skills
        self.available = available
        self.workHistory = workHistory
        self.relations = relations
        self.training = training
        self.evaluation = evaluation
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
    }
}

/// A stint at a unit: 2019–2022 at 市财政局. `toYear` nil means "to date".
public struct WorkRecord: Sendable, Equatable, Codable {
    public var unitID: UUID?
    public var unitName: String
    public var fromYear: Int
    public var toYear: Int?

    public init(unitID: UUID?, unitName: String, fromYear: Int, toYear: Int?) {
        self.unitID = unitID
        self.unitName = unitName
        self.fromYear = fromYear
        self.toYear = toYear
    }
}

/// A relative in a unit's leadership: 配偶 张某 is 市财政局 deputy head.
public struct FamilyRelation: Sendable, Equatable, Codable {
    public var unitID: UUID?
    public var unitName: String
    public var relation: String
    public var personName: String

    public init(unitID: UUID?, unitName: String, relation: String, personName: String) {
        self.unitID = unitID
        self.unitName = unitName
        self.relation = relation
        self.personName = personName
    }
}

/// 部门类别: where a cadre's expertise comes from. Groups need a mix.
public enum DepartmentCategory: String, CaseIterable, Codable, Sendable {
    case discipline, organisation, procuratorate, audit, finance, law, engineering, other

    public var title: String {
        switch self {
        case .discipline: "纪检监察"
        case .organisation: "组织人事"
        case .procuratorate: "检察"
        case .audit: "审计"
        case .finance: "财务"
        case .law: "法务"
        case .engineering: "工程"
        case .other: "其他"
        }
    }

    /// Audit and finance specialists read accounts; every group needs one where the pool allows.
    public var readsAccounts: Bool { self == .audit || self == .finance }

    public init?(code: String) {
        let text = code.trimmingCharacters(in: .whitespaces)
        guard let value = Self(rawValue: text) ?? Self.allCases.first(where: { $0.title == text || $0.title.prefix(2) == text }) else { return nil }
        self = value
    }
}

/// 职级 of a leader-pool cadre, most senior first.
public enum LeaderRank: String, CaseIterable, Codable, Sendable, Comparable {
    case bureauChief = "bureau_chief"
    case deputyBureauChief = "deputy_bureau_chief"
    case divisionChief = "division_chief"
    case deputyDivisionChief = "deputy_division_chief"
    case sectionChief = "section_chief"

    public var title: String {
        switch self {
        case .bureauChief: "正局级"
        case .deputyBureauChief: "副局级"
        case .divisionChief: "正处级"
        case .deputyDivisionChief: "副处级"
        case .sectionChief: "正科级"
        }
    }

    public init?(code: String) {
        let text = code.trimmingCharacters(in: .whitespaces)
        guard let value = Self(rawValue: text) ?? Self.allCases.first(where: { $0.title == text }) else { return nil }
        self = value
    }

    public static func < (lhs: LeaderRank, rhs: LeaderRank) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
