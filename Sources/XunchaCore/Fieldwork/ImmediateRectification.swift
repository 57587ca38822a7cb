import Foundation

/// 立行立改 (domain §1.7, §3.6): a problem the unit can fix at once, during the on-site phase.
/// The group proposes it by triage, the leading group approves, the group issues the notice, the
/// unit head signs for it, the unit reports what it did, and the group verifies and closes it.
/// The unit reads the notice's own text, never the working paper behind it.
public struct ImmediateRectification: Sendable, Equatable {
    public var id: UUID
    public var jurisdictionID: UUID
    public var assignmentID: UUID
    public var groupID: UUID
    public var unitID: UUID
    public var unitName: String
    public var findingID: UUID
    /// 立行立改通知书编号, given when issued.
    public var number: String?
    public var status: ImmediateStatus
    /// The problem as the notice states it to the unit.
    public var problem: String?
    /// 整改要求.
    public var requirement: String?
    public var deadline: CalendarDay?
    public var issuedAt: Date?
    public var signedBy: String?
    public var signedAt: Date?
    /// 整改措施及成效, as the unit reports it.
    public var measures: String?
    public var reportedAt: Date?
    /// The group's verdict when it closes the item, or why it sent the report back.
    public var verification: String?
    public var closedAt: Date?
    public var createdAt: Date
    public var updatedAt: Date
    public var version: Int

    public init(
        id: UUID, jurisdictionID: UUID, assignmentID: UUID, groupID: UUID, unitID: UUID, unitName: String, findingID: UUID, number: String?,
        status: ImmediateStatus, problem: String?, requirement: String?, deadline: CalendarDay?, issuedAt: Date?, signedBy: String?, signedAt: Date?,
        measures: String?, reportedAt: Date?, verification: String?, closedAt: Date?, createdAt: Date, updatedAt: Date, version: Int
    ) {
        self.id = id
        self.jurisdictionID = jurisdictionID
        self.assignmentID = assignmentID
        self.groupID = groupID
        self.unitID = unitID
        self.unitName = unitName
        self.findingID = findingID
        self.number = number
        self.status = status
        self.problem = problem
        self.requirement = requirement
        self.deadline = deadline
        self.issuedAt = issuedAt
        self.signedBy = signedBy
        self.signedAt = signedAt
        self.measures = measures
        self.reportedAt = reportedAt
        self.verification = verification
        self.closedAt = closedAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
    }
}

public enum ImmediateStatus: String, CaseIterable, Codable, Sendable {
    /// 已提出（底稿处置为立行立改）.
    case proposed
    /// 领导小组已同意.
    case approved
    /// 已下达通知书，待单位签收.
    case issued
    /// 单位主要负责人已签收，整改中.
    case signed
    /// 单位已报告整改情况，待巡察组核实.
    case reported
    /// 巡察组核实，已销号.
    case closed
    /// 底稿改为其他处置方式.
    case withdrawn

    public var title: String {
        switch self {
        case .proposed: "待领导小组同意"
        case .approved: "待下达通知书"
        case .issued: "待单位签收"
        case .signed: "整改中"
        case .reported: "待核实"
        case .closed: "已销号"
        case .withdrawn: "已撤回"
        }
    }

    /// What the inspected unit sees: from the notice on.
    public static let visibleToUnit: [ImmediateStatus] = [.issued, .signed, .reported, .closed]

    /// From the leading group's consent on, the paper's disposition stands.
    public var locksFinding: Bool { ![.proposed, .withdrawn].contains(self) }
}

public enum ImmediateStep: String, CaseIterable, Codable, Sendable {
    /// 领导小组同意.
    case approve
    /// 下达立行立改通知书: the group's leader, with the problem as the unit reads it and the requirement.
    case issue
    /// 签收: the unit head signs for it (签字背书).
    case sign
    /// 报告整改情况: the unit, with what it did.
    case report
    /// 核实销号: the group's leader.
    case verify
    /// 退回重新整改: the group's leader, with the reason.
    case reject

    public var title: String {
        switch self {
        case .approve: "领导小组同意"
        case .issue: "下达通知书"
        case .sign: "签收"
        case .report: "报告整改情况"
        case .verify: "核实销号"
        case .reject: "退回重新整改"
        }
    }

    var transition: (from: ImmediateStatus, to: ImmediateStatus) {
        switch self {
        case .approve: (.proposed, .approved)
        case .issue: (.approved, .issued)
        case .sign: (.issued, .signed)
        case .report: (.signed, .reported)
        case .verify: (.reported, .closed)
        case .reject: (.reported, .signed)
        }
    }

    var takerTitle: String {
        switch self {
        case .approve: "领导小组成员"
        case .issue, .verify, .reject: "本组组长"
        case .sign: "被巡察单位主要负责人"
        case .report: "被巡察单位"
        }
    }
}

/// Who the acting person is towards one item; the store reads it from the database.
public struct ImmediateStanding: Sendable, Equatable {
    public var isLeadingGroup: Bool
    public var isGroupLeader: Bool
    public var isUnitHead: Bool
    public var isUnitUser: Bool

    public init(isLeadingGroup: Bool = false, isGroupLeader: Bool = false, isUnitHead: Bool = false, isUnitUser: Bool = false) {
        self.isLeadingGroup = isLeadingGroup
        self.isGroupLeader = isGroupLeader
        self.isUnitHead = isUnitHead
        self.isUnitUser = isUnitUser
    }

    func mayTake(_ step: ImmediateStep) -> Bool {
        switch step {
        case .approve: isLeadingGroup
        case .issue, .verify, .reject: isGroupLeader
        case .sign: isUnitHead
        case .report: isUnitUser
        }
    }
}

/// What a step carries.
public struct ImmediateStepInput: Sendable {
    public var note: String?
    public var problem: String?
    public var requirement: String?
    public var deadline: String?
    public var measures: String?

    public init(note: String? = nil, problem: String? = nil, requirement: String? = nil, deadline: String? = nil, measures: String? = nil) {
        self.note = note
        self.problem = problem
        self.requirement = requirement
        self.deadline = deadline
        self.measures = measures
    }
}

public enum ImmediateLifecycle {
    public static func apply(_ step: ImmediateStep, to status: ImmediateStatus, standing: ImmediateStanding) throws(DomainError) -> ImmediateStatus {
        guard standing.mayTake(step) else {
            throw DomainError(.forbidden, code: "step_not_allowed", message: "“\(step.title)”须由\(step.takerTitle)办理", english: "\(step.rawValue) is not yours to take")
        }
        guard status == step.transition.from else {
            throw DomainError(
                .conflict, code: "invalid_transition", message: "立行立改事项当前为“\(status.title)”，不能“\(step.title)”",
                english: "cannot \(step.rawValue) a \(status.rawValue) item")
        }
        return step.transition.to
    }

    public static func available(at status: ImmediateStatus, standing: ImmediateStanding) -> [ImmediateStep] {
        ImmediateStep.allCases.filter { $0.transition.from == status && standing.mayTake($0) }
    }
}

/// 立行立改通知书编号: per committee and year.
public enum ImmediateNumber {
    public static func text(committee: String, year: Int, sequence: Int) -> String {
        "\(committee)巡察立改〔\(year)〕\(sequence)号"
    }
}
