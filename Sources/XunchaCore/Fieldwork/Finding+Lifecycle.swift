import Foundation

/// 问题底稿的状态 (domain §3.3): draft → under group-meeting review → approved (numbered), or
/// returned to the drafter, who edits and submits again.
public enum FindingStatus: String, CaseIterable, Codable, Sendable, LifecycleStatus {
    case draft
    case underReview = "under_review"
    case returned
    case approved

    public var title: String {
        switch self {
        case .draft: "草稿"
        case .underReview: "待组务会审议"
        case .returned: "已退回修改"
        case .approved: "已审定"
        }
    }

    /// The drafter may still edit the text.
    public var isEditable: Bool { self == .draft || self == .returned }
}

public enum FindingStep: String, CaseIterable, Codable, Sendable, LifecycleStep {
    public typealias Lifecycle = FindingLifecycle

    /// 提交组务会: any member of the group.
    case submit
    /// 退回修改: the group leader, with the reason.
    case returnForRevision = "return"
    /// 审定（组长签批）: the group leader, with the group meeting's opinion; numbers the paper.
    case approve
    /// 问题处置: the office or the group's leader gives an approved paper its one disposition, or
    /// changes it while nothing has been done under it yet.
    case triage

    public var title: String {
        switch self {
        case .submit: "提交组务会审议"
        case .returnForRevision: "退回修改"
        case .approve: "组长审定"
        case .triage: "确定处置方式"
        }
    }

    /// The states the step starts from. Triage answers a paper not yet approved with its own refusal.
    var sources: Set<FindingStatus> {
        switch self {
        case .submit: [.draft, .returned]
        case .returnForRevision, .approve: [.underReview]
        case .triage: Set(FindingStatus.allCases)
        }
    }

    var target: FindingStatus? {
        switch self {
        case .submit: .underReview
        case .returnForRevision: .returned
        case .approve: .approved
        case .triage: nil
        }
    }

    /// Only the leader of the finding's own group decides on it.
    public var needsGroupLeader: Bool { self == .returnForRevision || self == .approve }
}

/// Where a person stands towards a finding's group; the store reads it from the database.
public struct FindingStanding: Sendable, Equatable {
    public var isMember: Bool
    public var isLeader: Bool
    /// The office of the paper's committee, or the leader of its group, holding the triage permission.
    public var mayTriage: Bool

    public init(isMember: Bool, isLeader: Bool, mayTriage: Bool = false) {
        self.isMember = isMember
        self.isLeader = isLeader
        self.mayTriage = mayTriage
    }
}

/// What a step of a paper carries: the note, and for triage the disposition chosen and, for
/// 移交问题线索, the person and the matter of the lead it registers.
public struct FindingStepInput: StepInput {
    public var note: String?
    public var disposition: Disposition?
    public var lead: LeadDetails?

    public init(note: String?) {
        self.note = note
    }

    public init(note: String?, disposition: Disposition, lead: LeadDetails? = nil) {
        self.note = note
        self.disposition = disposition
        self.lead = lead
    }
}

/// What the store reads for a paper's step: the number an approval gives it, and the lead and
/// the 立行立改 item a triage started (the ones not withdrawn or dismissed).
public struct FindingFacts: Sendable, Equatable {
    public var number: String?
    public var lead: (id: UUID, status: LeadStatus)?
    public var immediate: (id: UUID, status: ImmediateStatus)?

    public init(number: String? = nil, lead: (id: UUID, status: LeadStatus)? = nil, immediate: (id: UUID, status: ImmediateStatus)? = nil) {
        self.number = number
        self.lead = lead
        self.immediate = immediate
    }

    public static func == (a: FindingFacts, b: FindingFacts) -> Bool {
        a.number == b.number && a.lead?.id == b.lead?.id && a.lead?.status == b.lead?.status && a.immediate?.id == b.immediate?.id
            && a.immediate?.status == b.immediate?.status
    }
}

extension Finding: LifecycleRecord {}

/// 问题底稿的流转 (domain §3.3) and its triage.
public enum FindingLifecycle: Lifecycle {
    public static let chain = Chain.finding

    public static func status(of finding: Finding) -> FindingStatus { finding.status }
    public static func sources(of step: FindingStep) -> Set<FindingStatus> { step.sources }

    /// An approved paper waits for its disposition (the store leaves out papers that have one);
    /// triage from other states is refused, not awaited.
    public static func awaits(_ step: FindingStep, at status: FindingStatus) -> Bool {
        step == .triage ? status == .approved : sources(of: step).contains(status)
    }

    public static func refusal(of step: FindingStep, standing: FindingStanding) -> DomainError? {
        if step == .triage { return standing.mayTriage ? nil : .forbidden }
        guard standing.isMember else {
            return DomainError(.forbidden, code: "not_a_member", message: "只有本组巡察人员可以办理底稿", english: "only the group's members move its findings")
        }
        return step.needsGroupLeader && !standing.isLeader ? notYours(step, takenBy: "本组组长") : nil
    }

    /// Returning needs a reason and approving the group meeting's opinion; approval numbers the
    /// paper and names its approver. Triage: see `triage`.
    public static func take(
        _ step: FindingStep, on finding: Finding, input: FindingStepInput, facts: FindingFacts, context: StepContext
    ) throws(DomainError) -> StepOutcome<Finding> {
        if step == .triage { return try triage(finding, input: input, facts: facts, at: context.at) }
        let note = try TextRules.optionalText(input.note, field: "note", label: step == .approve ? "组务会意见" : "退回理由", maxLength: 2_000)
        var after = finding
        after.status = step.target ?? finding.status
        switch step {
        case .returnForRevision where note == nil: throw DomainError.required("note", label: "退回理由")
        case .approve:
            guard let note else { throw DomainError.required("note", label: "组务会意见") }
            after.number = facts.number ?? finding.number
            after.meetingOpinion = note
            after.approvedBy = context.actorName
            after.approvedAt = context.at
        default: break
        }
        return StepOutcome(record: after, note: note, detail: facts.number.map { "，编号\($0)" } ?? "")
    }

    /// 问题处置: exactly one disposition per approved paper; it may be changed, audited, until the
    /// work it started has begun (a notice consented to, a lead approved). Moving away from
    /// 立行立改 or 移交问题线索 withdraws what the earlier choice opened, through that chain's own
    /// lifecycle; the store opens the new lead or item (`FindingLifecycle` names what it needs).
    static func triage(_ finding: Finding, input: FindingStepInput, facts: FindingFacts, at: Date) throws(DomainError) -> StepOutcome<Finding> {
        guard let disposition = input.disposition else { throw DomainError.required("disposition", label: "处置方式") }
        guard finding.status == .approved else {
            throw DomainError(.conflict, code: "finding_not_approved", message: "底稿须经组长审定后才能确定处置方式", english: "triage needs an approved finding")
        }
        let started = facts.lead?.status.locksFinding == true || facts.immediate?.status.locksFinding == true
        if started, finding.disposition != disposition {
            throw DomainError(
                .conflict, code: "disposition_locked", message: "“\(finding.disposition?.title ?? "")”已在办理，不能再改变处置方式",
                english: "the disposition's work has begun")
        }
        let note = try TextRules.optionalText(input.note, field: "note", label: "处置说明", maxLength: 2_000)
        if disposition == .dropped, note == nil { throw DomainError.required("note", label: "不予认定的理由") }
        if finding.isSealed { throw Finding.sealedError }
        if disposition == .lead, facts.lead == nil, input.lead == nil {
            throw DomainError.invalid(
                "lead_details_required", "移交问题线索须填写被反映人、干部管理权限、问题性质和线索内容", english: "a lead needs its person and matter", field: "lead")
        }
        var after = finding
        after.disposition = disposition
        after.dispositionNote = note
        (after.triagedAt, after.priorDisposition) = (at, finding.disposition)
        if finding.disposition == nil { after.firstTriagedAt = at }
        var effects: [ChainEffect] = []
        let reason = "底稿改为" + disposition.title
        if disposition != .immediate, let item = facts.immediate {
            effects.append(ChainEffect(chain: .immediate, recordID: item.id, step: ImmediateStep.withdraw.rawValue, note: reason))
        }
        if disposition != .lead, let lead = facts.lead {
            effects.append(ChainEffect(chain: .lead, recordID: lead.id, step: LeadStep.withdraw.rawValue, note: reason))
        }
        return StepOutcome(
            record: after, note: "\(disposition.title)\(note.map { "：\($0)" } ?? "")",
            detail: "：\(finding.disposition.map { "由“\($0.title)”改为" } ?? "")\(disposition.title)", effects: effects)
    }

    /// Whether a triage to `disposition` opens a new record on another chain.
    public static func opens(_ disposition: Disposition, facts: FindingFacts) -> Chain? {
        switch disposition {
        case .immediate where facts.immediate == nil: .immediate
        case .lead where facts.lead == nil: .lead
        default: nil
        }
    }
}
