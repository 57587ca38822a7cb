import Foundation

/// 问题底稿的状态 (domain §3.3): draft → under group-meeting review → approved (numbered), or
/// returned to the drafter, who edits and submits again.
public enum FindingStatus: String, CaseIterable, Codable, Sendable {
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

public enum FindingStep: String, CaseIterable, Codable, Sendable {
    /// 提交组务会: any member of the group.
    case submit
    /// 退回修改: the group leader, with the reason.
    case returnForRevision = "return"
    /// 审定（组长签批）: the group leader, with the group meeting's opinion; numbers the paper.
    case approve

    public var title: String {
        switch self {
        case .submit: "提交组务会审议"
        case .returnForRevision: "退回修改"
        case .approve: "组长审定"
        }
    }

    var transition: (from: Set<FindingStatus>, to: FindingStatus) {
        switch self {
        case .submit: ([.draft, .returned], .underReview)
        case .returnForRevision: ([.underReview], .returned)
        case .approve: ([.underReview], .approved)
        }
    }

    /// Only the leader of the finding's own group decides on it.
    public var needsGroupLeader: Bool { self != .submit }
}

/// Where a person stands towards a finding's group; the store reads it from the database.
public struct FindingStanding: Sendable, Equatable {
    public var isMember: Bool
    public var isLeader: Bool

    public init(isMember: Bool, isLeader: Bool) {
        self.isMember = isMember
        self.isLeader = isLeader
    }
}

public enum FindingLifecycle {
    /// The status after `step`, or why it cannot be taken. Returning needs a reason and approving
    /// the group meeting's opinion.
    public static func apply(_ step: FindingStep, to status: FindingStatus, standing: FindingStanding, note: String?) throws(DomainError) -> FindingStatus {
        guard standing.isMember else {
            throw DomainError(.forbidden, code: "not_a_member", message: "只有本组巡察人员可以办理底稿", english: "only the group's members move its findings")
        }
        if step.needsGroupLeader && !standing.isLeader {
            throw DomainError(.forbidden, code: "step_not_allowed", message: "“\(step.title)”须由本组组长办理", english: "\(step.rawValue) is the group leader's")
        }
        guard step.transition.from.contains(status) else {
            throw DomainError(
                .conflict, code: "invalid_transition", message: "底稿当前为“\(status.title)”，不能“\(step.title)”", english: "cannot \(step.rawValue) a \(status.rawValue) finding")
        }
        let note = try TextRules.optionalText(note, field: "note", label: step == .approve ? "组务会意见" : "退回理由", maxLength: 2_000)
        switch step {
        case .returnForRevision where note == nil: throw DomainError.required("note", label: "退回理由")
        case .approve where note == nil: throw DomainError.required("note", label: "组务会意见")
        default: break
        }
        return step.transition.to
    }

    /// The steps a person may take now, for buttons.
    public static func available(at status: FindingStatus, standing: FindingStanding) -> [FindingStep] {
        guard standing.isMember else { return [] }
        return FindingStep.allCases.filter { $0.transition.from.contains(status) && (!$0.needsGroupLeader || standing.isLeader) }
    }
}

/// 问题处置 (triage): exactly one disposition per approved finding; it may be changed, audited,
/// until the work it started has begun (a notice issued, a lead approved).
public enum Triage {
    public static func check(_ finding: Finding, to disposition: Disposition, note: String?, downstreamStarted: Bool) throws(DomainError) -> String? {
        guard finding.status == .approved else {
            throw DomainError(.conflict, code: "finding_not_approved", message: "底稿须经组长审定后才能确定处置方式", english: "triage needs an approved finding")
        }
        if downstreamStarted, finding.disposition != disposition {
            throw DomainError(
                .conflict, code: "disposition_locked", message: "“\(finding.disposition?.title ?? "")”已在办理，不能再改变处置方式",
                english: "the disposition's work has begun")
        }
        let note = try TextRules.optionalText(note, field: "note", label: "处置说明", maxLength: 2_000)
        if disposition == .dropped, note == nil { throw DomainError.required("note", label: "不予认定的理由") }
        return note
    }
}
