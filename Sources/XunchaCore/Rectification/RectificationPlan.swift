import Foundation

/// 整改方案 (domain §2.5, §3.7): the unit answers its issued feedback with a plan in which every
/// problem of the list gets one or more tasks under "三个一" ownership. The unit head endorses the
/// plan (承诺背书) with their own account; the office, with the committee's 纪委 and 组织部, reviews
/// it in writing and approves it or returns it. Approval sets the tasks running.
public struct RectificationPlan: Sendable, Equatable {
    public var id: UUID
    public var jurisdictionID: UUID
    public var feedbackID: UUID
    public var assignmentID: UUID
    public var unitID: UUID
    public var unitName: String
    public var feedbackNumber: String
    public var content: PlanContent
    public var status: PlanStatus
    /// 第几稿: raised each time a returned plan is endorsed again.
    public var revision: Int
    public var endorsement: PlanEndorsement?
    public var reviews: [PlanReview]
    public var approvedAt: Date?
    public var createdAt: Date
    public var updatedAt: Date
    public var version: Int

    public init(
        id: UUID, jurisdictionID: UUID, feedbackID: UUID, assignmentID: UUID, unitID: UUID, unitName: String, feedbackNumber: String, content: PlanContent,
        status: PlanStatus, revision: Int, endorsement: PlanEndorsement?, reviews: [PlanReview], approvedAt: Date?, createdAt: Date, updatedAt: Date,
        version: Int
    ) {
        self.id = id
        self.jurisdictionID = jurisdictionID
        self.feedbackID = feedbackID
        self.assignmentID = assignmentID
        self.unitID = unitID
        self.unitName = unitName
        self.feedbackNumber = feedbackNumber
        self.content = content
        self.status = status
        self.revision = revision
        self.endorsement = endorsement
        self.reviews = reviews
        self.approvedAt = approvedAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
    }
}

/// What the unit writes besides its tasks.
public struct PlanContent: Sendable, Equatable {
    public var title: String
    /// 党组（党委）会议研究情况: the plan is drawn up by the unit's Party organisation.
    public var meeting: String
    /// 总体要求、组织领导等.
    public var body: String

    public init(title: String, meeting: String, body: String) {
        self.title = title
        self.meeting = meeting
        self.body = body
    }

    public func validated() throws(DomainError) -> PlanContent {
        var valid = self
        valid.title = try TextRules.requiredLine(title, field: "title", label: "方案标题", maxLength: 120)
        guard let meeting = try TextRules.optionalText(meeting, field: "meeting", label: "党组（党委）会议研究情况", maxLength: 2_000) else {
            throw DomainError.required("meeting", label: "党组（党委）会议研究情况")
        }
        valid.meeting = meeting
        valid.body = try TextRules.optionalText(body, field: "body", label: "方案正文", maxLength: 100_000) ?? ""
        return valid
    }
}

public enum PlanStatus: String, CaseIterable, Codable, Sendable {
    /// 拟定中 (the unit writes tasks).
    case drafting
    /// 已签字背书并报送，待审核.
    case endorsed
    /// 退回修改.
    case returned
    /// 审核通过，任务开始整改.
    case approved

    public var title: String {
        switch self {
        case .drafting: "拟定中"
        case .endorsed: "已背书报送，待审核"
        case .returned: "已退回修改"
        case .approved: "已审核通过"
        }
    }

    /// The unit may change the plan and its tasks only before endorsing it or after a return.
    public var isEditable: Bool { self == .drafting || self == .returned }
}

/// 承诺背书: who signed, when, and the digest of exactly the text they signed.
public struct PlanEndorsement: Sendable, Equatable {
    public var accountID: UUID
    public var name: String
    public var at: Date
    /// SHA-256 (hex) of `signedText`.
    public var digest: String
    public var signedText: String

    public init(accountID: UUID, name: String, at: Date, digest: String, signedText: String) {
        self.accountID = accountID
        self.name = name
        self.at = at
        self.digest = digest
        self.signedText = signedText
    }

    /// The canonical text of a plan as it is signed: the content and every task, in order, one
    /// field per line, so the digest changes when any word of it does.
    public static func signedText(unit: String, feedbackNumber: String, revision: Int, content: PlanContent, tasks: [RectificationTask]) -> String {
        var lines = [
            "被巡察单位：\(unit)", "反馈意见：\(feedbackNumber)", "方案第\(revision)稿", "标题：\(content.title)", "会议研究：\(content.meeting)", "正文：\(content.body)",
        ]
        for task in tasks.sorted(by: { ($0.problemSequence, $0.sequence) < ($1.problemSequence, $1.sequence) }) {
            lines.append(
                """
                任务\(task.problemSequence)-\(task.sequence)｜问题：\(task.problemText)｜目标：\(task.content.target)｜措施：\(task.content.measures)｜\
                时限：\(task.content.deadline)｜类别：\(task.content.kind.title)｜责任领导：\(task.content.owners.leader)｜\
                责任部门：\(task.content.owners.department)｜责任人：\(task.content.owners.cadre)
                """)
        }
        return lines.joined(separator: "\n")
    }
}

/// Where a review opinion comes from.
public enum ReviewBody: String, CaseIterable, Codable, Sendable, CodedTitle {
    case office
    case discipline
    case organisation

    public var title: String {
        switch self {
        case .office: "巡察办"
        case .discipline: "纪委监委"
        case .organisation: "组织部"
        }
    }

    /// The body an account speaks for, by its roles (the office first).
    public static func of(_ roles: Set<Role>) -> ReviewBody? {
        if roles.contains(.officeStaff) { return .office }
        if roles.contains(.disciplineReceiver) { return .discipline }
        if roles.contains(.organisationReceiver) { return .organisation }
        return nil
    }
}

public enum ReviewDecision: String, CaseIterable, Codable, Sendable {
    /// 书面意见 (纪委、组织部 or the office, without deciding).
    case comment
    /// 审核通过 (the office).
    case approve
    /// 退回修改 (the office).
    case returnForRevision = "return"

    public var title: String {
        switch self {
        case .comment: "审核意见"
        case .approve: "审核通过"
        case .returnForRevision: "退回修改"
        }
    }
}

/// One written opinion on one revision of a plan.
public struct PlanReview: Sendable, Equatable {
    public var id: UUID
    public var body: ReviewBody
    public var decision: ReviewDecision
    public var comment: String
    public var reviewerName: String
    public var revision: Int
    public var at: Date

    public init(id: UUID, body: ReviewBody, decision: ReviewDecision, comment: String, reviewerName: String, revision: Int, at: Date) {
        self.id = id
        self.body = body
        self.decision = decision
        self.comment = comment
        self.reviewerName = reviewerName
        self.revision = revision
        self.at = at
    }
}

/// The rules of the plan's life, without I/O.
public enum PlanLifecycle {
    /// Endorsing: only the unit head, only a plan being written, and only when every problem of
    /// the list has at least one task.
    public static func checkEndorsement(_ plan: RectificationPlan, problems: [FeedbackProblem], tasks: [RectificationTask], isUnitHead: Bool) throws(DomainError) {
        guard isUnitHead else {
            throw DomainError(.forbidden, code: "not_unit_head", message: "整改方案须由本单位主要负责人本人签字背书", english: "only the unit head endorses the plan")
        }
        guard plan.status.isEditable else {
            throw DomainError(.conflict, code: "invalid_transition", message: "整改方案当前为“\(plan.status.title)”，不能签字背书", english: "plan is not being drafted")
        }
        let covered = Set(tasks.map(\.problemID))
        let missing = problems.filter { !covered.contains($0.id) }.map { "第\($0.sequence)项" }
        guard missing.isEmpty else {
            throw .invalid(
                "problem_without_task", "问题清单\(missing.joined(separator: "、"))还没有整改任务，每个问题至少要有一项任务",
                english: "every problem needs a task", field: "tasks")
        }
    }

    /// Reviewing: the office decides; 纪委 and 组织部 write opinions; returning needs the reasons.
    public static func checkReview(_ plan: RectificationPlan, body: ReviewBody, decision: ReviewDecision, comment: String?) throws(DomainError) -> String {
        guard plan.status == .endorsed else {
            throw DomainError(.conflict, code: "invalid_transition", message: "整改方案当前为“\(plan.status.title)”，不在审核中", english: "plan is not under review")
        }
        if decision != .comment && body != .office {
            throw DomainError(.forbidden, code: "step_not_allowed", message: "整改方案由巡察办审核通过或退回，纪委监委、组织部提出书面意见", english: "only the office decides")
        }
        let text = try TextRules.optionalText(comment, field: "comment", label: "审核意见", maxLength: 4_000)
        switch decision {
        case .approve: return text ?? "同意该整改方案。"
        case .comment, .returnForRevision:
            guard let text else { throw DomainError.required("comment", label: decision == .comment ? "审核意见" : "退回意见") }
            return text
        }
    }
}
