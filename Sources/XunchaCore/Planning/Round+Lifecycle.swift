import Foundation

/// The states of a round (domain.md §3.1). This capability moves a round from draft to on-site;
/// later capabilities add the steps after fact-finding.
public enum RoundStatus: String, CaseIterable, Codable, Sendable, LifecycleStatus {
    /// 草拟中: the office is writing the plan.
    case draft
    /// 领导小组审议中.
    case underReview = "under_review"
    /// 已报党委审批.
    case submitted
    /// 党委已批准.
    case approved
    /// 筹备中: groups formed from the pools, recusals checked, units notified.
    case preparing
    /// 已动员部署: authorisation announced (一次一授权).
    case mobilised
    /// 进驻了解中.
    case onSite = "on_site"

    public var title: String {
        switch self {
        case .draft: "草拟中"
        case .underReview: "领导小组审议中"
        case .submitted: "已报党委审批"
        case .approved: "党委已批准"
        case .preparing: "筹备中"
        case .mobilised: "已动员部署"
        case .onSite: "进驻了解中"
        }
    }

    /// Whether groups and assignments may still be changed.
    public var allowsStaffing: Bool { self == .approved || self == .preparing }

    /// Whether the round's groups have entered their units (进驻) — what coverage counts.
    /// Later stages (reporting, feedback, rectification …) will count too as they are added.
    public var hasEntered: Bool { self == .onSite }

    public static var entered: [RoundStatus] { allCases.filter(\.hasEntered) }
}

/// A step in a round's life, with what it needs.
public enum RoundStep: String, CaseIterable, Sendable, LifecycleStep {
    public typealias Lifecycle = RoundLifecycle

    /// 巡察办提交领导小组审议.
    case submitForReview = "submit_for_review"
    /// 领导小组审议通过，报党委.
    case approveByLeadingGroup = "approve"
    /// 领导小组退回修改（须写明意见）.
    case returnForRevision = "return"
    /// 巡察办登记党委批准（须写明批准文号）.
    case recordCommitteeApproval = "record_committee_approval"
    /// 巡察办开始筹备.
    case startPreparing = "start_preparing"
    /// 动员部署.
    case mobilise
    /// 进驻.
    case enter

    public var title: String {
        switch self {
        case .submitForReview: "提交领导小组审议"
        case .approveByLeadingGroup: "审议通过，报党委审批"
        case .returnForRevision: "退回修改"
        case .recordCommitteeApproval: "登记党委批准"
        case .startPreparing: "开始筹备"
        case .mobilise: "动员部署"
        case .enter: "进驻"
        }
    }

    /// The state the step starts from and the one it leads to.
    public var transition: (from: RoundStatus, to: RoundStatus) {
        switch self {
        case .submitForReview: (.draft, .underReview)
        case .approveByLeadingGroup: (.underReview, .submitted)
        case .returnForRevision: (.underReview, .draft)
        case .recordCommitteeApproval: (.submitted, .approved)
        case .startPreparing: (.approved, .preparing)
        case .mobilise: (.preparing, .mobilised)
        case .enter: (.mobilised, .onSite)
        }
    }

    /// Who takes the step. The committee itself does not use the system: the office records
    /// its decision with the document number.
    public var takenBy: Role {
        switch self {
        case .approveByLeadingGroup, .returnForRevision: .leadingGroupMember
        default: .officeStaff
        }
    }

    /// Whether the step needs a written note (a return needs the reasons, an approval its number).
    public var needsNote: Bool { self == .returnForRevision || self == .recordCommitteeApproval }
}

/// Where a person stands towards one committee's rounds.
public struct RoundStanding: Sendable, Equatable {
    /// The roles whose steps the person takes: their own, or every role at the console.
    public var roles: Set<Role>
    /// Whether the access policy lets the person review (领导小组) or manage (巡察办) these rounds.
    public var mayReview: Bool
    public var mayManage: Bool

    public init(actor: Actor, mayReview: Bool = true, mayManage: Bool = true) {
        self.roles = actor.kind == .consoleOperator ? Set(Role.allCases) : actor.roles
        self.mayReview = mayReview
        self.mayManage = mayManage
    }
}

extension Round: LifecycleRecord {}

/// 轮次流转: the plan climbs from the office through the leading group to the committee, then
/// the round is prepared, mobilised and entered.
public enum RoundLifecycle: Lifecycle {
    public static let chain = Chain.round

    public static func status(of round: Round) -> RoundStatus { round.status }

    public static func sources(of step: RoundStep) -> Set<RoundStatus> { [step.transition.from] }

    public static func refusal(of step: RoundStep, standing: RoundStanding) -> DomainError? {
        guard step.takenBy == .leadingGroupMember ? standing.mayReview : standing.mayManage else { return .forbidden }
        return standing.roles.contains(step.takenBy) ? nil : notYours(step, takenBy: step.takenBy.title)
    }

    /// A return needs the reasons and the committee's approval its document number.
    public static func take(_ step: RoundStep, on round: Round, input: StepNote, facts: Void, context: StepContext) throws(DomainError) -> StepOutcome<Round> {
        let note = try TextRules.optionalLine(input.note, field: "note", label: "意见或文号", maxLength: 500)
        if step.needsNote, note == nil {
            throw DomainError.required("note", label: step == .returnForRevision ? "退回意见" : "党委批准文号")
        }
        var after = round
        after.status = step.transition.to
        return StepOutcome(record: after, note: note, detail: "（\(round.status.title)→\(after.status.title)）" + (note.map { "，\($0)" } ?? ""))
    }
}
