import Foundation

/// The states of a round (domain.md §3.1). This capability moves a round from draft to on-site;
/// later capabilities add the steps after fact-finding.
public enum RoundStatus: String, CaseIterable, Codable, Sendable {
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
public enum RoundStep: String, CaseIterable, Sendable {
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

/// The round lifecycle as a pure state machine.
public enum RoundLifecycle {
    /// The status after `step`, or the reason it cannot be taken by `actor` now.
    public static func apply(_ step: RoundStep, to status: RoundStatus, by actor: Actor, note: String?) throws(DomainError) -> RoundStatus {
        guard actor.kind == .consoleOperator || actor.roles.contains(step.takenBy) else {
            throw DomainError(
                .forbidden, code: "step_not_allowed", message: "“\(step.title)”须由\(step.takenBy.title)办理", english: "\(step.rawValue) is taken by \(step.takenBy.rawValue)")
        }
        guard status == step.transition.from else {
            throw DomainError(
                .conflict, code: "invalid_transition", message: "当前状态为“\(status.title)”，不能“\(step.title)”",
                english: "cannot \(step.rawValue) from \(status.rawValue)")
        }
        if step.needsNote, (note ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            let label = step == .returnForRevision ? "退回意见" : "党委批准文号"
            throw DomainError.required("note", label: label)
        }
        return step.transition.to
    }

    /// The steps `actor` may take from `status` (for showing buttons).
    public static func availableSteps(from status: RoundStatus, for actor: Actor) -> [RoundStep] {
        RoundStep.allCases.filter { $0.transition.from == status && (actor.kind == .consoleOperator || actor.roles.contains($0.takenBy)) }
    }
}
