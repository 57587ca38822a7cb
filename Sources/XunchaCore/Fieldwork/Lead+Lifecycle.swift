import Foundation

/// 问题线索的状态 (domain §3.5).
public enum LeadStatus: String, CaseIterable, Codable, Sendable, LifecycleStatus {
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

public enum LeadStep: String, CaseIterable, Codable, Sendable, LifecycleStep {
    public typealias Lifecycle = LeadLifecycle

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
    /// 撤回: the paper's triage chose another disposition before the leading group approved.
    case withdraw

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
        case .withdraw: "撤回"
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
        case .withdraw: ([.registered, .screened, .proposed], .withdrawn)
        }
    }

    /// Who takes the step, in Chinese, for the refusal.
    var takerTitle: String {
        switch self {
        case .screen, .dismiss, .propose: "本组组长"
        case .approve, .returnProposal: "领导小组成员"
        case .transfer, .close: "线索管理员"
        case .receive, .answer: "接收单位承办人"
        case .withdraw: "问题底稿处置"
        }
    }

    /// Steps whose reason or record is required, with what the form calls it.
    var requiredNote: String? {
        switch self {
        case .screen: "组务会研判意见"
        case .propose: "移交意见"
        case .dismiss, .returnProposal: "理由"
        default: nil
        }
    }
}

/// What the acting person is towards one lead; the store reads it from the database.
public struct LeadStanding: Sendable, Equatable {
    public var isGroupLeader: Bool
    public var isLeadingGroup: Bool
    public var isCustodian: Bool
    /// The receiving body whose inbox the person works, if the lead was sent there.
    public var isReceiver: Bool
    /// The paper's triage, which alone withdraws a lead it registered.
    public var isTriage: Bool

    public init(isGroupLeader: Bool = false, isLeadingGroup: Bool = false, isCustodian: Bool = false, isReceiver: Bool = false, isTriage: Bool = false) {
        self.isGroupLeader = isGroupLeader
        self.isLeadingGroup = isLeadingGroup
        self.isCustodian = isCustodian
        self.isReceiver = isReceiver
        self.isTriage = isTriage
    }

    func mayTake(_ step: LeadStep) -> Bool {
        switch step {
        case .screen, .dismiss, .propose: isGroupLeader
        case .approve, .returnProposal: isLeadingGroup
        case .transfer, .close: isCustodian
        case .receive, .answer: isReceiver
        case .withdraw: isTriage
        }
    }
}

/// What a step of a lead carries besides its note.
public struct LeadStepInput: StepInput {
    public var note: String?
    /// For `propose`: the body chosen; nil takes the one the subject suggests.
    public var receiver: ReceivingBody?
    /// For `propose`: the committee whose body receives it; nil is the lead's own committee, and a
    /// cadre managed lower down needs the lower committee named.
    public var receiverJurisdiction: UUID?
    /// For `propose`: to the committee's own 纪委监委 for its 派驻纪检监察组, which a lower-managed
    /// cadre's lead may take instead of a lower committee.
    public var viaStationedBody: Bool = false
    /// For `transfer`: 移交单编号.
    public var transferSheet: String?
    /// For `answer`.
    public var disposition: LeadDisposition?

    public init(
        note: String? = nil, receiver: ReceivingBody? = nil, receiverJurisdiction: UUID? = nil, transferSheet: String? = nil, disposition: LeadDisposition? = nil
    ) {
        self.note = note
        self.receiver = receiver
        self.receiverJurisdiction = receiverJurisdiction
        self.transferSheet = transferSheet
        self.disposition = disposition
    }

    public init(note: String?) {
        self.init(note: note, receiver: nil)
    }
}

/// What the store reads for a lead's step: the committee whose body receives it (a proposal) and
/// how many months the receiver has to answer (a transfer).
public struct LeadFacts: Sendable, Equatable {
    public var receivingCommittee: (id: UUID, name: String)?
    public var feedbackMonths: Int

    public init(receivingCommittee: (id: UUID, name: String)? = nil, feedbackMonths: Int = 3) {
        self.receivingCommittee = receivingCommittee
        self.feedbackMonths = feedbackMonths
    }

    public static func == (a: LeadFacts, b: LeadFacts) -> Bool {
        a.receivingCommittee?.id == b.receivingCommittee?.id && a.feedbackMonths == b.feedbackMonths
    }
}

extension Lead: LifecycleRecord {}

/// 问题线索的流转 (domain §3.5): studied by the group, proposed by its leader, approved by the
/// leading group, transferred by the custodian, answered by the receiving body, closed.
public enum LeadLifecycle: Lifecycle {
    public static let chain = Chain.lead

    public static func status(of lead: Lead) -> LeadStatus { lead.status }
    public static func sources(of step: LeadStep) -> Set<LeadStatus> { step.transition.from }

    public static func refusal(of step: LeadStep, standing: LeadStanding) -> DomainError? {
        standing.mayTake(step) ? nil : notYours(step, takenBy: step.takerTitle)
    }

    public static func take(_ step: LeadStep, on lead: Lead, input: LeadStepInput, facts: LeadFacts, context: StepContext) throws(DomainError) -> StepOutcome<Lead> {
        let note = try TextRules.optionalText(input.note, field: "note", label: step.requiredNote ?? "意见", maxLength: 4_000)
        if let label = step.requiredNote, note == nil { throw DomainError.required("note", label: label) }
        var after = lead
        after.status = step.transition.to
        var detail = ""
        switch step {
        case .propose:
            let receiver = input.receiver ?? lead.details.suggestedReceiver
            if input.viaStationedBody, receiver != .discipline {
                throw DomainError.invalid(
                    "stationed_body_is_discipline", "转派驻纪检监察组的线索须移交纪委监委", english: "only the discipline body reaches a stationed group", field: "via_stationed_body")
            }
            after.receiver = receiver
            after.receiverJurisdictionID = facts.receivingCommittee?.id
            after.viaStationedBody = input.viaStationedBody
            after.proposal = note
            detail = "，拟移交\(facts.receivingCommittee?.name ?? "")\(receiver.title)" + (input.viaStationedBody ? "（转派驻纪检监察组）" : "")
        case .transfer:
            after.transferSheet = try TextRules.requiredLine(input.transferSheet, field: "transfer_sheet", label: "移交单编号", maxLength: 60)
            after.transferredAt = context.at
            after.feedbackDue = feedbackDue(transferredOn: context.today, months: facts.feedbackMonths)
            detail = "（\(after.transferSheet ?? "")），反馈期限\(after.feedbackDue?.description ?? "")"
        case .receive:
            after.receivedAt = context.at
        case .answer:
            guard let disposition = try input.disposition?.validated() else { throw DomainError.required("method", label: "处置方式") }
            after.disposition = disposition
            after.answeredAt = context.at
            after.receivedAt = lead.receivedAt ?? context.at
            detail = "：\(disposition.method.title)"
        case .close:
            after.closedAt = context.at
        case .dismiss, .withdraw:
            after.setAsideAt = context.at
        case .screen, .approve, .returnProposal:
            break
        }
        return StepOutcome(record: after, note: note, detail: detail)
    }

    /// The day feedback is due: `months` after the transfer day, clamped to the month's end.
    public static func feedbackDue(transferredOn day: CalendarDay, months: Int) -> CalendarDay {
        day.adding(months: months)
    }
}
