import Foundation

/// 问题线索的状态 (domain §3.5).
public enum LeadStatus: String, CaseIterable, Codable, Sendable {
    /// 已登记.
    case registered
    /// 组务会已研判，确认为线索.
    case screened
    /// 组长已提出移交意见.
    case proposed
    /// 领导小组已批准移交.
    case approved
    /// 已移交，等待接收单位反馈.
    case transferred
    /// 接收单位已签收.
    case received
    /// 接收单位已反馈办理结果.
    case answered
    /// 巡察办已销号.
    case closed
    /// 经研判不作为线索.
    case dismissed
    /// 底稿改为其他处置方式，线索撤回.
    case withdrawn

    public var title: String {
        switch self {
        case .registered: "已登记"
        case .screened: "已研判"
        case .proposed: "拟移交"
        case .approved: "已批准移交"
        case .transferred: "已移交待反馈"
        case .received: "接收单位已签收"
        case .answered: "已反馈"
        case .closed: "已销号"
        case .dismissed: "不作为线索"
        case .withdrawn: "已撤回"
        }
    }

    /// Statuses in which the receiving body sees the lead.
    public static let transferredOn: [LeadStatus] = [.transferred, .received, .answered, .closed]

    /// From approval on, the lead's finding can no longer change its disposition.
    public var locksFinding: Bool { [.approved, .transferred, .received, .answered, .closed].contains(self) }
}

public enum LeadStep: String, CaseIterable, Codable, Sendable {
    /// 组务会研判: the group leader records the meeting's study of it.
    case screen
    /// 不作为线索: the group leader, with the reason.
    case dismiss
    /// 提出移交意见: the group leader, naming the receiving body.
    case propose
    /// 领导小组批准移交.
    case approve
    /// 领导小组退回.
    case returnProposal = "return"
    /// 移交: the lead custodian, with the transfer sheet.
    case transfer
    /// 签收: the receiving body.
    case receive
    /// 反馈办理结果: the receiving body.
    case answer
    /// 销号: the lead custodian.
    case close

    public var title: String {
        switch self {
        case .screen: "组务会研判"
        case .dismiss: "不作为线索"
        case .propose: "提出移交意见"
        case .approve: "批准移交"
        case .returnProposal: "退回移交意见"
        case .transfer: "移交"
        case .receive: "签收"
        case .answer: "反馈办理结果"
        case .close: "销号"
        }
    }

    var transition: (from: Set<LeadStatus>, to: LeadStatus) {
        switch self {
        case .screen: ([.registered], .screened)
        case .dismiss: ([.registered, .screened], .dismissed)
        case .propose: ([.screened], .proposed)
        case .approve: ([.proposed], .approved)
        case .returnProposal: ([.proposed], .screened)
        case .transfer: ([.approved], .transferred)
        case .receive: ([.transferred], .received)
        case .answer: ([.transferred, .received], .answered)
        case .close: ([.answered], .closed)
        }
    }

    /// Who takes the step, in Chinese, for the refusal.
    var takerTitle: String {
        switch self {
        case .screen, .dismiss, .propose: "本组组长"
        case .approve, .returnProposal: "领导小组成员"
        case .transfer, .close: "线索管理员"
        case .receive, .answer: "接收单位承办人"
        }
    }

    /// Steps whose reason or record is required.
    var needsNote: Bool { [.screen, .dismiss, .propose, .returnProposal].contains(self) }
}

/// What the acting person is towards one lead; the store reads it from the database.
public struct LeadStanding: Sendable, Equatable {
    public var isGroupLeader: Bool
    public var isLeadingGroup: Bool
    public var isCustodian: Bool
    /// The receiving body whose inbox the person works, if the lead was sent there.
    public var isReceiver: Bool

    public init(isGroupLeader: Bool = false, isLeadingGroup: Bool = false, isCustodian: Bool = false, isReceiver: Bool = false) {
        self.isGroupLeader = isGroupLeader
        self.isLeadingGroup = isLeadingGroup
        self.isCustodian = isCustodian
        self.isReceiver = isReceiver
    }

    func mayTake(_ step: LeadStep) -> Bool {
        switch step {
        case .screen, .dismiss, .propose: isGroupLeader
        case .approve, .returnProposal: isLeadingGroup
        case .transfer, .close: isCustodian
        case .receive, .answer: isReceiver
        }
    }
}

public enum LeadLifecycle {
    public static func apply(_ step: LeadStep, to status: LeadStatus, standing: LeadStanding, note: String?) throws(DomainError) -> LeadStatus {
        guard standing.mayTake(step) else {
            throw DomainError(.forbidden, code: "step_not_allowed", message: "“\(step.title)”须由\(step.takerTitle)办理", english: "\(step.rawValue) is not yours to take")
        }
        guard step.transition.from.contains(status) else {
            throw DomainError(
                .conflict, code: "invalid_transition", message: "线索当前为“\(status.title)”，不能“\(step.title)”", english: "cannot \(step.rawValue) a \(status.rawValue) lead")
        }
        if step.needsNote, try TextRules.optionalText(note, field: "note", label: "意见", maxLength: 4_000) == nil {
            throw DomainError.required("note", label: step == .screen ? "组务会研判意见" : step == .propose ? "移交意见" : "理由")
        }
        return step.transition.to
    }

    public static func available(at status: LeadStatus, standing: LeadStanding) -> [LeadStep] {
        LeadStep.allCases.filter { $0.transition.from.contains(status) && standing.mayTake($0) }
    }

    /// The day feedback is due: `months` after the transfer day, clamped to the month's end.
    public static func feedbackDue(transferredOn day: CalendarDay, months: Int) -> CalendarDay {
        day.adding(months: months)
    }
}
