import Foundation

/// Everything an actor may be allowed to do. Later capabilities add their own.
public enum Permission: String, CaseIterable, Sendable {
    /// 查看党委（辖区）.
    case viewJurisdictions
    /// 新建、修改党委（辖区）.
    case manageJurisdictions
    /// 查看被巡察单位.
    case viewUnits
    /// 新建、修改、导入被巡察单位.
    case manageUnits
    /// 单位名录（仅名称）: pick the unit a unit-role account belongs to, without reading the register.
    case viewUnitDirectory
    /// 查看账号.
    case viewUsers
    /// 开设、停用、启用账号，重置密码.
    case manageUsers
    /// 授予、调整角色（不含三员角色，三员只能在服务器控制台设置）.
    case grantRoles
    /// 解除锁定.
    case unlockUsers
    /// 查看、核验审计日志.
    case viewAuditLog
    /// 查看巡察轮次、批次.
    case viewRounds
    /// 新建、修改轮次和批次，推进巡察办负责的流转步骤.
    case manageRounds
    /// 领导小组审议轮次计划（通过或退回）.
    case reviewRounds
    /// 查看组长库、人才库（含亲属、工作经历等回避信息）.
    case viewPools
    /// 维护组长库、人才库，导入名册.
    case managePools
    /// 查看巡察任务（派驻）及其工作记录. Group members reach only their own group's
    /// assignments, after signing the pledge, and never a unit they are recused from.
    case viewAssignments
    /// 本人签署保密承诺、申报回避 (as the cadre linked to the account).
    case actAsInspector
    /// 查看巡察通知. A unit sees the notices addressed to it and nothing else of a round.
    case viewNotices
    /// 被巡察单位申请巡察人员回避. A request only: the office decides it.
    case requestRecusal
    /// 查看回避申请及其决定. The office its committee's; a unit only its own requests, with the
    /// outcome and the office's reasons.
    case viewRecusalRequests
    /// 决定被巡察单位的回避申请（同意或不予回避，须写明理由）: the office, never the unit that asked.
    case decideRecusalRequests
    /// 修改本级参数（一托N、回避年限）.
    case manageSettings
    /// 查看谈话记录、信访件、调阅和走访记录、问题底稿 (巡察工作材料). Never an inspected unit.
    case viewFieldwork
    /// 记录谈话、信访、调阅、走访，起草问题底稿 (members of the assignment's group).
    case recordFieldwork
    /// 确定问题处置方式（立行立改、限期整改、移交线索、不予认定）. A group leader only for their group.
    case triageFindings
    /// 查看信访人身份. A group leader only for their group; otherwise the designated custodians.
    case viewReporterIdentity
    /// 查看问题分类词表.
    case viewClassifications
    /// 新增问题分类词表版本.
    case manageClassifications
    /// 查看问题线索. The lead custodians and the leading group of the committee, the group that
    /// found it, and a receiving body only what was transferred to it. Never the office at large.
    case viewLeads
    /// 登记问题线索 (members of the assignment's group).
    case registerLeads
    /// 查看立行立改事项. An inspected unit sees its own, from the notice on, and never the paper
    /// behind it.
    case viewImmediateRectifications
    /// 查看巡察报告、专题报告、问题线索报告. Never an inspected unit or a receiver.
    case viewReports
    /// 报告报送（一巡双报告）.
    case fileReports
    /// 查看反馈意见和问题清单. A unit sees its own once issued, without the papers behind it.
    case viewFeedback
    /// 查看整改台账（整改方案、问题/任务/责任/督查清单）. A unit its own; a responsible cadre their
    /// own tasks; 纪委 and 组织部 the units of their committee, whose rectification they supervise.
    case viewRectification
    /// 拟定整改方案和任务（“三个一”）: the unit's head and contact, for their own unit.
    case draftRectificationPlans
    /// 审核整改方案: the office decides; 纪委 and 组织部 give written opinions.
    case reviewRectificationPlans
    /// 报告整改进展、申请销号: the unit for its tasks, a responsible cadre for their own.
    case reportRectificationProgress
    /// 审核销号或退回: the office, and the leader of the group that inspected the unit.
    case reviewTaskClosure
    /// 督查整改: record supervision checks (督查清单).
    case superviseRectification
    /// 查看整改情况报告、主要负责人组织落实情况报告、整改进展情况报告. A unit sees its own; the
    /// office, the leading group and the committee's 纪委/组织部 receivers, who supervise
    /// rectification, see the committee's.
    case viewRectificationReports
    /// 起草、修改、报送本单位整改报告 (the unit's head or contact; signing is the head's own act).
    case writeRectificationReports
    /// 审核整改报告（通过或退回）.
    case reviewRectificationReports
    /// 查看整改公开内容（发布前）. Published public texts need no sign-in.
    case viewDisclosures
    /// 拟制、修改、发布整改公开内容，登记党内通报.
    case prepareDisclosures
    /// 领导小组审定整改公开内容.
    case approveDisclosures
    /// 查看制度、流程建立或完善情况. A unit sees those linked to its own problems.
    case viewRuleImprovements
    /// 登记制度、流程建立或完善情况. A unit only for its own problems, the office for any unit of its committee.
    case recordRuleImprovements
    /// 查看整改评估. 纪委、组织部承办人 read their committee's results (监督整改、考核运用); a unit
    /// sees its own once graded.
    case viewEvaluations
    /// 评定整改评估等次: the office or the leading group.
    case gradeEvaluations
    /// 安排整改评估，审核二次整改，安排回头看.
    case manageEvaluations
    /// 报告二次整改情况 (own unit only).
    case reportSecondRectification
    /// 立卷归档: archive a finished assignment or round, export the package, register corrections.
    case archiveRecords
    /// 查看回头看安排. Never the unit to be revisited.
    case viewFollowUps
    /// 查看统计数据和年度综述. The office and the leading group their committee, rolled up over the
    /// committees below it (their reach is the subtree, as for the committee tree); a group the
    /// figures of its own assignments; an inspected unit only its own ledger figures (tasks, rule
    /// improvements), never a count of findings or leads, which could reveal a lead about it.
    case viewStatistics
    /// 查看普遍性、倾向性问题（跨单位重复出现的分类项目、相似问题）. Reads findings of many units, so
    /// only the office and the leading group of the committee; never a unit or a group.
    case viewSystemicProblems
    /// 起草、送达、跟踪办结专题报告（送职能部门）: the office.
    case manageThematicReports
    /// 查看专题报告. The office and the leading group their committee's; a functional department's
    /// own accounts only the reports sent to their unit, and never the papers behind them.
    case viewThematicReports
    /// 登记专题报告引起的制度完善: the addressed department for its own reports, the office for any.
    case recordThematicRuleChanges
    /// 管理公文模板（红头、署名、印发机关、发文字号格式、固定用语）: the committee's office.
    case manageDocumentTemplates
}

/// How far a permission reaches from the actor's own place, narrowest first.
public enum Reach: Int, Comparable, Sendable, CaseIterable {
    case nothing = 0
    /// The tasks naming the account as their responsible cadre.
    case ownTasks
    /// The single unit the account acts for.
    case ownUnit
    /// What was transferred to the receiving body whose inbox the account works.
    case inbox
    /// The assignments of the groups the account's cadre serves in (pledge signed, not recused).
    case ownGroup
    /// Exactly the account's own jurisdiction.
    case ownJurisdiction
    /// The account's jurisdiction and everything below it.
    case subtree
    /// The server console.
    case everything

    public static func < (lhs: Reach, rhs: Reach) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The set of records an actor may touch for one permission. The store turns it into SQL.
public enum Scope: Sendable, Equatable {
    case nothing
    case unit(jurisdiction: UUID, unit: UUID)
    /// The rectification tasks whose responsible cadre is this account.
    case ownTasks(account: UUID, jurisdiction: UUID)
    /// The assignments of the groups in which the account's linked cadre serves, whose round's
    /// pledge the cadre has signed, minus units the cadre is recused from. Membership lives in
    /// the database, so only the store's SQL decides it; `contains` answers no.
    case ownAssignments(account: UUID, jurisdiction: UUID)
    /// Leads transferred to these receiving bodies (raw values of `ReceivingBody`) of the committee.
    case inbox(bodies: [String], jurisdiction: UUID)
    case jurisdiction(UUID)
    case subtree(path: String)
    case everything

    /// Whether a record at `location` lies within the scope.
    public func contains(_ location: RecordLocation) -> Bool {
        switch self {
        case .nothing: false
        case .everything: true
        case .subtree(let path): location.jurisdictionPath.hasPrefix(path)
        case .jurisdiction(let id): location.jurisdictionID == id
        case .unit(let jurisdiction, let unit): location.jurisdictionID == jurisdiction && location.unitID == unit
        case .ownAssignments, .inbox, .ownTasks: false
        }
    }

    public var isNothing: Bool { self == .nothing }

    /// A responsible cadre's reach: their own tasks and nothing of the plans around them.
    public var isOwnTasks: Bool {
        if case .ownTasks = self { return true }
        return false
    }
}

/// Where a record sits: its jurisdiction (id and path) and, for unit-owned records, its unit.
public struct RecordLocation: Sendable, Equatable {
    public var jurisdictionID: UUID
    public var jurisdictionPath: String
    public var unitID: UUID?

    public init(jurisdictionID: UUID, jurisdictionPath: String, unitID: UUID? = nil) {
        self.jurisdictionID = jurisdictionID
        self.jurisdictionPath = jurisdictionPath
        self.unitID = unitID
    }
}

/// The one access policy. Pure: it reads the actor and the matrix, never the database.
/// List queries take `scope(_:_:)` as SQL filters; single reads and writes ask `allows`.
public struct AccessPolicy: Sendable {
    public init() {}

    /// The matrix: how far each role reaches for each permission. A role absent from a row
    /// reaches nothing. Roles that act in inspection work see no accounts and no audit log;
    /// administrators see no business records (三员分立).
    public static let matrix: [Permission: [Role: Reach]] = [
        .viewJurisdictions: [
            .systemAdministrator: .subtree, .securityAdministrator: .subtree, .auditAdministrator: .subtree,
            .officeStaff: .subtree, .leadingGroupMember: .subtree, .leadCustodian: .ownJurisdiction,
            .groupLeader: .ownJurisdiction, .groupMember: .ownJurisdiction,
            .disciplineReceiver: .ownJurisdiction, .organisationReceiver: .ownJurisdiction,
            .unitHead: .ownJurisdiction, .unitContact: .ownJurisdiction, .taskOwner: .ownJurisdiction,
        ],
        .manageJurisdictions: [.systemAdministrator: .subtree],
        .viewUnits: [
            .officeStaff: .ownJurisdiction, .leadingGroupMember: .ownJurisdiction, .leadCustodian: .ownJurisdiction,
            .groupLeader: .ownJurisdiction, .groupMember: .ownJurisdiction,
            .disciplineReceiver: .ownJurisdiction, .organisationReceiver: .ownJurisdiction,
            .unitHead: .ownUnit, .unitContact: .ownUnit,
        ],
        .manageUnits: [.officeStaff: .ownJurisdiction],
        .viewUnitDirectory: [.systemAdministrator: .subtree, .securityAdministrator: .subtree],
        .viewUsers: [.systemAdministrator: .subtree, .securityAdministrator: .subtree],
        .manageUsers: [.systemAdministrator: .subtree],
        .grantRoles: [.securityAdministrator: .subtree],
        .unlockUsers: [.securityAdministrator: .subtree],
        .viewAuditLog: [.auditAdministrator: .subtree],
        // Planning (巡察计划): the office runs it, the leading group reviews it. Groups see their
        // own assignments once those exist; the pools hold personal data and stay with the office.
        .viewRounds: [.officeStaff: .ownJurisdiction, .leadingGroupMember: .ownJurisdiction],
        .manageRounds: [.officeStaff: .ownJurisdiction],
        .reviewRounds: [.leadingGroupMember: .ownJurisdiction],
        .viewPools: [.officeStaff: .ownJurisdiction],
        .managePools: [.officeStaff: .ownJurisdiction],
        .viewAssignments: [
            .officeStaff: .ownJurisdiction, .leadingGroupMember: .ownJurisdiction, .groupLeader: .ownGroup, .groupMember: .ownGroup,
        ],
        .actAsInspector: [.groupLeader: .ownGroup, .groupMember: .ownGroup],
        .viewNotices: [.officeStaff: .ownJurisdiction, .leadingGroupMember: .ownJurisdiction, .unitHead: .ownUnit, .unitContact: .ownUnit],
        .requestRecusal: [.unitHead: .ownUnit],
        .viewRecusalRequests: [.officeStaff: .ownJurisdiction, .unitHead: .ownUnit, .unitContact: .ownUnit],
        .decideRecusalRequests: [.officeStaff: .ownJurisdiction],
        .manageSettings: [.officeStaff: .ownJurisdiction],
        // Fieldwork (巡察工作材料): the group that did it, the office that runs the round and the
        // leading group that hears it. Receivers see only leads transferred to them; units nothing.
        .viewFieldwork: [
            .officeStaff: .ownJurisdiction, .leadCustodian: .ownJurisdiction, .leadingGroupMember: .ownJurisdiction,
            .groupLeader: .ownGroup, .groupMember: .ownGroup,
        ],
        .recordFieldwork: [.groupLeader: .ownGroup, .groupMember: .ownGroup],
        .triageFindings: [.officeStaff: .ownJurisdiction, .groupLeader: .ownGroup],
        .viewReporterIdentity: [.leadCustodian: .ownJurisdiction, .groupLeader: .ownGroup],
        .viewClassifications: [
            .officeStaff: .ownJurisdiction, .leadCustodian: .ownJurisdiction, .leadingGroupMember: .ownJurisdiction,
            .groupLeader: .ownJurisdiction, .groupMember: .ownJurisdiction,
        ],
        .manageClassifications: [.officeStaff: .ownJurisdiction],
        .viewLeads: [
            .leadCustodian: .ownJurisdiction, .leadingGroupMember: .ownJurisdiction, .groupLeader: .ownGroup, .groupMember: .ownGroup,
            .disciplineReceiver: .inbox, .organisationReceiver: .inbox,
        ],
        .registerLeads: [.groupLeader: .ownGroup, .groupMember: .ownGroup],
        .viewImmediateRectifications: [
            .officeStaff: .ownJurisdiction, .leadingGroupMember: .ownJurisdiction, .groupLeader: .ownGroup, .groupMember: .ownGroup,
            .unitHead: .ownUnit, .unitContact: .ownUnit,
        ],
        .viewReports: [.officeStaff: .ownJurisdiction, .leadingGroupMember: .ownJurisdiction, .groupLeader: .ownGroup, .groupMember: .ownGroup],
        .fileReports: [.officeStaff: .ownJurisdiction],
        .viewFeedback: [
            .officeStaff: .ownJurisdiction, .leadingGroupMember: .ownJurisdiction, .groupLeader: .ownGroup, .groupMember: .ownGroup,
            .unitHead: .ownUnit, .unitContact: .ownUnit,
        ],
        // Rectification (整改台账): the unit works its own ledger; the office and the group that
        // inspected it follow it; 纪委 and 组织部 supervise every unit of their committee.
        .viewRectification: [
            .officeStaff: .ownJurisdiction, .leadingGroupMember: .ownJurisdiction, .groupLeader: .ownGroup, .groupMember: .ownGroup,
            .disciplineReceiver: .ownJurisdiction, .organisationReceiver: .ownJurisdiction,
            .unitHead: .ownUnit, .unitContact: .ownUnit, .taskOwner: .ownTasks,
        ],
        .draftRectificationPlans: [.unitHead: .ownUnit, .unitContact: .ownUnit],
        .reviewRectificationPlans: [.officeStaff: .ownJurisdiction, .disciplineReceiver: .ownJurisdiction, .organisationReceiver: .ownJurisdiction],
        .reportRectificationProgress: [.unitHead: .ownUnit, .unitContact: .ownUnit, .taskOwner: .ownTasks],
        .reviewTaskClosure: [.officeStaff: .ownJurisdiction, .groupLeader: .ownGroup],
        .superviseRectification: [.officeStaff: .ownJurisdiction, .disciplineReceiver: .ownJurisdiction, .organisationReceiver: .ownJurisdiction],
        // Rectification reports (整改报告): the unit writes its own; the office reviews; the leading
        // group and the committee's 纪委/组织部 supervise rectification and read them.
        .viewRectificationReports: [
            .officeStaff: .ownJurisdiction, .leadingGroupMember: .ownJurisdiction,
            .disciplineReceiver: .ownJurisdiction, .organisationReceiver: .ownJurisdiction,
            .unitHead: .ownUnit, .unitContact: .ownUnit,
        ],
        .writeRectificationReports: [.unitHead: .ownUnit, .unitContact: .ownUnit],
        .reviewRectificationReports: [.officeStaff: .ownJurisdiction],
        .viewDisclosures: [.officeStaff: .ownJurisdiction, .leadingGroupMember: .ownJurisdiction],
        .prepareDisclosures: [.officeStaff: .ownJurisdiction],
        .approveDisclosures: [.leadingGroupMember: .ownJurisdiction],
        // After the rectification period (§3.9): the office evaluates and schedules 回头看, the
        // leading group grades too; the unit records its own rule improvements and reports its
        // second rectification; 纪委 and 组织部 read the results to supervise and to appraise.
        .viewRuleImprovements: [.officeStaff: .ownJurisdiction, .leadingGroupMember: .ownJurisdiction, .unitHead: .ownUnit, .unitContact: .ownUnit],
        .recordRuleImprovements: [.officeStaff: .ownJurisdiction, .unitHead: .ownUnit, .unitContact: .ownUnit],
        .viewEvaluations: [
            .officeStaff: .ownJurisdiction, .leadingGroupMember: .ownJurisdiction, .disciplineReceiver: .ownJurisdiction,
            .organisationReceiver: .ownJurisdiction, .unitHead: .ownUnit, .unitContact: .ownUnit,
        ],
        .gradeEvaluations: [.officeStaff: .ownJurisdiction, .leadingGroupMember: .ownJurisdiction],
        .manageEvaluations: [.officeStaff: .ownJurisdiction],
        .archiveRecords: [.officeStaff: .ownJurisdiction],
        .reportSecondRectification: [.unitHead: .ownUnit, .unitContact: .ownUnit],
        .viewFollowUps: [.officeStaff: .ownJurisdiction, .leadingGroupMember: .ownJurisdiction],
        // Statistics (统计): aggregates only. The office and the leading group write the year-end
        // report for their committee and may roll a city up with its counties; a group counts its
        // own assignments; a unit its own ledger. The store hides the sections a reach may not see.
        .viewStatistics: [
            .officeStaff: .subtree, .leadingGroupMember: .subtree, .groupLeader: .ownGroup, .groupMember: .ownGroup,
            .unitHead: .ownUnit, .unitContact: .ownUnit,
        ],
        // Systemic problems (普遍性问题): the committee's office and leading group compare the
        // units; a functional department (a unit of the register) reads what is addressed to it
        // and answers with its rule changes. The store keeps a unit to reports sent to its unit.
        .viewSystemicProblems: [.officeStaff: .ownJurisdiction, .leadingGroupMember: .ownJurisdiction],
        .manageThematicReports: [.officeStaff: .ownJurisdiction],
        .viewThematicReports: [.officeStaff: .ownJurisdiction, .leadingGroupMember: .ownJurisdiction, .unitHead: .ownUnit, .unitContact: .ownUnit],
        .recordThematicRuleChanges: [.officeStaff: .ownJurisdiction, .unitHead: .ownUnit, .unitContact: .ownUnit],
        .manageDocumentTemplates: [.officeStaff: .ownJurisdiction],
    ]

    /// How far the actor reaches for a permission: the widest of its roles.
    public func reach(_ actor: Actor, _ permission: Permission) -> Reach {
        if actor.kind == .consoleOperator { return .everything }
        let row = Self.matrix[permission] ?? [:]
        return actor.roles.map { row[$0] ?? .nothing }.max() ?? .nothing
    }

    /// The records the actor may touch for a permission.
    public func scope(_ actor: Actor, _ permission: Permission) -> Scope {
        switch reach(actor, permission) {
        case .nothing: return .nothing
        case .everything: return .everything
        case .subtree:
            // Fail closed: an unknown path must not become the prefix of every path.
            guard !actor.jurisdictionPath.isEmpty else { return .nothing }
            return .subtree(path: actor.jurisdictionPath)
        case .ownJurisdiction:
            guard let id = actor.jurisdictionID else { return .nothing }
            return .jurisdiction(id)
        case .ownUnit:
            guard let id = actor.jurisdictionID, let unit = actor.unitID else { return .nothing }
            return .unit(jurisdiction: id, unit: unit)
        case .ownGroup:
            guard let id = actor.jurisdictionID, let account = actor.userID else { return .nothing }
            return .ownAssignments(account: account, jurisdiction: id)
        case .ownTasks:
            guard let id = actor.jurisdictionID, let account = actor.userID else { return .nothing }
            return .ownTasks(account: account, jurisdiction: id)
        case .inbox:
            guard let id = actor.jurisdictionID else { return .nothing }
            let bodies = ReceivingBody.allCases.filter { actor.roles.contains($0.receiverRole) }.map(\.rawValue)
            return bodies.isEmpty ? .nothing : .inbox(bodies: bodies, jurisdiction: id)
        }
    }

    /// Whether the actor may act on a record at `location`.
    public func allows(_ actor: Actor, _ permission: Permission, at location: RecordLocation) -> Bool {
        scope(actor, permission).contains(location)
    }

    /// Whether the actor holds the permission anywhere at all (for showing a menu or a list).
    public func allowsAnywhere(_ actor: Actor, _ permission: Permission) -> Bool {
        !scope(actor, permission).isNothing
    }

    /// Administrator roles are granted only at the server console, so no account can mint
    /// another administrator or raise itself.
    public func mayGrant(_ actor: Actor, roles: Set<Role>) -> Bool {
        actor.kind == .consoleOperator || !roles.contains(where: \.isAdministrator)
    }

    /// Throws the answer a denied single read gets: not found, so existence is not confirmed.
    public func requireVisible(_ actor: Actor, _ permission: Permission, at location: RecordLocation) throws(DomainError) {
        guard allows(actor, permission, at: location) else { throw DomainError.notFound }
    }

    /// Throws when the actor holds the permission nowhere.
    public func requireAnywhere(_ actor: Actor, _ permission: Permission) throws(DomainError) {
        guard allowsAnywhere(actor, permission) else { throw DomainError.forbidden }
    }
}
