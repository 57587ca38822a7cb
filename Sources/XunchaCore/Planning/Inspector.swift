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
    /// 培训记录.
    public var training: String?
    /// 考评（综合评分、优秀巡察员等）.
    public var evaluation: String?
    /// The cadre's own account, once the office links it: what lets a member see their group's
    /// assignments, sign the pledge and declare conflicts themselves.
    public var accountID: UUID?
    public var createdAt: Date
    public var updatedAt: Date
    public var version: Int

    public init(
        id: UUID, jurisdictionID: UUID, name: String, homeUnitID: UUID?, homeUnitName: String, post: String?, category: DepartmentCategory,
        rank: LeaderRank?, inLeaderPool: Bool, inTalentPool: Bool, skills: [String], available: Bool, workHistory: [WorkRecord],
        relations: [FamilyRelation], training: String?, evaluation: String?, accountID: UUID? = nil, createdAt: Date, updatedAt: Date, version: Int
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
        self.accountID = accountID
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
public enum DepartmentCategory: String, CaseIterable, Codable, Sendable, CodedTitle {
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

    /// "纪检" for 纪检监察, "组织" for 组织人事.
    public func isShortTitle(_ text: String) -> Bool { title.prefix(2) == text }
}

/// 职级 of a leader-pool cadre, most senior first.
public enum LeaderRank: String, CaseIterable, Codable, Sendable, Comparable, CodedTitle {
    case bureauChief = "bureau_chief"
    case deputyBureauChief = "deputy_bureau_chief"
    case divisionChief = "division_chief"
    case deputyDivisionChief = "deputy_division_chief"
    case sectionChief = "section_chief"
    case deputySectionChief = "deputy_section_chief"
    case clerk = "clerk"

    public var title: String {
        switch self {
        case .bureauChief: "正局级"
        case .deputyBureauChief: "副局级"
        case .divisionChief: "正处级"
        case .deputyDivisionChief: "副处级"
        case .sectionChief: "正科级"
        case .deputySectionChief: "副科级"
        case .clerk: "科员"
        }
    }


    public static func < (lhs: LeaderRank, rhs: LeaderRank) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// What the office records for a cadre entering a pool, validated.
public struct InspectorDraft: Sendable, Equatable {
    public var name: String
    public var homeUnitID: UUID?
    public var homeUnitName: String
    public var post: String?
    public var category: DepartmentCategory
    public var rank: LeaderRank?
    public var inLeaderPool: Bool
    public var inTalentPool: Bool
    public var skills: [String]
    public var available: Bool
    public var workHistory: [WorkRecord]
    public var relations: [FamilyRelation]

    public init(
        name: String, homeUnitID: UUID? = nil, homeUnitName: String, post: String? = nil, category: DepartmentCategory, rank: LeaderRank? = nil,
        inLeaderPool: Bool, inTalentPool: Bool, skills: [String] = [], available: Bool = true, workHistory: [WorkRecord] = [],
        relations: [FamilyRelation] = []
    ) {
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
    }

    /// The pool entry this draft describes, first version.
    public func inspector(id: UUID, jurisdictionID: UUID, at now: Date) -> Inspector {
        Inspector(
            id: id, jurisdictionID: jurisdictionID, name: name, homeUnitID: homeUnitID, homeUnitName: homeUnitName, post: post, category: category,
            rank: rank, inLeaderPool: inLeaderPool, inTalentPool: inTalentPool, skills: skills, available: available, workHistory: workHistory,
            relations: relations, training: nil, evaluation: nil, createdAt: now, updatedAt: now, version: 1)
    }

    /// Checks the rules a pool entry must keep: a name and home unit, a known category, at least
    /// one pool, a rank for the leader pool, and plausible years of work history.
    public func validated(currentYear: Int) throws(DomainError) -> InspectorDraft {
        var draft = self
        draft.name = try TextRules.requiredLine(name, field: "name", label: "姓名", maxLength: 40)
        draft.homeUnitName = try TextRules.requiredLine(homeUnitName, field: "home_unit_name", label: "工作单位", maxLength: 100)
        draft.post = try TextRules.optionalLine(post, field: "post", label: "职务", maxLength: 60)
        guard inLeaderPool || inTalentPool else {
            throw .invalid("pool_required", "须选择组长库或人才库（可同时入两库）", english: "choose at least one pool", field: "pools")
        }
        if inLeaderPool && rank == nil {
            throw .invalid("rank_required", "入组长库须填写职级", english: "leader pool needs a rank", field: "rank")
        }
        var skills: [String] = []
        for skill in self.skills {
            if let line = try TextRules.optionalLine(skill, field: "skills", label: "专长", maxLength: 20) { skills.append(line) }
        }
        draft.skills = skills
        for record in workHistory {
            _ = try TextRules.requiredLine(record.unitName, field: "work_history", label: "工作经历单位", maxLength: 100)
            guard (1950...currentYear).contains(record.fromYear), (record.toYear.map { (record.fromYear...currentYear).contains($0) } ?? true) else {
                throw .invalid("invalid_years", "工作经历的起止年份不合理（\(record.unitName)）", english: "implausible work history years", field: "work_history")
            }
        }
        for relation in relations {
            _ = try TextRules.requiredLine(relation.unitName, field: "relations", label: "亲属任职单位", maxLength: 100)
            _ = try TextRules.requiredLine(relation.relation, field: "relations", label: "亲属关系", maxLength: 20)
            _ = try TextRules.requiredLine(relation.personName, field: "relations", label: "亲属姓名", maxLength: 40)
        }
        return draft
    }
}

/// What the office may change on a pool entry besides its draft fields.
public struct InspectorRecords: Sendable, Equatable {
    /// 培训记录.
    public var training: String?
    /// 考评.
    public var evaluation: String?
    /// The username of the cadre's own account (a 巡察组组长 or 巡察组成员 account of the same
    /// committee); nil unlinks.
    public var accountUsername: String?

    public init(training: String?, evaluation: String?, accountUsername: String?) {
        self.training = training
        self.evaluation = evaluation
        self.accountUsername = accountUsername
    }

    public func validated() throws(DomainError) -> InspectorRecords {
        InspectorRecords(
            training: try TextRules.optionalText(training, field: "training", label: "培训记录", maxLength: 2000),
            evaluation: try TextRules.optionalText(evaluation, field: "evaluation", label: "考评", maxLength: 2000),
            accountUsername: try TextRules.optionalLine(accountUsername, field: "account_username", label: "本人账号", maxLength: 40))
    }
}

/// Work history and family relations as a clerk types them in a form, one per line:
/// "市教育局，2015，2022" (an empty or 至今 end means to date) and "市卫生健康委员会，配偶，王某".
public enum InspectorLines {
    static let separators: Set<Character> = [",", "，", "、", "\t", ";", "；"]

    static func fields(_ line: Substring) -> [String] {
        line.split(omittingEmptySubsequences: false, whereSeparator: { separators.contains($0) })
            .map { $0.trimmingCharacters(in: .whitespaces) }
    }

    static func lines(_ text: String?) -> [(number: Int, text: Substring)] {
        (text ?? "").split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated()
            .map { ($0.offset + 1, Substring($0.element.trimmingCharacters(in: .whitespacesAndNewlines))) }
            .filter { !$0.1.isEmpty }
    }

    public static func workHistory(_ text: String?) throws(DomainError) -> [WorkRecord] {
        var records: [WorkRecord] = []
        for (number, line) in lines(text) {
            let parts = fields(line)
            guard parts.count == 2 || parts.count == 3, !parts[0].isEmpty, let from = Int(parts[1]) else {
                throw .invalid(
                    "invalid_work_history", "工作经历第\(number)行格式应为“单位，起始年份，截止年份”（截止年份可空或写“至今”）",
                    english: "work history line \(number) malformed", field: "work_history")
            }
            var to: Int?
            if parts.count == 3, !parts[2].isEmpty, parts[2] != "至今" {
                guard let year = Int(parts[2]) else {
                    throw .invalid("invalid_work_history", "工作经历第\(number)行的截止年份应为数字或“至今”", english: "work history line \(number) end year", field: "work_history")
                }
                to = year
            }
            records.append(WorkRecord(unitID: nil, unitName: parts[0], fromYear: from, toYear: to))
        }
        return records
    }

    public static func relations(_ text: String?) throws(DomainError) -> [FamilyRelation] {
        var relations: [FamilyRelation] = []
        for (number, line) in lines(text) {
            let parts = fields(line)
            guard parts.count == 3, !parts.contains(where: \.isEmpty) else {
                throw .invalid(
                    "invalid_relations", "亲属关系第\(number)行格式应为“任职单位，关系，姓名”", english: "relations line \(number) malformed", field: "relations")
            }
            relations.append(FamilyRelation(unitID: nil, unitName: parts[0], relation: parts[1], personName: parts[2]))
        }
        return relations
    }

    public static func text(_ records: [WorkRecord]) -> String {
        records.map { "\($0.unitName)，\($0.fromYear)，\($0.toYear.map(String.init) ?? "至今")" }.joined(separator: "\n")
    }

    public static func text(_ relations: [FamilyRelation]) -> String {
        relations.map { "\($0.unitName)，\($0.relation)，\($0.personName)" }.joined(separator: "\n")
    }
}
