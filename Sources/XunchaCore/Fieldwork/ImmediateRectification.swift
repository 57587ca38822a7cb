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

public enum ImmediateStatus: String, CaseIterable, Codable, Sendable, LifecycleStatus {
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

public enum ImmediateStep: String, CaseIterable, Codable, Sendable, LifecycleStep {
    public typealias Lifecycle = ImmediateLifecycle

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
    /// 撤回: the paper's triage chose another disposition before the leading group consented.
    case withdraw

    public var title: String {
        switch self {
        case .approve: "领导小组同意"
        case .issue: "下达通知书"
        case .sign: "签收"
        case .report: "报告整改情况"
        case .verify: "核实销号"
        case .reject: "退回重新整改"
        case .withdraw: "撤回"
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
        case .withdraw: (.proposed, .withdrawn)
        }
    }

    var takerTitle: String {
        switch self {
        case .approve: "领导小组成员"
        case .issue, .verify, .reject: "本组组长"
        case .sign: "被巡察单位主要负责人"
        case .report: "被巡察单位"
        case .withdraw: "问题底稿处置"
        }
    }
}

/// Who the acting person is towards one item; the store reads it from the database.
public struct ImmediateStanding: Sendable, Equatable {
    public var isLeadingGroup: Bool
    public var isGroupLeader: Bool
    public var isUnitHead: Bool
    public var isUnitUser: Bool
    /// The paper's triage, which alone withdraws the item.
    public var isTriage: Bool

    public init(isLeadingGroup: Bool = false, isGroupLeader: Bool = false, isUnitHead: Bool = false, isUnitUser: Bool = false, isTriage: Bool = false) {
        self.isLeadingGroup = isLeadingGroup
        self.isGroupLeader = isGroupLeader
        self.isUnitHead = isUnitHead
        self.isUnitUser = isUnitUser
        self.isTriage = isTriage
    }

    func mayTake(_ step: ImmediateStep) -> Bool {
        switch step {
        case .approve: isLeadingGroup
        case .issue, .verify, .reject: isGroupLeader
        case .sign: isUnitHead
        case .report: isUnitUser
        case .withdraw: isTriage
        }
    }
}

/// What a step carries.
public struct ImmediateStepInput: StepInput {
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

    public init(note: String?) {
        self.init(note: note, problem: nil)
    }
}

extension ImmediateRectification: LifecycleRecord {}

/// 立行立改流转.
public enum ImmediateLifecycle: Lifecycle {
    public static let chain = Chain.immediate

    public static func status(of item: ImmediateRectification) -> ImmediateStatus { item.status }
    public static func sources(of step: ImmediateStep) -> Set<ImmediateStatus> { [step.transition.from] }

    public static func refusal(of step: ImmediateStep, standing: ImmediateStanding) -> DomainError? {
        standing.mayTake(step) ? nil : notYours(step, takenBy: step.takerTitle)
    }

    /// Issuing numbers the notice (the store counts the number: `facts`) and needs the problem as
    /// the unit reads it and the requirement; a deadline may not lie in the past. The unit's report
    /// needs its measures, a return its reason.
    public static func take(
        _ step: ImmediateStep, on item: ImmediateRectification, input: ImmediateStepInput, facts number: String?, context: StepContext
    ) throws(DomainError) -> StepOutcome<ImmediateRectification> {
        var after = item
        after.status = step.transition.to
        var note: String?
        var detail = ""
        switch step {
        case .approve:
            break
        case .issue:
            after.problem = try TextRules.requiredText(input.problem, field: "problem", label: "通知书所列问题", maxLength: 4_000)
            after.requirement = try TextRules.requiredText(input.requirement, field: "requirement", label: "整改要求", maxLength: 4_000)
            if let text = input.deadline, !text.isEmpty {
                let day = try CalendarDay(text: text, field: "deadline", label: "整改时限")
                guard day >= context.today else {
                    throw DomainError.invalid("deadline_past", "整改时限不能早于今天", english: "deadline in the past", field: "deadline")
                }
                after.deadline = day
            }
            after.number = number
            after.issuedAt = context.at
            detail = "（\(number ?? "")）"
        case .sign:
            after.signedBy = context.actorName
            after.signedAt = context.at
        case .report:
            after.measures = try TextRules.requiredText(input.measures, field: "measures", label: "整改措施及成效", maxLength: 10_000)
            after.reportedAt = context.at
        case .verify:
            after.verification = try TextRules.optionalText(input.note, field: "note", label: "核实意见", maxLength: 4_000) ?? "经核实，已整改到位。"
            after.closedAt = context.at
            note = after.verification
        case .reject:
            after.verification = try TextRules.requiredText(input.note, field: "note", label: "退回理由", maxLength: 4_000)
            note = after.verification
        case .withdraw:
            note = input.note
        }
        return StepOutcome(record: after, note: note, detail: detail)
    }
}

/// 立行立改通知书编号: per committee and year, as the committee's template's 发文字号格式 writes
/// it when it has one ("江巡立改〔{年}〕{序号}号"), else as customary.
public enum ImmediateNumber {
    public static func text(committee: String, year: Int, sequence: Int, template: DocumentTemplate = .customary(.immediate)) -> String {
        template.number(year: year, sequence: sequence) ?? "\(committee)巡察立改〔\(year)〕\(sequence)号"
    }
}
